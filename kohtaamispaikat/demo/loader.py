"""Replace the demo content of the database in one transaction.

Demo content is everything owned by an organisation whose slug starts with ``demo-``: its
places (with their hours, exceptions and audiences), the coordinators it employs, the
meetings it organises, its notice-board listings and good practices (and the listings sent
without an organisation by demo people: kohtaamispaikat.demo.board). Other content is left
alone, and new slugs avoid the ones it uses.
"""

import random
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from kohtaamispaikat.core.cache import bump_data_version
from kohtaamispaikat.demo.accounts import save_demo_users
from kohtaamispaikat.demo.board import BoardBuilder, demo_listings, demo_practices
from kohtaamispaikat.demo.common import DEMO_SLUG_PREFIX, Calendar, Organisations
from kohtaamispaikat.demo.impact import (
    build_feedback,
    build_surveys,
    build_visits,
    remove_demo_surveys,
)
from kohtaamispaikat.demo.network import NetworkBuilder
from kohtaamispaikat.demo.places import (
    STAFF_ORGANISATION,
    STAFF_ORGANISATION_TOWN,
    PlaceBuilder,
)
from kohtaamispaikat.demo.towns import build_towns
from network.models import (
    Coordinator,
    FollowUp,
    GoodPractice,
    Listing,
    Meeting,
    Outcome,
    SurveyAnswer,
    SurveyResponse,
)
from places.hours import HELSINKI
from places.models import (
    Audience,
    AudienceVisitCount,
    Feedback,
    HoursException,
    Municipality,
    Organization,
    Place,
    VisitCount,
    WeeklyHours,
)

BATCH_SIZE = 1000


@dataclass
class LoadResult:
    counts: dict = field(default_factory=dict)
    skipped_usernames: list = field(default_factory=list)


def demo_organisations():
    return Organization.objects.filter(slug__startswith=DEMO_SLUG_PREFIX)


def remove_demo_content():
    organisations = demo_organisations()
    places = Place.objects.filter(organization__in=organisations)
    # Children first, and primary keys only: with signal receivers listening (the page cache
    # does), the deletion collector loads every row it deletes.
    WeeklyHours.objects.filter(place__in=places).only("pk").delete()
    AudienceVisitCount.objects.filter(visit_count__place__in=places).only("pk").delete()
    VisitCount.objects.filter(place__in=places).only("pk").delete()
    Feedback.objects.filter(place__in=places).only("pk").delete()
    SurveyAnswer.objects.filter(response__place__in=places).only("pk").delete()
    SurveyResponse.objects.filter(place__in=places).only("pk").delete()
    remove_demo_surveys()
    HoursException.objects.filter(place__in=places).only("pk").delete()
    Place.audiences.through.objects.filter(place__in=places).delete()
    demo_listings(organisations).delete()
    demo_practices(organisations).delete()
    Meeting.objects.filter(organizer__in=organisations).only("pk").delete()
    Coordinator.objects.filter(organization__in=organisations).only("pk").delete()
    places.only("pk").delete()
    organisations.only("pk").delete()


def load_demo_data(*, places, meetings, seed, now=None):
    """Replace the demo content with ``places`` places and ``meetings`` meetings generated from
    ``seed`` (the same seed on the same day gives the same content), and refresh the demo
    accounts. All or nothing: on any error the database is left as it was."""
    now = now or timezone.now()
    rng = random.Random(seed)
    with transaction.atomic():
        remove_demo_content()
        municipalities = Municipality.objects.select_related("region").order_by("code")
        towns = build_towns(municipalities)
        organisations = Organisations(rng)
        place_builder = PlaceBuilder(
            rng,
            Calendar(now.astimezone(HELSINKI).date()),
            towns,
            organisations,
            taken_slugs=Place.objects.values_list("slug", flat=True),
        )
        place_builder.register_anchor_organisations()
        planned_places = place_builder.build(places)
        network_builder = NetworkBuilder(
            rng,
            now,
            towns,
            organisations,
            taken_meeting_slugs=Meeting.objects.values_list("slug", flat=True),
        )
        planned_coordinators = network_builder.build_coordinators()
        planned_meetings = network_builder.build_meetings(
            meetings,
            _published_places_by_region(planned_places),
            _coordinators_by_region(planned_coordinators),
        )
        board_builder = BoardBuilder(
            rng,
            now,
            organisations,
            taken_practice_slugs=GoodPractice.objects.values_list("slug", flat=True),
        )
        planned_listings = board_builder.build_listings()
        planned_practices = board_builder.build_practices(planned_meetings)

        # Built in memory first (meetings may add organisers), then saved parents first.
        _insert(Organization, organisations.all())
        _save_places(planned_places)
        _save_coordinators(planned_coordinators)
        _save_meetings(planned_meetings)
        # Visitor figures, feedback and surveys from a generator of their own: the content
        # above stays what the same seed always gave.
        impact_rng = random.Random(f"{seed}-impact")
        today = now.astimezone(HELSINKI).date()
        saved_places = [planned.place for planned in planned_places]
        visits = VisitCount.objects.bulk_create(
            build_visits(impact_rng, saved_places, today), batch_size=BATCH_SIZE
        )
        feedback = Feedback.objects.bulk_create(
            build_feedback(impact_rng, saved_places, today), batch_size=BATCH_SIZE
        )
        surveys = build_surveys(impact_rng, saved_places, today)
        _save_listings(planned_listings)
        _save_practices(planned_practices)

        demo_coordinator = next(p.coordinator for p in planned_coordinators if p.is_demo_user)
        staff_organisation = organisations.find(STAFF_ORGANISATION, STAFF_ORGANISATION_TOWN)
        skipped = save_demo_users(demo_coordinator, staff_organisation)
        # bulk_create sends no signals: count the change once, for the page cache.
        bump_data_version()
    return LoadResult(
        counts={
            "organisations": len(organisations.all()),
            "places": len(planned_places),
            "weekly hours": sum(len(p.weekly_hours) for p in planned_places),
            "exceptions": sum(len(p.exceptions) for p in planned_places),
            "coordinators": len(planned_coordinators),
            "meetings": len(planned_meetings),
            "outcomes": sum(1 for p in planned_meetings if p.outcome),
            "visit counts": len(visits),
            "feedback answers": len(feedback),
            "surveys": len(surveys),
            "listings": len(planned_listings),
            "good practices": len(planned_practices),
        },
        skipped_usernames=skipped,
    )


