"""No input gives a server error: hypothesis sends hostile query strings, path segments, headers,
methods and form posts to every public page, data endpoint, public form and admin view, signed
out and signed in as each role (site admin, regional coordinator, staff of an organisation, staff
of none).

CI runs a small repeatable sample; `make fuzz` runs over 20,000 requests and prints the tally.
"""

import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from places.hsds import derived_id
from tests.factories import UserFactory, organisation_staff, regional_coordinator
from tests.security.fuzzing import (
    FUZZ_SETTINGS,
    headers,
    path_segment,
    query_string,
    send,
    values,
)
from tests.security.hostile import hostile_content

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = [
    "/",
    "/places/",
    "/places/map/",
    "/places/paikka/",
    "/places.geojson",
    "/places.csv",
    "/municipalities/",
    "/municipalities/jyvaskyla/",
    "/open-data/",
    "/open-data/hsds.json",
    "/open-data/hsds/",
    "/open-data/hsds/services",
    "/open-data/hsds/organizations",
    "/open-data/hsds/service_at_locations",
    "/network/",
    "/network/meetings/",
    "/network/meetings.ics",
    "/network/meetings/tapaaminen/",
    "/network/feed/",
    "/network/coordinators/",
    "/network/coverage/",
    "/network/coverage.csv",
    "/network/statistics/",
    "/network/board/",
    "/network/board/feed/",
    "/network/board/new/",
    "/network/board/new/thanks/",
    "/places/paikka/suggest/",
    "/places/paikka/suggest/thanks/",
    "/counter/",
    "/places/paikka/feedback/",
    "/places/paikka/feedback/thanks/",
    "/places/paikka/poster/",
    "/network/reports/",
    "/network/reports.xlsx",
    "/join/",
    "/join/thanks/",
    "/network/practices/",
    "/network/practices/kaytanto/",
    "/sitemap.xml",
    "/sitemap-places.xml",
    "/robots.txt",
    "/healthz",
    "/sv/places/",
    "/en/network/meetings/",
]
PARAMETERS = [
    "q",
    "region",
    "municipality",
    "audience",
    "day",
    "open_now",
    "open_at",
    "free",
    "accessible",
    "online",
    "page",
    "year",
    "when",
    "p",
    "language",
    "next",
    "per_page",
    "full",
    "full_service",
    "organization_id",
    "modified_after",
    "kind",
    "place",
    "search",
]
PATH_TEMPLATES = [
    "/open-data/hsds/services/{}",
    "/open-data/hsds/organizations/{}",
    "/open-data/hsds/service_at_locations/{}",
    "/places/{}/suggest/",
    "/places/{}/suggest/thanks/",
    "/places/{}/feedback/",
    "/places/{}/poster/",
    "/network/reports/{}.csv",
    "/network/reports/{}.xlsx",
    "/network/board/{}/",
    "/places/{}/",
    "/municipalities/{}/",
    "/network/meetings/{}/",
    "/network/practices/{}/",
    "/network/practices/kaytanto/attachments/{}/",
    "/sitemap-{}.xml",
    "/{}/",
    "/{}",
    "/sv/places/{}/",
    "/en/{}/",
    "/places/{}/?page={}",
    "/static/{}",
]
ADMIN_PARAMETERS = [
    "q",
    "o",
    "p",
    "e",
    "all",
    "_popup",
    "_to_field",
    "_changelist_filters",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "municipality__code__exact",
    "region",
    "verified",
    "is_published__exact",
    "audiences__id__exact",
    "status__exact",
    "kind__exact",
    "regions__code__exact",
    "start__year",
    "start__month",
    "start__day",
    "organization__id__exact",
    "user__id__exact",
    "place",
    "year",
    "email",
    "action",
    "place__id__exact",
    "language__exact",
]
FORM = "application/x-www-form-urlencoded"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]


@pytest.fixture
def content(db):
    return hostile_content()


def content_paths(content):
    """The addresses of the hostile content's own rows: a listing, HSDS records by id."""
    place, organization = content["place"], content["place"].organization
    return [
        content["listing"].get_absolute_url(),
        reverse("places:hsds_service", args=[place.uuid]),
        reverse("places:hsds_organization", args=[organization.uuid]),
        reverse(
            "places:hsds_service_at_location",
            args=[derived_id(place.uuid, "service-at-location")],
        ),
    ]


