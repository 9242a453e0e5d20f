from django.conf import settings
from django.core.management.base import BaseCommand

from kohtaamispaikat.core.personal_data import expire_past_retention


class Command(BaseCommand):
    help = (
        "Delete what is past its retention period (PERSONAL_DATA_RETENTION_MONTHS, 12 by "
        "default): unanswered suggestions, rejected proposals and listings, with their "
        "recorded versions, and sign-in records older than SIGN_IN_RECORDS_RETENTION_DAYS. "
        "Run it daily; --dry-run says what it would delete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        counts = expire_past_retention(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        months = settings.PERSONAL_DATA_RETENTION_MONTHS
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(f"{verb} {summary} (retention {months} months).")
