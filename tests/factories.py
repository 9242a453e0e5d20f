"""factory_boy factories shared by the whole suite.

Regions, municipalities and audiences are reference data loaded by migrations: factories pick
existing rows rather than inventing new ones.
"""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from network.models import (
    Coordinator,
    FollowUp,
    GoodPractice,
    Listing,
    Meeting,
    Outcome,
    PracticeAttachment,
    Survey,
    SurveyQuestion,
)
from places.models import (
    Activity,
    ActivityCancellation,
    Audience,
    Feedback,
    HoursException,
    Municipality,
    Organization,
    Place,
    PlaceProposal,
    Region,
    Suggestion,
    VisitCount,
    WeeklyHours,
)


def municipality(code):
    return Municipality.objects.get(code=code)


def audience(slug):
    return Audience.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Yhdistys {n} ry")
    slug = factory.Sequence(lambda n: f"yhdistys-{n}")
    kind = Organization.Kind.ASSOCIATION


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Olohuone {n}")
    slug = factory.Sequence(lambda n: f"olohuone-{n}")
    organization = factory.SubFactory(OrganizationFactory)
    municipality = factory.LazyFunction(lambda: municipality("179"))
    street_address = factory.Sequence(lambda n: f"Kauppakatu {n + 1}")
    postal_code = "40100"
    postal_town = "Jyväskylä"
    latitude = factory.LazyAttribute(lambda place: place.municipality.latitude)
    longitude = factory.LazyAttribute(lambda place: place.municipality.longitude)
    description = "Avoin kohtaamispaikka kaikille."
    is_published = True
    closed_on_public_holidays = False
    closed_on_eves = False
    last_verified = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create and extracted:
            self.audiences.set(extracted)


class WeeklyHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyHours

    place = factory.SubFactory(PlaceFactory)
    weekday = 1
    opens = dt.time(9, 0)
    closes = dt.time(15, 0)


class HoursExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursException

    place = factory.SubFactory(PlaceFactory)
    start_date = factory.LazyFunction(timezone.localdate)
    closed = True
    reason = "Remontti"


class VisitCountFactory(factory.django.DjangoModelFactory):
    """Last month's visits of a place."""

    class Meta:
        model = VisitCount

    place = factory.SubFactory(PlaceFactory)
    year = factory.LazyFunction(
        lambda: (timezone.localdate().replace(day=1) - dt.timedelta(1)).year
    )
    month = factory.LazyFunction(
        lambda: (timezone.localdate().replace(day=1) - dt.timedelta(1)).month
    )
    visits = 120


class FeedbackFactory(factory.django.DjangoModelFactory):
    """A visitor's answers this month: fairly content."""

    class Meta:
        model = Feedback

    place = factory.SubFactory(PlaceFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    month = factory.LazyFunction(lambda: timezone.localdate().month)
    participation = 3
    safety = 4
    happiness = 3
    come_again = True
    language = "fi"


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Koordinaattori {n}")
    title = "perhekeskuskoordinaattori"
    email = factory.Sequence(lambda n: f"koordinaattori{n}@example.org")
    is_published = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Verkostotapaaminen {n}")
    slug = factory.Sequence(lambda n: f"verkostotapaaminen-{n}")
    kind = Meeting.Kind.NETWORK_MEETING
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    end = factory.LazyAttribute(lambda meeting: meeting.start + dt.timedelta(hours=3))
    venue_address = "Kauppakatu 1, 40100 Jyväskylä"
    status = Meeting.Status.PUBLISHED

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(extracted or [municipality("179").region])


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    meeting = factory.SubFactory(
        MeetingFactory, start=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    )
    participants_associations = 10
    participants_municipality = 5
    feedback_average = "3.20"
    feedback_respondents = 12


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    outcome = factory.SubFactory(OutcomeFactory)
    municipality = factory.LazyFunction(lambda: municipality("179"))
    plan = "Perhekeskuksen avoin kohtaamispaikka aloittaa keväällä."


def organisation_staff(*organizations, **kwargs):
    """A staff user in the "Organisation staff" group, member of ``organizations``."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Organisation staff"))
    for organization in organizations:
        organization.members.add(user)
    return user


def regional_coordinator(*region_codes, **kwargs):
    """A staff user in the "Regional coordinators" group, coordinating ``region_codes``."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Regional coordinators"))
    CoordinatorFactory(user=user, regions=list(Region.objects.filter(code__in=region_codes)))
    return user


