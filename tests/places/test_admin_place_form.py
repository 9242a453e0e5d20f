"""The place form of the admin: validation a user would meet, choices by role, the map picker,
the actions and the filters of the changelist."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kohtaamispaikat.core import cache as page_cache
from places.hours import describe_range
from places.models import Place
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    UserFactory,
    WeeklyHoursFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_admin(settings):
    # The admin speaks the site's default language; English keeps the assertions readable.
    settings.LANGUAGE_CODE = "en"


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def coordinator_13(client):
    return login(client, regional_coordinator("13"))


def formset_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def place_form(organization, weekly_hours=(), **overrides):
    """The POST data of a valid new place; ``weekly_hours`` as (weekday, opens, closes)."""
    data = {
        "name": "Uusi olohuone",
        "slug": "uusi-olohuone",
        "organization": organization.pk,
        "municipality": "179",
        "street_address": "Kauppakatu 1",
        "postal_code": "40100",
        "postal_town": "Jyväskylä",
        "latitude": "62.242603",
        "longitude": "25.747257",
        "free_of_charge": "on",
        **formset_management("weekly_hours", total=len(weekly_hours)),
        **formset_management("exceptions"),
        **formset_management("activities"),
    }
    for index, (weekday, opens, closes) in enumerate(weekly_hours):
        data[f"weekly_hours-{index}-weekday"] = str(weekday)
        data[f"weekly_hours-{index}-opens"] = opens
        data[f"weekly_hours-{index}-closes"] = closes
    data.update(overrides)
    return data


def add_place(client, data):
    return client.post(reverse("admin:places_place_add"), data)


def test_coordinator_adds_a_place_with_weekly_hours(coordinator_13, organization):
    response = add_place(
        coordinator_13,
        place_form(organization, weekly_hours=[(1, "09:00", "12:00"), (1, "13:00", "16:00")]),
    )
    assert response.status_code == 302
    place = Place.objects.get(slug="uusi-olohuone")
    assert [(rule.opens, rule.closes) for rule in place.weekly_hours.all()] == [
        (dt.time(9), dt.time(12)),
        (dt.time(13), dt.time(16)),
    ]


def test_overlapping_weekly_hours_are_rejected_with_both_ranges_named(coordinator_13, organization):
    response = add_place(
        coordinator_13,
        place_form(organization, weekly_hours=[(1, "09:00", "12:00"), (1, "11:00", "14:00")]),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Opening hours overlap" in content
    assert escape(describe_range(1, dt.time(9), dt.time(12))) in content
    assert escape(describe_range(1, dt.time(11), dt.time(14))) in content
    assert not Place.objects.filter(slug="uusi-olohuone").exists()


def test_weekly_hours_overlapping_past_midnight_are_rejected(coordinator_13, organization):
    response = add_place(
        coordinator_13,
        place_form(organization, weekly_hours=[(5, "20:00", "02:00"), (6, "01:00", "04:00")]),
    )
    assert "Opening hours overlap" in response.content.decode()
    assert not Place.objects.filter(slug="uusi-olohuone").exists()


def test_same_opening_and_closing_time_is_rejected(coordinator_13, organization):
    response = add_place(
        coordinator_13, place_form(organization, weekly_hours=[(2, "10:00", "10:00")])
    )
    assert (
        "Opening and closing times cannot be the same, except 00:00–00:00 for the whole day."
        in response.content.decode()
    )
    assert not Place.objects.filter(slug="uusi-olohuone").exists()


def test_overlap_with_saved_hours_is_caught_when_editing(coordinator_13, organization):
    place = PlaceFactory(organization=organization)
    saved = WeeklyHoursFactory(place=place, weekday=3, opens=dt.time(9), closes=dt.time(12))
    data = place_form(
        organization,
        name=place.name,
        slug=place.slug,
        loaded_edit_count=place.edit_count,
        **formset_management("weekly_hours", total=2, initial=1),
    )
    data.update(
        {
            "weekly_hours-0-id": saved.pk,
            "weekly_hours-0-place": place.pk,
            "weekly_hours-0-weekday": "3",
            "weekly_hours-0-opens": "09:00",
            "weekly_hours-0-closes": "12:00",
            "weekly_hours-1-weekday": "3",
            "weekly_hours-1-opens": "10:00",
            "weekly_hours-1-closes": "11:00",
        }
    )
    response = coordinator_13.post(reverse("admin:places_place_change", args=[place.pk]), data)
    assert "Opening hours overlap" in response.content.decode()
    assert place.weekly_hours.count() == 1


def test_exception_marked_open_needs_hours(coordinator_13, organization):
    data = place_form(organization, **formset_management("exceptions", total=1))
    data.update({"exceptions-0-start_date": "2030-06-21", "exceptions-0-opens": "10:00"})
    response = add_place(coordinator_13, data)
    assert "Mark the day closed, or give different opening and closing times." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"postal_code": "4010"}, "Enter a postal code of five digits."),
        ({"postal_code": "4O1OO"}, "Enter a postal code of five digits."),
        ({"latitude": "52.5200", "longitude": "13.4050"}, "This latitude is south of Finland."),
        ({"latitude": "62.2", "longitude": "35.0"}, "This longitude is east of Finland."),
        ({"longitude": ""}, "Give both latitude and longitude, or neither."),
    ],
)
def test_bad_address_or_location_is_rejected_with_the_models_message(
    coordinator_13, organization, overrides, message
):
    response = add_place(coordinator_13, place_form(organization, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Place.objects.filter(slug="uusi-olohuone").exists()


def test_coordinator_cannot_put_a_place_outside_their_regions_even_by_crafted_post(
    coordinator_13, organization
):
    response = add_place(
        coordinator_13,
        place_form(
            organization, municipality="091", postal_code="00100", latitude="", longitude=""
        ),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["municipality"]
    assert not Place.objects.filter(slug="uusi-olohuone").exists()


def test_coordinator_cannot_move_a_place_out_of_their_regions(coordinator_13, organization):
    place = PlaceFactory(organization=organization)
    data = place_form(
        organization,
        name=place.name,
        slug=place.slug,
        loaded_edit_count=place.edit_count,
        municipality="091",
        postal_code="00100",
    )
    coordinator_13.post(reverse("admin:places_place_change", args=[place.pk]), data)
    place.refresh_from_db()
    assert place.municipality_id == "179"


def test_staff_cannot_hand_their_place_to_another_organisation(client, organization):
    place = PlaceFactory(organization=organization)
    other = OrganizationFactory()
    login(client, organisation_staff(organization))
    data = place_form(other, name=place.name, slug=place.slug, loaded_edit_count=place.edit_count)
    response = client.post(reverse("admin:places_place_change", args=[place.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organization"]
    place.refresh_from_db()
    assert place.organization == organization


def test_staff_save_their_own_place(client, organization):
    place = PlaceFactory(organization=organization)
    login(client, organisation_staff(organization))
    data = place_form(
        organization, name="Uusi nimi", slug=place.slug, loaded_edit_count=place.edit_count
    )
    response = client.post(reverse("admin:places_place_change", args=[place.pk]), data)
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name == "Uusi nimi"


def test_staff_and_coordinator_in_one_person_cannot_combine_the_roles(client, organization):
    """Staff of an organisation in Jyväskylä who coordinates region 13 may not add another
    organisation's place in Helsinki: neither role covers that."""
    user = regional_coordinator("13")
    organization.members.add(user)
    login(client, user)
    other = OrganizationFactory()
    response = add_place(
        client,
        place_form(other, municipality="091", postal_code="00100", latitude="", longitude=""),
    )
    assert "You may not manage meeting places of this organisation in Helsinki." in (
        response.content.decode()
    )
    assert (
        add_place(
            client,
            place_form(
                organization, municipality="091", postal_code="00100", latitude="", longitude=""
            ),
        ).status_code
        == 302
    )


