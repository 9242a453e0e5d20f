import io

from django.core.management.base import BaseCommand, CommandError

from kohtaamispaikat.core.backup import export_content


class Command(BaseCommand):
    help = (
        "Write all content (accounts, organisations, places with their hours, coordinators, "
        "meetings and outcomes) and its change history and admin log as one JSON document; "
        "import_data restores it. Regions, municipalities and role groups come from the "
        "migrations and are referred to by key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )
        parser.add_argument(
            "--without-history",
            action="store_true",
            help="Leave out the change history and the admin log (a much smaller file; after "
            "importing it, no edit made before the export can be undone).",
        )

    def handle(self, *args, output, without_history, **options):
        history = not without_history
        if output is None:
            document = io.StringIO()
            export_content(document, history=history)
            self.stdout.write(document.getvalue(), ending="")
            return
        try:
            with open(output, "w", encoding="utf-8") as stream:
                export_content(stream, history=history)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from error
        self.stderr.write(self.style.SUCCESS(f"Content written to {output}."))
