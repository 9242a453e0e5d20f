"""The meeting admin as a coordinator uses it: feedback averages typed the Finnish way, drafts
previewed as the public will see them."""

from decimal import Decimal

import pytest
from django.urls import reverse, translate_url

from network.models import Meeting
from tests.factories import (
    HeldMeetingFactory,
    MeetingFactory,
    OrganizationFactory,
    OutcomeFactory,
    PlaceFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)
from tests.security.forms import admin_form_data, single

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcome_url():
    outcome = OutcomeFactory(meeting=HeldMeetingFactory(), feedback_average="3.20")
    return outcome, reverse("admin:network_outcome_change", args=[outcome.pk])


@pytest.mark.parametrize("typed", ["3,6", "3.6", " 3,60 "])
def test_a_feedback_average_with_a_decimal_comma_or_point_is_saved_as_typed(
    admin_client, outcome_url, typed
):
    outcome, url = outcome_url
    data = single(admin_form_data(admin_client.get(url), "outcome"), feedback_average=typed)
    assert admin_client.post(url, data).status_code == 302
    outcome.refresh_from_db()
    assert outcome.feedback_average == Decimal("3.6")


@pytest.mark.parametrize("typed", ["36", "0,5", "4,01", "kolme", "3,6,1"])
def test_a_feedback_average_off_the_scale_is_refused_naming_the_scale(
    admin_client, outcome_url, typed
):
    outcome, url = outcome_url
    data = single(admin_form_data(admin_client.get(url), "outcome"), feedback_average=typed)
    response = admin_client.post(translate_url(url, "en"), data)
    assert response.status_code == 200
    assert "on the scale from 1 to 4" in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.feedback_average == Decimal("3.20")


def test_the_feedback_average_is_shown_with_a_decimal_comma_in_finnish(admin_client, outcome_url):
    _, url = outcome_url
    content = admin_client.get(url).content.decode()
    assert 'value="3,20"' in content
    assert 'inputmode="decimal"' in content


@pytest.fixture
def draft_13(keski_suomi, organization):
    return MeetingFactory(
        title="Verkostopäivä luonnos",
        slug="luonnos",
        status=Meeting.Status.DRAFT,
        regions=[keski_suomi],
        organizer=organization,
    )


def preview(client, meeting):
    return client.get(translate_url(meeting.get_preview_url(), "en"))


@pytest.mark.parametrize("user", ["coordinator_13", "site_admin", "staff_user"])
def test_those_who_may_edit_a_draft_preview_it_as_the_public_will_see_it(
    client, draft_13, user, request
):
    client.force_login(request.getfixturevalue(user))
    response = preview(client, draft_13)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Verkostopäivä luonnos</h1>" in content
    assert "This meeting is not public yet" in content
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


def test_a_draft_stays_hidden_from_the_public_and_from_other_regions(client, draft_13, uusimaa):
    assert client.get(draft_13.get_absolute_url()).status_code == 404
    anonymous = preview(client, draft_13)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(regional_coordinator("01", username="koordinaattori01"))
    assert preview(client, draft_13).status_code == 404
    client.force_login(organisation_staff(OrganizationFactory(), username="muu"))
    assert preview(client, draft_13).status_code == 404


def test_the_admin_links_a_draft_to_its_preview_and_a_public_meeting_to_its_page(
    admin_client, draft_13, meeting_13
):
    draft_page = admin_client.get(reverse("admin:network_meeting_change", args=[draft_13.pk]))
    assert f'href="{draft_13.get_preview_url()}"' in draft_page.content.decode()
    public_page = admin_client.get(reverse("admin:network_meeting_change", args=[meeting_13.pk]))
    assert f'href="{meeting_13.get_absolute_url()}"' in public_page.content.decode()


def organiser_choices(client, term):
    url = translate_url(reverse("admin:autocomplete"), "en")
    params = {"app_label": "network", "model_name": "meeting", "field_name": "organizer"}
    response = client.get(url, {**params, "term": term})
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_organiser_is_chosen_by_typing_and_named_with_its_municipalities(
    client, coordinator_13, django_assert_max_num_queries
):
    for code in ("179", "091", "500", "410"):
        PlaceFactory(
            organization=OrganizationFactory(name=f"MLL:n paikallisyhdistys {code}"),
            municipality=municipality(code),
        )
    widely = OrganizationFactory(name="MLL Keski-Suomi")
    for code in ("179", "410", "500", "216"):
        PlaceFactory(organization=widely, municipality=municipality(code))
    OrganizationFactory(name="MLL ilman paikkoja")
    client.force_login(coordinator_13)

    form = client.get(translate_url(reverse("admin:network_meeting_add"), "en")).content.decode()
    organiser_select = form[form.index('name="organizer"') :][:300]
    assert "admin-autocomplete" in organiser_select
    with django_assert_max_num_queries(10):
        texts = organiser_choices(client, "MLL")
    assert "MLL:n paikallisyhdistys 179 (Jyväskylä)" in texts
    assert "MLL:n paikallisyhdistys 091 (Helsinki)" in texts
    assert "MLL Keski-Suomi (Jyväskylä, Kannonkoski, Laukaa…)" in texts
    assert "MLL ilman paikkoja" in texts


def test_staff_choose_only_their_own_organisation_as_the_organiser(
    client, staff_user, organization
):
    PlaceFactory(organization=organization, municipality=municipality("179"))
    OrganizationFactory(name="Perheyhdistys Muurame")
    client.force_login(staff_user)
    assert organiser_choices(client, "Perhe") == ["Perheyhdistys ry (Jyväskylä)"]
