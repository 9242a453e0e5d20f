"""A backup keeps the change history and the admin log: after export → empty database →
import, every table holds the same rows, and an edit made before the backup can be undone."""

import hashlib
import io
import json
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from reversion.models import Revision, Version

from kohtaamispaikat.core import backup
from kohtaamispaikat.core.history import record_versions, restore, versions_of
from places.models import Audience, Place
from tests.factories import UserFactory
from tests.security.test_backup import content  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

# Not content: sign-in records, sessions, the page cache's counter (bumped by an import), and
# the record of reminders sent (at worst someone is reminded again after a restore).
NOT_IN_A_BACKUP = {
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessAttemptExpiration",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "kohtaamispaikat.DataVersion",
    "places.Reminder",
}


def every_table():
    """Every row of every table (many-to-many tables too), comparable across loads."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in NOT_IN_A_BACKUP:
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        ordering = [name for name in columns if name != "id"] if model is Audience else ["pk"]
        values = model.objects.order_by(*ordering).values_list(*columns)
        if model is Audience:  # matched by slug: its key may differ after an import
            values = [row[1:] for row in values]
        elif model._meta.auto_created:
            values = sorted(row[1:] for row in values)
        rows[model._meta.label] = [list(map(str, row)) for row in values]
    return rows


def content_hash(rows):
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def export(*args):
    out = io.StringIO()
    call_command("export_data", *args, stdout=out)
    return out.getvalue()


def import_(text, tmp_path, *args):
    path = tmp_path / "backup.json"
    path.write_text(text, encoding="utf-8")
    call_command("import_data", str(path), *args, stdout=io.StringIO())


@pytest.fixture
def history(content):  # noqa: F811
    """An edit recorded as the admin records it: the state before, the edit, the log entry."""
    editor = UserFactory(username="muokkaaja", is_staff=True, is_superuser=True)
    record_versions([content], comment="The state before the first recorded change.")
    content.name = "Väärin muokattu nimi"
    content.save()
    record_versions([content], user=editor, comment="Changed Name.")
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Place),
        object_id=str(content.pk),
        object_repr=str(content),
        action_flag=CHANGE,
        change_message="Changed Name.",
    )
    return content


def empty_the_database():
    backup.delete_content()
    assert not Place.objects.exists()
    assert not Version.objects.exists() and not LogEntry.objects.exists()


def test_a_round_trip_keeps_every_table_history_included(history, tmp_path):
    before = every_table()
    assert before["reversion.Version"] and before["reversion.Revision"]
    assert before["admin.LogEntry"]
    exported = export()

    empty_the_database()
    import_(exported, tmp_path)

    after = every_table()
    for label in before:
        assert after[label] == before[label], label
    assert content_hash(after) == content_hash(before)


def test_a_restored_history_still_undoes_an_edit_made_before_the_backup(history, tmp_path):
    exported = export()
    empty_the_database()
    import_(exported, tmp_path)

    place = Place.objects.get(pk=history.pk)
    assert place.name == "Väärin muokattu nimi"
    newest, before_the_edit = versions_of(place)
    assert newest.revision.user.username == "muokkaaja"
    restore(before_the_edit, place)
    place.refresh_from_db()
    assert place.name == "Olohuone <Ä & Ö>"
    assert {a.slug for a in place.audiences.all()} == {"lapsiperheet", "kylayhdistykset"}


def test_a_renumbered_audience_is_followed_in_the_history(history, tmp_path):
    exported = export()
    empty_the_database()
    # A freshly migrated database has no such audience: the import gives it a new key.
    Audience.objects.filter(slug="kylayhdistykset").delete()
    Audience.objects.create(slug="valiaikainen", name_fi="Väliaikainen")
    import_(exported, tmp_path)

    place = Place.objects.get(pk=history.pk)
    restore(versions_of(place)[1], place)
    assert {a.slug for a in place.audiences.all()} == {"lapsiperheet", "kylayhdistykset"}


def test_without_history_the_backup_is_content_only(history, tmp_path):
    document = json.loads(export("--without-history"))
    assert document["version"] == 2 and document["history"] is False
    labels = {item["model"] for item in document["objects"]}
    assert not labels & {"reversion.revision", "reversion.version", "admin.logentry"}
    empty_the_database()
    import_(json.dumps(document), tmp_path)
    assert Place.objects.get(pk=history.pk).name == "Väärin muokattu nimi"
    assert not Revision.objects.exists()


def test_a_format_1_backup_still_imports(history, tmp_path):
    document = json.loads(export("--without-history"))
    document["version"] = 1
    del document["history"]
    document["objects"] = [
        o for o in document["objects"] if o["model"] != "kohtaamispaikat.userprofile"
    ]
    empty_the_database()
    import_(json.dumps(document), tmp_path)
    assert Place.objects.filter(pk=history.pk).exists()


def test_the_site_is_in_maintenance_while_a_restore_runs(history, tmp_path):
    exported = export()
    empty_the_database()
    visitor = Client()
    seen = []
    real_save = backup._save

    def save_and_look(item, matched_keys):
        if not seen:
            seen.append(visitor.get("/places/"))
            seen.append(visitor.get("/healthz"))
        return real_save(item, matched_keys)

    with mock.patch.object(backup, "_save", save_and_look):
        import_(exported, tmp_path)

    page, health = seen
    assert page.status_code == 503
    assert page["Retry-After"].isdigit()
    assert health.status_code == 503
    assert json.loads(health.content)["status"] == "maintenance"
    assert visitor.get("/places/").status_code == 200


def test_a_failed_restore_ends_the_maintenance_break(db, tmp_path):
    with pytest.raises(Exception, match="Nothing was imported"):
        import_('{"format": "kohtaamispaikat-content", "version": 2, "objects": [{}]}', tmp_path)
    assert Client().get("/places/").status_code == 200