@pytest.fixture
def browser():
    # Exceptions surface as test failures with their traceback (and count as 5xx).
    return Client(raise_request_exception=True)


@pytest.mark.page_cache
def test_public_pages_survive_hostile_query_strings(content, browser):
    @FUZZ_SETTINGS
    @given(
        path=st.sampled_from([*PUBLIC_PATHS, *content_paths(content)]),
        query=query_string(PARAMETERS),
    )
    def check(path, query):
        send(browser, "GET", path, QUERY_STRING=query)

    check()


def test_public_pages_signed_in_as_each_role(content, browser):
    users = [None, *roles(content)]

    @FUZZ_SETTINGS
    @given(
        user=st.sampled_from(users),
        path=st.sampled_from([*PUBLIC_PATHS, *content_paths(content)]),
        query=query_string(PARAMETERS),
    )
    def check(user, path, query):
        sign_in(browser, user)
        send(browser, "GET", path, QUERY_STRING=query)

    check()


def test_hostile_path_segments_are_not_found_not_errors(content, browser):
    @FUZZ_SETTINGS
    @given(template=st.sampled_from(PATH_TEMPLATES), first=path_segment(), second=path_segment())
    def check(template, first, second):
        send(browser, "GET", template.format(first, second))

    check()


@pytest.mark.page_cache
def test_hostile_headers_and_cookies(content, browser):
    @FUZZ_SETTINGS
    @given(path=st.sampled_from([*PUBLIC_PATHS, "/admin/", "/admin/login/"]), extra=headers)
    def check(path, extra):
        browser.cookies.clear()
        send(browser, "GET", path, **extra)

    check()


def test_hostile_methods_and_form_posts(content, browser):
    form = st.dictionaries(
        st.one_of(st.sampled_from(["username", "password", "language", "next", "q"]), st.text()),
        values.map(lambda value: value.decode("utf-8", "replace")),
        max_size=6,
    )
    body = st.one_of(
        form.map(lambda data: (FORM, data)),
        values.map(lambda data: (FORM, data)),
        values.map(lambda data: ("multipart/form-data; boundary=BoUnDaRy", data)),
        values.map(lambda data: ("application/json", data)),
        st.tuples(values.map(lambda data: data.decode("latin-1")), values),
    )
    paths = st.sampled_from([*PUBLIC_PATHS, "/i18n/setlang/", "/admin/login/", "/admin/logout/"])

    @FUZZ_SETTINGS
    @given(method=st.sampled_from(METHODS), path=paths, body=body)
    def check(method, path, body):
        content_type, data = body
        if isinstance(data, dict):
            encoded = "&".join(f"{key}={value}" for key, value in data.items())
            data = encoded.encode("utf-8", "surrogatepass")
        send(browser, method, path, data=data, content_type=content_type)

    check()


def admin_users(content=None):
    """A site admin, the coordinator of the content's region, staff of no organisation, and
    (given the content) staff of its organisation."""
    admin_user = UserFactory(username="fuzz-admin", is_superuser=True)
    coordinator = regional_coordinator("13", username="fuzz-koordinaattori")
    staff = UserFactory(username="fuzz-jasen")
    staff.groups.add(Group.objects.get(name="Organisation staff"))
    users = [admin_user, coordinator, staff]
    if content is not None:
        organization = content["place"].organization
        users.append(organisation_staff(organization, username="fuzz-oma-jasen"))
    return users


roles = admin_users


def sign_in(client, user):
    if user is None:
        client.logout()
    else:
        client.force_login(user)


def admin_urls(content):
    urls = []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{info}_changelist"))
        urls.append(reverse(f"{info}_add"))
        instance = model.objects.first()
        if instance is not None:
            urls.append(reverse(f"{info}_change", args=[instance.pk]))
            urls.append(reverse(f"{info}_history", args=[instance.pk]))
    place = content["place"]
    return [
        *urls,
        reverse("admin:autocomplete"),
        reverse("admin:places_place_import"),
        reverse("admin:places_visitcount_grid"),
        f"{reverse('admin:places_visitcount_grid')}?place={place.pk}&year=2026",
        reverse("admin:personal_data"),
    ]


def test_admin_views_survive_hostile_queries(content, browser):
    users = admin_users(content)
    urls = admin_urls(content)

    @FUZZ_SETTINGS
    @given(
        user=st.sampled_from(users),
        url=st.sampled_from(urls),
        query=query_string(ADMIN_PARAMETERS),
    )
    def check(user, url, query):
        browser.force_login(user)
        send(browser, "GET", url, QUERY_STRING=query)

    check()


