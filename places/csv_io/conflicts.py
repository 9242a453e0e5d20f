"""An import writes nothing over a save made after its rows were planned: the preview records
each matched place's edit count (``ImportReport.matched``), and the confirmation locks those
rows and compares (issue 22), as the admin form does with its loaded edit count."""

from django.utils.translation import ngettext

from places.models import Place


def lock_unless_saved_since(rows, expected):
    """Lock the places of ``rows`` ((spreadsheet row, place) pairs) until the import commits,
    in one query, and return the names of those saved or deleted since ``expected`` ({row:
    [pk, edit count]}, from the preview or from reading them) and of those a row now matches
    although it matched none or another place then: the import would write over those changes
    with values planned from before them."""
    expected = {int(row): tuple(match) for row, match in expected.items()}
    counts = dict(
        Place.objects.select_for_update()
        .filter(pk__in=[place.pk for _row, place in rows])
        .values_list("pk", "edit_count")
    )
    now = {row: (place.pk, counts.get(place.pk)) for row, place in rows}
    names = {row: place.name for row, place in rows}
    stale = [
        row for row in sorted(expected.keys() | now.keys()) if expected.get(row) != now.get(row)
    ]
    if not stale:
        return []
    # A place matched by the preview and deleted since has no name here any more.
    return sorted({names[row] for row in stale if row in names}) or [
        ngettext("%(count)d deleted place", "%(count)d deleted places", len(stale))
        % {"count": len(stale)}
    ]


def refuse_saved_since(report, names, after_preview):
    """Nothing saved, and why: the places in ``names`` changed after the file was checked."""
    report.rows = []
    report.new_organizations = []
    report.notes = []
    report.conflicts = names
    if after_preview:
        message = ngettext(
            "Nothing was imported: “%(names)s” was saved by someone else after the preview. "
            "Check the new preview and confirm again.",
            "Nothing was imported: these meeting places were saved by someone else after the "
            "preview: %(names)s. Check the new preview and confirm again.",
            len(names),
        )
    else:
        message = ngettext(
            "Nothing was imported: “%(names)s” was saved by someone else while the import was "
            "being prepared. Run the import again to see the changes.",
            "Nothing was imported: these meeting places were saved by someone else while the "
            "import was being prepared: %(names)s. Run the import again to see the changes.",
            len(names),
        )
    report.add(None, "", message % {"names": ", ".join(names)})
