"""Scoping proven: every admin model and kind of admin URL, tried by each role on the rows of
another scope: staff of organisation A on B's rows and B on A's, the coordinator of region 13
on region 01's rows and 01 on 13's, and an anonymous visitor on all of them. Each answer is a
refusal, or a page that does not show the row; no write changes a foreign row.

A model joins the matrix by a row in the worlds below (its name containing FOREIGN); every test
then runs over it."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kohtaamispaikat.core.admin_history import HistoryAdmin
from kohtaamispaikat.core.history import record_versions, versions_of
from places.models import Place, SearchMiss, VisitCount
from tests.factories import (
    ActivityFactory,
    CoordinatorFactory,
    FeedbackFactory,
    FollowUpFactory,
    GoodPracticeFactory,
    ListingFactory,
    MeetingFactory,
    OrganizationFactory,
    OutcomeFactory,
    PlaceFactory,
    PlaceProposalFactory,
    SuggestionFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    VisitCountFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)
from tests.security.forms import admin_form_data, single

pytestmark = pytest.mark.django_db

FOREIGN = "VIERAS"  # in the name of every row the user must not reach
REFUSED = (302, 403, 404)
# What a crafted write would set: names, texts, a handling decision, figures, a status.
HIJACK = {
    "name": f"{FOREIGN} kaapattu",
    "title": "Kaapattu",
    "title_fi": "Kaapattu",
    "note": "Kaapattu",
    "plan": "Kaapattu",
    "themes": "Kaapattu",
    "visits": "999999",
    "status": "approved",
    "_reject": "1",
    "_approve": "1",
    "_save": "1",
}


def place_rows(place):
    """The rows that belong to a place, and so to its organisation and region."""
    return {
        # Before its place: deleting the place (in the recovery test) takes its activities.
        "places.activity": ActivityFactory(place=place, title_fi=f"{place.name}: toiminta"),
        "places.place": place,
        "places.visitcount": VisitCountFactory(place=place),
        "places.suggestion": SuggestionFactory(place=place, text=f"{FOREIGN} ehdotus"),
        # The comment is named after its place: the changelist shows it.
        "places.feedback": FeedbackFactory(place=place, comment=f"{place.name}: palaute"),
        "places.placeproposal": PlaceProposalFactory(
            place_name=f"{FOREIGN} ehdotettu paikka",
            municipality=place.municipality,
            organization=place.organization,
        ),
    }


def staff_world(own_first=True):
    """Staff of one organisation, and another organisation's rows; ``own_first`` decides whose
    rows get the lower ids."""
    names = ["Oma ry", f"{FOREIGN} ry"]
    created = {
        name: OrganizationFactory(name=name) for name in (names if own_first else names[::-1])
    }
    own, other = created["Oma ry"], created[f"{FOREIGN} ry"]
    user = organisation_staff(own, username="jasen")
    place_rows(PlaceFactory(organization=own, name="Oma paikka"))
    return user, {
        **place_rows(PlaceFactory(organization=other, name=f"{FOREIGN} paikka")),
        "places.organization": other,
        "network.meeting": MeetingFactory(
            title=f"{FOREIGN} luonnos", status="draft", organizer=other
        ),
        "network.listing": ListingFactory(title_fi=f"{FOREIGN} ilmoitus", organization=other),
        # Staff never see a survey before it is opened, whatever its region.
        "network.survey": SurveyQuestionFactory(
            survey=SurveyFactory(title=f"{FOREIGN} kysely"), text=FOREIGN
        ).survey,
        "network.goodpractice": GoodPracticeFactory(title=f"{FOREIGN} käytäntö", status="draft"),
    }


def coordinator_world(own_region="13", foreign_municipality="091"):
    """The coordinator of ``own_region``, and rows of another region's municipality."""
    user = regional_coordinator(own_region, username="koordinaattori")
    foreign = municipality(foreign_municipality)
    held = MeetingFactory(
        title=f"{FOREIGN} pidetty",
        regions=[foreign.region],
        start=timezone.now() - dt.timedelta(days=7),
    )
    outcome = OutcomeFactory(meeting=held, themes=FOREIGN)
    return user, {
        **place_rows(PlaceFactory(municipality=foreign, name=f"{FOREIGN} paikka")),
        "network.meeting": MeetingFactory(title=f"{FOREIGN} kokous", regions=[foreign.region]),
        "network.coordinator": CoordinatorFactory(
            name=f"{FOREIGN} koordinaattori", regions=[foreign.region]
        ),
        "network.outcome": outcome,
        "network.followup": FollowUpFactory(outcome=outcome, plan=FOREIGN),
        "network.listing": ListingFactory(
            title_fi=f"{FOREIGN} ilmoitus", status="pending", municipalities=[foreign]
        ),
        "network.survey": SurveyFactory(
            title=f"{FOREIGN} kysely", region=foreign.region, status="open"
        ),
        "network.goodpractice": GoodPracticeFactory(
            title=f"{FOREIGN} käytäntö",
            region=foreign.region,
            municipality=foreign,
            status="draft",
        ),
        "places.searchmiss": SearchMiss.objects.create(
            query=f"{FOREIGN} haku", day=timezone.localdate(), language="fi", municipality=foreign
        ),
    }


