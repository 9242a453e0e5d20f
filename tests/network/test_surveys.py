"""Baseline and follow-up surveys (#17): coordinators make them for their regions and open
them, staff answer once per place (drafts first), closed surveys take no answers, answers are
scoped like places, and a follow-up is compared with its baseline per municipality and region."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from network.models import Survey, SurveyQuestion, SurveyResponse
from network.surveys import comparison, means_by_municipality
from places.models import Municipality
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/network/survey/"


def answer_url(survey, place):
    """In English (the texts the tests look for), as the e-mail's link is in Finnish."""
    return "/en" + reverse("admin:network_survey_answer", args=[survey.pk, place.pk])


@pytest.fixture
def world():
    organization = OrganizationFactory(name="Perhepalvelut ry")
    jkl = PlaceFactory(name="Perhekahvila Pilke", organization=organization)
    other_org_place = PlaceFactory(name="Nuorisotila Nappi", municipality=municipality("992"))
    helsinki = PlaceFactory(
        name="Kallion olohuone", municipality=municipality("091"), organization=organization
    )
    survey = SurveyFactory(title="Lähtötasokysely")
    scale = SurveyQuestionFactory(survey=survey, key="osallisuus", text="Osallisuus?")
    yes_no = SurveyQuestionFactory(
        survey=survey, key="vapaaehtoiset", text="Vapaaehtoisia?", kind="yes_no"
    )
    free = SurveyQuestionFactory(
        survey=survey, key="terveiset", text="Terveiset?", kind="text", required=False
    )
    return {
        "organization": organization,
        "jkl": jkl,
        "other_org_place": other_org_place,
        "helsinki": helsinki,
        "survey": survey,
        "questions": (scale, yes_no, free),
        "staff": organisation_staff(organization, email="henkilokunta@example.org"),
        "other_staff": organisation_staff(
            other_org_place.organization, username="muu", email="muu@example.org"
        ),
        "coordinator": regional_coordinator("13", email="koordinaattori@example.org"),
    }


def answers(questions, scale="3", yes_no="yes", text="Kiitos", **extra):
    scale_q, yes_no_q, free_q = questions
    data = {f"q{scale_q.pk}": scale, f"q{yes_no_q.pk}": yes_no, f"q{free_q.pk}": text}
    data.update(extra)
    return data


def test_a_coordinator_makes_a_survey_only_for_their_region(client, world):
    client.force_login(world["coordinator"])
    form = client.get("/en/admin/network/survey/add/").content.decode()
    assert 'value="13"' in form and 'value="01"' not in form
    data = {
        "title": "Seurantakysely",
        "region": "13",
        "period_start": "2026-09-01",
        "period_end": "2026-09-30",
        "introduction": "",
        "baseline": world["survey"].pk,
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-position": "1",
        "questions-0-key": "osallisuus",
        "questions-0-text": "Osallisuus?",
        "questions-0-kind": "scale_4",
        "questions-0-required": "on",
    }
    assert client.post("/en/admin/network/survey/add/", data).status_code == 302
    follow_up = Survey.objects.get(title="Seurantakysely")
    assert follow_up.baseline == world["survey"]
    assert follow_up.questions.get().key == "osallisuus"
    assert client.post("/en/admin/network/survey/add/", {**data, "region": "01"}).status_code == 200
    assert not Survey.objects.filter(region="01").exists()


def test_a_follow_up_needs_an_earlier_baseline_of_the_same_region(world):
    baseline = world["survey"]
    later = Survey(
        title="Seuranta",
        region_id="01",
        period_start=baseline.period_start + dt.timedelta(days=30),
        period_end=baseline.period_end,
        baseline=baseline,
    )
    with translation.override("en"), pytest.raises(Exception, match="same region"):
        later.full_clean()
    later.region_id = "13"
    later.period_start = baseline.period_start
    with translation.override("en"), pytest.raises(Exception, match="earlier"):
        later.full_clean()


def test_opening_e_mails_the_staff_of_the_regions_places(client, world):
    client.force_login(world["coordinator"])
    client.post(CHANGELIST, {"action": "open_selected", "_selected_action": [world["survey"].pk]})
    world["survey"].refresh_from_db()
    assert world["survey"].status == "open"
    recipients = {message.to[0]: message for message in mail.outbox}
    assert set(recipients) == {"henkilokunta@example.org", "muu@example.org"}
    body = recipients["henkilokunta@example.org"].body
    assert answer_url(world["survey"], world["jkl"]).removeprefix("/en") in body
    assert answer_url(world["survey"], world["helsinki"]).removeprefix("/en") not in body


