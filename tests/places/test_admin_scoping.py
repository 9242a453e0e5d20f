"""Who sees which meeting place in the admin: staff of organisation A must not see, change,
delete or even learn of organisation B's places, by any admin URL."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from places.models import Place
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    UserFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

MISSING_PK = 987654321


@pytest.fixture
def org_a():
    return OrganizationFactory(name="Yhdistys A ry", slug="yhdistys-a")


@pytest.fixture
def org_b():
    return OrganizationFactory(name="Yhdistys B ry", slug="yhdistys-b")


@pytest.fixture
def place_a(org_a):
    return PlaceFactory(name="Aamun olohuone", organization=org_a)


@pytest.fixture
def place_b(org_b):
    return PlaceFactory(
        name="Bertan salainen olohuone",
        organization=org_b,
        municipality=municipality("091"),
        postal_code="00100",
        is_published=False,
    )


@pytest.fixture(autouse=True)
def english_admin(settings):
    # The admin speaks the site's default language; English keeps the assertions readable.
    settings.LANGUAGE_CODE = "en"


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_a(client, org_a):
    return login(client, organisation_staff(org_a))


@pytest.fixture
def coordinator_13(client):
    return login(client, regional_coordinator("13"))


@pytest.fixture
def site_admin(client):
    return login(client, UserFactory(is_superuser=True))


def admin_url(name, *args):
    return reverse(f"admin:places_place_{name}", args=args)


DOES_NOT_EXIST = (
    [(reverse("admin:index"), 302)],
    200,
    ["meeting place with ID “ID” doesn’t exist. Perhaps it was deleted?"],
)


def answer(client, url, method="get", data=None):
    """Redirects, final status and messages of a request, with the object id taken out."""
    response = getattr(client, method)(url, data or {}, follow=True)
    object_id = url.rstrip("/").split("/")[-2]
    texts = [str(text).replace(object_id, "ID") for text in get_messages(response.wsgi_request)]
    return response.redirect_chain, response.status_code, texts


def assert_answers_like_a_missing_place(client, place, view, method="get", data=None):
    seen = answer(client, admin_url(view, place.pk), method, data)
    assert seen == answer(client, admin_url(view, MISSING_PK), method, data)
    return seen


def test_staff_changelist_lists_only_their_organisations_places(staff_a, place_a, place_b):
    response = staff_a.get(admin_url("changelist"))
    assert response.status_code == 200
    assert place_a.name in response.content.decode()
    assert place_b.name not in response.content.decode()


def test_staff_searching_for_another_organisations_place_finds_nothing(staff_a, place_a, place_b):
    response = staff_a.get(admin_url("changelist"), {"q": "Bertan"})
    assert place_b.name not in response.content.decode()
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize("view", ["change", "history"])
def test_staff_url_of_another_organisations_place_answers_like_a_missing_one(
    staff_a, place_a, place_b, view
):
    assert assert_answers_like_a_missing_place(staff_a, place_b, view) == DOES_NOT_EXIST


def test_staff_delete_url_of_another_organisations_place_answers_like_a_missing_one(
    staff_a, place_a, place_b
):
    # Staff may delete no place at all, so any delete URL is forbidden alike.
    assert assert_answers_like_a_missing_place(staff_a, place_b, "delete") == ([], 403, [])


def test_staff_crafted_post_to_another_organisations_place_changes_nothing(
    staff_a, place_a, place_b
):
    data = {"name": "Kaapattu", "slug": place_b.slug, "organization": place_b.organization_id}
    assert (
        assert_answers_like_a_missing_place(staff_a, place_b, "change", "post", data)
        == DOES_NOT_EXIST
    )
    place_b.refresh_from_db()
    assert place_b.name == "Bertan salainen olohuone"


def test_staff_crafted_delete_of_another_organisations_place_deletes_nothing(
    staff_a, place_a, place_b
):
    assert_answers_like_a_missing_place(staff_a, place_b, "delete", "post", {"post": "yes"})
    assert Place.objects.filter(pk=place_b.pk).exists()


def test_staff_history_of_their_own_place_is_shown(staff_a, place_a):
    assert staff_a.get(admin_url("history", place_a.pk)).status_code == 200


def test_staff_raw_id_popup_lists_only_their_places(staff_a, place_a, place_b):
    response = staff_a.get(admin_url("changelist"), {"_to_field": "id", "_popup": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert place_a.name in content
    assert place_b.name not in content


def autocomplete(client, model_name, field_name, term="", app_label="places"):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_place_autocomplete_of_other_models_is_scoped(staff_a, place_a, place_b):
    names = autocomplete(staff_a, "meeting", "venue", "olohuone", app_label="network")
    assert names == [place_a.name]


def test_organisation_autocomplete_offers_staff_only_their_organisations(staff_a, org_a, org_b):
    assert autocomplete(staff_a, "place", "organization", "Yhdistys") == [org_a.name]


def test_organisation_autocomplete_offers_coordinators_every_organisation(
    coordinator_13, org_a, org_b
):
    assert autocomplete(coordinator_13, "place", "organization", "Yhdistys") == [
        org_a.name,
        org_b.name,
    ]


def test_municipality_autocomplete_offers_coordinators_their_regions_only(coordinator_13):
    assert autocomplete(coordinator_13, "place", "municipality", "Jyväs") == ["Jyväskylä"]
    assert autocomplete(coordinator_13, "place", "municipality", "Helsin") == []


def test_municipality_autocomplete_offers_staff_every_municipality(staff_a):
    assert autocomplete(staff_a, "place", "municipality", "Helsin") == ["Helsinki"]


def exported_names(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode("utf-8-sig")
    return [row["name"] for row in csv.DictReader(io.StringIO(text))]


def test_staff_export_link_exports_only_their_places(staff_a, place_a, place_b):
    assert exported_names(staff_a.get(admin_url("export"))) == [place_a.name]


def test_staff_export_action_ignores_another_organisations_place(staff_a, place_a, place_b):
    response = staff_a.post(
        admin_url("changelist"),
        {"action": "export_as_csv", "_selected_action": [place_a.pk, place_b.pk]},
    )
    assert exported_names(response) == [place_a.name]


def test_staff_actions_leave_another_organisations_place_alone(staff_a, place_a, place_b):
    staff_a.post(
        admin_url("changelist"),
        {"action": "publish", "_selected_action": [place_a.pk, place_b.pk]},
    )
    place_b.refresh_from_db()
    assert place_b.is_published is False


def test_staff_may_not_add_or_delete_places(staff_a, place_a):
    assert staff_a.get(admin_url("add")).status_code == 403
    assert staff_a.post(admin_url("delete", place_a.pk), {"post": "yes"}).status_code == 403
    assert Place.objects.filter(pk=place_a.pk).exists()


def test_coordinator_sees_places_of_their_region_only(coordinator_13, place_a, place_b):
    content = coordinator_13.get(admin_url("changelist")).content.decode()
    assert place_a.name in content
    assert place_b.name not in content
    assert coordinator_13.get(admin_url("change", place_a.pk)).status_code == 200


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_coordinator_url_of_a_place_in_another_region_answers_like_a_missing_one(
    coordinator_13, place_b, view
):
    assert assert_answers_like_a_missing_place(coordinator_13, place_b, view) == DOES_NOT_EXIST


def test_coordinator_crafted_delete_of_a_place_in_another_region_deletes_nothing(
    coordinator_13, place_b
):
    assert (
        assert_answers_like_a_missing_place(
            coordinator_13, place_b, "delete", "post", {"post": "yes"}
        )
        == DOES_NOT_EXIST
    )
    assert Place.objects.filter(pk=place_b.pk).exists()


def test_site_admin_sees_every_place(site_admin, place_a, place_b):
    content = site_admin.get(admin_url("changelist")).content.decode()
    assert place_a.name in content
    assert place_b.name in content
    assert site_admin.get(admin_url("change", place_b.pk)).status_code == 200
    assert exported_names(site_admin.get(admin_url("export"))) == [place_a.name, place_b.name]


def test_user_without_a_role_sees_no_place(client, place_a):
    login(client, UserFactory())
    assert client.get(admin_url("changelist")).status_code == 403


def test_staff_see_only_their_own_organisation_without_its_members(staff_a, org_a, org_b):
    content = staff_a.get(reverse("admin:places_organization_changelist")).content.decode()
    assert org_a.name in content
    assert org_b.name not in content
    change = staff_a.get(reverse("admin:places_organization_change", args=[org_a.pk]))
    assert change.status_code == 200
    assert "members" not in change.context["adminform"].form.fields
    missing = staff_a.get(reverse("admin:places_organization_change", args=[org_b.pk]))
    assert missing.status_code == 302
    assert missing["Location"] == reverse("admin:index")


def test_coordinator_manages_organisation_members(coordinator_13, org_a):
    change = coordinator_13.get(reverse("admin:places_organization_change", args=[org_a.pk]))
    assert "members" in change.context["adminform"].form.fields


def test_staff_may_look_up_but_not_change_municipalities(staff_a):
    url = reverse("admin:places_municipality_change", args=["179"])
    response = staff_a.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert staff_a.post(url, {"name_fi": "Muutettu"}).status_code == 403
    assert municipality("179").name_fi == "Jyväskylä"


@pytest.mark.parametrize("user_kind", ["staff", "site_admin"])
def test_changelist_runs_a_constant_number_of_queries(client, org_a, user_kind):
    user = organisation_staff(org_a) if user_kind == "staff" else UserFactory(is_superuser=True)
    login(client, user)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(admin_url("changelist")).status_code == 200
        return len(queries)

    PlaceFactory.create_batch(5, organization=org_a)
    with_five = count_queries()
    PlaceFactory.create_batch(25, organization=org_a, municipality=municipality("091"))
    assert count_queries() == with_five


@pytest.mark.django_db
def test_the_view_on_site_shortcut_reveals_no_place(client):
    from django.contrib.contenttypes.models import ContentType

    from places.models import Place
    from tests.factories import PlaceFactory, UserFactory

    hidden = PlaceFactory(is_published=False)
    client.force_login(UserFactory(is_staff=True))
    content_type = ContentType.objects.get_for_model(Place)
    response = client.get(f"/admin/r/{content_type.pk}/{hidden.pk}/")
    assert response.status_code == 404
    assert hidden.slug not in response.content.decode()
