from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple
from urllib.parse import quote
from uuid import uuid4

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.models import EditCountedModel
from places import photos
from places.activity_schedule import ActivitySchedule, parse_activity_schedule
from places.feedback import FeedbackQuerySet
from places.fields import ChoiceListField
from places.hours import (
    MIDNIGHT,
    HoursState,
    MonthWeek,
    OpeningHoursMixin,
    Weekday,
    WeekParity,
    describe_range,
    describe_slot,
    localized_note,
)
from places.querysets import PlaceQuerySet
from places.validators import validate_business_id, validate_place_slug
from places.visits import VisitCountQuerySet

# Bounding box of Finland, Åland included. Coordinates outside it are typing errors
# (swapped latitude/longitude, a missing digit), never a real meeting place.
FINLAND_LATITUDE = (59.4, 70.2)
FINLAND_LONGITUDE = (19.0, 31.7)

postal_code_validator = RegexValidator(r"^\d{5}$", _("Enter a postal code of five digits."))


class PublicLocation(NamedTuple):
    """Where the public may be told a place is: its address and point, or only its
    municipality (and the municipality's centre) when the address is hidden."""

    street_address: str
    postal_code: str
    postal_town: str
    latitude: Decimal | None
    longitude: Decimal | None
    approximate: bool
    hidden: bool

    @property
    def has_point(self):
        return self.latitude is not None and self.longitude is not None


class LocalizedNameMixin:
    """Picks the name in the active language, falling back to Finnish."""

    localized_name_languages = ("fi", "sv")

    @property
    def name(self):
        language = (get_language() or "fi")[:2]
        if language in self.localized_name_languages:
            return getattr(self, f"name_{language}") or self.name_fi
        return self.name_fi

    def __str__(self):
        return self.name


class Region(LocalizedNameMixin, models.Model):
    """A region (maakunta), as classified by Statistics Finland."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class SubRegion(LocalizedNameMixin, models.Model):
    """A sub-region (seutukunta), as classified by Statistics Finland; each lies in one region."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="subregions", verbose_name=_("region")
    )

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("sub-region")
        verbose_name_plural = _("sub-regions")

    def get_absolute_url(self):
        return reverse("places:subregion", kwargs={"slug": self.slug})


class WellbeingCounty(LocalizedNameMixin, models.Model):
    """A wellbeing services county (hyvinvointialue), or the City of Helsinki, which arranges
    the same services itself (code 90). Åland has none: its municipalities have no county."""

    HELSINKI_CODE = "90"

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")

    def get_absolute_url(self):
        return reverse("places:county", kwargs={"slug": self.slug})

    @property
    def is_city(self):
        return self.code == self.HELSINKI_CODE


