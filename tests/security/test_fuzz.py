"""No input gives a server error: hypothesis sends hostile query strings, path segments, headers,
methods and form posts to every public page, data endpoint and admin view.

CI runs a small repeatable sample; `make fuzz` runs over 10,000 requests and prints the tally.
"""

import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import UserFactory, regional_coordinator
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
]
PATH_TEMPLATES = [
    "/open-data/hsds/services/{}",
    "/open-data/hsds/organizations/{}",
    "/places/{}/",
    "/municipalities/{}/",
    "/network/meetings/{}/",
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
]
FORM = "application/x-www-form-urlencoded"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]


@pytest.fixture
def content(db):
    return hostile_content()


@pytest.fixture
def browser():
    # Exceptions surface as test failures with their traceback (and count as 5xx).
    return Client(raise_request_exception=True)


@pytest.mark.page_cache
def test_public_pages_survive_hostile_query_strings(content, browser):
    @FUZZ_SETTINGS
    @given(path=st.sampled_from(PUBLIC_PATHS), query=query_string(PARAMETERS))
    def check(path, query):
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


def admin_users():
    admin_user = UserFactory(username="fuzz-admin", is_superuser=True)
    coordinator = regional_coordinator("13", username="fuzz-koordinaattori")
    staff = UserFactory(username="fuzz-jasen")
    staff.groups.add(Group.objects.get(name="Organisation staff"))
    return [admin_user, coordinator, staff]


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
    return [*urls, reverse("admin:autocomplete"), reverse("admin:places_place_import")]


def test_admin_views_survive_hostile_queries(content, browser):
    users = admin_users()
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
    users = admin_users()
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
