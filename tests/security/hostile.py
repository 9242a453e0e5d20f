"""Hostile content for the escaping, CSP and fuzz tests: every text a user can type holds markup."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from tests.factories import (
    ActivityCancellationFactory,
    ActivityFactory,
    CoordinatorFactory,
    FeedbackFactory,
    FollowUpFactory,
    GoodPracticeFactory,
    HoursExceptionFactory,
    ListingFactory,
    MeetingFactory,
    OrganizationFactory,
    OutcomeFactory,
    PlaceFactory,
    PracticeAttachmentFactory,
    SuggestionFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    UserFactory,
    VisitCountFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

SCRIPT = '<script>alert("xss")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
# What must never reach a page unescaped.
MARKERS = ("<script>alert(", "<img src=x")
# Texts with a format the database or the save checks (a postal code, a business ID, an
# activity's schedule, read into its occurrences on save) stay valid.
CONSTRAINED_FIELDS = {"postal_code", "business_id", "schedule"}


def payload_for(field):
    text = f"{SCRIPT}{IMAGE}"
    if isinstance(field, models.URLField):
        text = f"https://example.org/{text}"
    elif isinstance(field, models.EmailField):
        text = f"{SCRIPT}@example.org"
    limit = field.max_length or len(text)
    return text if len(text) <= limit else SCRIPT[:limit]


def poison(instance, **keep):
    """Put a payload in every free-text field of ``instance`` and save it."""
    for field in instance._meta.concrete_fields:
        free_text = isinstance(field, models.CharField | models.TextField)
        if (
            free_text
            and not field.choices
            and not isinstance(field, models.SlugField)
            and field.name not in CONSTRAINED_FIELDS
            and field.name not in keep
            and field.name != "password"
        ):
            setattr(instance, field.name, payload_for(field))
    instance.save()
    return instance


def hostile_content():
    """One of everything a user can write, each text a payload; returns what the pages show."""
    families = poison(audience("lapsiperheet"), slug=True)
    organization = poison(OrganizationFactory(slug="pahantahtoinen"))
    place = poison(PlaceFactory(slug="paikka", organization=organization, audiences=[families]))
    poison(WeeklyHoursFactory(place=place, weekday=timezone.localdate().isoweekday()))
    activity = poison(ActivityFactory(place=place, organization=organization))
    poison(
        ActivityCancellationFactory(
            activity=activity, date=timezone.localdate() + dt.timedelta(days=7)
        )
    )
    poison(HoursExceptionFactory(place=place, start_date=timezone.localdate() + dt.timedelta(1)))
    poison(FeedbackFactory(place=place))
    survey = poison(SurveyFactory(region=place.municipality.region, status="open"))
    question = poison(SurveyQuestionFactory(survey=survey, kind="text"))
    response = survey.responses.create(place=place, status="submitted")
    poison(response.answers.create(question=question, text="x"))
    user = poison(UserFactory(username="pahis"), username=True)
    organization.members.add(user)
    coordinator = poison(
        CoordinatorFactory(
            organization=organization,
            regions=[municipality("179").region],
            municipalities=[municipality("179")],
        )
    )
    meeting = poison(
        MeetingFactory(slug="tapaaminen", venue=place, organizer=organization, contact=coordinator)
    )
    held = poison(
        MeetingFactory(
            slug="pidetty",
            venue=place,
            start=timezone.now() - dt.timedelta(days=7),
            registration_url="",
        )
    )
    outcome = poison(OutcomeFactory(meeting=held))
    poison(FollowUpFactory(outcome=outcome))
    practice = poison(
        GoodPracticeFactory(slug="kaytanto", organization=organization, audiences=[families])
    )
    poison(PracticeAttachmentFactory(practice=practice))
    outcome.practices.add(practice)
    listing = poison(
        ListingFactory(
            kind="volunteers_wanted",
            place=place,
            organization=organization,
            audiences=[families],
            volunteer_frequency="weekly",
        ),
        contact_email=True,
    )
    poison(ListingFactory(kind="activity_offered", contact_email="a@example.org"))
    suggestion = poison(SuggestionFactory(place=place), email=True)
    VisitCountFactory(place=place)
    return {
        "place": place,
        "meeting": meeting,
        "held": held,
        "user": user,
        "listing": listing,
        "suggestion": suggestion,
        "practice": practice,
    }


def every_text_field_poisoned():
    """(model label, field name) of each free-text field that holds no payload."""
    from kohtaamispaikat.core.backup import content_models

    missing = []
    for model in [get_user_model(), *content_models()]:
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if field.choices or isinstance(field, models.SlugField):
                continue
            if field.name in CONSTRAINED_FIELDS | {"password", "username"}:
                continue
            values = model.objects.values_list(field.name, flat=True)
            if not any(SCRIPT[:10] in (value or "") for value in values):
                missing.append((model._meta.label, field.name))
    return missing
