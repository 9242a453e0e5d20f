from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, F, Prefetch, Q, When
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.markup import render_markdown
from kohtaamispaikat.core.models import EditCountedModel
from kohtaamispaikat.core.uploads import random_upload_name
from places.models import Audience, Municipality, Organization, Place, Region


@dataclass
class RegionCoordinators:
    """The coordinators of one region: those covering it whole, and those of its municipalities."""

    region: Region
    region_wide: list = field(default_factory=list)
    by_municipality: dict = field(default_factory=dict)

    def municipalities(self):
        """(municipality, coordinators) pairs, by municipality name."""
        return sorted(self.by_municipality.items(), key=lambda item: item[0].name.casefold())


class CoordinatorQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def by_region(self):
        """RegionCoordinators for each region with coordinators, by region code (3 queries)."""
        coordinators = self.select_related("organization").prefetch_related(
            "regions", Prefetch("municipalities", Municipality.objects.select_related("region"))
        )
        groups = {}

        def group_of(region):
            return groups.setdefault(region.pk, RegionCoordinators(region))

        for coordinator in coordinators:
            for region in coordinator.regions.all():
                group_of(region).region_wide.append(coordinator)
            for municipality in coordinator.municipalities.all():
                by_municipality = group_of(municipality.region).by_municipality
                by_municipality.setdefault(municipality, []).append(coordinator)
        return [groups[code] for code in sorted(groups)]

    def for_municipality(self, municipality):
        """Coordinators of ``municipality`` itself or of its whole region, with organisation."""
        return (
            self.filter(Q(municipalities=municipality) | Q(regions=municipality.region_id))
            .select_related("organization")
            .distinct()
        )

    def for_municipalities(self, municipalities):
        """Coordinators of any of ``municipalities`` or of their regions, with organisation."""
        codes = [municipality.code for municipality in municipalities]
        regions = {municipality.region_id for municipality in municipalities}
        return (
            self.filter(Q(municipalities__in=codes) | Q(regions__in=regions))
            .select_related("organization")
            .distinct()
        )

    def covering(self, regions):
        """Coordinators with at least one area (a region, or a municipality) in ``regions``."""
        touching = self.model.objects.filter(
            Q(regions__in=regions) | Q(municipalities__region__in=regions)
        )
        return self.filter(pk__in=touching.values("pk"))


@reversion.register()
class Coordinator(models.Model):
    """A contact person of the network: a family-centre coordinator, an association agent…

    With a user account, the coordinator is a regional coordinator in the admin for the regions
    covered (directly, or through the municipalities covered).
    """

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For example: perhekeskuskoordinaattori.")
    )
    organization = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinators",
        verbose_name=_("organisation"),
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="coordinators", verbose_name=_("regions covered")
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="coordinators",
        verbose_name=_("municipalities covered"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinator",
        verbose_name=_("user account"),
        help_text=_("Gives this person the regional coordinator role in the admin."),
    )

    objects = CoordinatorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name

    def get_absolute_url(self):
        return reverse("network:coordinators") + f"#{self.anchor}"

    @property
    def anchor(self):
        return f"coordinator-{self.pk}"


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=Meeting.PUBLIC_STATUSES)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def upcoming_first(self, now=None):
        """Upcoming meetings soonest first, then past ones latest first."""
        now = now or timezone.now()
        return self.annotate(
            is_past=Case(When(end__lt=now, then=True), default=False),
            upcoming_start=Case(When(end__gte=now, then="start")),
            past_start=Case(When(end__lt=now, then="start")),
        ).order_by(
            "is_past",
            F("upcoming_start").asc(nulls_last=True),
            F("past_start").desc(nulls_last=True),
            "pk",
        )

    def in_region(self, region_code):
        return self.filter(regions__code=region_code).distinct()

    def held(self, now=None):
        """Meetings that took place: published (not cancelled or postponed) and over."""
        return self.filter(status=Meeting.Status.PUBLISHED, end__lt=now or timezone.now())

    def without_place(self):
        return self.filter(venue__isnull=True, venue_address="", online_url="")


