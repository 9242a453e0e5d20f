"""The places as CSV in the import's format (see places.csv_io.columns), and their exceptions
to the opening hours in the sister file."""

import csv
from dataclasses import replace

from django.http import StreamingHttpResponse

from places.csv_io.columns import (
    BOOLEAN_COLUMNS,
    CHOICE_LIST_COLUMNS,
    CSV_COLUMNS,
    EXCEPTION_COLUMNS,
    HIDDEN_ADDRESS_COLUMNS,
    LIST_SEPARATOR,
    as_text_in_spreadsheets,
    mentions_public_holidays,
)
from places.models import HoursException
from places.osm_hours import (
    OpeningHoursSyntaxError,
    WeeklyRuleSpec,
    format_opening_hours,
    format_parsed_hours,
    parse_opening_hours,
    place_opening_hours,
)

# Excel reads a CSV file as UTF-8 only when it starts with a byte order mark; other programs
# (and Python's csv with encoding="utf-8-sig") skip it.
BYTE_ORDER_MARK = "\ufeff"
# Places read and written per round of queries: the whole directory is never in memory at once.
EXPORT_CHUNK = 500
# Lines handed to a streaming response at a time: a few tens of kilobytes per write, not one
# write (and one chunk of HTTP's chunked encoding) per line.
LINES_PER_BLOCK = 200


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cell(place, column):
    if column == "organization":
        return place.organization.slug
    if column == "municipality":
        return place.municipality.name_fi
    if column == "audiences":
        return LIST_SEPARATOR.join(audience.slug for audience in place.audiences.all())
    if column == "opening_hours":
        return csv_opening_hours(place)
    if column in CHOICE_LIST_COLUMNS:
        return LIST_SEPARATOR.join(getattr(place, column))
    if column == "last_verified":
        return place.last_verified.isoformat() if place.last_verified else ""
    value = getattr(place, column)
    if column in BOOLEAN_COLUMNS:
        return _text(bool(value))
    return _text(value)


def csv_opening_hours(place):
    """The place's hours as the import reads them back. The import takes hours that say
    nothing of public holidays as closed on them (the admin's default), so a place open on
    public holidays with its weekdays' hours says so: "Mo-Fr 09:00-16:00; PH Mo-Fr
    09:00-16:00; PH Sa,Su off", which OSM tools read as the plain weekly hours. The rare
    place whose hours cannot be written so (only seasons, odd or even weeks) keeps the plain
    text, checked by reading it back."""
    text = place_opening_hours(place)
    rules = list(place.weekly_hours.all())
    if place.closed_on_public_holidays or not rules or mentions_public_holidays(text):
        return text
    specs = [
        WeeklyRuleSpec(
            rule.weekday,
            rule.opens,
            rule.closes,
            rule.valid_from,
            rule.valid_until,
            rule.recurs_yearly,
            rule.on_public_holidays,
            rule.weeks,
            rule.nth,
        )
        for rule in rules
    ]
    if any(spec.weeks or spec.nth for spec in specs):
        return text
    closures = [exception for exception in place.exceptions.all() if exception.recurs_yearly]
    explicit = format_opening_hours(
        [*specs, *(replace(spec, on_public_holidays=True) for spec in specs)],
        False,
        place.closed_on_eves,
        closures,
    )
    try:
        read = parse_opening_hours(explicit)
    except OpeningHoursSyntaxError:
        return text
    return explicit if format_parsed_hours(read) == text else text


def place_rows(places, public=False):
    """One list of cells per place, in CSV_COLUMNS order; four queries per EXPORT_CHUNK places
    (the places, then their audiences, weekly hours and exceptions).
    ``public``: the open data file, without the address of a place whose address is hidden
    (the admin's export and ``export_places`` keep it, for staff to edit and import again)."""
    places = places.select_related("organization", "municipality").prefetch_related(
        "audiences", "weekly_hours", "exceptions"
    )
    for place in places.iterator(chunk_size=EXPORT_CHUNK):
        hidden = public and place.address_hidden
        yield [
            ""
            if hidden and column in HIDDEN_ADDRESS_COLUMNS
            else as_text_in_spreadsheets(_cell(place, column))
            for column in CSV_COLUMNS
        ]


def exception_rows(places):
    """One list of cells per exception of ``places``, in EXCEPTION_COLUMNS order, by place
    slug and date; one query, read EXPORT_CHUNK rows at a time."""
    exceptions = (
        # Yearly closures are in the places file's opening_hours.
        HoursException.objects.filter(place__in=places.order_by().values("pk"), recurs_yearly=False)
        .select_related("place")
        .order_by("place__slug", "start_date", "end_date", "opens", "pk")
    )
    for exception in exceptions.iterator(chunk_size=EXPORT_CHUNK):
        cells = [
            exception.place.slug,
            exception.start_date.isoformat(),
            exception.end_date.isoformat() if exception.end_date else "",
            _text(exception.closed),
            f"{exception.opens:%H:%M}" if exception.opens else "",
            f"{exception.closes:%H:%M}" if exception.closes else "",
            exception.reason,
        ]
        yield [as_text_in_spreadsheets(cell) for cell in cells]


class _LineBuffer:
    """A write-only stream that hands back what is written, so csv.writer can feed a
    StreamingHttpResponse one line at a time."""

    def write(self, text):
        return text


def _iter_csv(columns, rows, excel):
    writer = csv.writer(_LineBuffer())
    header = writer.writerow(columns)
    yield BYTE_ORDER_MARK + header if excel else header
    for row in rows:
        yield writer.writerow(row)


def iter_places_csv(places, excel=False, public=False):
    """The CSV of ``places`` as an iterator of lines, header first (for streaming responses);
    ``excel`` puts a byte order mark before it; ``public`` as in place_rows."""
    return _iter_csv(CSV_COLUMNS, place_rows(places, public), excel)


def iter_exceptions_csv(places, excel=False):
    """The sister file: the exceptions to the opening hours of ``places``."""
    return _iter_csv(EXCEPTION_COLUMNS, exception_rows(places), excel)


def in_blocks(lines, lines_per_block=LINES_PER_BLOCK):
    """``lines`` joined into blocks of ``lines_per_block`` for a streaming response."""
    block = []
    for line in lines:
        block.append(line)
        if len(block) == lines_per_block:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)


def streamed_csv(lines, filename, disposition="attachment"):
    """A StreamingHttpResponse of CSV ``lines``: sent as they are written, so a file of the
    whole directory takes no more memory than a chunk of it."""
    response = StreamingHttpResponse(in_blocks(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def write_places_csv(places, stream, excel=False, public=False):
    """Write the CSV of ``places`` to a text stream (a file, an HttpResponse)."""
    for line in iter_places_csv(places, excel, public):
        stream.write(line)


def write_exceptions_csv(places, stream, excel=False):
    """Write the exceptions of ``places`` as CSV to a text stream."""
    for line in iter_exceptions_csv(places, excel):
        stream.write(line)
