import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kohtaamispaikat.demo.accounts import demo_logins
from kohtaamispaikat.demo.datafiles import DemoDataError
from kohtaamispaikat.demo.loader import load_demo_data
from places.models import Place

DEFAULT_PLACES = 500
DEFAULT_MEETINGS = 24
DEFAULT_SEED = 2026


class Command(BaseCommand):
    help = (
        "Fill the database with realistic Finnish demo content (organisations, places, opening "
        "hours, coordinators, meetings) and one demo login per role. The same seed gives the "
        "same content; running again replaces the previous demo content (the organisations "
        'whose slug starts with "demo-", and everything they own).'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--places", type=int, default=DEFAULT_PLACES, help="Number of places to create."
        )
        parser.add_argument(
            "--meetings", type=int, default=DEFAULT_MEETINGS, help="Number of network meetings."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Seed of the random generator."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database has no places (the logins are printed anyway).",
        )

    def handle(self, *args, places, meetings, seed, if_empty, **options):
        if places < 0 or meetings < 0:
            raise CommandError("--places and --meetings cannot be negative.")
        if if_empty and Place.objects.exists():
            self.stdout.write("The database already has places: demo data not loaded.")
        else:
            self._load(places=places, meetings=meetings, seed=seed)
        self._print_logins()

    def _load(self, **options):
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "DEBUG is off: the demo logins have published passwords. "
                    "Never load demo data into a production database."
                )
            )
        started = time.perf_counter()
        try:
            result = load_demo_data(**options)
        except DemoDataError as error:
            raise CommandError(f"A demo data file needs fixing: {error}") from error
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{count} {label}" for label, count in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s: {counts}."))
        for username in result.skipped_usernames:
            self.stderr.write(
                self.style.WARNING(
                    f'A user "{username}" that is not a demo account exists: left unchanged.'
                )
            )

    def _print_logins(self):
        logins = demo_logins()
        if not logins:
            return
        self.stdout.write("Demo logins (username / password / role):")
        for login in logins:
            account = login.account
            role = f"{account.role} ({login.detail})" if login.detail else account.role
            self.stdout.write(f"  {account.username} / {account.password} / {role}")