END_BEFORE_START_MESSAGE = _("The meeting must end after it starts.")
PLACE_NEEDED_MESSAGE = _(
    "A meeting needs a venue, an address or an online link before it is published."
)
DEADLINE_AFTER_START_MESSAGE = _("The registration deadline cannot be after the meeting starts.")
RESPONDENTS_NEEDED_MESSAGE = _("Give the number of respondents for the feedback.")


@reversion.register()
class Meeting(EditCountedModel):
    """A network meeting: a workshop, network day, training or info session."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        NETWORK_MEETING = "network_meeting", _("network meeting")
        NETWORK_DAYS = "network_days", _("network days")
        TRAINING = "training", _("training")
        INFO_SESSION = "info_session", _("info session")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")
        POSTPONED = "postponed", _("postponed")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CANCELLED, Status.POSTPONED)

    # pgettext: in Finnish a meeting's title (otsikko) is not a coordinator's job title (nimike).
    title = models.CharField(pgettext_lazy("meeting", "title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NETWORK_MEETING)
    start = models.DateTimeField(_("starts"), db_index=True)
    end = models.DateTimeField(_("ends"))
    regions = models.ManyToManyField(Region, related_name="meetings", verbose_name=_("regions"))
    venue = models.ForeignKey(
        Place,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_meetings",
        verbose_name=_("venue"),
        help_text=_("A meeting place in the directory, or give an address below."),
    )
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    online_url = models.URLField(_("online participation link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    organizer = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_meetings",
        verbose_name=_("organiser"),
    )
    contact = models.ForeignKey(
        Coordinator,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("contact coordinator"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="meeting_ends_after_start",
                violation_error_message=END_BEFORE_START_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | ~Q(venue__isnull=True, venue_address="", online_url=""),
                name="meeting_public_has_place",
                violation_error_message=PLACE_NEEDED_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("start")),
                name="meeting_registration_before_start",
                violation_error_message=DEADLINE_AFTER_START_MESSAGE,
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start"], name="meeting_status_start"),
            models.Index(fields=["status", "end"], name="meeting_status_end"),
            models.Index(fields=["status", "published_at"], name="meeting_status_published"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.is_public and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("network:meeting", kwargs={"slug": self.slug})

    def get_preview_url(self):
        """The page as the public will see it, for those who may edit the meeting."""
        return reverse("network:meeting_preview", kwargs={"slug": self.slug})

    def clean(self):
        # The same rules as the database constraints, reported on the fields to correct.
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = END_BEFORE_START_MESSAGE
        if self.start and self.registration_deadline and self.registration_deadline > self.start:
            errors["registration_deadline"] = DEADLINE_AFTER_START_MESSAGE
        if self.is_public and not self.has_place:
            errors["venue_address"] = PLACE_NEEDED_MESSAGE
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_postponed(self):
        return self.status == self.Status.POSTPONED

    @property
    def has_place(self):
        return bool(self.venue_id or self.venue_address or self.online_url)

    def is_over(self, now=None):
        return self.end < (now or timezone.now())

    def is_held(self, now=None):
        return self.status == self.Status.PUBLISHED and self.is_over(now)

    def registration_is_open(self, now=None):
        if not self.registration_url or self.status != self.Status.PUBLISHED:
            return False
        closes = self.registration_deadline or self.start
        return (now or timezone.now()) <= closes


@reversion.register(follow=("follow_ups",))
class Outcome(models.Model):
    """What a held meeting achieved: who came, from which sector, and what they thought."""

    SECTOR_FIELDS = (
        "participants_associations",
        "participants_municipality",
        "participants_wellbeing_county",
        "participants_parish",
        "participants_education",
        "participants_business",
        "participants_residents",
        "participants_other",
    )

    meeting = models.OneToOneField(
        Meeting, models.CASCADE, related_name="outcome", verbose_name=_("meeting")
    )
    participants_associations = models.PositiveIntegerField(_("associations"), default=0)
    participants_municipality = models.PositiveIntegerField(_("municipality"), default=0)
    participants_wellbeing_county = models.PositiveIntegerField(
        _("wellbeing services county"), default=0
    )
    participants_parish = models.PositiveIntegerField(_("parish"), default=0)
    participants_education = models.PositiveIntegerField(_("education"), default=0)
    participants_business = models.PositiveIntegerField(_("business"), default=0)
    participants_residents = models.PositiveIntegerField(_("residents"), default=0)
    participants_other = models.PositiveIntegerField(_("other"), default=0)
    feedback_average = models.DecimalField(
        _("feedback average (1–4)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    feedback_respondents = models.PositiveIntegerField(_("feedback respondents"), default=0)
    themes = models.TextField(_("themes raised"), blank=True)
    practices = models.ManyToManyField(
        "GoodPractice",
        blank=True,
        related_name="outcomes",
        verbose_name=_("good practices agreed on"),
        help_text=_("Good practices this meeting agreed on or shared."),
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback_average__isnull=True)
                | Q(feedback_average__gte=1, feedback_average__lte=4),
                name="outcome_feedback_on_scale",
                violation_error_message=_("Feedback must be between 1 and 4."),
            ),
            models.CheckConstraint(
                condition=Q(feedback_average__isnull=True) | Q(feedback_respondents__gt=0),
                name="outcome_feedback_has_respondents",
                violation_error_message=RESPONDENTS_NEEDED_MESSAGE,
            ),
        ]

    def __str__(self):
        return str(self.meeting)

    def clean(self):
        errors = {}
        if self.feedback_average is not None and not self.feedback_respondents:
            errors["feedback_respondents"] = RESPONDENTS_NEEDED_MESSAGE
        meeting = getattr(self, "meeting", None)
        if meeting is not None and not meeting.is_held():
            errors["meeting"] = _(
                "An outcome can be recorded for a published meeting that has ended."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def participants_total(self):
        return sum(getattr(self, name) for name in self.SECTOR_FIELDS)

    @classmethod
    def sectors(cls):
        """(field name, label) of each participant sector, in the order of the form."""
        return [(name, cls._meta.get_field(name).verbose_name) for name in cls.SECTOR_FIELDS]

    def participants_by_sector(self):
        return [(label, getattr(self, name)) for name, label in self.sectors()]


@reversion.register()
class FollowUp(models.Model):
    """A follow-up plan agreed at a meeting for one municipality."""

    outcome = models.ForeignKey(
        Outcome, models.CASCADE, related_name="follow_ups", verbose_name=_("outcome")
    )
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="follow_ups", verbose_name=_("municipality")
    )
    plan = models.TextField(_("plan"))

    class Meta:
        ordering = ["municipality__name_fi", "pk"]
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")

    def __str__(self):
        return f"{self.municipality}: {self.plan[:50]}"


# The notice board (#18) ---------------------------------------------------------------------

LISTING_MAX_MONTHS_AHEAD = 6
LISTING_TEXT_MAX_LENGTH = 4000


def months_ahead(day, months):
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def latest_valid_until(today=None):
    return months_ahead(today or timezone.localdate(), LISTING_MAX_MONTHS_AHEAD)


class ListingQuerySet(models.QuerySet):
    def current(self, today=None):
        return self.filter(valid_until__gte=today or timezone.localdate())

    def on_board(self, today=None):
        """Approved listings still valid: what the public board shows."""
        return self.filter(status=Listing.Status.APPROVED).current(today)

    def expired_unannounced(self, today=None):
        """Approved listings past their date whose author has not yet been told."""
        return self.filter(
            status=Listing.Status.APPROVED,
            valid_until__lt=today or timezone.localdate(),
            expiry_notified_at__isnull=True,
        )

    def in_regions(self, regions):
        touching = self.model.objects.filter(municipalities__region__in=regions)
        return self.filter(pk__in=touching.values("pk"))

    def for_cards(self):
        return self.select_related("place", "organization").prefetch_related(
            Prefetch("municipalities", Municipality.objects.select_related("region")),
            "audiences",
        )


def listing_slug(title):
    """The title's slug with a random tail: unique without a query, and not guessable from
    another listing's address."""
    base = slugify(title)[:60].strip("-") or "ilmoitus"
    return f"{base}-{get_random_string(6, 'abcdefghijkmnpqrstuvwxyz23456789')}"


