"""schema.org Event for a network meeting's page, as search engines read it (Google's Event
rich results: name, startDate and location required)."""

from django.conf import settings

from network.models import Meeting
from places.hours import HELSINKI
from places.serializers import geo_coordinates, language_independent_url, postal_address

EVENT_STATUS = {
    Meeting.Status.PUBLISHED: "https://schema.org/EventScheduled",
    # A draft's preview shows what the published page will say.
    Meeting.Status.DRAFT: "https://schema.org/EventScheduled",
    Meeting.Status.CANCELLED: "https://schema.org/EventCancelled",
    Meeting.Status.POSTPONED: "https://schema.org/EventPostponed",
}
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
ONLINE = "https://schema.org/OnlineEventAttendanceMode"
MIXED = "https://schema.org/MixedEventAttendanceMode"


def _physical_location(meeting, absolute_url):
    venue = meeting.venue
    if venue is not None:
        location = {
            "@type": "Place",
            "@id": language_independent_url(venue, absolute_url, "place"),
            "name": venue.name,
            "address": postal_address(venue),
        }
        if geo := geo_coordinates(venue):
            location["geo"] = geo
        return location
    if meeting.venue_address:
        return {"@type": "Place", "name": meeting.venue_address, "address": meeting.venue_address}
    return None


def meeting_json_ld(meeting, absolute_url):
    physical = _physical_location(meeting, absolute_url)
    online = {"@type": "VirtualLocation", "url": meeting.online_url} if meeting.online_url else None
    locations = [location for location in (physical, online) if location]
    mode = MIXED if physical and online else (ONLINE if online else OFFLINE)
    organizer = meeting.organizer
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": language_independent_url(meeting, absolute_url, "event"),
        "url": absolute_url(meeting.get_absolute_url()),
        "name": meeting.title,
        "startDate": meeting.start.astimezone(HELSINKI).isoformat(timespec="minutes"),
        "endDate": meeting.end.astimezone(HELSINKI).isoformat(timespec="minutes"),
        "eventStatus": EVENT_STATUS[meeting.status],
        "eventAttendanceMode": mode,
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {
            "@type": "Organization",
            "name": organizer.name if organizer else settings.SITE_NAME,
            **({"url": organizer.website} if organizer and organizer.website else {}),
        },
    }
    if meeting.description:
        data["description"] = meeting.description
    if meeting.registration_is_open():
        data["offers"] = {
            "@type": "Offer",
            "url": meeting.registration_url,
            **(
                {"validThrough": meeting.registration_deadline.astimezone(HELSINKI).isoformat()}
                if meeting.registration_deadline
                else {}
            ),
        }
    return data
