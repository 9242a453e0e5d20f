"""The Open Referral HSDS 3.0 API as a data user would check it: every response validated
against the official schemas with additional properties forbidden (as the spec's own CI
does), no nulls, stable UUIDs, paging as in the spec's openapi.json, and schedules that mean
what the hours engine says for every hour of the coming year.

The official schemas are not part of this repository: they are read from HSDS_SCHEMA_DIR, or
from ``../shared/hsds/`` beside the project (the spec repository's ``schema/`` folder, with its
``compiled/`` schemas and ``openapi.json``, and its LICENSE). Without them only the schema
validation is skipped; everything else here runs.
"""

import copy
import datetime as dt
import json
import os
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from places.hours import HELSINKI
from places.models import Place
from tests.factories import (
    HoursExceptionFactory,
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    audience,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 18, 30, tzinfo=HELSINKI)
TODAY = NOW.date()
YEAR = 366
ICAL_WEEKDAYS = {"MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6, "SU": 7}
BASE = "/en/open-data/hsds"
PTV_ID = uuid.UUID("5a7c1c5e-0b1f-4c3a-9d55-2f1d1f0e6b11")


def schema_dir():
    configured = os.environ.get("HSDS_SCHEMA_DIR")
    candidates = [Path(configured)] if configured else []
    candidates.append(Path(settings.BASE_DIR).parent / "shared" / "hsds" / "schema")
    return next((path for path in candidates if (path / "openapi.json").exists()), None)


def forbid_additional_properties(schema):
    """The schema with ``additionalProperties: false`` on every object that lists its
    properties, as compiletojsonschema --set-additional-properties-false-everywhere does in the
    spec's CI (validate_examples_json_schema.sh)."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if "properties" in node:
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


@pytest.fixture(scope="module")
def validate():
    """validate(instance, "compiled/service.json") or validate(page, "compiled/service.json",
    page=True) for a Page object of the openapi.json whose contents are of that schema."""
    jsonschema = pytest.importorskip("jsonschema")
    directory = schema_dir()
    if directory is None:
        pytest.skip("the official HSDS 3.0 schemas are not here (HSDS_SCHEMA_DIR, ../shared/hsds)")
    page_schema = json.loads((directory / "openapi.json").read_text())["components"]["schemas"][
        "Page"
    ]

    def validate(instance, name, page=False):
        schema = json.loads((directory / name).read_text())
        if page:
            schema = {
                **page_schema,
                "properties": {
                    **page_schema["properties"],
                    "contents": {"type": "array", "items": schema},
                },
                "required": [*page_schema["properties"], "contents"],
            }
        validator = jsonschema.Draft202012Validator(
            forbid_additional_properties(schema), format_checker=jsonschema.FormatChecker()
        )
        errors = sorted(validator.iter_errors(instance), key=lambda error: list(error.path))
        assert not errors, "\n".join(
            f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors[:20]
        )

    return validate


@pytest.fixture
def places(db):
    """Demo-like places: seasons (dated, yearly, over the year end), a range past midnight,
    closed and open exceptions, public holiday and eve closures, one place imported from PTV,
    one without hours or location, and one unpublished."""
    association = OrganizationFactory(
        name="Perheyhdistys ry", business_id="1234567-1", website="https://perhe.example.org/"
    )
    parish = OrganizationFactory(name="Seurakunta", kind="parish")
    families = PlaceFactory(
        name="Perhekahvila Ilta",
        organization=association,
        audiences=[audience("lapsiperheet")],
        contact_name="Maija Meikäläinen",
        phone="040 123 4567",
        email="ilta@example.org",
        languages=["fi", "sv", "other"],
        step_free_access=True,
        induction_loop=True,
        accessibility_note="Hissi sisäpihalta.",
        closed_on_public_holidays=True,
        closed_on_eves=True,
        ptv_id=PTV_ID,
        last_verified=dt.date(2026, 11, 2),
    )
    WeeklyHoursFactory(place=families, weekday=2, opens=dt.time(17), closes=dt.time(20))
    WeeklyHoursFactory(place=families, weekday=2, opens=dt.time(9), closes=dt.time(11))
    WeeklyHoursFactory(place=families, weekday=5, opens=dt.time(22), closes=dt.time(1))
    WeeklyHoursFactory(
        place=families,
        weekday=3,
        opens=dt.time(10),
        closes=dt.time(14),
        valid_from=dt.date(2000, 6, 1),
        valid_until=dt.date(2000, 8, 15),
        recurs_yearly=True,
    )
    WeeklyHoursFactory(
        place=families,
        weekday=1,
        opens=dt.time(9),
        closes=dt.time(12),
        valid_from=dt.date(2026, 12, 20),
        valid_until=dt.date(2027, 1, 10),
    )
    HoursExceptionFactory(
        place=families, start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 3, 7)
    )
    HoursExceptionFactory(
        place=families,
        start_date=dt.date(2026, 12, 10),
        end_date=dt.date(2026, 12, 11),
        closed=False,
        opens=dt.time(12),
        closes=dt.time(15),
        reason="Joulumyyjäiset",
    )
    # Open on Good Friday after all.
    HoursExceptionFactory(
        place=families,
        start_date=dt.date(2027, 3, 26),
        closed=False,
        opens=dt.time(10),
        closes=dt.time(12),
    )
    seniors = PlaceFactory(
        name="Seniorituvan olohuone",
        organization=parish,
        audiences=[audience("ikaihmiset")],
        free_of_charge=False,
        price_note="kahvi 1 €",
        last_verified=None,
        languages=[],
    )
    WeeklyHoursFactory(place=seniors, weekday=4, opens=dt.time(10), closes=dt.time(14))
    # Open on public holidays: only an exception closes it.
    HoursExceptionFactory(place=seniors, start_date=dt.date(2027, 7, 1), end_date=None)
    PlaceFactory(
        name="Kylätalo",
        organization=parish,
        latitude=None,
        longitude=None,
        description="",
    )
    PlaceFactory(name="Luonnos", organization=association, is_published=False)
    return {"families": families, "seniors": seniors}


def get_json(client, url, status=200, when=NOW):
    with mock.patch("django.utils.timezone.now", return_value=when):
        response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()


def all_services(client, when=NOW, prefix=BASE):
    return get_json(client, f"{prefix}/services?full=true&per_page=500", when=when)["contents"]


def by_name(items):
    return {item["name"]: item for item in items}


def schedules_of(service):
    return service["service_at_locations"][0].get("schedules", [])


def walk_values(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk_values(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk_values(value, f"{path}/{index}")
    else:
        yield path, node


def walk_ids(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "id" or key.endswith("_id"):
                yield value
            yield from walk_ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_ids(value)


class TestValidation:
    def test_every_endpoint_validates_against_the_official_schemas(self, client, places, validate):
        services = get_json(client, f"{BASE}/services?full=true&per_page=500")
        validate(services, "compiled/service.json", page=True)
        assert services["total_items"] == 3
        validate(get_json(client, f"{BASE}/services"), "compiled/service_list.json", page=True)
        validate(
            get_json(client, f"{BASE}/organizations"),
            "compiled/organization_list.json",
            page=True,
        )
        validate(
            get_json(client, f"{BASE}/organizations?full_service=true"),
            "compiled/organization.json",
            page=True,
        )
        validate(
            get_json(client, f"{BASE}/service_at_locations"),
            "compiled/service_at_location_list.json",
            page=True,
        )
        validate(
            get_json(client, f"{BASE}/service_at_locations?full=true"),
            "compiled/service_at_location.json",
            page=True,
        )
        for service in services["contents"]:
            validate(get_json(client, f"{BASE}/services/{service['id']}"), "compiled/service.json")
            sal_id = service["service_at_locations"][0]["id"]
            validate(
                get_json(client, f"{BASE}/service_at_locations/{sal_id}"),
                "compiled/service_at_location.json",
            )
            organization = service["organization"]["id"]
            validate(
                get_json(client, f"{BASE}/organizations/{organization}"),
                "compiled/organization.json",
            )

    def test_the_api_root_names_its_version(self, client, places):
        root = get_json(client, f"{BASE}/")
        assert root["version"] == "3.0"
        assert root["openapi_url"].endswith("/schema/openapi.json")
        assert root["profile"] == "http://testserver/en/open-data/"

    def test_no_null_anywhere(self, client, places):
        for url in (
            f"{BASE}/services?full=true",
            f"{BASE}/organizations?full_service=true",
            f"{BASE}/service_at_locations?full=true",
        ):
            nulls = [path for path, value in walk_values(get_json(client, url)) if value is None]
            assert nulls == [], url
        village = by_name(all_services(client))["Kylätalo"]
        location = village["service_at_locations"][0]["location"]
        assert "latitude" not in location and "description" not in village
        seniors = by_name(all_services(client))["Seniorituvan olohuone"]
        assert "assured_date" not in seniors and "languages" not in seniors


class TestIdentifiers:
    def test_ids_are_uuids_that_stay_the_same_across_exports_and_languages(self, client, places):
        first = all_services(client)
        ids = list(walk_ids(first))
        assert ids and all(uuid.UUID(value) for value in ids)
        assert all_services(client) == first
        swedish = all_services(client, prefix="/sv/open-data/hsds")
        assert list(walk_ids(swedish)) == ids
        families = by_name(first)["Perhekahvila Ilta"]
        assert families["id"] == str(places["families"].uuid)
        assert families["organization_id"] == str(places["families"].organization.uuid)

    def test_objects_of_one_export_have_distinct_ids(self, client, places):
        for service in all_services(client):
            owned = [
                item["id"]
                for key in ("phones", "languages", "contacts")
                for item in service.get(key, [])
            ]
            service_at_location = service["service_at_locations"][0]
            location = service_at_location["location"]
            owned += [service["id"], service_at_location["id"], location["id"]]
            owned += [item["id"] for item in schedules_of(service)]
            owned += [item["id"] for item in location.get("addresses", [])]
            owned += [item["id"] for item in location.get("accessibility", [])]
            assert len(owned) == len(set(owned))

    def test_a_schedule_keeps_its_id_the_next_day(self, client, places):
        today = {s["valid_from"] + s["byday"]: s["id"] for s in self.summer(client, NOW)}
        tomorrow = {
            s["valid_from"] + s["byday"]: s["id"]
            for s in self.summer(client, NOW + dt.timedelta(days=1))
        }
        assert today and today == tomorrow

    @staticmethod
    def summer(client, when):
        families = by_name(all_services(client, when=when))["Perhekahvila Ilta"]
        return [s for s in schedules_of(families) if s["valid_from"] == "2027-06-01"]


class TestContent:
    def test_the_nested_service_carries_what_the_place_page_says(self, client, places):
        families = by_name(all_services(client))["Perhekahvila Ilta"]
        assert families["status"] == "active"
        assert families["url"] == f"http://testserver/en/places/{places['families'].slug}/"
        assert families["assured_date"] == "2026-11-02"
        assert families["email"] == "ilta@example.org"
        assert families["eligibility_description"] == "Families with children"
        assert families["fees_description"] == "free of charge"
        assert families["phones"][0]["number"] == "040 123 4567"
        languages = {item["name"]: item.get("code") for item in families["languages"]}
        assert languages == {"Finnish": "fi", "Swedish": "sv", "other languages": None}
        assert families["contacts"][0]["name"] == "Maija Meikäläinen"
        assert families["organization"]["organization_identifiers"][0]["identifier"] == (
            "1234567-1"
        )
        location = families["service_at_locations"][0]["location"]
        assert location["addresses"][0]["country"] == "FI"
        assert location["addresses"][0]["state_province"] == "Keski-Suomi"
        assert {item["description"] for item in location["accessibility"]} == {
            "Step-free entrance",
            "Induction loop",
            "More about accessibility",
        }
        seniors = by_name(all_services(client))["Seniorituvan olohuone"]
        assert seniors["fees_description"] == "kahvi 1 €"

    def test_names_ptv_as_the_source_of_a_place_imported_from_it(self, client, places):
        services = by_name(all_services(client))
        location = services["Perhekahvila Ilta"]["service_at_locations"][0]["location"]
        assert location["external_identifier"] == str(PTV_ID)
        assert "PTV" in location["external_identifier_type"]
        other = services["Seniorituvan olohuone"]["service_at_locations"][0]["location"]
        assert "external_identifier" not in other

    def test_times_carry_their_utc_offset(self, client, places):
        schedules = schedules_of(by_name(all_services(client))["Perhekahvila Ilta"])
        summer = [s for s in schedules if s["valid_from"] == "2027-06-01"]
        assert [(s["opens_at"], s["closes_at"], s["timezone"]) for s in summer] == [
            ("10:00+03:00", "14:00+03:00", 3)
        ]
        winter = [s for s in schedules if s["valid_from"] == "2026-12-01"]
        assert {s["timezone"] for s in winter} == {2}
        assert all(s["opens_at"].endswith("+02:00") for s in winter)

    def test_seasons_replace_the_regular_hours_and_closed_days_interrupt_them(self, client, places):
        schedules = schedules_of(by_name(all_services(client))["Perhekahvila Ilta"])
        tuesday_evenings = [
            (s["valid_from"], s["valid_to"]) for s in schedules if s["opens_at"].startswith("17")
        ]
        # Not in the winter season (20.12.–10.1.) or the yearly summer (1.6.–15.8.), split at
        # the clock changes, and never on a closed day (6.12. Independence Day is a Sunday).
        for first, last in tuesday_evenings:
            assert not (first <= "2027-06-01" <= last) and not (first <= "2026-12-22" <= last)
            assert not (first <= "2027-03-02" <= last)  # closed for a week in March
        assert ("2026-12-01", "2026-12-09") in tuesday_evenings

    def test_an_exceptions_hours_are_a_schedule_of_their_own(self, client, places):
        schedules = schedules_of(by_name(all_services(client))["Perhekahvila Ilta"])
        (fair,) = [s for s in schedules if s.get("notes") == "Joulumyyjäiset"]
        assert (fair["valid_from"], fair["valid_to"], fair["byday"]) == (
            "2026-12-10",
            "2026-12-11",
            "TH,FR",
        )
        assert fair["opens_at"] == "12:00+02:00"


def hsds_is_open(schedules, instant):
    """Whether HSDS schedules say open at ``instant``, read as a consumer would: on a date of
    the schedule's validity and weekday, from opens_at to closes_at (on the next date when it
    comes first), in the schedule's UTC offset."""
    for schedule in schedules:
        zone = dt.timezone(dt.timedelta(hours=schedule["timezone"]))
        local_date = instant.astimezone(zone).date()
        days = {ICAL_WEEKDAYS[day] for day in schedule["byday"].split(",")}
        opens = dt.time.fromisoformat(schedule["opens_at"][:5])
        closes = dt.time.fromisoformat(schedule["closes_at"][:5])
        for day in (local_date, local_date - dt.timedelta(days=1)):
            if not schedule["valid_from"] <= day.isoformat() <= schedule["valid_to"]:
                continue
            if day.isoweekday() not in days:
                continue
            start = dt.datetime.combine(day, opens, zone)
            end = dt.datetime.combine(day + dt.timedelta(days=closes <= opens), closes, zone)
            if start <= instant < end:
                return True
    return False


