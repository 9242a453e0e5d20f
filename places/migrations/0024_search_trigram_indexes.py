"""Indexes for the text search of places.search on PostgreSQL (SQLite has none of these).

pg_trgm's GIN indexes answer substrings (the tail of a compound, "%kahvil%" in
"nuorisokahvila") and similarity (a typo) on the names and descriptions, as Django writes them
for ``icontains`` (``UPPER(name::text)``); full-text indexes search the Swedish and English
fields with their own stemmers. The expressions must stay the ones Django writes, or the planner
cannot use the indexes. Creating the extension needs a role allowed to (README: PostgreSQL).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAM_FIELDS = ("name", "description", "name_sv", "description_sv", "name_en", "description_en")
FULL_TEXT = {
    "place_text_search_sv": (
        "to_tsvector('swedish'::regconfig, "
        "COALESCE(name_sv, '') || ' ' || COALESCE(description_sv, ''))"
    ),
    "place_text_search_en": (
        "to_tsvector('english'::regconfig, "
        "COALESCE(name_en, '') || ' ' || COALESCE(description_en, ''))"
    ),
}


def indexes():
    for field in TRIGRAM_FIELDS:
        yield f"place_{field}_trgm", f"UPPER({field}::text) gin_trgm_ops"
    yield from FULL_TEXT.items()


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, expression in indexes():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON places_place USING gin ({expression})"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _expression in indexes():
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("places", "0023_place_proposal")]

    operations = [TrigramExtension(), migrations.RunPython(create_indexes, drop_indexes)]
