"""Visitor figures, visitors' feedback and surveys of the demo places (#17), for the reports:
monthly visits with the season of ``data/impact.toml`` (quieter in July) for two years, a few
anonymous feedback answers a month, and a region's baseline survey with its follow-up. Rows are
built in memory and saved in bulk."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from django.utils import timezone

from kohtaamispaikat.demo import datafiles
from kohtaamispaikat.demo.datafiles import read_toml
from network.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from places.models import Feedback, VisitCount

FACES = ("1", "2", "3", "4")
COME_AGAIN = {"yes": True, "no": False, "open": None}


SURVEY_KINDS = ("scale_4", "scale_5", "yes_no", "number")


@dataclass(frozen=True)
class SurveyPlan:
    region: str
    baseline_title: str
    follow_up_title: str
    introduction: str
    answered: float
    questions: tuple  # (key, text, kind, baseline value, follow-up value)


@dataclass(frozen=True)
class ImpactVocabulary:
    visit_months: int
    usual_low: int
    usual_high: int
    season: tuple
    growth: float
    noise: float
    first_time_counted: float
    first_time_low: float
    first_time_high: float
    answers_per_month: int
    feedback_months: int
    faces: dict  # question -> ((face, weight), ...)
    come_again: tuple
    comment_share: float
    comments: tuple
    surveys: SurveyPlan


@cache
def load_impact_vocabulary(directory=None):
    document = read_toml(directory or datafiles.DATA_DIR, "impact.toml")
    visits, feedback = document.section("visits"), document.section("feedback")
    season = visits.value("season")
    if (
        not isinstance(season, list)
        or len(season) != 12
        or not all(isinstance(value, int | float) and value >= 0 for value in season)
    ):
        visits.error("must list twelve numbers, January to December.", "season")
    faces = {}
    for question in ("participation", "safety", "happiness"):
        weights = feedback.weights(question)
        if [face for face, _weight in weights] != list(FACES):
            feedback.error("must give the faces 1, 2, 3 and 4 in order.", question)
        faces[question] = weights
    come_again = feedback.weights("come_again")
    if sorted(name for name, _weight in come_again) != sorted(COME_AGAIN):
        feedback.error(f"must give {', '.join(COME_AGAIN)}.", "come_again")
    vocabulary = ImpactVocabulary(
        visit_months=visits.number("months", low=1, high=120),
        usual_low=visits.number("usual_low", low=0),
        usual_high=visits.number("usual_high", low=1),
        season=tuple(season),
        growth=visits.number("growth", low=-1, high=10),
        noise=visits.number("noise", low=0, high=1),
        first_time_counted=visits.number("first_time_counted", low=0, high=1),
        first_time_low=visits.number("first_time_low", low=0, high=1),
        first_time_high=visits.number("first_time_high", low=0, high=1),
        answers_per_month=feedback.number("answers_per_month", low=0, high=100),
        feedback_months=feedback.number("months", low=1, high=120),
        faces=faces,
        come_again=come_again,
        comment_share=feedback.number("comment_share", low=0, high=1),
        comments=feedback.texts("comments"),
        surveys=_survey_plan(document.section("surveys")),
    )
    for section in (visits, feedback, document):
        section.done()
    return vocabulary


def _survey_plan(section):
    questions = []
    for question in section.tables("questions"):
        kind = question.text("kind")
        if kind not in SURVEY_KINDS:
            question.error(f"must be one of {', '.join(SURVEY_KINDS)}.", "kind")
        questions.append(
            (
                question.text("key"),
                question.text("text"),
                kind,
                question.number("baseline"),
                question.number("follow_up"),
            )
        )
        question.done()
    plan = SurveyPlan(
        region=section.text("region"),
        baseline_title=section.text("baseline_title"),
        follow_up_title=section.text("follow_up_title"),
        introduction=section.text("introduction"),
        answered=section.number("answered", low=0, high=1),
        questions=tuple(questions),
    )
    section.done()
    return plan


def months_back(today, count):
    """(year, month) of this month and the ``count - 1`` before it, oldest first."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _pick(rng, weights):
    names, numbers = zip(*weights, strict=True)
    return rng.choices(names, weights=numbers)[0]


