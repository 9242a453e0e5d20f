"""Baseline and follow-up surveys of the places (#17): the answer form, opening and closing,
who is asked, and the comparison of a follow-up with its baseline.

- A coordinator opens a survey of their region: it shows in the admin of every place of the
  region, and the staff of the places' organisations are e-mailed.
- Staff answer once per place: a draft can be saved and finished later; submitting needs every
  required answer and makes the response final. A closed survey cannot be answered.
- The comparison is per question key, per municipality and for the region: the mean of the
  submitted answers (yes/no as the share of yes) in the baseline and in the follow-up.
"""

import logging
import smtplib
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.mail import absolute_url, preferred_language, send_message
from kohtaamispaikat.core.public_forms import one_line, reject_html
from network.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from places.models import Place

logger = logging.getLogger(__name__)
MAIL_ERRORS = (smtplib.SMTPException, OSError)
NUMBER_LIMIT = Decimal("9999999999")

Kind = SurveyQuestion.Kind


def answer_url(survey, place):
    return reverse("admin:network_survey_answer", args=[survey.pk, place.pk])


def survey_places(survey):
    return Place.objects.filter(municipality__region=survey.region_id, is_published=True)


class DecimalCommaField(forms.DecimalField):
    """A number typed the Finnish way (12,5) or the English way (12.5), as the outcome's
    feedback average is: a comma is always the decimal separator here."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        return formats.localize_input(value) if isinstance(value, Decimal) else value


class SurveyAnswerForm(forms.Form):
    """The questions of ``survey`` as fields; ``draft`` lets required ones stay empty."""

    def __init__(self, *args, survey, questions, response=None, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = questions
        stored = {}
        if response is not None:
            stored = {answer.question_id: answer for answer in response.answers.all()}
        for question in questions:
            field = self._field(question)
            field.required = question.required and not draft
            self.fields[self.field_name(question)] = field
            answer = stored.get(question.pk)
            if answer is not None and not self.is_bound:
                self.initial[self.field_name(question)] = self._initial(question, answer)

    @staticmethod
    def field_name(question):
        return f"q{question.pk}"

    def _field(self, question):
        label = question.text
        if question.kind in (Kind.SCALE_4, Kind.SCALE_5):
            top = question.scale_top
            return forms.TypedChoiceField(
                label=label,
                choices=[(str(n), str(n)) for n in range(1, top + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 is the lowest, %(top)s the highest.") % {"top": top},
            )
        if question.kind == Kind.YES_NO:
            return forms.TypedChoiceField(
                label=label,
                choices=[("yes", _("yes")), ("no", _("no"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
            )
        if question.kind == Kind.NUMBER:
            return DecimalCommaField(
                label=label,
                max_digits=12,
                decimal_places=2,
                min_value=-NUMBER_LIMIT,
                max_value=NUMBER_LIMIT,
            )
        if question.kind == Kind.CHOICE:
            return forms.ChoiceField(
                label=label,
                choices=[(option, option) for option in question.option_list()],
                widget=forms.RadioSelect,
            )
        return forms.CharField(
            label=label,
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=4000,
            validators=[reject_html],
        )

    @staticmethod
    def _initial(question, answer):
        if question.kind in (Kind.SCALE_4, Kind.SCALE_5):
            return str(int(answer.number)) if answer.number is not None else None
        if question.kind == Kind.YES_NO:
            return None if answer.number is None else ("yes" if answer.number else "no")
        if question.kind == Kind.NUMBER:
            return answer.number
        return answer.text

    def answer_values(self):
        """{question: (number, text)} of the answers given."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.field_name(question))
            if value in (None, ""):
                continue
            if question.kind == Kind.YES_NO:
                values[question] = (Decimal(1 if value else 0), "")
            elif question.is_numeric:
                values[question] = (Decimal(value), "")
            else:
                values[question] = (None, value)
        return values


class SurveyClosed(Exception):
    """The survey is not open, or the place's response is already submitted."""


def save_response(survey, place, form, *, user, submit):
    """Store the form's answers as the place's draft, or submit them. In one transaction, with
    the response locked: two people answering for one place are taken in turn."""
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if not locked.is_open:
            raise SurveyClosed
        response, _created = SurveyResponse.objects.select_for_update().get_or_create(
            survey=survey, place=place
        )
        if response.is_submitted:
            raise SurveyClosed
        response.answers.all().delete()
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, question=question, number=number, text=text)
            for question, (number, text) in form.answer_values().items()
        )
        if submit:
            response.status = SurveyResponse.Status.SUBMITTED
            response.submitted_at = timezone.now()
            response.submitted_by = user
        response.save()
    return response


