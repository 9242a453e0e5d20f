import smtplib

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError

from places.reminders import pending_reminders, send_reminder


class Command(BaseCommand):
    help = (
        "E-mail each staff member the places of their organisations that need confirming, and "
        "before the summer the places with no summer hours. Safe to run daily: a person gets "
        "at most one reminder in REMINDER_INTERVAL_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would be reminded; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        sent = 0
        connection = get_connection(fail_silently=False)
        try:
            for pending in pending_reminders():
                if dry_run:
                    self.stdout.write(f"Would send {pending.describe()}")
                    continue
                try:
                    send_reminder(pending, connection)
                except (smtplib.SMTPException, OSError) as error:
                    raise CommandError(
                        f"The mail server refused the reminder to {pending.user.email}: {error}. "
                        f"{sent} reminders were sent before it."
                    ) from error
                sent += 1
                self.stdout.write(f"Sent {pending.describe()}")
        finally:
            connection.close()
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"{sent} reminders sent."))
