"""Writes that meet other writes: every save counts on from the count in the database, a CSV
import never writes over a place saved while it was being prepared, and bulk actions lock the
rows they save over."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

import network.publishing
import places.csv_io.plan
from kohtaamispaikat.core.history import versions_of
from network.models import Meeting
from places.csv_io import import_places
from places.models import Place
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    PlaceFactory,
    municipality,
    regional_coordinator,
)
from tests.security.forms import admin_form_data, signed_in, single

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

CSV_HEADER = "name,organization,municipality,street_address,postal_code,postal_town\n"
# Seconds a write, paused inside its transaction, gives another write to get in; a row lock
# keeps the other one waiting longer.
OTHER_WRITE_TIMEOUT = 1


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def coordinator():
    return regional_coordinator("13", username="kaisa")


def import_row(place, street_address):
    return (
        f"{place.name},{place.organization.slug},{place.municipality.name_fi},"
        f"{street_address},40100,Jyväskylä\n"
    )


def before_the_import_writes(monkeypatch, other_write):
    """Run ``other_write`` once the import has planned its rows and before it writes them."""
    write = places.csv_io.plan._PlaceImport._write

    def write_after_other(self, planned):
        other_write()
        return write(self, planned)

    monkeypatch.setattr(places.csv_io.plan._PlaceImport, "_write", write_after_other)


def while_writing(monkeypatch, module, other_write):
    """Run ``other_write`` where ``module`` first records baselines: inside the write's
    transaction, with the rows read."""
    record_baselines = module.record_baselines
    pending = [other_write]

    def record_baselines_after_other(objects):
        if pending:
            pending.pop()()
        return record_baselines(objects)

    monkeypatch.setattr(module, "record_baselines", record_baselines_after_other)


class OpenForm:
    """A change form opened in someone's browser: read once, posted later."""

    def __init__(self, user, obj):
        self.client = signed_in(user)
        self.model_name = obj._meta.model_name
        self.url = reverse(f"admin:{obj._meta.app_label}_{self.model_name}_change", args=[obj.pk])
        self.data = admin_form_data(self.client.get(self.url), self.model_name)

    def save(self, **changes):
        return self.client.post(self.url, single(self.data, **changes))


class InAnotherThread:
    """Called, posts an open form from another thread (so another database connection) and
    waits for it at most OTHER_WRITE_TIMEOUT seconds; ``finish`` waits for its answer."""

    def __init__(self, form, **changes):
        self.form = form
        self.changes = changes
        self.status_code = None
        self.thread = threading.Thread(target=self._post)

    def _post(self):
        try:
            self.status_code = self.form.save(**self.changes).status_code
        finally:
            connections.close_all()

    def __call__(self):
        self.thread.start()
        self.thread.join(OTHER_WRITE_TIMEOUT)

    def finish(self):
        self.thread.join()
        return self.status_code


# Every save counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [PlaceFactory, MeetingFactory], ids=["place", "meeting"])
@pytest.mark.parametrize("update_fields", [None, ["updated_at"]], ids=["save", "update_fields"])
def test_a_save_from_an_instance_loaded_before_another_save_counts_past_it(factory, update_fields):
    model = factory._meta.model
    loaded_before = model.objects.get(pk=factory().pk)
    model.objects.get(pk=loaded_before.pk).save()

    loaded_before.save(update_fields=update_fields)

    assert loaded_before.edit_count == 2
    assert model.objects.get(pk=loaded_before.pk).edit_count == 2


def test_a_save_never_counts_back_to_an_older_count_written_back_by_a_restore():
    place = PlaceFactory()
    place.save()
    place.save()
    Place.objects.filter(pk=place.pk).update(edit_count=0)  # as reverting the first version does

    place.save()

    assert place.edit_count == 3
    assert Place.objects.get(pk=place.pk).edit_count == 3