class HeldMeetingFactory(MeetingFactory):
    """A published meeting that took place a week ago."""

    start = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))


class ListingFactory(factory.django.DjangoModelFactory):
    """An approved listing of Jyväskylä, valid for a month."""

    class Meta:
        model = Listing
        skip_postgeneration_save = True

    kind = Listing.Kind.SPACE_OFFERED
    title_fi = factory.Sequence(lambda n: f"Tila vapaana tiistai-iltaisin {n}")
    text_fi = "Kylätalon sali (30 henkeä) on vapaana tiistai-iltaisin."
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    contact_name = "Maija Meikäläinen"
    contact_email = factory.Sequence(lambda n: f"ilmoittaja{n}@example.org")
    status = Listing.Status.APPROVED

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create:
            self.municipalities.set(extracted or [municipality("179")])

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create and extracted:
            self.audiences.set(extracted)


class SuggestionFactory(factory.django.DjangoModelFactory):
    """A resident's open suggestion about a place's hours, in Finnish."""

    class Meta:
        model = Suggestion

    place = factory.SubFactory(PlaceFactory)
    kind = Suggestion.Kind.HOURS
    text = "Auki myös torstaisin 10–14."
    email = "asukas@example.org"
    language = "fi"


class SurveyFactory(factory.django.DjangoModelFactory):
    """A draft survey of Keski-Suomi's places for this year."""

    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Kohtaamispaikkakysely {n}")
    region = factory.LazyFunction(lambda: Region.objects.get(code="13"))
    period_start = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    period_end = factory.LazyFunction(lambda: timezone.localdate().replace(month=12, day=31))


class SurveyQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyQuestion

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    key = factory.Sequence(lambda n: f"kysymys-{n}")
    text = factory.Sequence(lambda n: f"Kysymys {n}?")
    kind = SurveyQuestion.Kind.SCALE_4


# A minimal valid PDF: what an attachment's content check accepts.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


class GoodPracticeFactory(factory.django.DjangoModelFactory):
    """A published good practice of Keski-Suomi (13), from Äänekoski."""

    class Meta:
        model = GoodPractice
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Perhekahvila kirjaston aulassa {n}")
    slug = factory.Sequence(lambda n: f"perhekahvila-kirjaston-aulassa-{n}")
    summary = "Kirjasto ja perheyhdistys avasivat yhteisen perhekahvilan."
    text = "Perhekahvila kokoontuu **tiistaisin**.\n\n- vapaaehtoiset keittävät kahvit\n"
    region = factory.LazyFunction(lambda: Region.objects.get(code="13"))
    municipality = factory.LazyFunction(lambda: municipality("992"))
    contact_name = "Kaisa Koordinaattori"
    contact_email = "kaisa@example.org"
    status = GoodPractice.Status.PUBLISHED

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create and extracted:
            self.audiences.set(extracted)


class PracticeAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeAttachment

    practice = factory.SubFactory(GoodPracticeFactory)
    title = "Toimintamalli"
    file = factory.django.FileField(filename="malli.pdf", data=PDF_BYTES)
    original_name = "malli.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


class PlaceProposalFactory(factory.django.DjangoModelFactory):
    """An association's pending proposal of a place in Jyväskylä, written in Finnish."""

    class Meta:
        model = PlaceProposal

    organization_name = factory.Sequence(lambda n: f"Kylätaloyhdistys {n} ry")
    contact_name = "Maija Meikäläinen"
    contact_email = factory.Sequence(lambda n: f"ehdottaja{n}@example.org")
    place_name = factory.Sequence(lambda n: f"Kylätalon olohuone {n}")
    municipality = factory.LazyFunction(lambda: municipality("179"))
    street_address = "Kylätie 5"
    postal_code = "40100"
    postal_town = "Jyväskylä"
    weekly_hours = factory.LazyFunction(lambda: [[2, "10:00", "14:00"]])
    consent = True
    language = "fi"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    place = factory.SubFactory(PlaceFactory)
    title_fi = factory.Sequence(lambda n: f"Vauvakahvila {n}")
    description_fi = "Vauvaperheiden aamukahvit."
    schedule = "Tu 10:00-12:00"
    languages = factory.LazyFunction(lambda: ["fi"])
    modes = factory.LazyFunction(lambda: ["in_person"])

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create and extracted:
            self.audiences.set(extracted)


class ActivityCancellationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityCancellation

    activity = factory.SubFactory(ActivityFactory)
    date = factory.LazyFunction(timezone.localdate)
    reason = "Ohjaaja sairastunut"