def anonymous_world():
    """No one signed in, and every kind of row of both other worlds."""
    _staff, staff_rows = staff_world()
    _coordinator, coordinator_rows = coordinator_world()
    staff_rows = {f"{label} (staff world)": row for label, row in staff_rows.items()}
    return None, {**coordinator_rows, **staff_rows}


WORLDS = {
    "staff of A on B": staff_world,
    "staff of B on A": lambda: staff_world(own_first=False),
    "coordinator of 13 on 01": coordinator_world,
    "coordinator of 01 on 13": lambda: coordinator_world("01", "179"),
    "anonymous": anonymous_world,
}


@pytest.fixture(params=WORLDS)
def world(request):
    user, foreign = WORLDS[request.param]()
    client = Client()
    if user is not None:
        client.force_login(user)
    return client, foreign


def has_history(model):
    """Whether the model's admin keeps versions (restore, the deleted list, recovery)."""
    return isinstance(admin.site._registry.get(model), HistoryAdmin)


def info(model):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}"


def assert_not_shown(response, what):
    assert response.status_code in REFUSED or FOREIGN not in response.getvalue().decode(), what


def snapshot(obj):
    """Every stored value of ``obj``, read again from the database."""
    stored = type(obj)._base_manager.get(pk=obj.pk)
    return {field.attname: getattr(stored, field.attname) for field in obj._meta.concrete_fields}


def test_every_admin_model_with_scoped_rows_is_in_the_matrix():
    # An admin that narrows its rows by scope must have a foreign row in some world; accounts
    # and groups are for site admins alone.
    _staff, staff_rows = staff_world()
    _coordinator, coordinator_rows = coordinator_world()
    covered = {type(row) for row in [*staff_rows.values(), *coordinator_rows.values()]}
    scoped = {
        model
        for model, model_admin in admin.site._registry.items()
        if type(model_admin).get_queryset is not admin.ModelAdmin.get_queryset
        and model._meta.app_label != "auth"
    }
    assert scoped <= covered, scoped - covered


def test_changelists_searches_and_popups_do_not_list_foreign_rows(world):
    client, _foreign = world
    for model in admin.site._registry:
        url = reverse(f"{info(model)}_changelist")
        # The search term is a prefix: the search box shows it back.
        for query in ("", f"?q={FOREIGN[:4]}", "?_popup=1&_to_field=id", "?all="):
            assert_not_shown(client.get(url + query), url + query)