def test_publishing_counts_past_a_save_made_after_the_meetings_were_listed(
    monkeypatch, coordinator
):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, regions=[municipality("179").region])
    while_writing(monkeypatch, network.publishing, lambda: Meeting.objects.get(pk=draft.pk).save())

    signed_in(coordinator).post(
        reverse("admin:network_meeting_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    draft.refresh_from_db()
    assert (draft.status, draft.edit_count) == (Meeting.Status.PUBLISHED, 2)
    assert versions_of(draft).first().field_dict["edit_count"] == 2


# The CSV import ------------------------------------------------------------------------------


def test_an_import_writes_nothing_over_a_place_saved_while_it_was_prepared(
    monkeypatch, organization
):
    place = PlaceFactory(organization=organization, street_address="Vanha katu 1")
    new_place = PlaceFactory.build(organization=organization, name="Uusi paikka")

    def admin_save():
        saved = Place.objects.get(pk=place.pk)
        saved.description = "Muutettu ylläpidossa"
        saved.save()

    before_the_import_writes(monkeypatch, admin_save)

    report = import_places(
        CSV_HEADER + import_row(place, "Uusi katu 1") + import_row(new_place, "Katu 2")
    )

    assert [problem.message for problem in report.problems] == [
        f"Nothing was imported: “{place.name}” was saved by someone else while the import "
        "was being prepared. Run the import again to see the changes."
    ]
    assert report.rows == []
    place.refresh_from_db()
    assert (place.street_address, place.description) == ("Vanha katu 1", "Muutettu ylläpidossa")
    assert place.edit_count == 1
    assert not versions_of(place).exists()
    assert not Place.objects.filter(name="Uusi paikka").exists()


def test_places_saved_or_deleted_while_an_import_was_prepared_are_counted(
    monkeypatch, organization
):
    saved, deleted, untouched = PlaceFactory.create_batch(3, organization=organization)

    def other_writes():
        Place.objects.get(pk=saved.pk).save()
        Place.objects.filter(pk=deleted.pk).delete()

    before_the_import_writes(monkeypatch, other_writes)

    report = import_places(
        CSV_HEADER
        + "".join(import_row(place, "Uusi katu 1") for place in (saved, deleted, untouched))
    )

    assert report.problems[0].message.startswith(
        "Nothing was imported: these meeting places were saved by someone else while the "
        f"import was being prepared: {', '.join(sorted([saved.name, deleted.name]))}."
    )
    assert Place.objects.get(pk=untouched.pk).street_address == untouched.street_address


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_admin_save_waits_for_an_import_writing_the_same_place(
    monkeypatch, organization, coordinator
):
    place = PlaceFactory(
        organization=organization, street_address="Vanha katu 1", description="Ennen"
    )
    admin_save = InAnotherThread(OpenForm(coordinator, place), description="Ylläpidosta")
    while_writing(monkeypatch, places.csv_io.plan, admin_save)

    report = import_places(CSV_HEADER + import_row(place, "Uusi katu 1"))

    assert report.ok
    # Let in once the import had committed, the form opened before it was stale.
    assert admin_save.finish() == 200
    place.refresh_from_db()
    assert (place.street_address, place.description) == ("Uusi katu 1", "Ennen")
    assert place.edit_count == 1


# Bulk actions --------------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_admin_save_waits_for_the_publish_action_on_the_same_meeting(monkeypatch, coordinator):
    draft = MeetingFactory(
        title="Luonnos", status=Meeting.Status.DRAFT, regions=[municipality("179").region]
    )
    admin_save = InAnotherThread(OpenForm(coordinator, draft), title="Uusi otsikko")
    while_writing(monkeypatch, network.publishing, admin_save)

    signed_in(coordinator).post(
        reverse("admin:network_meeting_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    assert admin_save.finish() == 200
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Luonnos", Meeting.Status.PUBLISHED)
    assert versions_of(draft).first().field_dict["title"] == draft.title