class TestScheduleMeaning:
    def test_schedules_agree_with_the_hours_engine_for_every_hour_of_a_year(self, client, places):
        services = all_services(client)
        start = dt.datetime.combine(TODAY, dt.time(0, 30), HELSINKI).astimezone(dt.UTC)
        instants = [start + dt.timedelta(hours=hour) for hour in range(YEAR * 24)]
        checked = 0
        for place in Place.objects.published().prefetch_related("weekly_hours", "exceptions"):
            schedules = schedules_of(next(s for s in services if s["id"] == str(place.uuid)))
            opened = 0
            for instant in instants:
                expected = place.is_open_at(instant)
                assert hsds_is_open(schedules, instant) == expected, (place.name, instant)
                opened += expected
                checked += 1
            assert opened or not place.weekly_hours.all()
        assert checked == 3 * YEAR * 24

    def test_schedules_agree_with_the_database_face_of_the_engine(self, client, places):
        services = all_services(client)
        schedules = {service["id"]: schedules_of(service) for service in services}
        for offset in range(YEAR):
            day = TODAY + dt.timedelta(days=offset)
            for moment in (dt.time(0, 30), dt.time(10, 30), dt.time(17, 30)):
                instant = dt.datetime.combine(day, moment, HELSINKI)
                open_ids = {
                    str(value)
                    for value in Place.objects.open_at(instant).values_list("uuid", flat=True)
                }
                said = {pk for pk, items in schedules.items() if hsds_is_open(items, instant)}
                assert said == open_ids, instant


