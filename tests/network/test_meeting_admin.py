"""The meeting admin as a coordinator uses it: feedback averages typed the Finnish way."""

from decimal import Decimal

import pytest
from django.urls import reverse, translate_url

from tests.factories import HeldMeetingFactory, OutcomeFactory
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
