"""The report of an import: the rows it would write or wrote, or the problems that refused it."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass
class ImportProblem:
    """One reason the import was refused: ``row`` as numbered in a spreadsheet (the header is
    row 1), None for the file as a whole."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportedRow:
    row: int
    name: str
    municipality: str
    action: str  # one of ImportReport.ACTIONS
    # How the row's opening_hours were read, in words; None when the row keeps the hours.
    hours: str | None = None

    def get_action_display(self):
        return ImportReport.ACTIONS[self.action]


@dataclass
class ImportReport:
    ACTIONS = {
        "created": _("new"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
    }

    dry_run: bool = False
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    # {row: [place pk, edit count]} of the existing places the rows were planned against: a
    # confirmation compares them with the rows it locks (see places.csv_io.plan).
    matched: dict = field(default_factory=dict)
    # The names of the organisations the import creates (or would create) with its places.
    new_organizations: list = field(default_factory=list)
    # The names of the places saved by someone else after the preview; nothing was written.
    conflicts: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # ImportProblems that did not stop the import
    # Whether the rows say how their opening hours were read (a places file's do).
    reads_hours: bool = False

    @property
    def ok(self):
        return not self.problems

    @property
    def file_problems(self):
        return [problem for problem in self.problems if problem.row is None]

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self):
        return self.count("created")

    @property
    def updated(self):
        return self.count("updated")

    @property
    def unchanged(self):
        return self.count("unchanged")

    def summary(self):
        if not self.ok:
            return ngettext(
                "Nothing was imported: %(count)d problem found.",
                "Nothing was imported: %(count)d problems found.",
                len(self.problems),
            ) % {"count": len(self.problems)}
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _("Would create %(created)d, update %(updated)d, leave %(unchanged)d unchanged.")
                % counts
            )
        return _("Created %(created)d, updated %(updated)d, unchanged %(unchanged)d.") % counts

    def add(self, row, column, message):
        self.problems.append(ImportProblem(row, column, str(message)))

    def note(self, row, message):
        if message:
            self.notes.append(ImportProblem(row, "", str(message)))