def test_change_form_has_the_location_picker(coordinator_13, organization):
    place = PlaceFactory(organization=organization)
    response = coordinator_13.get(reverse("admin:places_place_change", args=[place.pk]))
    content = response.content.decode()
    assert 'id="location-picker-map"' in content
    assert "leaflet/leaflet.js" in content
    assert "leaflet/leaflet.css" in content
    assert "js/location-picker.js" in content
    config = response.context["location_picker"]
    assert config["municipalityCentres"]["179"] == [
        float(municipality("179").latitude),
        float(municipality("179").longitude),
    ]
    assert len(config["municipalityCentres"]) == 308
    assert config["tileUrl"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert 'id="location-picker-config"' in content


def test_location_picker_config_is_escaped_json(coordinator_13, organization, settings):
    settings.MAP_TILE_ATTRIBUTION = "</script><script>alert(1)</script>"
    response = coordinator_13.get(reverse("admin:places_place_add"))
    content = response.content.decode()
    assert "</script><script>alert(1)" not in content
    start = content.index('id="location-picker-config"')
    payload = content[content.index(">", start) + 1 : content.index("</script>", start)]
    assert json.loads(payload)["attribution"] == settings.MAP_TILE_ATTRIBUTION


def changelist(client, **params):
    return client.get(reverse("admin:places_place_changelist"), params)


def test_mark_as_verified_today(coordinator_13, organization):
    place = PlaceFactory(organization=organization, last_verified=dt.date(2020, 1, 1))
    response = coordinator_13.post(
        reverse("admin:places_place_changelist"),
        {"action": "mark_verified_today", "_selected_action": [place.pk]},
        follow=True,
    )
    assert "1 meeting place marked as verified today." in response.content.decode()
    place.refresh_from_db()
    assert place.last_verified == timezone.localdate()


def test_publish_and_unpublish_actions(coordinator_13, organization):
    places = PlaceFactory.create_batch(2, organization=organization, is_published=False)
    selected = [place.pk for place in places]
    coordinator_13.post(
        reverse("admin:places_place_changelist"),
        {"action": "publish", "_selected_action": selected},
    )
    assert Place.objects.filter(pk__in=selected, is_published=True).count() == 2
    coordinator_13.post(
        reverse("admin:places_place_changelist"),
        {"action": "unpublish", "_selected_action": selected[:1]},
    )
    assert list(Place.objects.filter(is_published=True).values_list("pk", flat=True)) == [
        selected[1]
    ]


def test_bulk_publishing_refreshes_the_public_pages(
    coordinator_13, organization, monkeypatch, django_capture_on_commit_callbacks
):
    place = PlaceFactory(organization=organization, is_published=False)
    # Creating the place already queued a bump in this test transaction; count new ones.
    bumps = []
    monkeypatch.setattr(page_cache, "_bump", lambda: bumps.append("bump"))
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_13.post(
            reverse("admin:places_place_changelist"),
            {"action": "publish", "_selected_action": [place.pk]},
        )
    assert bumps == ["bump"]


def result_names(response):
    assert response.status_code == 200
    return sorted(place.name for place in response.context["cl"].result_list)


def test_stale_filter_lists_places_not_verified_in_twelve_months(coordinator_13, organization):
    today = timezone.localdate()
    PlaceFactory(organization=organization, name="Tuore", last_verified=today)
    PlaceFactory(
        organization=organization, name="Vanha", last_verified=today - dt.timedelta(days=400)
    )
    PlaceFactory(organization=organization, name="Ei koskaan", last_verified=None)
    assert result_names(changelist(coordinator_13, verified="stale")) == ["Ei koskaan", "Vanha"]
    assert result_names(changelist(coordinator_13, verified="recent")) == ["Tuore"]


def test_region_and_municipality_filters_offer_only_what_the_user_may_see(client, organization):
    PlaceFactory(organization=organization)
    PlaceFactory(organization=organization, municipality=municipality("837"), postal_code="33100")
    PlaceFactory(municipality=municipality("091"), postal_code="00100")
    login(client, organisation_staff(organization))
    response = changelist(client)
    filters = {str(spec.title): spec for spec in response.context["cl"].filter_specs}
    region_choices = [
        choice["display"] for choice in filters["region"].choices(response.context["cl"])
    ]
    assert region_choices == ["All", "Pirkanmaa", "Keski-Suomi"]
    municipality_choices = [
        choice["display"] for choice in filters["municipality"].choices(response.context["cl"])
    ]
    assert municipality_choices == ["All", "Jyväskylä", "Tampere"]


def test_region_filter_narrows_the_list(client):
    PlaceFactory(name="Jyväskylän paikka")
    PlaceFactory(name="Helsingin paikka", municipality=municipality("091"), postal_code="00100")
    login(client, UserFactory(is_superuser=True))
    assert result_names(changelist(client, region="01")) == ["Helsingin paikka"]


@pytest.mark.parametrize(
    "params",
    [{"region": "zz"}, {"verified": "sometimes"}, {"municipality__code__exact": "x" * 50}],
)
def test_unknown_filter_values_do_not_break_the_changelist(coordinator_13, params):
    assert changelist(coordinator_13, **params).status_code in (200, 302)


@pytest.mark.parametrize(
    "tampered",
    [{"organization": "abc"}, {"municipality": "\x00"}, {"organization": "9" * 30}],
)
def test_tampered_autocomplete_values_show_the_form_again(client, organization, tampered):
    place = PlaceFactory(organization=organization)
    login(client, UserFactory(is_superuser=True))
    data = {
        **place_form(
            organization, name=place.name, slug=place.slug, loaded_edit_count=place.edit_count
        ),
        **tampered,
    }
    response = client.post(reverse("admin:places_place_change", args=[place.pk]), data)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == set(tampered)


def test_the_slug_of_the_map_page_is_refused(coordinator_13, organization):
    response = add_place(coordinator_13, place_form(organization, slug="map"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"]
    assert not Place.objects.filter(slug="map").exists()