def form_field_names(client, url):
    page = client.get(url)
    return sorted(set(re.findall(r'name="([^"]+)"', page.content.decode()))) or ["name"]


def test_admin_forms_survive_hostile_posts(content, browser):
    users = admin_users(content)
    browser.force_login(users[0])
    forms = {url: form_field_names(browser, url) for url in admin_urls(content)}
    urls = sorted(forms)

    @FUZZ_SETTINGS
    @given(
        user=st.sampled_from(users),
        url=st.sampled_from(urls),
        data=st.data(),
    )
    def check(user, url, data):
        names = st.one_of(st.sampled_from(forms[url]), st.text(max_size=20))
        fields = data.draw(
            st.dictionaries(names, values.map(lambda v: v.decode("utf-8", "replace")), max_size=12)
        )
        browser.force_login(user)
        data = urlencode(fields)
        send(browser, "POST", url, data=data, content_type=FORM)

    check()


def public_forms(content):
    """Each public form: its address and a valid submission, which hostile values then spoil
    field by field (so that the deeper steps run too: storing, e-mailing, the limits)."""
    place, listing = content["place"], content["listing"]
    return {
        reverse("places:suggest", kwargs={"slug": place.slug}): {
            "kind": "hours",
            "text": "Auki myös torstaisin.",
            "email": "asukas@example.org",
            "website": "",
        },
        reverse("network:listing_submit"): {
            "kind": "activity_offered",
            "title_fi": "Vertaisryhmä etsii tilaa",
            "text_fi": "Kerran viikossa.",
            "municipalities": "179",
            "audiences": "lapsiperheet",
            "valid_until": "2027-01-31",
            "contact_name": "Liisa",
            "contact_email": "liisa@example.org",
            "website": "",
        },
        listing.get_absolute_url(): {
            "name": "Aino",
            "email": "aino@example.org",
            "message": "Sopisiko keskiviikko?",
            "website": "",
        },
        reverse("places:counter"): {"place": str(place.pk)},
        # An association's proposal of its place (#16).
        "/join/": {
            "organization_name": "Kylätaloyhdistys ry",
            "business_id": "",
            "contact_name": "Maija",
            "contact_email": "maija@example.org",
            "place_name": "Kylätalon olohuone",
            "municipality": "179",
            "street_address": "Kylätie 5",
            "postal_code": "40100",
            "postal_town": "Jyväskylä",
            "description": "Kahvia ja juttuseuraa.",
            "audiences": str(place.audiences.first().pk),
            "opens_2": "10:00",
            "closes_2": "14:00",
            "hours_text": "Myös sopimuksen mukaan.",
            "consent": "on",
            "website": "",
        },
        reverse("places:feedback", kwargs={"slug": place.slug}): {
            "participation": "4",
            "safety": "3",
            "happiness": "4",
            "come_again": "yes",
            "comment": "Mukava paikka.",
            "website": "",
        },
        reverse("admin:places_visitcount_grid") + f"?place={place.pk}&year=2026": {
            f"{name}_{month}": "10" for name in ("visits", "first_time") for month in range(1, 13)
        },
        reverse("admin:personal_data"): {"action": "export", "email": "pahis@example.org"},
        reverse("admin:places_suggestion_change", args=[content["suggestion"].pk]): {
            "note": "Kiitos",
            "_reject": "1",
        },
    }


def test_public_forms_survive_hostile_posts(content, browser):
    forms = public_forms(content)
    users = [None, *roles(content)]
    hostile_value = values.map(lambda value: value.decode("utf-8", "replace"))

    @FUZZ_SETTINGS
    @given(user=st.sampled_from(users), url=st.sampled_from(sorted(forms)), data=st.data())
    def check(user, url, data):
        # The limits would soon answer every post with 429 and hide the steps behind them.
        cache.clear()
        valid = forms[url]
        spoiled = data.draw(st.dictionaries(st.sampled_from(sorted(valid)), hostile_value))
        extra = data.draw(st.dictionaries(st.text(max_size=20), hostile_value, max_size=3))
        sign_in(browser, user)
        body = urlencode({**valid, **spoiled, **extra})
        send(browser, "POST", url, data=body, content_type=FORM)

    check()
