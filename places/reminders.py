"""Reminders to the staff who keep places current (#16), sent by ``manage.py send_reminders``.

Each staff member gets one message listing their organisations' places that nobody has
confirmed in STALE_AFTER_DAYS, and, from SUMMER_HOURS_REMINDER_DATE until the summer is over,
the places with no summer hours (asked once a summer). A person gets at most one reminder in
REMINDER_INTERVAL_DAYS; what was sent is recorded as a ``Reminder``, which makes the command
safe to run as often as a timer likes.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from kohtaamispaikat.core.mail import absolute_url, build_message, preferred_language
from places.models import Place, Reminder

# Finnish summer, for the question about summer hours: June to August.
SUMMER_MONTHS = ((6, 1), (8, 31))


@dataclass
class PendingReminder:
    user: object
    unconfirmed: list = field(default_factory=list)
    summer: list = field(default_factory=list)

    @property
    def language(self):
        return preferred_language(self.user)

    def message(self, summer):
        language = self.language
        with translation.override(language):
            context = {
                "user": self.user,
                "stale_after_days": settings.STALE_AFTER_DAYS,
                "unconfirmed": [_place_links(place) for place in self.unconfirmed],
                "summer": [_place_links(place) for place in self.summer],
                "summer_year": summer[0].year if summer else None,
            }
        return build_message("reminder", context, [self.user.email], language)

    def describe(self):
        return (
            f"{self.user.email}: {len(self.unconfirmed)} to confirm, "
            f"{len(self.summer)} without summer hours ({self.language})"
        )


def _place_links(place):
    return {
        "name": place.name,
        "confirm_url": absolute_url(reverse("admin:places_place_confirm", args=[place.pk])),
        "change_url": absolute_url(reverse("admin:places_place_change", args=[place.pk])),
    }


def summer_to_ask_about(today):
    """(first day, last day) of this year's summer while its hours are asked about, else None."""
    try:
        month, day = (int(part) for part in settings.SUMMER_HOURS_REMINDER_DATE.split("-"))
        ask_from = dt.date(today.year, month, day)
    except ValueError as error:
        raise ImproperlyConfigured(
            "SUMMER_HOURS_REMINDER_DATE must be a month and day such as 05-01."
        ) from error
    (first_month, first_day), (last_month, last_day) = SUMMER_MONTHS
    summer = dt.date(today.year, first_month, first_day), dt.date(today.year, last_month, last_day)
    return summer if ask_from <= today <= summer[1] else None


def pending_reminders(now=None):
    """The reminders due now, one per staff member who has something to be reminded of."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    summer = summer_to_ask_about(today)
    recently = now - dt.timedelta(days=settings.REMINDER_INTERVAL_DAYS)
    recipients = (
        get_user_model()
        .objects.filter(is_active=True, organizations__isnull=False)
        .exclude(email="")
        .exclude(reminders__sent_at__gte=recently)
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )
    asked_this_summer = set()
    if summer:
        season_start = timezone.make_aware(
            dt.datetime.combine(dt.date(today.year, 1, 1), dt.time.min)
        )
        asked_this_summer = set(
            Reminder.summer_places.through.objects.filter(
                reminder__sent_at__gte=season_start
            ).values_list("place_id", flat=True)
        )
    for user in recipients:
        places = Place.objects.filter(organization__members=user).order_by("name", "pk")
        pending = PendingReminder(
            user,
            unconfirmed=list(places.unconfirmed_for(settings.STALE_AFTER_DAYS, today=today)),
        )
        if summer:
            pending.summer = [
                place
                for place in places.without_summer_hours(*summer)
                if place.pk not in asked_this_summer
            ]
        if pending.unconfirmed or pending.summer:
            yield pending


def send_reminder(pending, connection, now=None):
    """Send one reminder and record it; nothing is recorded if the mail server refuses."""
    summer = summer_to_ask_about(timezone.localdate(now))
    message = pending.message(summer)
    message.connection = connection
    with transaction.atomic():
        reminder = Reminder.objects.create(user=pending.user, sent_at=now or timezone.now())
        reminder.unconfirmed_places.set(pending.unconfirmed)
        reminder.summer_places.set(pending.summer)
        # Sent last, inside the transaction: a refusal raises and the record is rolled back.
        message.send(fail_silently=False)
    return reminder
