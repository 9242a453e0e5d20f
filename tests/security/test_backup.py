"""export_data and import_data: a round trip recreates every row, and nothing half-loads."""

import datetime as dt
import io
import json
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.core.serializers.base import DeserializedObject

from kohtaamispaikat.core.backup import content_models
from places.models import Audience, Place
from tests.factories import (
    FollowUpFactory,
    HoursExceptionFactory,
    OutcomeFactory,
    PlaceFactory,
    UserFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
    organisation_staff,
    regional_coordinator,
)


def snapshot():
    """Every row of accounts and content, with many-to-many links, comparable across loads."""
    rows = {}
    for model in [Group, get_user_model(), *content_models()]:
        rows[model._meta.label] = list(model.objects.order_by("pk").values())
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            columns = [f.attname for f in through._meta.fields if not f.primary_key]
            rows[through._meta.label] = sorted(through.objects.values_list(*columns))
    rows["places.Audience"] = sorted(
        (row for row in rows["places.Audience"]), key=lambda row: row["slug"]
    )
    for row in rows["places.Audience"]:
        del row["id"]
    return rows


def empty_the_database():
    for model in reversed(content_models()):
        if model is not Audience:
            model.objects.all().delete()
    get_user_model().objects.all().delete()


def export():
    out = io.StringIO()
    call_command("export_data", stdout=out)
    return out.getvalue()


def import_(text, tmp_path, *args):
    path = tmp_path / "backup.json"
    path.write_text(text, encoding="utf-8")
    call_command("import_data", str(path), *args, stdout=io.StringIO())


@pytest.fixture
def content(db):
    """Some of everything, with the odd values a backup must keep exact."""
    families = audience("lapsiperheet")
    families.name_en = "Families (edited)"
    families.save()
    own_audience = Audience.objects.create(
        slug="kylayhdistykset", name_fi="Kyläläiset", name_sv="Byborna", name_en="Villagers"
    )
    Audience.objects.filter(slug="kesaasukkaat").delete()
    place = PlaceFactory(
        name="Olohuone <Ä & Ö>",
        description="Monirivinen\nkuvaus ”lainausmerkein” 😀",
        audiences=[families, own_audience],
        languages=["fi", "sv"],
        amenities=["coffee"],
        latitude="62.241234",
        longitude="25.747654",
    )
    PlaceFactory(municipality=municipality("091"), latitude=None, longitude=None)
    WeeklyHoursFactory(place=place, weekday=5, opens=dt.time(22, 0), closes=dt.time(2, 30))
    WeeklyHoursFactory(
        place=place,
        weekday=1,
        valid_from=dt.date(2026, 6, 1),
        valid_until=dt.date(2026, 8, 31),
    )
    HoursExceptionFactory(place=place, closed=False, opens=dt.time(10), closes=dt.time(12))
    staff = organisation_staff(place.organization, username="jasen", first_name="Jäsen")
    staff.set_password("a long and unusual passphrase")
    staff.save()
    regional_coordinator("13", username="koordinaattori")
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    FollowUpFactory(outcome=OutcomeFactory(meeting__venue=place, themes="Teemat"))
    return place


def test_round_trip_restores_every_row_identically(content, tmp_path):
    exported = export()
    before = snapshot()
    assert before["places.Place"] and before["network.FollowUp"]

    empty_the_database()
    assert not Place.objects.exists()
    import_(exported, tmp_path)

    assert snapshot() == before
    again = json.loads(export())
    first = json.loads(exported)
    assert again["objects"] == first["objects"]


def test_restored_accounts_sign_in_with_their_old_passwords(content, tmp_path):
    exported = export()
    empty_the_database()
    import_(exported, tmp_path)

    staff = get_user_model().objects.get(username="jasen")
    assert staff.check_password("a long and unusual passphrase")
    assert list(staff.groups.values_list("name", flat=True)) == ["Organisation staff"]
    assert staff.organizations.get() == content.organization


def test_import_refuses_a_database_with_content(content, tmp_path):
    exported = export()
    content.name = "Changed after the export"
    content.save()

    with pytest.raises(CommandError, match="already has accounts or content"):
        import_(exported, tmp_path)
    assert Place.objects.get(pk=content.pk).name == "Changed after the export"


def test_import_with_replace_puts_back_the_exported_state(content, tmp_path):
    exported = export()
    before = snapshot()
    content.name = "Changed after the export"
    content.save()
    PlaceFactory(name="Added after the export")
    UserFactory(username="newcomer")

    import_(exported, tmp_path, "--replace")

    assert snapshot() == before


def test_a_failure_midway_leaves_the_database_as_it_was(content, tmp_path):
    exported = export()
    content.name = "Current state"
    content.save()
    before = snapshot()
    real_save = DeserializedObject.save
    saved = []

    def save_then_fail(self, *args, **kwargs):
        saved.append(self.object)
        if len(saved) == 20:
            raise ValueError("disk full")
        return real_save(self, *args, **kwargs)

    with (
        mock.patch.object(DeserializedObject, "save", save_then_fail),
        pytest.raises(CommandError, match="disk full"),
    ):
        import_(exported, tmp_path, "--replace")

    assert len(saved) == 20
    assert snapshot() == before


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "not a JSON document"),
        ('{"objects": []}', "not a Kohtaamispaikat content export"),
        ('{"format": "kohtaamispaikat-content", "version": 99}', "format version 99"),
        (
            '{"format": "kohtaamispaikat-content", "version": 1, "objects": '
            '[{"model": "places.place", "pk": 1, "fields": {"organization": 999}}]}',
            "Nothing was imported",
        ),
    ],
)
def test_a_broken_file_is_refused_with_nothing_imported(db, tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        import_(text, tmp_path)
    assert not Place.objects.exists()