def _insert(model, objects):
    """Insert many rows, setting their primary keys (needed by the rows that refer to them)."""
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    else:  # SQLite before 3.35 cannot return the keys of a bulk insert
        for instance in objects:
            instance.save(force_insert=True)


def _save_places(planned_places):
    _insert(Place, [planned.place for planned in planned_places])
    WeeklyHours.objects.bulk_create(
        [
            WeeklyHours(place_id=planned.place.pk, **rule)
            for planned in planned_places
            for rule in planned.weekly_hours
        ],
        batch_size=BATCH_SIZE,
    )
    HoursException.objects.bulk_create(
        [
            HoursException(place_id=planned.place.pk, **exception)
            for planned in planned_places
            for exception in planned.exceptions
        ],
        batch_size=BATCH_SIZE,
    )
    audience_ids = dict(Audience.objects.values_list("slug", "pk"))
    through = Place.audiences.through
    through.objects.bulk_create(
        [
            through(place_id=planned.place.pk, audience_id=audience_ids[slug])
            for planned in planned_places
            for slug in planned.audiences
        ],
        batch_size=BATCH_SIZE,
    )


def _save_coordinators(planned_coordinators):
    _insert(Coordinator, [planned.coordinator for planned in planned_coordinators])
    regions = Coordinator.regions.through
    regions.objects.bulk_create(
        [
            regions(coordinator_id=planned.coordinator.pk, region_id=code)
            for planned in planned_coordinators
            for code in planned.regions
        ]
    )
    municipalities = Coordinator.municipalities.through
    municipalities.objects.bulk_create(
        [
            municipalities(coordinator_id=planned.coordinator.pk, municipality_id=code)
            for planned in planned_coordinators
            for code in planned.municipalities
        ]
    )


def _save_meetings(planned_meetings):
    _insert(Meeting, [planned.meeting for planned in planned_meetings])
    regions = Meeting.regions.through
    regions.objects.bulk_create(
        [
            regions(meeting_id=planned.meeting.pk, region_id=code)
            for planned in planned_meetings
            for code in planned.regions
        ],
        batch_size=BATCH_SIZE,
    )
    _insert(Outcome, [planned.outcome for planned in planned_meetings if planned.outcome])
    FollowUp.objects.bulk_create(
        [follow_up for planned in planned_meetings for follow_up in planned.follow_ups],
        batch_size=BATCH_SIZE,
    )


def _save_listings(planned_listings):
    _insert(Listing, [planned.listing for planned in planned_listings])
    audience_ids = dict(Audience.objects.values_list("slug", "pk"))
    municipalities = Listing.municipalities.through
    municipalities.objects.bulk_create(
        [
            municipalities(listing_id=planned.listing.pk, municipality_id=code)
            for planned in planned_listings
            for code in planned.municipalities
        ]
    )
    audiences = Listing.audiences.through
    audiences.objects.bulk_create(
        [
            audiences(listing_id=planned.listing.pk, audience_id=audience_ids[slug])
            for planned in planned_listings
            for slug in planned.audiences
        ]
    )


def _save_practices(planned_practices):
    _insert(GoodPractice, [planned.practice for planned in planned_practices])
    audience_ids = dict(Audience.objects.values_list("slug", "pk"))
    audiences = GoodPractice.audiences.through
    audiences.objects.bulk_create(
        [
            audiences(goodpractice_id=planned.practice.pk, audience_id=audience_ids[slug])
            for planned in planned_practices
            for slug in planned.audiences
        ]
    )
    links = Outcome.practices.through
    links.objects.bulk_create(
        [
            links(outcome_id=outcome.pk, goodpractice_id=planned.practice.pk)
            for planned in planned_practices
            for outcome in planned.outcomes
        ]
    )


def _published_places_by_region(planned_places):
    region_of = dict(Municipality.objects.values_list("code", "region_id"))
    by_region = {}
    for planned in planned_places:
        place = planned.place
        if place.is_published:
            by_region.setdefault(region_of[place.municipality_id], []).append(place)
    return by_region


def _coordinators_by_region(planned_coordinators):
    region_of = dict(Municipality.objects.values_list("code", "region_id"))
    by_region = {}
    for planned in planned_coordinators:
        covered = {*planned.regions, *(region_of[code] for code in planned.municipalities)}
        for code in sorted(covered):
            by_region.setdefault(code, []).append(planned)
    return by_region
