"""One rule for public holidays in the CSV import and the admin (#14): hours that say nothing of
them are closed on public holidays, and the preview says how each row's hours were read."""

import io

import pytest

from places.csv_io import import_places, write_places_csv
from places.models import Place
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HEADER = "name,organization,municipality,street_address,postal_code,postal_town,opening_hours\n"


def row(organization, hours):
    return f"Olohuone,{organization.slug},Jyväskylä,Kauppakatu 1,40100,Jyväskylä,{hours}\n"


def test_hours_without_ph_are_closed_on_public_holidays_as_in_the_admin():
    organization = OrganizationFactory()
    report = import_places(HEADER + row(organization, "Mo-Fr 09:00-16:00"))
    assert report.ok
    assert Place.objects.get().closed_on_public_holidays
    assert Place._meta.get_field("closed_on_public_holidays").default is True


def test_the_preview_reads_each_rows_hours_in_words_holidays_included(settings):
    settings.LANGUAGE_CODE = "fi"
    organization = OrganizationFactory()
    report = import_places(HEADER + row(organization, "Mo-Fr 09:00-16:00"), dry_run=True)
    assert report.rows[0].hours == "ma–pe 9–16, suljettu juhlapyhinä"
    open_on_holidays = import_places(
        HEADER + row(organization, "Mo-Fr 09:00-16:00; PH Mo-Fr 09:00-16:00"), dry_run=True
    )
    assert open_on_holidays.rows[0].hours == "ma–pe 9–16, juhlapyhinä auki kuten muinakin päivinä"


def test_a_place_open_on_public_holidays_stays_open_through_export_and_import():
    organization = OrganizationFactory()
    import_places(HEADER + row(organization, "Mo-Fr 09:00-16:00; PH Mo-Fr 09:00-16:00"))
    place = Place.objects.get()
    assert not place.closed_on_public_holidays
    stream = io.StringIO()
    write_places_csv(Place.objects.all(), stream)
    exported = stream.getvalue()
    assert "PH Mo-Fr 09:00-16:00" in exported
    Place.objects.all().delete()
    assert import_places(exported).ok
    assert not Place.objects.get().closed_on_public_holidays