def test_staff_see_only_open_surveys_of_their_places_regions(client, world):
    client.force_login(world["staff"])
    assert "Lähtötasokysely" not in client.get(CHANGELIST).content.decode()  # a draft
    world["survey"].status = "open"
    world["survey"].save()
    page = client.get(CHANGELIST).content.decode()
    assert "Lähtötasokysely" in page
    change = client.get(f"{CHANGELIST}{world['survey'].pk}/change/").content.decode()
    assert "Perhekahvila Pilke" in change and "Nuorisotila Nappi" not in change
    uusimaa = SurveyFactory(title="Uudenmaan kysely", region_id="01", status="open")
    client.force_login(world["coordinator"])
    assert "Uudenmaan kysely" not in client.get(CHANGELIST).content.decode()
    assert client.get(f"{CHANGELIST}{uusimaa.pk}/change/").status_code in (302, 404)


def test_staff_save_a_draft_then_submit_once(client, world):
    survey, place, questions = world["survey"], world["jkl"], world["questions"]
    survey.status = "open"
    survey.save()
    client.force_login(world["staff"])
    url = answer_url(survey, place)
    draft = client.post(url, {f"q{questions[0].pk}": "2", "_draft": "1"})
    assert draft.status_code == 302
    response = SurveyResponse.objects.get(survey=survey, place=place)
    assert response.status == "draft"
    assert response.answers.get().number == 2
    form = client.get(url).content.decode()
    assert re.search(rf'name="q{questions[0].pk}" value="2"[^>]*checked', form)
    incomplete = client.post(url, {f"q{questions[0].pk}": "2", "_submit": "1"})
    assert incomplete.status_code == 200  # the yes/no question is required
    response.refresh_from_db()
    assert response.status == "draft"
    assert client.post(url, {**answers(questions), "_submit": "1"}).status_code == 302
    response.refresh_from_db()
    assert (response.status, response.submitted_by) == ("submitted", world["staff"])
    assert response.answers.count() == 3
    assert client.post(url, {**answers(questions, scale="1"), "_submit": "1"}).status_code == 403
    assert response.answers.get(question=questions[0]).number == 3


def test_answers_are_scoped_like_places(client, world):
    survey = world["survey"]
    survey.status = "open"
    survey.save()
    client.force_login(world["other_staff"])
    url = answer_url(survey, world["jkl"])
    assert client.get(url).status_code == 404
    assert client.post(url, {**answers(world["questions"]), "_submit": "1"}).status_code == 404
    client.force_login(world["staff"])
    # Helsinki is not in the survey's region.
    assert client.get(answer_url(survey, world["helsinki"])).status_code == 404
    # The coordinator reads but does not answer.
    client.force_login(world["coordinator"])
    assert client.get(url).status_code == 200
    assert client.post(url, {**answers(world["questions"]), "_submit": "1"}).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_a_closed_survey_cannot_be_answered(client, world):
    survey = world["survey"]
    survey.status = "closed"
    survey.save()
    client.force_login(world["staff"])
    url = answer_url(survey, world["jkl"])
    assert "not open" in client.get(url).content.decode()
    assert client.post(url, {**answers(world["questions"]), "_submit": "1"}).status_code == 403
    assert not SurveyResponse.objects.exists()


def submitted(survey, place, **numbers):
    response = SurveyResponse.objects.create(
        survey=survey, place=place, status="submitted", submitted_at=timezone.now()
    )
    for key, value in numbers.items():
        response.answers.create(question=survey.questions.get(key=key), number=Decimal(value))
    return response


