"""Meeting places as CSV: export, and an all-or-nothing import.

The export is the import's format: a file exported, edited in a spreadsheet and imported again
updates the places it lists. Organisations are written as slugs, municipalities by their Finnish
name, audiences as slugs, opening hours in the OpenStreetMap syntax (see places.osm_hours).

The import validates every row before it writes anything. A row updates the place with its
slug, or else the place of the same organisation, municipality and name (case-insensitively),
and creates a new place otherwise (unpublished unless its is_published cell says otherwise).
A column that is missing from the file leaves that field alone; an empty cell clears it,
except an empty opening_hours cell, which keeps the current hours so that a sheet made without
them cannot wipe them out ("Mo-Su off" removes them), and an empty slug or ID, which keeps the
place's own.

- ``columns``: the format (the columns, how a cell is kept from being a spreadsheet formula);
- ``reading``: the file checked and decoded into text;
- ``plan``: the rows validated into a plan, and the plan written all at once;
- ``report``: what an import did or why it refused;
- ``export``: the places written in the import's format, and their exceptions to the opening
  hours in a sister file (place slug, dates, closed or hours, reason);
- ``exceptions``: the sister file's import, which replaces the exceptions of the places it names.
"""

from places.csv_io.columns import CSV_COLUMNS, EXCEPTION_COLUMNS
from places.csv_io.export import (
    iter_exceptions_csv,
    iter_places_csv,
    place_rows,
    streamed_csv,
    write_exceptions_csv,
    write_places_csv,
)
from places.csv_io.plan import import_places
from places.csv_io.reading import (
    CsvFileError,
    csv_import_max_bytes,
    csv_import_max_rows,
    read_csv_source,
)
from places.csv_io.report import ImportedRow, ImportProblem, ImportReport

__all__ = [
    "CSV_COLUMNS",
    "EXCEPTION_COLUMNS",
    "CsvFileError",
    "ImportProblem",
    "ImportReport",
    "ImportedRow",
    "csv_import_max_bytes",
    "csv_import_max_rows",
    "import_places",
    "iter_exceptions_csv",
    "iter_places_csv",
    "place_rows",
    "read_csv_source",
    "streamed_csv",
    "write_exceptions_csv",
    "write_places_csv",
]
