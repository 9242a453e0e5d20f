"""Subscriptions to the public network meetings: an Atom feed and an iCalendar file.

Both list public meetings only (published, cancelled, postponed); a cancelled meeting stays
in them, clearly marked, so that calendars and readers learn about the cancellation.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from kohtaamispaikat.core.text import Atom1Feed, normalise_text
from network.forms import CalendarForm
from network.models import Listing, Meeting
from places.hours import HELSINKI
from places.models import Region

# Fixed, so that an event keeps its identity in subscribers' calendars whatever host serves it.
UID_DOMAIN = "kohtaamispaikat.fi"
# Atom ids are tag URIs (RFC 4151) under the same fixed name, so that an entry keeps its id
# whatever host and language serve the feed; the date is when the name was taken into use.
TAG_AUTHORITY = f"tag:{UID_DOMAIN},2026:"
FEED_SIZE = 50
# Calendars show what is coming; a year of past meetings is enough to keep history visible.
CALENDAR_HISTORY = timedelta(days=365)
# Meetings read (with their venue and regions) per round of queries.
CALENDAR_CHUNK = 500
CALENDAR_END = "END:VCALENDAR\r\n"
ICAL_STATUS = {
    Meeting.Status.PUBLISHED: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
    Meeting.Status.POSTPONED: "TENTATIVE",
}


def marked_title(meeting):
    """The title, prefixed when the meeting is cancelled or postponed."""
    if meeting.is_cancelled:
        return _("Cancelled: %(title)s") % {"title": meeting.title}
    if meeting.is_postponed:
        return _("Postponed: %(title)s") % {"title": meeting.title}
    return meeting.title


def location_text(meeting):
    if meeting.venue:
        return f"{meeting.venue.name}, {meeting.venue.public_address_line}"
    return meeting.venue_address or meeting.online_url


def tag_uri(specific):
    return f"{TAG_AUTHORITY}{specific}"


class StableAtomFeed(Feed):
    """An Atom feed with the author RFC 4287 (4.1.1) requires, the site when an entry names
    none, and tag-URI ids that change with neither host nor language."""

    feed_type = Atom1Feed

    def author_name(self):
        return settings.SITE_NAME

    def item_guid_is_permalink(self, item):
        return False


def feed_meetings():
    return (
        Meeting.objects.public()
        .select_related("venue__municipality", "organizer")
        .prefetch_related("regions")
    )


class MeetingFeed(StableAtomFeed):
    title = gettext_lazy("Network meetings – Kohtaamispaikat")
    subtitle = gettext_lazy("Meetings, trainings and network days of the meeting places network.")

    def link(self):
        return reverse("network:meetings")

    def feed_guid(self):
        return tag_uri("meetings")

    def item_guid(self, item):
        return tag_uri(f"meeting:{item.pk}")

    def item_author_name(self, item):
        return item.organizer.name if item.organizer else settings.SITE_NAME

    def items(self):
        latest_first = F("published_at").desc(nulls_last=True)
        return feed_meetings().order_by(latest_first, "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return marked_title(item)

    def item_description(self, item):
        # Atom readers take the summary as HTML: the text is escaped, its paragraphs kept.
        when = timezone.localtime(item.start, HELSINKI)
        parts = [f"{when:%d.%m.%Y %H:%M}", location_text(item), item.description]
        return linebreaks("\n\n".join(part for part in parts if part), autoescape=True)

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(region) for region in item.regions.all()]


def helsinki_vtimezone():
    """Europe/Helsinki as RFC 5545 rules rather than a list of dated transitions, which some
    clients (ical.js in Thunderbird and FullCalendar) misread. The EU rule since 1996: summer
    time from the last Sunday of March at 03:00 local (01:00 UTC), back on the last Sunday of
    October at 04:00 local summer time (01:00 UTC)."""
    daylight = TimezoneDaylight()
    daylight.add("dtstart", datetime(1997, 3, 30, 3, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    daylight.add("tzoffsetfrom", timedelta(hours=2))
    daylight.add("tzoffsetto", timedelta(hours=3))
    daylight.add("tzname", "EEST")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1996, 10, 27, 4, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    standard.add("tzoffsetfrom", timedelta(hours=3))
    standard.add("tzoffsetto", timedelta(hours=2))
    standard.add("tzname", "EET")
    timezone_component = Timezone()
    timezone_component.add("tzid", "Europe/Helsinki")
    timezone_component.add_component(standard)
    timezone_component.add_component(daylight)
    return timezone_component


def calendar_uid(meeting):
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def calendar_event(meeting, request):
    event = Event()
    event.add("uid", calendar_uid(meeting))
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.start.astimezone(HELSINKI))
    event.add("dtend", meeting.end.astimezone(HELSINKI))
    event.add("summary", marked_title(meeting))
    event.add("status", ICAL_STATUS[meeting.status])
    # The sequence must grow with every change: seconds from creation to the last update do,
    # and stay well within the 32-bit integer that calendar clients read.
    event.add("sequence", int((meeting.updated_at - meeting.created_at).total_seconds()))
    event.add("last-modified", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
    event.add("location", location_text(meeting))
    event.add("categories", [meeting.get_kind_display()])
    description = [meeting.description]
    if meeting.registration_url:
        description.append(_("Registration: %(url)s") % {"url": meeting.registration_url})
    if meeting.online_url:
        description.append(_("Online: %(url)s") % {"url": meeting.online_url})
    event.add("description", "\n\n".join(part for part in description if part))
    if meeting.venue and meeting.venue.has_location and not meeting.venue.address_hidden:
        event.add("geo", (float(meeting.venue.latitude), float(meeting.venue.longitude)))
    return event


@require_safe
def meetings_ics(request):
    """The public meetings as iCalendar; ``?region=13`` for one region's meetings."""
    meetings = feed_meetings().filter(end__gte=timezone.now() - CALENDAR_HISTORY)
    name = _("Network meetings")
    form = CalendarForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            " ".join(form.errors["region"]), content_type="text/plain; charset=utf-8"
        )
    region = form.cleaned_data["region"]
    if region is not None:
        meetings = meetings.in_region(region.code)
        name = f"{name} – {region}"

    response = HttpResponse(
        ical_chunks(request, name, meetings.order_by("start", "pk")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


def ical_chunks(request, name, meetings):
    """The calendar's text a piece at a time: its head (properties and time zone), each event
    from CALENDAR_CHUNK meetings read at a time, its end. The same bytes as one Calendar's
    to_ical(), without holding every event's components at once."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Network meetings//FI")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    calendar.add_component(helsinki_vtimezone())
    whole = calendar.to_ical().decode()
    head, end = whole.removesuffix(CALENDAR_END), CALENDAR_END
    # Text stored before normalisation may still hold control characters, which RFC 5545
    # forbids; normalising is per character, so it can go event by event.
    yield normalise_text(head, multiline=False)
    for meeting in meetings.iterator(chunk_size=CALENDAR_CHUNK):
        event = calendar_event(meeting, request).to_ical().decode()
        yield normalise_text(event, multiline=False)
    yield end


# The notice board ---------------------------------------------------------------------------


class ListingFeed(StableAtomFeed):
    """New listings on the board, all or of one region (``?region=13``)."""

    subtitle = gettext_lazy("Needs and offers of the meeting places network.")

    def __call__(self, request, *args, **kwargs):
        region_code = request.GET.get("region")
        if region_code is not None and not Region.objects.filter(code=region_code).exists():
            return HttpResponseBadRequest(
                _("Unknown region “%(code)s”. Use a two-digit region code, such as 13.")
                % {"code": region_code[:10]},
                content_type="text/plain; charset=utf-8",
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        region_code = request.GET.get("region")
        return Region.objects.get(code=region_code) if region_code else None

    def title(self, region):
        title = _("Notice board – Kohtaamispaikat")
        return f"{title}: {region}" if region else title

    def link(self, region):
        url = reverse("network:board")
        return f"{url}?region={region.code}" if region else url

    def feed_guid(self, region):
        return tag_uri(f"board:{region.code}" if region else "board")

    def item_guid(self, item):
        return tag_uri(f"listing:{item.pk}")

    def item_author_name(self, item):
        # The organisation when the listing names one, else the contact person the listing
        # page shows; never the e-mail address.
        return item.organization.name if item.organization else item.contact_name

    def items(self, region):
        listings = (
            Listing.objects.on_board()
            .select_related("organization")
            .prefetch_related("municipalities")
        )
        if region is not None:
            listings = listings.in_regions([region])
        return listings.order_by("-approved_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.get_kind_display().capitalize()}: {item.title}"

    def item_description(self, item):
        # Readers take the summary as HTML: the text is escaped, its paragraphs kept.
        return linebreaks(item.text, autoescape=True)

    def item_pubdate(self, item):
        return item.approved_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(item.get_kind_display()), *(str(m) for m in item.municipalities.all())]
