"""Inputs the fuzz suite found giving server errors, kept as plain regression tests."""

import pytest
from django.test import Client

from tests.factories import OrganizationFactory, PlaceFactory, UserFactory, audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client(raise_request_exception=True)


@pytest.mark.parametrize(
    "path",
    [
        # PostgreSQL refuses NUL in any text: these were 500s there.
        "/network/meetings.ics?region=%00",
        "/places/?q=a%00b",
        "/network/meetings/?year=%00",
        "/admin/autocomplete/?term=%00&app_label=network&model_name=meeting&field_name=venue",
        "/places.geojson?%00=1",
    ],
)
def test_a_nul_character_in_the_query_is_a_bad_request(browser, path):
    browser.force_login(UserFactory(is_superuser=True))
    assert browser.get(path).status_code == 400


NETWORK_AUTOCOMPLETE_FIELDS = [
    ("/admin/network/meeting/add/", "venue"),
    ("/admin/network/meeting/add/", "contact"),
    ("/admin/network/coordinator/add/", "user"),
    ("/admin/network/outcome/add/", "meeting"),
]
BEYOND_64_BITS = "9" * 25
# Values that cannot be keys: Django's admin crashed looking them up (a ValueError, or an
# OverflowError on SQLite); kohtaamispaikat.core.admin_widgets refuses them like missing rows.
NOT_KEYS = ("abc", BEYOND_64_BITS)


@pytest.mark.parametrize(
    "url, field, value",
    [
        ("/admin/places/place/add/", "organization", "abc"),
        ("/admin/places/place/add/", "organization", BEYOND_64_BITS),
        *((url, field, value) for url, field in NETWORK_AUTOCOMPLETE_FIELDS for value in NOT_KEYS),
    ],
)
def test_a_tampered_autocomplete_value_shows_the_form_again(browser, url, field, value):
    browser.force_login(UserFactory(is_superuser=True))
    PlaceFactory(organization=OrganizationFactory())

    response = browser.post(url, {"name": "X", "title": "X", field: value})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "url, field",
    [
        ("/admin/auth/group/1/change/", "permissions"),
        ("/admin/auth/user/{user}/change/", "groups"),
        ("/admin/auth/user/{user}/change/", "user_permissions"),
        ("/admin/places/place/add/", "audiences"),
        ("/admin/places/organization/add/", "members"),
    ],
)
def test_a_number_beyond_64_bits_in_a_multiple_choice_is_an_invalid_choice(browser, url, field):
    user = UserFactory(is_superuser=True)
    browser.force_login(user)

    response = browser.post(
        url.format(user=user.pk), {"name": "X", "username": user.username, field: BEYOND_64_BITS}
    )

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


@pytest.mark.parametrize("value", NOT_KEYS)
@pytest.mark.parametrize("changelist", ["/admin/places/place/", "/admin/auth/user/"])
def test_a_tampered_selection_for_an_action_selects_nothing(browser, changelist, value):
    browser.force_login(UserFactory(is_superuser=True, username="paakayttaja"))
    chosen = (
        PlaceFactory(name="Valittu") if "place" in changelist else UserFactory(username="Valittu")
    )
    action = {"action": "delete_selected", "index": "0"}

    alone = browser.post(changelist, {**action, "_selected_action": [value]})
    beside = browser.post(changelist, {**action, "_selected_action": [value, chosen.pk]})

    assert alone.status_code == 302  # back to the list: "Items must be selected"
    assert beside.status_code == 200  # asks to confirm deleting the one real row
    assert [str(row) for row in beside.context["queryset"]] == ["Valittu"]


@pytest.mark.parametrize("value", NOT_KEYS)
def test_a_tampered_row_edited_in_a_changelist_shows_the_list_again(browser, value):
    browser.force_login(UserFactory(is_superuser=True))
    position = audience("lapsiperheet").position
    edited = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": value,
        "form-0-position": "99",
        "_save": "1",
    }

    response = browser.post("/admin/places/audience/", edited)

    assert response.status_code == 200
    assert audience("lapsiperheet").position == position


@pytest.mark.parametrize(
    "path",
    [
        "/admin/auth/group/1/change/?_to_field=",
        "/admin/places/audience/1/change/?_to_field=",
        "/admin/places/region/01/change/?_to_field=",
        "/admin/places/place/{place}/delete/?_to_field=",
    ],
)
def test_an_empty_to_field_means_the_primary_key(browser, path):
    browser.force_login(UserFactory(is_superuser=True))
    place = PlaceFactory()

    assert browser.get(path.format(place=place.pk)).status_code == 200