def test_the_follow_up_is_compared_with_its_baseline_per_municipality_and_region(world):
    baseline = world["survey"]
    follow_up = SurveyFactory(
        title="Seurantakysely",
        baseline=baseline,
        period_start=baseline.period_start + dt.timedelta(days=100),
    )
    SurveyQuestionFactory(survey=follow_up, key="osallisuus", text="Osallisuus?")
    SurveyQuestionFactory(survey=follow_up, key="vapaaehtoiset", kind="yes_no")
    SurveyQuestionFactory(survey=follow_up, key="uusi", text="Vain seurannassa?")
    jkl, aanekoski = world["jkl"], world["other_org_place"]
    second_jkl = PlaceFactory(municipality=municipality("179"))
    submitted(baseline, jkl, osallisuus=2, vapaaehtoiset=0)
    submitted(baseline, second_jkl, osallisuus=3, vapaaehtoiset=1)
    submitted(baseline, aanekoski, osallisuus=1, vapaaehtoiset=0)
    submitted(follow_up, jkl, osallisuus=4, vapaaehtoiset=1)
    submitted(follow_up, second_jkl, osallisuus=3, vapaaehtoiset=1)
    draft = submitted(follow_up, aanekoski, osallisuus=4)
    draft.status = "draft"  # a draft does not count
    draft.save()
    municipalities = list(Municipality.objects.filter(region="13").order_by("name_fi"))
    rows = comparison(
        follow_up,
        list(follow_up.questions.all()),
        municipalities,
        means_by_municipality([baseline.pk, follow_up.pk]),
    )
    by = {(row.question.key, row.label): row for row in rows}
    assert {key for key, _label in by} == {"osallisuus", "vapaaehtoiset"}  # not "uusi"
    region = by[("osallisuus", "Keski-Suomi")]
    assert (region.baseline.mean, region.follow_up.mean) == (Decimal("2.00"), Decimal("3.50"))
    assert region.change == Decimal("1.50")
    assert (region.baseline.responses, region.follow_up.responses) == (3, 2)
    jyvaskyla = by[("osallisuus", "Jyväskylä")]
    assert (jyvaskyla.baseline.mean, jyvaskyla.follow_up.mean) == (Decimal("2.50"), Decimal("3.50"))
    assert by[("osallisuus", "Äänekoski")].follow_up.mean is None
    volunteers = by[("vapaaehtoiset", "Jyväskylä")]
    assert (volunteers.baseline.mean, volunteers.follow_up.mean) == (
        Decimal("50.00"),
        Decimal("100.00"),
    )


def test_the_coordinator_sees_the_comparison_on_the_follow_ups_page(client, world):
    baseline = world["survey"]
    follow_up = SurveyFactory(
        baseline=baseline, period_start=baseline.period_start + dt.timedelta(days=100)
    )
    SurveyQuestionFactory(survey=follow_up, key="osallisuus", text="Osallisuus?")
    submitted(baseline, world["jkl"], osallisuus=2)
    submitted(follow_up, world["jkl"], osallisuus=4)
    client.force_login(world["coordinator"])
    page = client.get(f"{CHANGELIST}{follow_up.pk}/change/").content.decode()
    assert "+2.00" in page
    client.force_login(world["staff"])
    follow_up.status = "open"
    follow_up.save()
    page = client.get(f"{CHANGELIST}{follow_up.pk}/change/").content.decode()
    assert "+2.00" not in page  # staff see their own places' state, not the region's figures


def test_kinds_of_questions_are_read_and_checked(client, world):
    survey = world["survey"]
    survey.status = "open"
    survey.save()
    number = SurveyQuestionFactory(survey=survey, key="kavijat", kind="number")
    choice = SurveyQuestionFactory(
        survey=survey, key="tila", kind="choice", options="oma tila\nvuokratila"
    )
    five = SurveyQuestionFactory(survey=survey, key="viisi", kind="scale_5")
    client.force_login(world["staff"])
    url = answer_url(survey, world["jkl"])
    base = answers(world["questions"])
    for bad in (
        {f"q{number.pk}": "paljon"},
        {f"q{choice.pk}": "linna"},
        {f"q{five.pk}": "6"},
        {f"q{world['questions'][2].pk}": "<b>html</b>"},
    ):
        data = {
            **base,
            f"q{number.pk}": "12,5",
            f"q{choice.pk}": "oma tila",
            f"q{five.pk}": "5",
            **bad,
            "_submit": "1",
        }
        assert client.post(url, data).status_code == 200, bad
    good = {**base, f"q{number.pk}": "12,5", f"q{choice.pk}": "vuokratila", f"q{five.pk}": "5"}
    assert client.post(url, {**good, "_submit": "1"}).status_code == 302
    stored = {a.question.key: a for a in SurveyResponse.objects.get().answers.all()}
    assert stored["kavijat"].number == Decimal("12.5")
    assert stored["tila"].text == "vuokratila"
    assert stored["viisi"].number == 5
    assert stored["vapaaehtoiset"].number == 1


def test_a_choice_question_needs_options():
    question = SurveyQuestion(key="x", text="X?", kind="choice", options="vain yksi")
    with translation.override("en"), pytest.raises(Exception, match="two options"):
        question.clean()
