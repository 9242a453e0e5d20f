from django.db import migrations

from places.reference_data import (
    load_population,
    load_postal_areas,
    load_subregions_and_counties,
)


def load(apps, schema_editor):
    municipality = apps.get_model("places", "Municipality")
    load_subregions_and_counties(
        apps.get_model("places", "SubRegion"), apps.get_model("places", "WellbeingCounty"), municipality
    )
    load_population(municipality)
    load_postal_areas(apps.get_model("places", "PostalArea"))


class Migration(migrations.Migration):
    dependencies = [("places", "0009_regional_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
