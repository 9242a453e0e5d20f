from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Prefetch
from django.utils import timezone

from kohtaamispaikat.core.cache import bump_data_version
from places.models import ACTIVITY_OCCURRENCE_DAYS, Activity, ActivityOccurrence, Place


class Command(BaseCommand):
    help = (
        "Rewrite the occurrences of every activity from today for the coming 12 months, and "
        "drop those over a year old. Run daily: the window moves on, and changes made without "
        "a save (bulk imports of opening hours) reach the activities."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        places = (
            Place.objects.filter(activities__isnull=False)
            .distinct()
            .prefetch_related(
                "weekly_hours",
                "exceptions",
                Prefetch("activities", Activity.objects.prefetch_related("cancellations")),
            )
        )
        count = 0
        for place in places.iterator(chunk_size=200):
            for activity in place.activities.all():
                activity.refresh_occurrences(today=today, place=place)
                count += 1
        old = today - timedelta(days=ACTIVITY_OCCURRENCE_DAYS)
        ActivityOccurrence.objects.filter(date__lt=old).delete()
        bump_data_version()
        self.stdout.write(f"Refreshed the occurrences of {count} activities.")