class TestPaging:
    def test_pages_as_in_the_openapi_page_object(self, client, places):
        first = get_json(client, f"{BASE}/services?per_page=2")
        assert {key: first[key] for key in first if key != "contents"} == {
            "total_items": 3,
            "total_pages": 2,
            "page_number": 1,
            "size": 2,
            "first_page": True,
            "last_page": False,
            "empty": False,
        }
        second = get_json(client, f"{BASE}/services?per_page=2&page=2")
        assert second["size"] == 1 and second["last_page"]
        names = [s["name"] for s in first["contents"] + second["contents"]]
        assert names == ["Kylätalo", "Perhekahvila Ilta", "Seniorituvan olohuone"]
        beyond = get_json(client, f"{BASE}/services?per_page=2&page=9")
        assert beyond["empty"] and beyond["contents"] == []

    def test_takes_the_list_filters_and_the_apis_own(self, client, places):
        seniors = get_json(client, f"{BASE}/services?audience=ikaihmiset")
        assert [s["name"] for s in seniors["contents"]] == ["Seniorituvan olohuone"]
        parish = places["seniors"].organization.uuid
        of_parish = get_json(client, f"{BASE}/services?organization_id={parish}")
        assert {s["name"] for s in of_parish["contents"]} == {"Kylätalo", "Seniorituvan olohuone"}
        searched = get_json(client, f"{BASE}/services?search=seniorituvan")
        assert [s["name"] for s in searched["contents"]] == ["Seniorituvan olohuone"]
        organizations = get_json(client, f"{BASE}/organizations")
        assert [o["name"] for o in organizations["contents"]] == ["Perheyhdistys ry", "Seurakunta"]

    @pytest.mark.parametrize(
        "query",
        [
            "page=0",
            "page=x",
            "per_page=0",
            "per_page=100000",
            "full=maybe",
            "organization_id=1",
            "modified_after=yesterday",
            "audience=dragons",
        ],
    )
    def test_bad_parameters_are_a_clear_400(self, client, places, query):
        data = get_json(client, f"{BASE}/services?{query}", status=400)
        assert data["errors"]

    def test_unknown_and_unpublished_ids_are_404(self, client, places):
        unpublished = Place.objects.get(name="Luonnos")
        for url in (
            f"{BASE}/services/{unpublished.uuid}",
            f"{BASE}/services/{uuid.uuid4()}",
            f"{BASE}/organizations/{uuid.uuid4()}",
            f"{BASE}/service_at_locations/{uuid.uuid4()}",
        ):
            assert get_json(client, url, status=404)["errors"]

    def test_an_organisation_refuses_parameters_it_cannot_use(self, client, places):
        organization = places["seniors"].organization.uuid
        url = f"{BASE}/organizations/{organization}?full_service=perhaps"
        assert get_json(client, url, status=400)["errors"]["full_service"]

    def test_the_earlier_export_address_redirects_to_the_services(self, client, places):
        response = client.get("/en/open-data/hsds.json?audience=ikaihmiset")
        assert response.status_code == 301
        assert response["Location"] == "/en/open-data/hsds/services?audience=ikaihmiset"


