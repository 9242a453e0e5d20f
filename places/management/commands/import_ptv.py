from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from places.models import Municipality, Organization
from places.ptv import PtvError, fetch_pages, import_ptv, read_pages


class Command(BaseCommand):
    help = (
        "Import a municipality's published service locations from the Suomi.fi Service "
        "Catalogue (PTV) as meeting places, from the API (PTV_API_URL) or from saved pages. "
        "Fields edited here are kept and reported; nothing is deleted; if any channel has a "
        "problem, nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", required=True, metavar="CODE", help="Municipality code, e.g. 179."
        )
        parser.add_argument(
            "--organization",
            metavar="UUID",
            help="Import only the channels of this PTV organisation.",
        )
        parser.add_argument(
            "--into",
            metavar="SLUG",
            help="Organisation here that new places go to (default: the organisation whose "
            "PTV ID is the channel's organisation).",
        )
        parser.add_argument(
            "--from-file",
            nargs="+",
            metavar="PAGE.json",
            dest="files",
            help="Read the listing from saved pages (all of them) instead of the API.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, save nothing.")

    def handle(self, *args, municipality, organization, into, files, dry_run, **options):
        if not Municipality.objects.filter(code=municipality).exists():
            raise CommandError(f"Unknown municipality code {municipality!r}.")
        if into is not None:
            slug, into = into, Organization.objects.filter(slug=into).first()
            if into is None:
                raise CommandError(f"No organisation has the slug {slug!r}.")
        try:
            pages = read_pages(files) if files else fetch_pages(municipality, settings.PTV_API_URL)
        except PtvError as error:
            raise CommandError(str(error)) from error
        report = import_ptv(
            pages,
            municipality=municipality,
            organization=organization,
            into=into,
            dry_run=dry_run,
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