class Municipality(LocalizedNameMixin, models.Model):
    """A municipality with its official three-digit code ("091") and centre point."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    # Reference data of #17 (places/data/SOURCES.md): null only before the data migration
    # ran, and the county also for Åland, which has none.
    subregion = models.ForeignKey(
        SubRegion,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("sub-region"),
    )
    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("wellbeing services county"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("year of the population figure"),
        null=True,
        blank=True,
        help_text=_("Population on 31 December of this year."),
    )

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(population__isnull=True, population_year__isnull=True)
                | Q(population__isnull=False, population_year__isnull=False),
                name="municipality_population_with_year",
                violation_error_message=_("A population figure needs its year."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("places:municipality", kwargs={"slug": self.slug})


class PostalArea(LocalizedNameMixin, models.Model):
    """A postal code and the one municipality its area belongs to (Statistics Finland's Paavo
    key): lets an import notice a place whose postal code points to another municipality."""

    code = models.CharField(
        _("postal code"), max_length=5, primary_key=True, validators=[postal_code_validator]
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        models.CASCADE,
        related_name="postal_areas",
        verbose_name=_("municipality"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("postal area")
        verbose_name_plural = _("postal areas")

    def __str__(self):
        return f"{self.code} {self.name}"

    @classmethod
    def municipality_mismatch(cls, postal_code, municipality):
        """The postal area when ``postal_code`` belongs to a municipality other than the given
        one; None when they agree or the code is unknown (new codes appear every year)."""
        area = cls.objects.select_related("municipality").filter(code=postal_code).first()
        if area is None or area.municipality_id == getattr(municipality, "pk", municipality):
            return None
        return area


class Audience(models.Model):
    """Who a place is for ("lapsiperheet", "nuoret"), named in Finnish, Swedish and English."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self):
        return self.name

    @property
    def name(self):
        language = (get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi


@reversion.register()
class Organization(models.Model):
    """An association, municipality, parish or other body that runs meeting places."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("association")
        MUNICIPALITY = "municipality", _("municipality")
        WELLBEING_COUNTY = "wellbeing_county", _("wellbeing services county")
        PARISH = "parish", _("parish")
        COMPANY = "company", _("company")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.ASSOCIATION)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Finnish business ID (Y-tunnus), for example 1234567-1."),
    )
    website = models.URLField(_("website"), blank=True)
    # The organisation's id in the open data (HSDS), the same in every export.
    uuid = models.UUIDField(_("open data ID"), default=uuid4, unique=True, editable=False)
    # Suomi.fi Service Catalogue (PTV) ------------------------------------------------------
    ptv_id = models.UUIDField(
        _("PTV organisation ID"),
        null=True,
        blank=True,
        unique=True,
        help_text=_(
            "The organisation's ID in the Suomi.fi Service Catalogue: its service locations "
            "are imported into this organisation."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organizations",
        verbose_name=_("staff members"),
        help_text=_("Users who maintain this organisation's meeting places."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(business_id="") | Q(business_id__regex=r"^[0-9]{7}-[0-9]$"),
                name="organization_business_id_format",
                violation_error_message=_("Enter a business ID in the form 1234567-1."),
            ),
        ]

    def __str__(self):
        return self.name


@reversion.register(follow=("weekly_hours", "exceptions"))
class Place(OpeningHoursMixin, EditCountedModel):
    """A meeting place: where, when, for whom, and who to contact."""

    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")
        SAMI = "se", _("Sámi")
        # Selkosuomi: short sentences and common words, for newcomers learning Finnish and for
        # people with reading difficulties.
        PLAIN_FINNISH = "fi-plain", _("plain Finnish (selkosuomi)")
        OTHER = "other", _("other languages")

    class Arrival(models.TextChoices):
        WALK_IN = "walk_in", _("Come straight in")
        RING = "ring", _("Ring the bell")
        CALL_FIRST = "call_first", _("Call or send a message before coming")

    class Amenity(models.TextChoices):
        COFFEE = "coffee", _("coffee and tea")
        MEALS = "meals", _("meals")
        INTERNET = "internet", _("internet and computers")
        PEER_SUPPORT = "peer_support", _("peer support")
        CHILD_MINDING = "child_minding", _("child-minding")
        GUIDANCE = "guidance", _("advice and guidance")
        CLUBS = "clubs", _("clubs and groups")
        EVENTS = "events", _("events")
        GAMES = "games", _("games and play")
        VOLUNTEERING = "volunteering", _("volunteering")
        EXERCISE = "exercise", _("exercise")
        CRAFTS = "crafts", _("crafts")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, validators=[validate_place_slug]
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="places", verbose_name=_("organisation")
    )
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="places", verbose_name=_("municipality")
    )
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=5, validators=[postal_code_validator]
    )
    postal_town = models.CharField(_("postal town"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(FINLAND_LATITUDE[0], _("This latitude is south of Finland.")),
            MaxValueValidator(FINLAND_LATITUDE[1], _("This latitude is north of Finland.")),
        ],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(FINLAND_LONGITUDE[0], _("This longitude is west of Finland.")),
            MaxValueValidator(FINLAND_LONGITUDE[1], _("This longitude is east of Finland.")),
        ],
    )
    # Set by the CSV and PTV imports when they placed the marker themselves (places.geocoding):
    # from a geocoder, or at the municipality's centre.
    location_approximate = models.BooleanField(
        _("approximate location"),
        default=False,
        help_text=_(
            "The coordinates were looked up from the address or are the municipality's centre. "
            "Check the marker on the map and untick this when the location is right."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="places", verbose_name=_("audiences")
    )
    free_of_charge = models.BooleanField(_("free of charge"), default=True)
    price_note = models.CharField(
        _("price note"), max_length=200, blank=True, help_text=_("For example: coffee 1 €.")
    )
    # What decides a first visit (#20) ----------------------------------------------------
    arrival = models.CharField(
        _("when you arrive"),
        max_length=20,
        choices=Arrival,
        blank=True,
        help_text=_("How a first-time visitor gets in."),
    )
    greets_newcomers = models.BooleanField(
        _("someone greets newcomers"),
        default=False,
        help_text=_("You can come alone: someone will greet you and show you around."),
    )
    arrival_note = models.CharField(
        _("more about arriving"),
        max_length=300,
        blank=True,
        help_text=_("For example: the door is on the yard side; the bell is next to the sign."),
    )
    nearest_stop = models.CharField(
        _("nearest bus stop"),
        max_length=200,
        blank=True,
        help_text=_("For example: Kauppatori, buses 2 and 12, 200 m."),
    )
    step_free_access = models.BooleanField(_("step-free entrance"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    induction_loop = models.BooleanField(_("induction loop"), default=False)
    accessible_parking = models.BooleanField(
        _("accessible parking"),
        default=False,
        help_text=_("A parking space for disabled people at or next to the entrance."),
    )
    stroller_space = models.BooleanField(
        _("space for prams and strollers"),
        default=False,
        help_text=_("Prams and strollers fit in or can be left safely at the entrance."),
    )
    guide_dogs_welcome = models.BooleanField(_("guide and assistance dogs welcome"), default=False)
    accessibility_note = models.TextField(_("more about accessibility"), blank=True)
    accessibility_contact = models.CharField(
        _("accessibility contact"),
        max_length=200,
        blank=True,
        help_text=_("Who to ask about accessibility before coming: a name, a phone number."),
    )
    # One list for both: at a drop-in place the languages it serves in are the languages its
    # hosts speak with visitors.
    languages = ChoiceListField(
        _("languages spoken by the hosts"),
        choices=Language.choices,
        default=list,
        blank=True,
        help_text=_("The languages visitors are served in."),
    )
    entrance_photo = models.ImageField(
        _("photo of the entrance"),
        upload_to=photos.upload_to,
        max_length=200,
        blank=True,
        width_field="entrance_photo_width",
        height_field="entrance_photo_height",
        help_text=_(
            "So that a first-time visitor recognises the door: a JPEG, PNG or WebP photo, "
            "stored at most 1600 pixels wide. Not shown when the address is hidden."
        ),
    )
    entrance_photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    entrance_photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    entrance_photo_alt = models.CharField(
        _("description of the entrance photo"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the photo shows, for those who cannot see it: required with a photo. For "
            "example: a green door in a yellow wooden house, a sign above it."
        ),
    )
    address_hidden = models.BooleanField(
        _("address hidden"),
        default=False,
        help_text=_(
            "For a place of a sensitive group: the site, the map and every export show only "
            "the municipality, never the street address, the exact location or the entrance "
            "photo. Visitors contact the place for the address."
        ),
    )
    amenities = ChoiceListField(
        _("activities and amenities"), choices=Amenity.choices, default=list, blank=True
    )
    online_url = models.URLField(_("online participation link"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    closed_on_public_holidays = models.BooleanField(
        _("closed on public holidays"),
        default=True,
        help_text=_("Closed on Finnish public holidays unless an exception says otherwise."),
    )
    closed_on_eves = models.BooleanField(
        _("closed on the eves"),
        default=False,
        help_text=_(
            "Closed on Midsummer Eve, Christmas Eve and New Year's Eve, which are not public "
            "holidays, unless an exception says otherwise."
        ),
    )
    hours_note = models.CharField(
        _("note on opening hours"),
        max_length=300,
        blank=True,
        help_text=_("For example: also by appointment."),
    )
    by_appointment_otherwise = models.BooleanField(
        _("by appointment at other times"),
        default=False,
        help_text=_(
            "Outside the opening hours the place can be visited by appointment; the note on "
            "opening hours says how."
        ),
    )
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    last_verified = models.DateField(
        _("information last verified"),
        null=True,
        blank=True,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The place's id in the open data (HSDS: its service; its location's and other objects' ids
    # derive from it), the same in every export.
    uuid = models.UUIDField(_("open data ID"), default=uuid4, unique=True, editable=False)
    # Suomi.fi Service Catalogue (PTV): see places/ptv.py -----------------------------------
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    ptv_id = models.UUIDField(
        _("PTV service location ID"), null=True, blank=True, unique=True, editable=False
    )
    # What the last PTV import wrote, per field: a field whose value differs from it was
    # edited here, and later imports leave it alone.
    ptv_imported = models.JSONField(
        _("values last imported from PTV"), default=dict, blank=True, editable=False
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        constraints = [
            models.CheckConstraint(
                condition=Q(postal_code__regex=r"^[0-9]{5}$"),
                name="place_postal_code_five_digits",
                violation_error_message=_("Enter a postal code of five digits."),
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="place_coordinates_both_or_neither",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(
                    latitude__gte=FINLAND_LATITUDE[0],
                    latitude__lte=FINLAND_LATITUDE[1],
                    longitude__gte=FINLAND_LONGITUDE[0],
                    longitude__lte=FINLAND_LONGITUDE[1],
                ),
                name="place_coordinates_in_finland",
                violation_error_message=_("The location must be in Finland."),
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "municipality"], name="place_pub_municipality"),
            models.Index(fields=["is_published", "name"], name="place_pub_name"),
            models.Index(fields=["organization", "name"], name="place_org_name"),
            models.Index(
                fields=["free_of_charge"], condition=Q(is_published=True), name="place_free"
            ),
            models.Index(
                fields=["step_free_access"],
                condition=Q(is_published=True),
                name="place_step_free",
            ),
            models.Index(
                fields=["stroller_space"],
                condition=Q(is_published=True),
                name="place_stroller",
            ),
            models.Index(
                fields=["induction_loop"],
                condition=Q(is_published=True),
                name="place_loop",
            ),
            models.Index(
                fields=["online_url"],
                condition=Q(is_published=True) & ~Q(online_url=""),
                name="place_online",
            ),
            # The bounding box of "near me" (PlaceQuerySet.near).
            models.Index(
                fields=["latitude", "longitude"],
                condition=Q(is_published=True),
                name="place_pub_location",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:detail", kwargs={"slug": self.slug})

    def get_feedback_url(self):
        return reverse("places:feedback", kwargs={"slug": self.slug})

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def public_location(self):
        """What pages, maps and exports show of the location (``PlaceQuerySet.near`` and
        ``with_public_location`` are its SQL side): for a hidden address only the municipality
        and its centre, never the street, the postal code or the coordinates."""
        if not self.address_hidden:
            return PublicLocation(
                self.street_address,
                self.postal_code,
                self.postal_town,
                self.latitude,
                self.longitude,
                self.location_approximate,
                hidden=False,
            )
        municipality = self.municipality
        return PublicLocation(
            "",
            "",
            municipality.name,
            municipality.latitude,
            municipality.longitude,
            approximate=True,
            hidden=True,
        )

    def clean(self):
        super().clean()
        if self.entrance_photo and not self.entrance_photo_alt.strip():
            raise ValidationError(
                {
                    "entrance_photo_alt": _(
                        "Describe what the photo shows, for those who cannot see it."
                    )
                },
                code="alt_required",
            )

    @property
    def shows_entrance_photo(self):
        """Whether the public sees the entrance photo: not for a hidden address, since the
        door would give the place away."""
        return bool(self.entrance_photo) and not self.address_hidden

    def get_entrance_photo_url(self):
        return reverse("places:entrance_photo", kwargs={"slug": self.slug})

    @property
    def public_address_line(self):
        """ "Street 1, 40100 Town", or only the municipality when the address is hidden."""
        location = self.public_location
        if location.hidden:
            return location.postal_town
        return f"{location.street_address}, {location.postal_code} {location.postal_town}"

    @property
    def public_nearest_stop(self):
        """The nearest stop, unless the address is hidden: the stop would point to it."""
        return "" if self.address_hidden else self.nearest_stop

    def directions_links(self):
        """(label, URL) of ways to get here: walking and driving on OpenStreetMap, and the
        public transport journey planner of settings.JOURNEY_PLANNER_URL. None without a
        location, or when the address is hidden."""
        if not self.has_location or self.address_hidden:
            return []
        destination = f"{self.latitude},{self.longitude}"
        osm = "https://www.openstreetmap.org/directions?engine={engine}&route=%3B{to}"
        planner = settings.JOURNEY_PLANNER_URL.format(
            name=quote(self.name, safe=""), lat=self.latitude, lon=self.longitude
        )
        return [
            (_("Walking directions"), osm.format(engine="fossgis_osrm_foot", to=destination)),
            (_("Driving directions"), osm.format(engine="fossgis_osrm_car", to=destination)),
            (_("Public transport"), planner),
        ]

    @property
    def confirmation_is_stale(self):
        """Whether the public page should say the information may be out of date: nobody has
        confirmed it in PUBLIC_STALE_AFTER_DAYS (a year by default). The same rule as
        ``PlaceQuerySet.unconfirmed_for``."""
        if self.last_verified is None:
            return True
        age = timezone.localdate() - self.last_verified
        return age.days > settings.PUBLIC_STALE_AFTER_DAYS

    def is_open_during(self, day, starts, ends):
        """The display face of PlaceQuerySet.open_during: whether a range of ``day`` (or one
        of the day before running past midnight) meets the window ``starts``–``ends``."""
        window_start = datetime.combine(day, starts)
        end_day = day + timedelta(days=1) if ends == MIDNIGHT else day
        window_end = datetime.combine(end_day, ends)
        intervals_on = self._interval_reader()
        return any(
            start < window_end and end > window_start
            for start, end in intervals_on(day - timedelta(days=1)) + intervals_on(day)
        )

    def get_language_labels(self):
        labels = dict(self.Language.choices)
        return [labels[code] for code in self.languages if code in labels]

    def get_amenity_labels(self):
        labels = dict(self.Amenity.choices)
        return [labels[code] for code in self.amenities if code in labels]

    ACCESSIBILITY_FEATURES = (
        "step_free_access",
        "accessible_toilet",
        "induction_loop",
        "accessible_parking",
        "stroller_space",
        "guide_dogs_welcome",
    )

    def get_accessibility_labels(self):
        """The accessibility features the place has, as the page lists them."""
        return [
            self._meta.get_field(name).verbose_name.capitalize()
            for name in self.ACCESSIBILITY_FEATURES
            if getattr(self, name)
        ]


NOTE_MAX_LENGTH = 200


class HoursStateFields(models.Model):
    """A rule's state (open, by appointment, self-service, not known) and its note in Finnish,
    Swedish and English: what WeeklyHours and HoursException share."""

    state = models.CharField(
        _("state"),
        max_length=20,
        choices=HoursState.choices,
        default=HoursState.OPEN,
        help_text=_(
            "Only “open” makes the place open (“open now”); the other states are shown with "
            "the note."
        ),
    )
    note = models.CharField(
        _("note in Finnish"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("For example: parillisilla viikoilla, soita ensin."),
    )
    note_sv = models.CharField(_("note in Swedish"), max_length=NOTE_MAX_LENGTH, blank=True)
    note_en = models.CharField(_("note in English"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True

    @property
    def localized_note(self):
        """The note in the visitor's language, else in Finnish."""
        return localized_note(self)

    @property
    def is_open_state(self):
        return self.state == HoursState.OPEN


@reversion.register()
class WeeklyHours(HoursStateFields):
    """A weekly opening range. Closing before opening means the range passes midnight;
    a season (valid from/until) makes it replace the regular hours during that period."""

    Weekday = Weekday

    place = models.ForeignKey(
        Place, models.CASCADE, related_name="weekly_hours", verbose_name=_("meeting place")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(
        _("closes"), help_text=_("A closing time before the opening time means past midnight.")
    )
    valid_from = models.DateField(_("season starts"), null=True, blank=True)
    valid_until = models.DateField(_("season ends"), null=True, blank=True)
    recurs_yearly = models.BooleanField(
        _("every year"),
        default=False,
        help_text=_(
            "The season recurs every year on the same days (the year of its dates does not "
            "matter); it may run over the year end."
        ),
    )
    on_public_holidays = models.BooleanField(
        _("on public holidays"),
        default=False,
        help_text=_(
            "Hours on the public holidays that fall on this weekday, instead of the weekday's "
            "own hours. A place with such hours is closed on the other public holidays."
        ),
    )

    weeks = models.PositiveSmallIntegerField(
        _("weeks"),
        choices=WeekParity.choices,
        default=WeekParity.EVERY,
        help_text=_("Every week, or only the odd or the even weeks of the year (ISO weeks)."),
    )
    nth = models.SmallIntegerField(
        _("which of the month"),
        choices=MonthWeek.choices,
        default=MonthWeek.EVERY,
        help_text=_("Every such weekday, or only the first to fifth or the last of the month."),
    )

    class Meta:
        # By the key, not "place": that would join Place to sort by its name, for every list
        # of hours and every prefetch of them.
        ordering = ["place_id", "valid_from", "on_public_holidays", "weekday", "opens"]
        verbose_name = _("weekly opening hours")
        verbose_name_plural = _("weekly opening hours")
        constraints = [
            models.CheckConstraint(
                # 00:00-00:00 is the whole day ("00:00-24:00").
                condition=~Q(opens=models.F("closes")) | Q(opens=MIDNIGHT),
                name="weekly_hours_not_empty",
                violation_error_message=_(
                    "Opening and closing times cannot be the same, except 00:00–00:00 for the "
                    "whole day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(nth__in=MonthWeek.values),
                name="weekly_hours_valid_nth",
                violation_error_message=_("Choose every, the first to fifth or the last."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=HoursState.values),
                name="weekly_hours_valid_state",
                violation_error_message=_("Choose a state of the hours."),
            ),
            models.CheckConstraint(
                condition=Q(weeks__in=WeekParity.values),
                name="weekly_hours_valid_weeks",
                violation_error_message=_("Choose every week, odd weeks or even weeks."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=1, weekday__lte=7),
                name="weekly_hours_valid_weekday",
                violation_error_message=_("Choose a weekday from Monday to Sunday."),
            ),
            models.CheckConstraint(
                condition=Q(recurs_yearly=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="weekly_hours_season_in_order",
                violation_error_message=_("The season cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(recurs_yearly=False)
                | Q(valid_from__isnull=False, valid_until__isnull=False),
                name="weekly_hours_yearly_season_has_ends",
                violation_error_message=_("A season every year needs its first and last day."),
            ),
        ]
        indexes = [
            models.Index(fields=["place", "weekday"], name="weekly_hours_place_day"),
            models.Index(fields=["weekday", "opens", "closes"], name="weekly_hours_day_time"),
        ]

    def __str__(self):
        hours = describe_range(self.weekday, self.opens, self.closes, self.on_public_holidays)
        if self.state != HoursState.OPEN:
            hours = f"{hours}, {self.get_state_display()}"
        if self.localized_note:
            hours = f"{hours} ({self.localized_note})"
        if self.weeks:
            hours = f"{hours}, {self.get_weeks_display()}"
        if self.nth:
            hours = f"{hours}, {self.get_nth_display()}"
        if not self.is_seasonal:
            return hours
        if self.recurs_yearly:
            season = f"{_day_and_month(self.valid_from)}–{_day_and_month(self.valid_until)}"
            return f"{hours} ({season}, {gettext('every year')})"
        return f"{hours} ({_short_date(self.valid_from)}–{_short_date(self.valid_until)})"

    @property
    def is_seasonal(self):
        return self.valid_from is not None or self.valid_until is not None


@reversion.register()
class HoursException(HoursStateFields):
    """A date or date range with other hours than usual: closed, or special hours."""

    place = models.ForeignKey(
        Place, models.CASCADE, related_name="exceptions", verbose_name=_("meeting place")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Leave empty for a single day.")
    )
    recurs_yearly = models.BooleanField(
        _("every year"),
        default=False,
        help_text=_(
            "A closure on the same days every year (the year of its dates does not matter); "
            "it may run over the year end, such as 24 December to 6 January."
        ),
    )
    closed = models.BooleanField(_("closed"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=200, blank=True, help_text=_("For example: Midsummer, renovation.")
    )

    class Meta:
        ordering = ["place_id", "start_date", "opens"]  # by the key: see WeeklyHours
        verbose_name = _("exception to opening hours")
        verbose_name_plural = _("exceptions to opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(recurs_yearly=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="hours_exception_dates_in_order",
                violation_error_message=_("The exception cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(recurs_yearly=False) | Q(closed=True),
                name="hours_exception_yearly_is_closure",
                violation_error_message=_(
                    "Only closures recur every year: give special hours of a date as an "
                    "exception of that year, or yearly hours as a season."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | (
                    Q(closed=False, opens__isnull=False, closes__isnull=False)
                    & ~Q(opens=models.F("closes"))
                ),
                name="hours_exception_closed_or_hours",
                violation_error_message=_(
                    "Mark the day closed, or give different opening and closing times."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state__in=HoursState.values),
                name="hours_exception_valid_state",
                violation_error_message=_("Choose a state of the hours."),
            ),
        ]
        indexes = [
            models.Index(fields=["place", "start_date", "end_date"], name="hours_exc_place_dates"),
            models.Index(fields=["start_date", "end_date"], name="hours_exc_dates"),
        ]

    def __str__(self):
        if self.recurs_yearly:
            days = _day_and_month(self.start_date)
            if self.end_date and self.end_date != self.start_date:
                days += f"–{_day_and_month(self.end_date)}"
            days += f" ({gettext('every year')})"
        else:
            days = _short_date(self.start_date)
            if self.end_date and self.end_date != self.start_date:
                days += f"–{_short_date(self.end_date)}"
        if self.closed or self.opens is None or self.closes is None:
            hours = gettext("closed")
        else:
            hours = describe_slot(self.opens, self.closes, self.state, self.localized_note)
        return f"{days} {hours} ({self.reason})" if self.reason else f"{days} {hours}"

    @property
    def last_date(self):
        return self.end_date or self.start_date

    def describe_hours(self):
        """The special hours with their state and note, in the active language ("" if closed)."""
        if self.closed or self.opens is None or self.closes is None:
            return ""
        return describe_slot(self.opens, self.closes, self.state, self.localized_note)


def _short_date(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _day_and_month(day):
    return formats.date_format(day, "MONTH_DAY_FORMAT")


class Reminder(models.Model):
    """A reminder e-mail sent by ``manage.py send_reminders``: what it asked about, so that a
    person gets at most one in REMINDER_INTERVAL_DAYS and a place is asked about its summer
    hours once a year."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    unconfirmed_places = models.ManyToManyField(
        Place, blank=True, related_name="+", verbose_name=_("places to confirm")
    )
    summer_places = models.ManyToManyField(
        Place, blank=True, related_name="+", verbose_name=_("places asked about summer hours")
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["user", "sent_at"], name="reminder_user_sent")]

    def __str__(self):
        return f"{self.user} {self.sent_at:%Y-%m-%d}"


class VisitCount(models.Model):
    """How many visits a place had in one month (#17), as its staff counted them.

    Optionally split into first-time visitors and, row by row in ``AudienceVisitCount``, into
    audiences; a split by activity will be a sibling of that table once activities exist.
    """

    # A figure this many times the place's usual one is more likely a typing error (an extra
    # zero) than a festival: it is saved only when confirmed.
    UNUSUAL_FACTOR = 10

    place = models.ForeignKey(
        Place, models.CASCADE, related_name="visit_counts", verbose_name=_("meeting place")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    visits = models.PositiveIntegerField(_("visits"))
    first_time = models.PositiveIntegerField(
        _("first-time visitors"),
        null=True,
        blank=True,
        help_text=_("Of the visits, how many were someone's first visit (if counted)."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VisitCountQuerySet.as_manager()

    class Meta:
        ordering = ["place_id", "-year", "-month"]
        verbose_name = _("visit count")
        verbose_name_plural = _("visit counts")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "year", "month"],
                name="visit_count_one_per_place_month",
                violation_error_message=_("This place already has a figure for this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="visit_count_month_1_12",
                violation_error_message=_("Choose a month from 1 to 12."),
            ),
            models.CheckConstraint(
                condition=Q(visits__gte=0)
                & (Q(first_time__isnull=True) | Q(first_time__gte=0, first_time__lte=F("visits"))),
                name="visit_count_first_time_within_visits",
                violation_error_message=_(
                    "First-time visitors cannot be more than the visits of the month."
                ),
            ),
        ]
        indexes = [models.Index(fields=["year", "month"], name="visit_count_year_month")]

    def __str__(self):
        return f"{self.place} {self.year}-{self.month:02d}: {self.visits}"

    @property
    def first_day(self):
        return date(self.year, self.month, 1)

    def clean(self):
        super().clean()
        if self.year and self.month and is_future_month(self.year, self.month):
            raise ValidationError(
                {"month": _("Visits can be entered only for this month and earlier ones.")}
            )

    def unusual_against(self, usual):
        """Whether ``visits`` is at least UNUSUAL_FACTOR times ``usual`` (None: no usual yet)."""
        return bool(usual) and self.visits >= self.UNUSUAL_FACTOR * usual


class AudienceVisitCount(models.Model):
    """The visits of one month that came from one audience (optional, as far as counted)."""

    visit_count = models.ForeignKey(
        VisitCount, models.CASCADE, related_name="audiences", verbose_name=_("visit count")
    )
    audience = models.ForeignKey(
        Audience, models.PROTECT, related_name="visit_counts", verbose_name=_("audience")
    )
    visits = models.PositiveIntegerField(_("visits"))

    class Meta:
        ordering = ["visit_count_id", "audience__position"]
        verbose_name = _("visits by audience")
        verbose_name_plural = _("visits by audience")
        constraints = [
            models.UniqueConstraint(
                fields=["visit_count", "audience"],
                name="audience_visit_count_one_per_audience",
                violation_error_message=_("This audience already has a figure for this month."),
            ),
        ]

    def __str__(self):
        return f"{self.audience}: {self.visits}"


def is_future_month(year, month, today=None):
    today = today or timezone.localdate()
    return (year, month) > (today.year, today.month)


# A text a resident sends has room for a few paragraphs, no more.
SUGGESTION_TEXT_MAX_LENGTH = 2000


class SuggestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Suggestion.Status.NEW)


class Suggestion(models.Model):
    """A resident's suggestion that something about a place is wrong (``/places/<slug>/suggest/``).

    Nothing about the place changes: its staff or the region's coordinators read the suggestion
    beside the place's current values, accept it (and then edit the place) or reject it with a
    note. A resident who left an address is answered in the language they wrote in.
    """

    class Kind(models.TextChoices):
        HOURS = "hours", _("the opening hours")
        ADDRESS = "address", _("the address or location")
        CONTACT = "contact", _("the contact details")
        CLOSED = "closed", _("the place has closed")
        ACTIVITY_ENDED = "activity_ended", _("an activity has ended")
        OTHER = "other", _("something else")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    place = models.ForeignKey(
        Place, models.CASCADE, related_name="suggestions", verbose_name=_("meeting place")
    )
    kind = models.CharField(_("what is wrong"), max_length=20, choices=Kind)
    text = models.TextField(_("suggestion"), max_length=SUGGESTION_TEXT_MAX_LENGTH)
    email = models.EmailField(_("e-mail for an answer"), blank=True)
    language = models.CharField(
        _("language of the suggestion"), max_length=5, choices=settings.LANGUAGES
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NEW)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    note = models.TextField(
        _("note"),
        max_length=SUGGESTION_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("Sent with the answer to a resident who left an e-mail address."),
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("correction suggestion")
        verbose_name_plural = _("correction suggestions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new", handled_at__isnull=True)
                | (~Q(status="new") & Q(handled_at__isnull=False)),
                name="suggestion_handled_when_not_new",
                violation_error_message=_("A handled suggestion needs the time it was handled."),
            ),
        ]
        indexes = [
            models.Index(fields=["place", "status"], name="suggestion_place_status"),
            models.Index(fields=["status", "created_at"], name="suggestion_status_created"),
        ]

    def __str__(self):
        return gettext("%(kind)s: %(place)s") % {
            "kind": self.get_kind_display(),
            "place": self.place.name if self.place_id else "",
        }

    def admin_url(self):
        """Where staff handle it: suggestions have no public page."""
        return reverse("admin:places_suggestion_change", args=[self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.NEW


FEEDBACK_COMMENT_MAX_LENGTH = 1000


class Feedback(models.Model):
    """One visitor's anonymous answers about a visit (``/places/<slug>/feedback/``, #17).

    No personal data: no account, no address, no time of day, only the month. The answers are
    shown only aggregated (``places.feedback``); the comment is read by the place's staff and
    its region's coordinators in the admin.
    """

    class Face(models.IntegerChoices):
        NOT_AT_ALL = 1, _("not at all")
        A_LITTLE = 2, _("a little")
        QUITE = 3, _("quite a lot")
        VERY = 4, _("very much")

    place = models.ForeignKey(
        Place, models.CASCADE, related_name="feedback", verbose_name=_("meeting place")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    participation = models.PositiveSmallIntegerField(
        _("Did you feel you could take part?"), choices=Face
    )
    safety = models.PositiveSmallIntegerField(_("Did you feel safe?"), choices=Face)
    happiness = models.PositiveSmallIntegerField(_("Did the visit make you happier?"), choices=Face)
    come_again = models.BooleanField(_("Would you come again?"), null=True, blank=True)
    comment = models.TextField(
        _("Anything else you would like to say?"),
        max_length=FEEDBACK_COMMENT_MAX_LENGTH,
        blank=True,
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "-pk"]
        verbose_name = _("visitor feedback")
        verbose_name_plural = _("visitors' feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(participation__gte=1, participation__lte=4)
                & Q(safety__gte=1, safety__lte=4)
                & Q(happiness__gte=1, happiness__lte=4),
                name="feedback_answers_on_scale",
                violation_error_message=_("Answers are on a scale from 1 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="feedback_month_1_12",
                violation_error_message=_("Choose a month from 1 to 12."),
            ),
        ]
        indexes = [models.Index(fields=["place", "year", "month"], name="feedback_place_month")]

    def __str__(self):
        return f"{self.place} {self.year}-{self.month:02d}"

    @property
    def period(self):
        return date(self.year, self.month, 1)


# What an association writes about itself when it joins: a few paragraphs at most.
PROPOSAL_TEXT_MAX_LENGTH = 2000


class PlaceProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=PlaceProposal.Status.PENDING)


class PlaceProposal(models.Model):
    """An association's proposal to list its meeting place (``/join/``), waiting for a
    coordinator of the place's region (or a site admin).

    Approving it (places.proposals.approve) creates or links the organisation, creates the
    place and a staff account for the contact person, in one transaction; rejecting it sends
    the contact person the reason. Until then nothing about the directory changes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    # The organisation: an existing one (matched by business ID or name when the proposal was
    # sent, or chosen by the coordinator), else a new one made of the name and business ID.
    organization = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("existing organisation"),
        help_text=_(
            "Leave empty to create a new organisation of the name and business ID below. The "
            "contact person becomes staff of the organisation chosen here."
        ),
    )
    organization_name = models.CharField(_("organisation"), max_length=200)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Finnish business ID (Y-tunnus), for example 1234567-1. Optional."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact person's e-mail"))
    # The place ----------------------------------------------------------------------------
    place_name = models.CharField(_("name of the place"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="proposals", verbose_name=_("municipality")
    )
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=5, validators=[postal_code_validator]
    )
    postal_town = models.CharField(_("postal town"), max_length=100)
    description = models.TextField(
        _("description"), max_length=PROPOSAL_TEXT_MAX_LENGTH, blank=True
    )
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="proposals", verbose_name=_("audiences")
    )
    # [[weekday, "HH:MM", "HH:MM"], …] from the weekly form: one range a day at most.
    weekly_hours = models.JSONField(_("weekly opening hours"), default=list, blank=True)
    hours_text = models.CharField(
        _("opening hours in words"),
        max_length=Place._meta.get_field("hours_note").max_length,
        blank=True,
    )
    consent = models.BooleanField(_("consent to publish"), default=False)
    language = models.CharField(
        _("language of the proposal"), max_length=5, choices=settings.LANGUAGES
    )
    # Handling -----------------------------------------------------------------------------
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    note = models.TextField(
        _("note"),
        max_length=PROPOSAL_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("A rejection sends this note to the contact person as the reason."),
    )
    place = models.ForeignKey(
        Place,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting place created"),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff account"),
    )

    objects = PlaceProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("place proposal")
        verbose_name_plural = _("place proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", handled_at__isnull=True)
                | (~Q(status="pending") & Q(handled_at__isnull=False)),
                name="place_proposal_handled_when_not_pending",
                violation_error_message=_("A handled proposal needs the time it was handled."),
            ),
            models.CheckConstraint(
                condition=Q(business_id="") | Q(business_id__regex=r"^[0-9]{7}-[0-9]$"),
                name="place_proposal_business_id_format",
                violation_error_message=_("Enter a business ID in the form 1234567-1."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="proposal_status_created"),
        ]

    def __str__(self):
        return f"{self.place_name} ({self.organization_name})"

    def admin_url(self):
        """Where coordinators handle it: proposals have no public page."""
        return reverse("admin:places_placeproposal_change", args=[self.pk])

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    def weekly_rules(self):
        """The weekly form's hours as unsaved WeeklyHours (for checking and for the place)."""
        rules = []
        for weekday, opens, closes in self.weekly_hours:
            rules.append(
                WeeklyHours(
                    weekday=int(weekday),
                    opens=time.fromisoformat(opens),
                    closes=time.fromisoformat(closes),
                )
            )
        return rules

    def weekly_hours_display(self):
        return "; ".join(str(rule) for rule in self.weekly_rules())


class SearchMiss(models.Model):
    """Searches of the public list that found nothing, counted per day, query, language and
    municipality (when the search chose exactly one): evidence of unmet demand for the
    coordinators. Only the normalised words are kept, never who searched, their address or the
    time of day (PRIVACY.md)."""

    QUERY_MAX_LENGTH = 100

    query = models.CharField(_("search words"), max_length=QUERY_MAX_LENGTH)
    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    municipality = models.ForeignKey(
        Municipality,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="search_misses",
        verbose_name=_("municipality"),
    )
    count = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        ordering = ["-day", "-count", "query"]
        verbose_name = _("search that found nothing")
        verbose_name_plural = _("searches that found nothing")
        constraints = [
            models.UniqueConstraint(
                fields=["query", "day", "language", "municipality"],
                condition=Q(municipality__isnull=False),
                name="search_miss_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["query", "day", "language"],
                condition=Q(municipality__isnull=True),
                name="search_miss_everywhere",
            ),
        ]
        indexes = [models.Index(fields=["day", "municipality"], name="search_miss_day")]

    def __str__(self):
        return self.query

    @classmethod
    def record(cls, query, language, municipality_id=None, day=None):
        """Count one more search of ``query`` (already normalised) today."""
        query = query[: cls.QUERY_MAX_LENGTH]
        if not query:
            return
        # One statement whether the row exists or not (PostgreSQL and SQLite alike): the
        # page runs the same queries for the first search of the day as for the next.
        target = (
            "(query, day, language) WHERE municipality_id IS NULL"
            if municipality_id is None
            else "(query, day, language, municipality_id) WHERE municipality_id IS NOT NULL"
        )
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (query, day, language, municipality_id, count) "
                f"VALUES (%s, %s, %s, %s, 1) ON CONFLICT {target} "
                f"DO UPDATE SET count = {table}.count + 1",
                [query, day or timezone.localdate(), language, municipality_id],
            )


ACTIVITY_OCCURRENCE_DAYS = 366  # the occurrence table covers today and the coming 12 months


class ActivityQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True, place__is_published=True)


@reversion.register(follow=("cancellations",))
class Activity(EditCountedModel):
    """Something that happens in a meeting place on a schedule, and for whom: a family café on
    Tuesday mornings, a singing group on the first Thursday of the month (#15).

    The schedule is OpenStreetMap opening_hours text (places.activity_schedule); its dates for
    the coming 12 months are in ActivityOccurrence, refreshed on every save and daily
    (``manage.py refresh_activity_occurrences``)."""

    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        PLAIN_FINNISH = "fi-x-simple", _("plain Finnish (selkosuomi)")
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")
        SAMI = "se", _("Sámi")
        RUSSIAN = "ru", _("Russian")
        ESTONIAN = "et", _("Estonian")
        UKRAINIAN = "uk", _("Ukrainian")
        ARABIC = "ar", _("Arabic")
        SOMALI = "so", _("Somali")
        PERSIAN = "fa", _("Persian")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        PHONE = "phone", _("by phone")

    class Registration(models.TextChoices):
        NONE = "none", _("no registration")
        REQUIRED = "required", _("registration required")

    place = models.ForeignKey(
        Place, models.CASCADE, related_name="activities", verbose_name=_("meeting place")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_fi = models.TextField(_("description in Finnish"))
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="activities", verbose_name=_("audiences")
    )
    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="organised_activities",
        verbose_name=_("organiser"),
        blank=True,
        help_text=_("Leave empty when the meeting place's organisation runs it."),
    )
    free_of_charge = models.BooleanField(_("free of charge"), default=True)
    price = models.CharField(
        _("price"), max_length=200, blank=True, help_text=_("For example: 2 € with coffee.")
    )
    languages = ChoiceListField(_("languages"), choices=Language.choices, default=list, blank=True)
    modes = ChoiceListField(_("how to take part"), choices=Mode.choices, default=list, blank=True)
    online_url = models.URLField(_("online participation link"), blank=True)
    phone_number = models.CharField(_("phone number to take part"), max_length=40, blank=True)
    registration = models.CharField(
        _("registration"), max_length=10, choices=Registration, default=Registration.NONE
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_phone = models.CharField(_("registration phone"), max_length=40, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    hide_time = models.BooleanField(
        _("hide the exact time"),
        default=False,
        help_text=_(
            "For groups of a sensitive audience, such as peer support: the public pages give "
            "the day and “contact us to join” instead of the time and room."
        ),
    )
    schedule = models.TextField(
        _("schedule"),
        help_text=_(
            "In opening_hours syntax: “Tu 10:00-12:00”, every other week “week 01-53/2 We "
            "17:00-19:00”, the first Thursday “Th[1] 13:00-15:00”, the last Friday “Fr[-1] "
            "18:00-20:00”, a season “Sep 01-May 31 Tu 10:00-12:00”, a one-off event “2027 Jan "
            "15 18:00-20:00”; “PH off” for no activity on public holidays."
        ),
    )
    starts_on = models.DateField(
        _("first date"), null=True, blank=True, help_text=_("Leave empty if it already runs.")
    )
    ends_on = models.DateField(
        _("last date"), null=True, blank=True, help_text=_("Leave empty if it goes on.")
    )
    held_when_place_closed = models.BooleanField(
        _("held when the place is closed"),
        default=False,
        help_text=_(
            "By default there is no activity on days the meeting place is closed for a public "
            "holiday or an exception to its opening hours; tick for an event held anyway, "
            "such as on Christmas Eve."
        ),
    )
    is_published = models.BooleanField(_("published"), default=True)
    uuid = models.UUIDField(_("open data ID"), default=uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["place_id", "title_fi", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="activity_dates_in_order",
                violation_error_message=_("The activity cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "place"], name="activity_org_place"),
        ]

    def __str__(self):
        return self.title_fi

    def _localized(self, name):
        language = (get_language() or "fi")[:2]
        return getattr(self, f"{name}_{language}", "") or getattr(self, f"{name}_fi")

    @property
    def title(self):
        """The title in the visitor's language, Finnish when there is none."""
        return self._localized("title")

    @property
    def description(self):
        return self._localized("description")

    def clean(self):
        errors = {}
        try:
            parse_activity_schedule(self.schedule)
        except ValidationError as error:
            errors["schedule"] = error.messages
        modes = set(self.modes or [])
        if self.Mode.ONLINE in modes and not self.online_url:
            errors["online_url"] = [_("Give the link for taking part online.")]
        if self.Mode.PHONE in modes and not self.phone_number:
            errors["phone_number"] = [_("Give the number for taking part by phone.")]
        if (
            self.registration == self.Registration.REQUIRED
            and not self.registration_url
            and not self.registration_phone
        ):
            errors["registration_url"] = [_("Give a registration link or phone number.")]
        if not self.free_of_charge and not self.price:
            errors["price"] = [_("Give the price, or mark the activity free of charge.")]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.organization_id is None and self.place_id is not None:
            self.organization_id = (
                Place.objects.filter(pk=self.place_id).values_list("organization", flat=True).get()
            )
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self):
        base = slugify(self.title_fi)[:180] or "activity"
        slug, number = base, 1
        while Activity.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            number += 1
            slug = f"{base}-{number}"
        return slug

    def schedule_rules(self):
        """The parsed schedule (places.activity_schedule.ActivitySchedule)."""
        return ActivitySchedule(self.schedule, self.starts_on, self.ends_on)

    def place_closed_on(self, place):
        """A function telling whether ``place`` (hours prefetched) is closed on a date by an
        exception or a public holiday or eve, which cancels the activity by default."""

        def closed(day):
            if self.held_when_place_closed:
                return False
            schedule = place.schedule_for(day)
            return schedule.is_closed and (schedule.is_exception or schedule.is_holiday)

        return closed

    def occurrences_between(self, start, end, place=None):
        """The activity's occurrences from ``start`` to ``end`` (dates, inclusive) as unsaved
        ActivityOccurrence rows, cancelled ones marked, and the (recurrence, date) pairs the
        schedule's rules give but that are not held (iCalendar's EXDATEs, cancellations
        included). A schedule that cannot be read has none."""
        try:
            schedule = ActivitySchedule(self.schedule, self.starts_on, self.ends_on)
        except ValidationError:
            return [], []
        place = place or Place.objects.prefetch_related("weekly_hours", "exceptions").get(
            pk=self.place_id
        )
        closed = self.place_closed_on(place)
        cancellations = {c.date: c for c in self.cancellations.all()}
        held, dropped = schedule.held(start, end)
        occurrences, excluded = [], list(dropped)
        for recurrence, day in held:
            if closed(day):
                excluded.append((recurrence, day))
                continue
            starts_at, ends_at = recurrence.times_on(day)
            cancellation = cancellations.get(day)
            if cancellation is not None:
                excluded.append((recurrence, day))
            occurrences.append(
                ActivityOccurrence(
                    activity=self,
                    date=day,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    cancelled=cancellation is not None,
                    cancellation_reason=cancellation.reason if cancellation else "",
                )
            )
        return occurrences, excluded

    def refresh_occurrences(self, today=None, place=None):
        """Rewrite the occurrence table's rows of this activity from ``today`` (by default the
        current date) for ACTIVITY_OCCURRENCE_DAYS; earlier rows stay as they were."""
        today = today or timezone.localdate()
        end = today + timedelta(days=ACTIVITY_OCCURRENCE_DAYS - 1)
        occurrences, _excluded = self.occurrences_between(today, end, place)
        with transaction.atomic():
            self.occurrences.filter(date__gte=today).delete()
            ActivityOccurrence.objects.bulk_create(occurrences)


@reversion.register()
class ActivityCancellation(models.Model):
    """One date on which an activity is not held, and why ("no family café on 3 March")."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="cancellations", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    reason = models.CharField(
        _("reason"), max_length=200, blank=True, help_text=_("Shown with the cancellation.")
    )

    class Meta:
        ordering = ["activity_id", "date"]
        verbose_name = _("cancellation")
        verbose_name_plural = _("cancellations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "date"],
                name="activity_cancellation_once_a_day",
                violation_error_message=_("This date is already cancelled."),
            )
        ]

    def __str__(self):
        text = _short_date(self.date)
        return f"{text} ({self.reason})" if self.reason else text


class ActivityOccurrenceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(activity__is_published=True, activity__place__is_published=True)

    def between(self, first, last):
        return self.filter(date__gte=first, date__lte=last)


class ActivityOccurrence(models.Model):
    """One date of an activity in the coming 12 months, made from its schedule
    (Activity.refresh_occurrences): what the "what's on" pages and feeds read in SQL."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="occurrences", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancellation_reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = ActivityOccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "activity_id"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        indexes = [
            models.Index(fields=["date", "starts_at"], name="occurrence_date"),
            models.Index(fields=["activity", "date"], name="occurrence_activity_date"),
        ]

    def __str__(self):
        return f"{self.activity} {_short_date(self.date)}"


def refresh_place_activities(place_id):
    """Rewrite the occurrences of a place's activities: its closures cancel them by default."""
    activities = list(Activity.objects.filter(place_id=place_id).prefetch_related("cancellations"))
    if not activities:
        return
    place = Place.objects.prefetch_related("weekly_hours", "exceptions").get(pk=place_id)
    for activity in activities:
        activity.refresh_occurrences(place=place)


def _deleted_with_its_parent(sender, kwargs):
    """Whether a post_delete comes from deleting a parent row (a place, an activity), whose
    activities' occurrences go with it."""
    if "origin" not in kwargs:
        return False
    origin = kwargs["origin"]
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    return model is not sender


@receiver(post_save, sender=Activity)
def _activity_saved(sender, instance, **kwargs):
    # Also for raw saves: restoring a version and loading a backup write rows so.
    instance.refresh_occurrences()


@receiver([post_save, post_delete], sender=ActivityCancellation)
def _cancellation_changed(sender, instance, **kwargs):
    activity_id = instance.__dict__.get("activity_id")
    if activity_id is None or _deleted_with_its_parent(sender, kwargs):
        return
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is not None:
        activity.refresh_occurrences()


@receiver([post_save, post_delete], sender=HoursException)
@receiver([post_save, post_delete], sender=WeeklyHours)
def _hours_changed(sender, instance, **kwargs):
    # Bulk deletions of primary keys only (the demo data's) leave it to the daily refresh.
    place_id = instance.__dict__.get("place_id")
    if place_id is None or _deleted_with_its_parent(sender, kwargs):
        return
    if Place.objects.filter(pk=place_id).exists():
        refresh_place_activities(place_id)


@receiver(post_save, sender=Place)
def _place_saved(sender, instance, created, **kwargs):
    if not created:
        refresh_place_activities(instance.pk)
