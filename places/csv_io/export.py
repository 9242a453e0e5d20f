"""The places as CSV in the import's format (see places.csv_io.columns)."""

import csv

from places.csv_io.columns import AUDIENCE_SEPARATOR, CSV_COLUMNS, as_text_in_spreadsheets
from places.osm_hours import place_opening_hours


def place_rows(places):
    """One list of cells per place, in CSV_COLUMNS order; a fixed number of queries."""
    places = places.select_related("organization", "municipality").prefetch_related(
        "audiences", "weekly_hours"
    )
    for place in places:
        cells = [
            place.name,
            place.organization.slug,
            place.municipality.name_fi,
            place.street_address,
            place.postal_code,
            place.postal_town,
            "" if place.latitude is None else str(place.latitude),
            "" if place.longitude is None else str(place.longitude),
            AUDIENCE_SEPARATOR.join(audience.slug for audience in place.audiences.all()),
            place_opening_hours(place),
            place.phone,
            place.email,
            place.website,
            place.description,
            "true" if place.free_of_charge else "false",
        ]
        yield [as_text_in_spreadsheets(cell) for cell in cells]


class _LineBuffer:
    """A write-only stream that hands back what is written, so csv.writer can feed a
    StreamingHttpResponse one line at a time."""

    def write(self, text):
        return text


def iter_places_csv(places):
    """The CSV of ``places`` as an iterator of lines, header first (for streaming responses)."""
    writer = csv.writer(_LineBuffer())
    yield writer.writerow(CSV_COLUMNS)
    for row in place_rows(places):
        yield writer.writerow(row)


def write_places_csv(places, stream):
    """Write the CSV of ``places`` to a text stream (a file, an HttpResponse)."""
    for line in iter_places_csv(places):
        stream.write(line)
