"""A GIN index for the text search of the public place filter (places.filters.PlaceFilter).

PostgreSQL only: SQLite searches with LIKE and has no such index. The expression must stay the
one Django writes for ``SearchVector(*places.search.FINNISH_FIELDS, config="finnish")``, or the planner
cannot use the index.
"""

from django.db import migrations

INDEX_NAME = "place_text_search"
EXPRESSION = (
    "to_tsvector('finnish'::regconfig, "
    "COALESCE(name, '') || ' ' || COALESCE(description, '') || ' ' || "
    "COALESCE(street_address, '') || ' ' || COALESCE(postal_town, ''))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON places_place USING gin ({EXPRESSION})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("places", "0003_role_groups")]

    operations = [migrations.RunPython(create_index, drop_index)]
