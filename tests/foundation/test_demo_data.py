import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from kohtaamispaikat.demo import loader
from network.models import (
    Coordinator,
    FollowUp,
    GoodPractice,
    Listing,
    Meeting,
    Outcome,
    latest_valid_until,
)
from places.hours import HELSINKI
from places.models import HoursException, Organization, Place, WeeklyHours
from places.roles import (
    ORGANISATION_STAFF_GROUP,
    REGIONAL_COORDINATOR_GROUP,
    coordinated_regions,
    is_regional_coordinator,
    member_organizations,
    place_scope,
)
from places.validators import validate_business_id
from tests.factories import ListingFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db

PLACES = 30
MEETINGS = 12


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(**options):
    stdout, stderr = StringIO(), StringIO()
    call_command(
        "demo_data",
        stdout=stdout,
        stderr=stderr,
        **{"places": PLACES, "meetings": MEETINGS, "seed": 7, **options},
    )
    return stdout.getvalue() + stderr.getvalue()


def demo_places():
    return Place.objects.filter(organization__slug__startswith="demo-")


def fingerprint():
    return (
        list(Organization.objects.order_by("slug").values_list("slug", "name", "business_id")),
        list(
            Place.objects.order_by("slug").values_list(
                "slug", "name", "municipality", "street_address", "description", "latitude"
            )
        ),
        list(
            WeeklyHours.objects.order_by("place__slug", "weekday", "opens").values_list(
                "place__slug", "weekday", "opens", "closes"
            )
        ),
        list(Meeting.objects.order_by("slug").values_list("slug", "status", "start")),
        list(Coordinator.objects.order_by("email", "title").values_list("name", "title")),
    )


def test_the_same_seed_gives_the_same_content_and_another_seed_other_content():
    load(seed=7)
    first = fingerprint()
    load(seed=7)
    assert fingerprint() == first
    load(seed=8)
    assert fingerprint() != first