def build_visits(rng, places, today, vocabulary=None):
    """VisitCount rows of every published place for the vocabulary's months."""
    words = vocabulary or load_impact_vocabulary()
    rows = []
    months = months_back(today, words.visit_months)
    for place in places:
        if not place.is_published:
            continue
        usual = rng.randint(words.usual_low, words.usual_high)
        first_time = (
            rng.uniform(words.first_time_low, words.first_time_high)
            if rng.random() < words.first_time_counted
            else None
        )
        for year, month in months:
            share = today.day / 31 if (year, month) == (today.year, today.month) else 1
            noise = 1 + rng.uniform(-words.noise, words.noise)
            trend = 1 + words.growth if year == today.year else 1
            visits = round(usual * words.season[month - 1] * trend * noise * share)
            rows.append(
                VisitCount(
                    place_id=place.pk,
                    year=year,
                    month=month,
                    visits=visits,
                    first_time=None if first_time is None else round(visits * first_time),
                )
            )
    return rows


def build_feedback(rng, places, today, vocabulary=None):
    """Anonymous answers to the published places in the vocabulary's months."""
    words = vocabulary or load_impact_vocabulary()
    rows = []
    months = months_back(today, words.feedback_months)
    for place in places:
        if not place.is_published:
            continue
        for year, month in months:
            for _ in range(rng.randint(0, words.answers_per_month)):
                comment = ""
                if rng.random() < words.comment_share:
                    comment = rng.choice(words.comments)
                rows.append(
                    Feedback(
                        place_id=place.pk,
                        year=year,
                        month=month,
                        **{
                            question: int(_pick(rng, weights))
                            for question, weights in words.faces.items()
                        },
                        come_again=COME_AGAIN[_pick(rng, words.come_again)],
                        comment=comment,
                        language="fi",
                    )
                )
    return rows


def remove_demo_surveys(vocabulary=None):
    """The demo surveys, recognised by their titles (follow-ups first: a baseline is kept while
    a follow-up names it)."""
    plan = (vocabulary or load_impact_vocabulary()).surveys
    demo = Survey.objects.filter(
        region=plan.region, title__in=(plan.baseline_title, plan.follow_up_title)
    )
    for survey in demo.filter(baseline__isnull=False):
        survey.delete()
    demo.delete()


def _answer(rng, kind, typical):
    if kind == "yes_no":
        return Decimal(1 if rng.random() < typical else 0)
    if kind == "number":
        return Decimal(max(0, round(rng.gauss(typical, typical / 4))))
    top = 4 if kind == "scale_4" else 5
    return Decimal(min(top, max(1, round(rng.gauss(typical, 0.7)))))


def build_surveys(rng, places, today, vocabulary=None):
    """The region's baseline survey (last year, closed) and its follow-up (this year, open),
    saved, with submitted answers from part of the region's published places."""
    plan = (vocabulary or load_impact_vocabulary()).surveys
    region_places = [
        place
        for place in places
        if place.is_published and place.municipality.region_id == plan.region
    ]
    baseline = Survey.objects.create(
        title=plan.baseline_title,
        region_id=plan.region,
        period_start=date(today.year - 1, 2, 1),
        period_end=date(today.year - 1, 3, 31),
        introduction=plan.introduction,
        status=Survey.Status.CLOSED,
        opened_at=timezone.now(),
    )
    follow_up = Survey.objects.create(
        title=plan.follow_up_title,
        region_id=plan.region,
        period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31),
        introduction=plan.introduction,
        baseline=baseline,
        status=Survey.Status.OPEN,
        opened_at=timezone.now(),
    )
    answers = []
    for index, survey in enumerate((baseline, follow_up)):
        questions = SurveyQuestion.objects.bulk_create(
            SurveyQuestion(survey=survey, position=position, key=key, text=text, kind=kind)
            for position, (key, text, kind, *_typical) in enumerate(plan.questions, 1)
        )
        answering = [place for place in region_places if rng.random() < plan.answered]
        responses = SurveyResponse.objects.bulk_create(
            SurveyResponse(
                survey=survey,
                place_id=place.pk,
                status=SurveyResponse.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )
            for place in answering
        )
        for response in responses:
            for question, (_key, _text, kind, *typical) in zip(
                questions, plan.questions, strict=True
            ):
                answers.append(
                    SurveyAnswer(
                        response=response,
                        question=question,
                        number=_answer(rng, kind, typical[index]),
                    )
                )
    SurveyAnswer.objects.bulk_create(answers, batch_size=1000)
    return [baseline, follow_up]
