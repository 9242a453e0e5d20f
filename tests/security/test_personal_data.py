"""Personal data (PRIVACY.md): one person's data exported and erased by a site admin, history
pseudonymised rather than broken, and rejected listings expired after the retention period."""

import datetime as dt
import json

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from kohtaamispaikat.core.history import record_versions, restore, versions_of
from kohtaamispaikat.core.personal_data import months_before, pseudonym
from network.models import Coordinator, Listing
from places.models import Place
from tests.factories import (
    CoordinatorFactory,
    ListingFactory,
    PlaceFactory,
    UserFactory,
    organisation_staff,
)

pytestmark = pytest.mark.django_db

URL = "/en/admin/auth/user/personal-data/"
EMAIL = "Liisa.Lahtinen@example.org"


@pytest.fixture
def liisa():
    """Liisa is a staff member, a place's contact person, a coordinator and a poster."""
    place = PlaceFactory(contact_name="Liisa Lahtinen", email="liisa.lahtinen@example.org")
    user = organisation_staff(place.organization, username="liisa", first_name="Liisa", email=EMAIL)
    record_versions([place], user=user, comment="Added the contact person.")
    place.phone = "040 111 2222"
    place.save()
    record_versions([place], user=user, comment="Changed Phone.")
    coordinator = CoordinatorFactory(name="Liisa Lahtinen", email=EMAIL, phone="040 111 2222")
    record_versions([coordinator], user=user)
    listing = ListingFactory(contact_name="Liisa L.", contact_email=EMAIL)
    other = PlaceFactory(contact_name="Matti Muu", email="matti@example.org")
    return {
        "user": user,
        "place": place,
        "coordinator": coordinator,
        "listing": listing,
        "other": other,
    }


@pytest.fixture
def site_admin_client(client):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    return client


def test_a_site_admin_finds_and_downloads_one_persons_data(site_admin_client, liisa):
    page = site_admin_client.get(URL, {"email": "liisa.lahtinen@EXAMPLE.org"}).content.decode()
    assert "Liisa Lahtinen" in page and "liisa" in page
    assert "Matti" not in page

    response = site_admin_client.post(URL, {"email": EMAIL, "action": "export"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    assert [account["username"] for account in document["accounts"]] == ["liisa"]
    assert "password" not in json.dumps(document)
    kinds = sorted(record["model"] for record in document["records"])
    assert kinds == ["network.Coordinator", "network.Listing", "places.Place"]
    place = next(r for r in document["records"] if r["model"] == "places.Place")
    assert place["fields"] == {
        "contact_name": "Liisa Lahtinen",
        "phone": "040 111 2222",
        "email": "liisa.lahtinen@example.org",
    }


def test_the_user_list_links_to_the_page(site_admin_client):
    page = site_admin_client.get("/en/admin/auth/user/").content.decode()
    assert f'href="{URL}"' in page


def test_erasing_pseudonymises_the_person_and_keeps_the_history_whole(site_admin_client, liisa):
    response = site_admin_client.post(URL, {"email": EMAIL, "action": "erase", "confirm": "on"})
    assert response.status_code == 302

    alias = pseudonym(EMAIL)
    place = Place.objects.get(pk=liisa["place"].pk)
    assert (place.contact_name, place.phone, place.email) == ("", "", "")
    coordinator = Coordinator.objects.get(pk=liisa["coordinator"].pk)
    assert coordinator.name == alias and coordinator.email == "" and coordinator.phone == ""
    listing = Listing.objects.get(pk=liisa["listing"].pk)
    assert (listing.contact_name, listing.contact_email) == (alias, f"{alias}@erased.invalid")
    user = get_user_model().objects.get(pk=liisa["user"].pk)
    assert (user.username, user.email, user.first_name) == (alias, "", "")
    assert not user.is_active and not user.has_usable_password()
    assert not user.organizations.exists()
    # Nothing of her is left in the recorded versions, which still load and revert.
    versions = versions_of(place)
    assert len(versions) == 2
    assert all(v.revision.user_id == user.pk for v in versions)
    for version in versions:
        assert "Liisa" not in version.serialized_data
        assert "liisa.lahtinen" not in version.serialized_data.lower()
        assert "040 111 2222" not in version.serialized_data
    restore(versions.last(), place)
    place.refresh_from_db()
    assert place.contact_name == ""
    assert "Liisa" not in versions_of(coordinator).get().serialized_data
    # Someone else's data is untouched.
    assert Place.objects.get(pk=liisa["other"].pk).contact_name == "Matti Muu"


def test_erasing_needs_the_confirmation(site_admin_client, liisa):
    response = site_admin_client.post(URL, {"email": EMAIL, "action": "erase"})
    assert response.status_code == 400
    assert get_user_model().objects.get(pk=liisa["user"].pk).username == "liisa"


def test_only_site_admins_may_open_the_page(client, liisa):
    client.force_login(liisa["user"])
    assert client.get(URL, {"email": EMAIL}).status_code == 403
    assert client.post(URL, {"email": EMAIL, "action": "export"}).status_code == 403


def test_a_bad_address_gets_a_message(site_admin_client):
    response = site_admin_client.get(URL, {"email": "ei osoite"})
    assert response.status_code == 200
    assert "valid email" in response.content.decode()


def test_listings_and_sign_in_records_expire_after_the_retention_period(settings, capsys):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    settings.SIGN_IN_RECORDS_RETENTION_DAYS = 90
    old = ListingFactory(status=Listing.Status.REJECTED)
    recent = ListingFactory(status=Listing.Status.REJECTED)
    approved = ListingFactory()
    ListingFactory(valid_until=timezone.localdate() - dt.timedelta(days=400))
    record_versions([old])
    long_ago = timezone.now() - dt.timedelta(days=400)
    Listing.objects.filter(pk__in=[old.pk, approved.pk]).update(updated_at=long_ago)
    stale = AccessFailureLog.objects.create(username="liisa", ip_address="192.0.2.1")
    AccessFailureLog.objects.filter(pk=stale.pk).update(attempt_time=long_ago)
    AccessFailureLog.objects.create(username="liisa", ip_address="192.0.2.2")

    call_command("expire_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert (
        out.startswith("Would delete")
        and "2 network.Listing" in out
        and "1 axes.AccessFailureLog" in out
    )
    assert Listing.objects.filter(pk=old.pk).exists()

    call_command("expire_personal_data")
    out = capsys.readouterr().out
    assert out.startswith("Deleted") and "2 network.Listing" in out
    assert set(Listing.objects.values_list("pk", flat=True)) == {recent.pk, approved.pk}
    assert not versions_of(old).exists()
    assert list(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["192.0.2.2"]


def test_months_before_counts_calendar_months():
    moment = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
    assert months_before(moment, 1) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    assert months_before(moment, 12) == dt.datetime(2025, 3, 31, 12, tzinfo=dt.UTC)
    assert months_before(moment, 15) == dt.datetime(2024, 12, 31, 12, tzinfo=dt.UTC)
