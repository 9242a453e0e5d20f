from django.db import migrations

from places.reference_data import load_default_audiences, load_regions_and_municipalities


def load(apps, schema_editor):
    load_regions_and_municipalities(apps.get_model("places", "Region"), apps.get_model("places", "Municipality"))
    load_default_audiences(apps.get_model("places", "Audience"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