def staff_to_ask(survey):
    """Active staff with an e-mail of the organisations that have places in the region."""
    organisations = survey_places(survey).values("organization")
    return (
        get_user_model()
        .objects.filter(is_active=True, organizations__in=organisations)
        .exclude(email="")
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


def open_survey(survey):
    """Open a draft survey and e-mail the staff of the region's places; returns how many were
    told (0 when it was not a draft). The survey is opened even if the mail server refuses."""
    with transaction.atomic():
        opened = Survey.objects.filter(pk=survey.pk, status=Survey.Status.DRAFT).update(
            status=Survey.Status.OPEN, opened_at=timezone.now()
        )
    if not opened:
        return 0
    survey.refresh_from_db()
    places = list(survey_places(survey).order_by("name", "pk"))
    told = 0
    for user in staff_to_ask(survey):
        own = [place for place in places if place.organization_id in _organisation_ids(user)]
        context = {
            "survey_title": one_line(survey.title),
            "region": survey.region.name,
            "period_end": survey.period_end,
            "places": [(one_line(p.name), absolute_url(answer_url(survey, p))) for p in own],
        }
        try:
            send_message("survey_opened", context, [user.email], preferred_language(user))
        except MAIL_ERRORS:
            logger.exception("Could not tell %s of survey %s", user.pk, survey.pk)
            continue
        told += 1
    return told


def _organisation_ids(user):
    if not hasattr(user, "_survey_organisation_ids"):
        user._survey_organisation_ids = set(user.organizations.values_list("pk", flat=True))
    return user._survey_organisation_ids


def close_surveys(queryset):
    return queryset.filter(status=Survey.Status.OPEN).update(status=Survey.Status.CLOSED)


# The comparison -------------------------------------------------------------------------------


@dataclass
class Cell:
    mean: Decimal | None
    responses: int


@dataclass
class ComparisonRow:
    question: SurveyQuestion
    label: str  # municipality or region
    baseline: Cell
    follow_up: Cell
    is_region: bool = False

    @property
    def change(self):
        if self.baseline.mean is None or self.follow_up.mean is None:
            return None
        return self.follow_up.mean - self.baseline.mean


def means_by_municipality(surveys):
    """{(survey id, question key, municipality code): (mean, responses)} and the same with
    municipality None for the whole region, of the submitted responses: two queries."""
    answers = SurveyAnswer.objects.filter(
        response__survey__in=surveys,
        response__status=SurveyResponse.Status.SUBMITTED,
        number__isnull=False,
    ).order_by()
    fields = ("question__survey", "question__key")
    means = {}
    for row in answers.values(*fields, "response__place__municipality").annotate(
        mean=Avg("number"), responses=Count("response", distinct=True)
    ):
        key = (row["question__survey"], row["question__key"], row["response__place__municipality"])
        means[key] = (row["mean"], row["responses"])
    for row in answers.values(*fields).annotate(
        mean=Avg("number"), responses=Count("response", distinct=True)
    ):
        means[(row["question__survey"], row["question__key"], None)] = (
            row["mean"],
            row["responses"],
        )
    return means


def comparison(follow_up, questions, municipalities, means, minimum=1):
    """Rows of the follow-up's numeric questions that its baseline also asked: the region,
    then each of ``municipalities`` that has answers. Cells with fewer than ``minimum``
    responses show no mean. Yes/no questions are compared as the percentage of yes."""
    baseline_keys = (
        {q.key for q in follow_up.baseline.questions.all()} if follow_up.baseline else set()
    )
    rows = []

    def cell(survey_id, key, code, percent):
        mean, responses = means.get((survey_id, key, code), (None, 0))
        if mean is None or responses < minimum:
            return Cell(None, responses)
        value = Decimal(mean) * (100 if percent else 1)
        return Cell(value.quantize(Decimal("0.01")), responses)

    for question in questions:
        if not question.is_numeric or question.key not in baseline_keys:
            continue
        percent = question.kind == Kind.YES_NO
        for code, label, is_region in [
            (None, follow_up.region.name, True),
            *((m.code, m.name, False) for m in municipalities),
        ]:
            baseline = cell(follow_up.baseline_id, question.key, code, percent)
            later = cell(follow_up.pk, question.key, code, percent)
            if not is_region and not (baseline.responses or later.responses):
                continue
            rows.append(ComparisonRow(question, label, baseline, later, is_region))
    return rows