def test_change_delete_and_history_pages_refuse_foreign_rows(world):
    client, foreign = world
    for label, obj in foreign.items():
        model = type(obj)
        if model not in admin.site._registry:  # follow-up plans are inline rows only
            continue
        before = snapshot(obj)
        for view in ("change", "delete", "history"):
            url = reverse(f"{info(model)}_{view}", args=[obj.pk])
            assert_not_shown(client.get(url), url)
        client.post(reverse(f"{info(model)}_delete", args=[obj.pk]), {"post": "yes"})
        client.post(reverse(f"{info(model)}_change", args=[obj.pk]), HIJACK)
        assert snapshot(obj) == before, label


def crafted_add(client, model, place):
    """Post the model's add form as the browser shows it, with ``place`` as its place (or
    venue) and plausible figures; whether a row was added."""
    page = client.get(reverse(f"{info(model)}_add"))
    if page.status_code in REFUSED:
        return False
    data = single(admin_form_data(page, model._meta.model_name))
    # Three months back: the worlds' own figures are last month's.
    month = timezone.localdate().replace(day=1) - dt.timedelta(days=70)
    data.update(place=place.pk, venue=place.pk, year=month.year, month=month.month, visits=5)
    before = model._base_manager.count()
    client.post(reverse(f"{info(model)}_add"), data)
    return model._base_manager.count() > before


PLACE_LINKED = [
    model
    for model in admin.site._registry
    if any(
        field.is_relation and field.related_model is Place and field.name in ("place", "venue")
        for field in model._meta.get_fields()
    )
]


def test_crafted_adds_cannot_attach_rows_to_foreign_places(world):
    client, foreign = world
    place = next(row for label, row in foreign.items() if label.startswith("places.place"))
    for model in PLACE_LINKED:
        assert not crafted_add(client, model, place), model


def test_the_crafted_add_works_on_an_own_place():
    # So that the refusal above is the scope's, not a form the test fills in wrong.
    user, _foreign = staff_world()
    client = Client()
    client.force_login(user)
    assert crafted_add(client, VisitCount, Place.objects.get(name="Oma paikka"))


def test_custom_admin_views_refuse_foreign_rows(world):
    client, foreign = world
    place = next(row for label, row in foreign.items() if label.startswith("places.place"))
    year = timezone.localdate().year
    grid = f"{reverse('admin:places_visitcount_grid')}?place={place.pk}&year={year}"
    assert_not_shown(client.get(grid), grid)
    before = sorted(place.visit_counts.values_list("month", "visits"))
    client.post(grid, {f"visits_{month}": "999" for month in range(1, 13)})
    assert sorted(place.visit_counts.values_list("month", "visits")) == before
    personal = reverse("admin:personal_data")
    assert client.get(personal).status_code in REFUSED
    answer = client.post(personal, {"action": "erase", "email": "jasen@example.org"})
    assert answer.status_code in REFUSED


def test_the_ptv_import_reads_no_foreign_municipality(world, monkeypatch):
    # Refused before the Service Catalogue is asked: nothing of another region is read or saved.
    client, foreign = world
    place = next(row for label, row in foreign.items() if label.startswith("places.place"))
    asked = []
    monkeypatch.setattr("places.admin_ptv.fetch_pages", lambda code, url: asked.append(code) or [])
    url = reverse("admin:places_place_import_ptv")
    assert_not_shown(client.get(url), url)
    counts = Place.objects.count()
    client.post(url, {"municipality": place.municipality.pk})
    client.post(url, {"confirm": "1", "token": ""})
    assert asked == []
    assert Place.objects.count() == counts


def test_versions_of_foreign_rows_can_be_neither_seen_nor_restored(world):
    client, foreign = world
    for label, obj in foreign.items():
        model = type(obj)
        if not has_history(model):
            continue
        record_versions([obj], comment=FOREIGN)
        version = versions_of(obj).get()
        url = reverse(f"{info(model)}_restore", args=[obj.pk, version.pk])
        assert_not_shown(client.get(url), url)
        assert client.post(url).status_code in REFUSED, url
        assert versions_of(obj).count() == 1, label  # a restore would have recorded one