def test_running_again_replaces_the_demo_content_and_keeps_other_content():
    own_place = PlaceFactory(name="Oma olohuone")
    load()
    counts = (
        demo_places().count(),
        Organization.objects.count(),
        Meeting.objects.count(),
        Coordinator.objects.count(),
        get_user_model().objects.count(),
    )
    load()
    assert (
        demo_places().count(),
        Organization.objects.count(),
        Meeting.objects.count(),
        Coordinator.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert demo_places().count() == PLACES
    assert Place.objects.filter(pk=own_place.pk, name="Oma olohuone").exists()


@pytest.mark.parametrize("count", [0, 1, 17])
def test_places_option_creates_that_many_places_each_with_hours_and_audiences(count):
    load(places=count)
    assert demo_places().count() == count
    assert not demo_places().filter(weekly_hours__isnull=True).exists()
    assert not demo_places().filter(audiences__isnull=True).exists()


def test_every_kind_of_organisation_is_present_and_associations_have_valid_business_ids():
    load()
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert kinds == set(Organization.Kind.values)
    associations = Organization.objects.filter(kind=Organization.Kind.ASSOCIATION)
    for business_id in associations.values_list("business_id", flat=True):
        validate_business_id(business_id)


def test_meetings_in_every_status_and_kind_with_outcomes_only_for_held_meetings():
    load()
    now = dt.datetime.now(tz=HELSINKI)
    assert set(Meeting.objects.values_list("status", flat=True)) == set(Meeting.Status.values)
    assert set(Meeting.objects.values_list("kind", flat=True)) == set(Meeting.Kind.values)
    assert Meeting.objects.filter(start__gt=now).exists()
    assert Meeting.objects.filter(end__lt=now).exists()
    assert Outcome.objects.exists()
    for outcome in Outcome.objects.select_related("meeting"):
        assert outcome.meeting.is_held(now)
    assert not Meeting.objects.public().without_place().exists()


def test_demo_users_have_one_role_each():
    output = load()
    users = {user.username: user for user in get_user_model().objects.all()}

    admin = users["admin"]
    assert admin.is_superuser and admin.check_password("demo-admin-2026")

    coordinator = users["koordinaattori"]
    assert coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.check_password("demo-koordinaattori-2026")
    assert coordinator.groups.filter(name=REGIONAL_COORDINATOR_GROUP).exists()
    assert is_regional_coordinator(coordinator)
    assert "13" in coordinated_regions(coordinator).values_list("code", flat=True)

    staff = users["henkilokunta"]
    assert staff.is_staff and not staff.is_superuser
    assert staff.check_password("demo-henkilokunta-2026")
    assert staff.groups.filter(name=ORGANISATION_STAFF_GROUP).exists()
    (organisation,) = member_organizations(staff)
    own_places = Place.objects.filter(place_scope(staff))
    assert own_places.filter(municipality="179").exists()
    assert set(own_places.values_list("organization", flat=True)) == {organisation.pk}

    assert "admin / demo-admin-2026 / site admin" in output
    assert "koordinaattori / demo-koordinaattori-2026 / regional coordinator" in output
    assert "henkilokunta / demo-henkilokunta-2026 / organisation staff" in output


def test_jyvaskyla_family_places_are_open_on_tuesday_evening():
    load()
    tuesday_evening = dt.datetime(2026, 12, 1, 18, 0, tzinfo=HELSINKI)
    open_places = (
        Place.objects.published()
        .filter(municipality="179", audiences__slug="lapsiperheet")
        .open_at(tuesday_evening)
        .distinct()
    )
    assert open_places.count() >= 3
    for place in open_places:
        assert place.is_open_at(tuesday_evening)
        assert place.weekly_hours.filter(weekday=2, valid_from__isnull=True).exists()


def test_places_cover_the_towns_of_the_journeys_and_many_regions():
    load(places=200)
    municipalities = set(demo_places().values_list("municipality", flat=True))
    assert {"179", "171", "091", "853", "905", "478"} <= municipalities
    assert demo_places().values("municipality__region").distinct().count() >= 15


def test_hours_and_upkeep_vary_like_real_data():
    load(places=200)
    today = dt.date.today()
    rules = WeeklyHours.objects.filter(place__in=demo_places())
    assert rules.filter(weekday=5, opens=dt.time(18), closes=dt.time(0, 30)).exists()
    summer = {"valid_from": dt.date(today.year, 6, 1), "valid_until": dt.date(today.year, 8, 15)}
    assert rules.filter(**summer).exists()
    exceptions = HoursException.objects.filter(place__in=demo_places())
    assert exceptions.filter(closed=True, reason="Joulutauko").exists()
    assert exceptions.filter(closed=True, reason="Juhannus").exists()
    assert exceptions.filter(closed=True, reason__icontains="remont").exists()
    assert exceptions.filter(closed=False).exists()
    assert demo_places().filter(is_published=False).exists()
    assert demo_places().filter(is_published=True).count() > 150
    year_ago = today - dt.timedelta(days=366)
    assert demo_places().filter(last_verified__lt=year_ago).exists()
    assert demo_places().filter(hours_note="").exists()
    assert demo_places().exclude(hours_note="").exists()
    assert demo_places().filter(closed_on_public_holidays=False).exists()


def test_sample_rows_pass_model_validation():
    load(places=60, meetings=20)
    samples = [
        *Organization.objects.all(),
        *demo_places()[:30],
        *WeeklyHours.objects.all()[:60],
        *HoursException.objects.all()[:30],
        *Coordinator.objects.all(),
        *Meeting.objects.all(),
        *Outcome.objects.all(),
        *FollowUp.objects.all(),
    ]
    for instance in samples:
        instance.full_clean()


def test_contact_details_use_the_example_domain():
    load()
    emails = [
        *demo_places().exclude(email="").values_list("email", flat=True),
        *Coordinator.objects.values_list("email", flat=True),
        *get_user_model().objects.values_list("email", flat=True),
    ]
    assert emails and all(email.endswith("@esimerkki.fi") for email in emails)
    urls = [
        *demo_places().exclude(website="").values_list("website", flat=True),
        *Meeting.objects.exclude(online_url="").values_list("online_url", flat=True),
    ]
    assert urls and all(url.startswith("https://esimerkki.fi/") for url in urls)


def test_if_empty_skips_loading_when_places_exist():
    PlaceFactory()
    output = load(if_empty=True)
    assert "already has places" in output
    assert not demo_places().exists()
    assert "Demo logins" not in output


def test_if_empty_loads_an_empty_database_and_prints_the_logins_when_skipping():
    load(if_empty=True)
    assert demo_places().count() == PLACES
    output = load(if_empty=True)
    assert "already has places" in output
    assert "koordinaattori / demo-koordinaattori-2026" in output


def test_a_real_user_with_a_demo_username_is_left_alone():
    real_admin = UserFactory(username="admin", email="yllapito@example.org", is_superuser=True)
    output = load()
    real_admin.refresh_from_db()
    assert real_admin.check_password("correct horse battery staple")
    assert real_admin.email == "yllapito@example.org"
    assert "admin / demo-admin-2026" not in output
    assert 'A user "admin" that is not a demo account exists' in output


def test_a_failure_leaves_the_database_as_it_was(monkeypatch):
    load()
    before = fingerprint()

    def fail(planned_meetings):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_save_meetings", fail)
    with pytest.raises(RuntimeError):
        load(seed=8)
    assert fingerprint() == before


def test_negative_counts_are_refused():
    with pytest.raises(CommandError, match="cannot be negative"):
        load(places=-1)


def test_visits_feedback_and_surveys_fill_the_reports():
    from network.models import Survey, SurveyResponse
    from places.models import Feedback, VisitCount

    output = load()
    assert "visit counts" in output and "surveys" in output
    today = timezone.localdate()
    visits = VisitCount.objects.filter(place__in=demo_places())
    assert visits.values("year", "month").distinct().count() == 24  # two years of months
    july = visits.filter(month=7).aggregate(total=Sum("visits"))["total"]
    october = visits.filter(month=10).aggregate(total=Sum("visits"))["total"]
    assert july < 0.6 * october  # quieter in July
    assert not visits.filter(year=today.year, month__gt=today.month).exists()
    assert Feedback.objects.filter(place__in=demo_places()).count() >= 5
    follow_up = Survey.objects.get(baseline__isnull=False)
    assert follow_up.region_id == "13" and follow_up.baseline.region_id == "13"
    assert follow_up.is_open and follow_up.baseline.status == "closed"
    assert SurveyResponse.objects.filter(survey=follow_up.baseline, status="submitted").exists()
    # Loading again replaces them rather than adding more.
    load()
    assert Survey.objects.count() == 2
    assert VisitCount.objects.filter(place__in=demo_places()).count() == visits.count()


def test_listings_of_every_kind_in_keski_suomi_and_pohjois_savo_some_expired_or_pending():
    load()
    listings = Listing.objects.all()
    for region in ("13", "11"):
        in_region = listings.filter(municipalities__region=region)
        assert set(in_region.values_list("kind", flat=True)) == set(Listing.Kind.values), region
        on_board = in_region.on_board()
        assert on_board.exists() and in_region.filter(status=Listing.Status.PENDING).exists()
        assert (
            in_region.filter(status=Listing.Status.APPROVED)
            .exclude(pk__in=on_board.values("pk"))
            .exists()
        ), f"no expired listing in {region}"
    assert listings.filter(status=Listing.Status.REJECTED).exists()
    assert not listings.filter(valid_until__gt=latest_valid_until()).exists()
    volunteering = listings.filter(kind=Listing.Kind.VOLUNTEERS_WANTED).exclude(volunteer_tasks="")
    assert volunteering.exists()
    # Public submissions come without an organisation; the board's pages work with them.
    assert listings.filter(organization__isnull=True, status=Listing.Status.PENDING).exists()


def test_good_practices_are_linked_from_held_meetings_outcomes():
    load()
    published = GoodPractice.objects.published()
    assert published.count() >= 4
    assert GoodPractice.objects.filter(status=GoodPractice.Status.DRAFT).exists()
    linked = published.filter(outcomes__isnull=False).distinct()
    assert linked.exists()
    for practice in linked:
        for outcome in practice.outcomes.select_related("meeting"):
            assert outcome.meeting.is_held()
            assert practice.region_id in {r.code for r in outcome.meeting.regions.all()}
    assert not GoodPractice.objects.filter(status="draft", outcomes__isnull=False).exists()
    assert "**" not in GoodPractice.objects.first().text_html


def test_running_again_replaces_the_board_and_keeps_other_listings():
    own = ListingFactory(title_fi="Oma ilmoitus", contact_email="oma@example.org")
    load()
    counts = Listing.objects.count(), GoodPractice.objects.count()
    load()
    assert (Listing.objects.count(), GoodPractice.objects.count()) == counts
    assert Listing.objects.filter(pk=own.pk).exists()
