from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.models import Municipality, Organization, Place, Region


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

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name

    def get_absolute_url(self):
        return reverse("network:coordinators") + f"#coordinator-{self.pk}"


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=Meeting.PUBLIC_STATUSES)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def in_region(self, region_code):
        return self.filter(regions__code=region_code).distinct()


class Meeting(models.Model):
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

    title = models.CharField(_("title"), max_length=200)
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
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | ~Q(venue__isnull=True, venue_address="", online_url=""),
                name="meeting_public_has_place",
                violation_error_message=_(
                    "A meeting needs a venue, an address or an online link before it is published."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start"], name="meeting_status_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:meeting", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED


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
                violation_error_message=_("Give the number of respondents for the feedback."),
            ),
        ]

    def __str__(self):
        return str(self.meeting)

    @property
    def participants_total(self):
        return sum(getattr(self, name) for name in self.SECTOR_FIELDS)


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