def test_deleted_foreign_rows_can_be_neither_listed_nor_recovered(world):
    client, foreign = world
    for label, obj in foreign.items():
        model = type(obj)
        if not has_history(model):
            continue
        record_versions([obj], comment=FOREIGN)
        version = versions_of(obj).get()
        model.objects.filter(pk=obj.pk).delete()
        listing = reverse(f"{info(model)}_deleted")
        assert_not_shown(client.get(listing), listing)
        recover = reverse(f"{info(model)}_recover", args=[version.pk])
        assert_not_shown(client.get(recover), recover)
        assert client.post(recover).status_code in REFUSED, recover
        assert not model.objects.filter(pk=obj.pk).exists(), label


def test_coordinators_see_but_may_not_change_organisations_of_other_regions():
    # Coordinators see every organisation (a place of their region may belong to any), so
    # organisations are not among the coordinator world's hidden rows; joining one with places
    # in region 01 would make the coordinator of 13 staff of those places.
    user, foreign = coordinator_world()
    organization = foreign["places.place"].organization
    client = Client()
    client.force_login(user)
    change = reverse("admin:places_organization_change", args=[organization.pk])
    delete = reverse("admin:places_organization_delete", args=[organization.pk])

    assert 'name="_save"' not in client.get(change).content.decode()
    hijack = {"name": f"{FOREIGN} kaapattu", "slug": organization.slug, "members": [user.pk]}
    assert client.post(change, hijack).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    record_versions([organization])
    restore = reverse(
        "admin:places_organization_restore",
        args=[organization.pk, versions_of(organization).get().pk],
    )
    assert client.post(restore).status_code == 403
    organization.refresh_from_db()
    assert organization.name != f"{FOREIGN} kaapattu"
    assert not organization.members.exists()


def test_autocomplete_offers_no_foreign_rows(world):
    client, _foreign = world
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            query = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field_name,
                "term": FOREIGN[:4],
            }
            response = client.get(reverse("admin:autocomplete"), query)
            assert_not_shown(response, query)


def test_exports_leave_foreign_places_out(world):
    client, foreign = world
    export = client.get(reverse("admin:places_place_export"))
    assert_not_shown(export, "export")
    action = client.post(
        reverse("admin:places_place_changelist"),
        {"action": "export_as_csv", "_selected_action": [foreign["places.place"].pk]},
    )
    assert_not_shown(action, "export action")


def test_the_import_cannot_write_foreign_places(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, foreign = world
    place = foreign["places.place"]
    row = (
        "name,organization,municipality,street_address,postal_code,postal_town\n"
        f"{place.name},{place.organization.slug},{place.municipality.name_fi},"
        "Kaappauskatu 1,00100,Helsinki\n"
    )
    client.post(
        reverse("admin:places_place_import"),
        {"file": SimpleUploadedFile("p.csv", row.encode(), "text/csv")},
    )
    client.post(reverse("admin:places_place_import"), {"confirm": "1", "token": ""})
    place.refresh_from_db()
    assert place.street_address != "Kaappauskatu 1"
    assert not Place.objects.filter(street_address="Kaappauskatu 1").exists()


def test_the_public_site_shows_no_unpublished_or_private_rows():
    _user, rows = anonymous_world()
    client = Client()
    for label in ("network.meeting (staff world)", "network.listing"):  # a draft, a pending one
        page = client.get(rows[label].get_absolute_url())
        assert page.status_code == 404, label
    place_page = client.get(rows["places.place"].get_absolute_url()).content.decode()
    assert f"{FOREIGN} ehdotus" not in place_page  # suggestions stay in the admin


def test_the_ptv_import_reads_an_own_municipality(monkeypatch):
    # So that the refusal above is the scope's, not a form the test fills in wrong.
    user, _foreign = coordinator_world()
    client = Client()
    client.force_login(user)
    asked = []
    monkeypatch.setattr("places.admin_ptv.fetch_pages", lambda code, url: asked.append(code) or [])
    client.post(reverse("admin:places_place_import_ptv"), {"municipality": municipality("179").pk})
    assert asked == ["179"]