URLS = [
    f"{BASE}/",
    f"{BASE}/services",
    f"{BASE}/services?full=true",
    f"{BASE}/organizations",
    f"{BASE}/organizations?full_service=true",
    f"{BASE}/service_at_locations",
    f"{BASE}/service_at_locations?full=true",
]


def add_places(count):
    for _ in range(count):
        place = PlaceFactory(organization=OrganizationFactory(), audiences=[audience("lapset")])
        WeeklyHoursFactory(place=place, weekday=2)
        WeeklyHoursFactory(
            place=place,
            weekday=3,
            valid_from=dt.date(2027, 6, 1),
            valid_until=dt.date(2027, 8, 1),
        )
        HoursExceptionFactory(place=place, start_date=dt.date(2027, 1, 2))


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        get_json(client, url)
    return len(queries)


@pytest.mark.parametrize("url", URLS)
def test_lists_run_the_same_queries_for_5_or_30_places(
    client, db, url, django_assert_max_num_queries
):
    add_places(5)
    few = queries_of(client, url)
    add_places(25)
    with django_assert_max_num_queries(few):
        get_json(client, url)


def test_details_run_the_same_queries_whatever_the_number_of_places(
    client, places, django_assert_max_num_queries
):
    service = by_name(all_services(client))["Perhekahvila Ilta"]
    urls = [
        f"{BASE}/services/{service['id']}",
        f"{BASE}/service_at_locations/{service['service_at_locations'][0]['id']}",
        f"{BASE}/organizations/{service['organization_id']}",
    ]
    few = {url: queries_of(client, url) for url in urls}
    add_places(25)
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            get_json(client, url)
    assert timezone.is_aware(NOW)