VALID_UNTIL_TOO_LATE_MESSAGE = _("A listing can be valid for at most six months ahead.")


@reversion.register()
class Listing(models.Model):
    """A need or an offer on the network's notice board: a room, an activity, volunteers…

    The poster's e-mail address is never shown: answers reach it through the relay form.
    """

    class Kind(models.TextChoices):
        SPACE_OFFERED = "space_offered", _("space offered")
        ACTIVITY_OFFERED = "activity_offered", _("activity offered")
        VOLUNTEERS_WANTED = "volunteers_wanted", _("volunteers wanted")
        PARTNER_WANTED = "partner_wanted", _("partner wanted")
        OTHER_NEED = "other_need", _("other need")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Frequency(models.TextChoices):
        ONCE = "once", _("once")
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")
        OCCASIONALLY = "occasionally", _("now and then")

    # A space and an activity looking for each other.
    MATCHING_KINDS = {
        Kind.SPACE_OFFERED: Kind.ACTIVITY_OFFERED,
        Kind.ACTIVITY_OFFERED: Kind.SPACE_OFFERED,
    }

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, db_index=True)
    title_fi = models.CharField(_("title in Finnish"), max_length=150)
    title_sv = models.CharField(_("title in Swedish"), max_length=150, blank=True)
    title_en = models.CharField(_("title in English"), max_length=150, blank=True)
    text_fi = models.TextField(_("text in Finnish"), max_length=LISTING_TEXT_MAX_LENGTH)
    text_sv = models.TextField(_("text in Swedish"), max_length=LISTING_TEXT_MAX_LENGTH, blank=True)
    text_en = models.TextField(_("text in English"), max_length=LISTING_TEXT_MAX_LENGTH, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, editable=False)
    municipalities = models.ManyToManyField(
        Municipality, related_name="listings", verbose_name=_("municipalities")
    )
    place = models.ForeignKey(
        Place,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("meeting place"),
    )
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="listings", verbose_name=_("audiences")
    )
    valid_until = models.DateField(_("valid until"), db_index=True)
    # Volunteers wanted: what, when, how often, and for whom.
    volunteer_tasks = models.CharField(_("what volunteers do"), max_length=300, blank=True)
    volunteer_when = models.CharField(_("when"), max_length=200, blank=True)
    volunteer_frequency = models.CharField(
        _("how often"), max_length=20, choices=Frequency, blank=True
    )
    suitable_for_minors = models.BooleanField(_("suitable for under-18s"), default=False)
    supported_volunteering = models.BooleanField(
        _("supported volunteering"),
        default=False,
        help_text=_("Volunteers who need support or guidance are welcome."),
    )
    organization = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("organisation"),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(
        _("contact e-mail"), help_text=_("Never shown: answers are e-mailed here.")
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("posted by"),
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    answer_count = models.PositiveIntegerField(_("answers"), default=0, editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    expiry_notified_at = models.DateTimeField(
        _("author told of expiry"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-pk"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["status", "valid_until"], name="listing_status_valid"),
            models.Index(fields=["status", "-approved_at"], name="listing_status_approved"),
        ]

    def __str__(self):
        return self.title_fi

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = listing_slug(self.title_fi)
        if self.status == self.Status.APPROVED and self.approved_at is None:
            self.approved_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "approved_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("network:listing", kwargs={"slug": self.slug})

    def clean(self):
        if self.valid_until and self.valid_until > latest_valid_until():
            raise ValidationError({"valid_until": VALID_UNTIL_TOO_LATE_MESSAGE})

    def _localized(self, field):
        language = (get_language() or "fi")[:2]
        return getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_fi")

    @property
    def title(self):
        return self._localized("title")

    @property
    def text(self):
        return self._localized("text")

    @property
    def is_volunteering(self):
        return self.kind == self.Kind.VOLUNTEERS_WANTED

    def is_on_board(self, today=None):
        return self.status == self.Status.APPROVED and self.valid_until >= (
            today or timezone.localdate()
        )

    def matches(self):
        """Listings on the board of the kind this one looks for, in the same sub-region
        (seutukunta): the same and the neighbouring municipalities."""
        wanted = self.MATCHING_KINDS.get(self.kind)
        if wanted is None:
            return Listing.objects.none()
        subregions = {m.subregion_id for m in self.municipalities.all()} - {None}
        nearby = Listing.objects.filter(municipalities__subregion__in=subregions)
        return (
            Listing.objects.on_board()
            .filter(kind=wanted, pk__in=nearby.values("pk"))
            .exclude(pk=self.pk)
            .for_cards()
        )


# Baseline and follow-up surveys of the places (#17) ------------------------------------------


class SurveyQuerySet(models.QuerySet):
    def answerable(self):
        return self.filter(status=Survey.Status.OPEN)

    def for_regions(self, regions):
        return self.filter(region__in=regions)


class Survey(models.Model):
    """A coordinator's survey of every place in a region: a baseline, or a follow-up that names
    its baseline and is compared with it question by question (the questions' keys)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    title = models.CharField(pgettext_lazy("survey", "title"), max_length=200)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="surveys", verbose_name=_("region")
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    introduction = models.TextField(_("introduction"), blank=True)
    baseline = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_surveys",
        verbose_name=_("baseline survey"),
        help_text=_(
            "For a follow-up: the earlier survey of the same region it is compared with. "
            "Questions with the same key are compared."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="survey_period_ends_after_start",
                violation_error_message=_("The period must end on or after its first day."),
            ),
            models.CheckConstraint(
                condition=~Q(baseline=F("pk")),
                name="survey_not_its_own_baseline",
                violation_error_message=_("A survey cannot be its own baseline."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period must end on or after its first day.")
        baseline = self.baseline
        if baseline is not None:
            if self.pk and baseline.pk == self.pk:
                errors["baseline"] = _("A survey cannot be its own baseline.")
            elif self.region_id and baseline.region_id != self.region_id:
                errors["baseline"] = _("The baseline must be a survey of the same region.")
            elif self.period_start and baseline.period_start >= self.period_start:
                errors["baseline"] = _("The baseline must be an earlier survey.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE_4 = "scale_4", _("scale 1–4")
        SCALE_5 = "scale_5", _("scale 1–5")
        YES_NO = "yes_no", _("yes or no")
        NUMBER = "number", _("number")
        CHOICE = "choice", _("single choice")
        TEXT = "text", _("free text")

    NUMERIC_KINDS = (Kind.SCALE_4, Kind.SCALE_5, Kind.YES_NO, Kind.NUMBER)

    survey = models.ForeignKey(
        Survey, models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_(
            "A short name; a follow-up's question is compared with the baseline's of the same key."
        ),
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.SCALE_4)
    options = models.TextField(
        _("options"), blank=True, help_text=_("For a single choice: one option per line.")
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "key"],
                name="survey_question_key_unique",
                violation_error_message=_("Another question of the survey has this key."),
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if self.kind == self.Kind.CHOICE and len(self.option_list()) < 2:
            raise ValidationError({"options": _("Give at least two options, one per line.")})

    def option_list(self):
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    @property
    def is_numeric(self):
        return self.kind in self.NUMERIC_KINDS

    @property
    def scale_top(self):
        return {self.Kind.SCALE_4: 4, self.Kind.SCALE_5: 5}.get(self.kind)


class SurveyResponse(models.Model):
    """One place's answers to a survey: a draft until its staff submit it, once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    survey = models.ForeignKey(
        Survey, models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    place = models.ForeignKey(
        Place, models.CASCADE, related_name="survey_responses", verbose_name=_("meeting place")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        ordering = ["survey", "place__name", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "place"],
                name="survey_response_one_per_place",
                violation_error_message=_("This place has already answered the survey."),
            ),
        ]

    def __str__(self):
        return f"{self.survey}: {self.place}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        SurveyQuestion, models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    # Scales, numbers and yes/no (1 or 0) in ``number``; a choice or free text in ``text``.
    number = models.DecimalField(_("number"), max_digits=12, decimal_places=2, null=True)
    text = models.TextField(_("text"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_answer_one_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.response}: {self.question.key}"


# Good practices (#18) -----------------------------------------------------------------------

PRACTICE_TEXT_MAX_LENGTH = 20000
ATTACHMENTS_PER_PRACTICE = 10
MUNICIPALITY_OUTSIDE_REGION_MESSAGE = _("The municipality must lie in the region chosen.")


class GoodPracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=GoodPractice.Status.PUBLISHED)

    def matching(self, words):
        """Practices with ``words`` in their title, summary or text."""
        return self.filter(
            Q(title__icontains=words) | Q(summary__icontains=words) | Q(text__icontains=words)
        )

    def for_cards(self):
        return self.select_related("region", "municipality").prefetch_related("audiences")


@reversion.register()
class GoodPractice(EditCountedModel):
    """A short article on something that worked, written by a coordinator for the network:
    a text in Markdown (rendered sanitised), where it comes from, for whom, and whom to ask."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    title = models.CharField(pgettext_lazy("meeting", "title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences for the list.")
    )
    text = models.TextField(
        _("text"),
        max_length=PRACTICE_TEXT_MAX_LENGTH,
        help_text=_(
            "Markdown: **bold**, *italics*, ## headings, lists starting with -, "
            "[links](https://…). HTML is removed."
        ),
    )
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="good_practices", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("municipality"),
        help_text=_("Leave empty for a practice of the whole region."),
    )
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="good_practices", verbose_name=_("audiences")
    )
    organization = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("organisation"),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GoodPracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="practice_status_published"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    def clean(self):
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            raise ValidationError({"municipality": MUNICIPALITY_OUTSIDE_REGION_MESSAGE})

    def get_absolute_url(self):
        return reverse("network:practice", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def area(self):
        return self.municipality or self.region

    @cached_property
    def text_html(self):
        """The text as sanitised HTML (kohtaamispaikat.core.markup)."""
        return render_markdown(self.text)


def attachment_upload_to(attachment, filename):
    return random_upload_name("practices", filename)


class PracticeAttachment(models.Model):
    """A file attached to a good practice: checked by its content when uploaded
    (kohtaamispaikat.core.uploads), stored under a random name and only ever sent as a
    download through the practice's page."""

    practice = models.ForeignKey(
        GoodPractice, models.CASCADE, related_name="attachments", verbose_name=_("good practice")
    )
    title = models.CharField(pgettext_lazy("meeting", "title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, editable=False)
    content_type = models.CharField(_("file type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["practice", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "network:practice_attachment", kwargs={"slug": self.practice.slug, "pk": self.pk}
        )


@receiver(post_delete, sender=PracticeAttachment)
def delete_attachment_file(sender, instance, **kwargs):
    """A deleted attachment's file goes too, once the deletion is committed."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
