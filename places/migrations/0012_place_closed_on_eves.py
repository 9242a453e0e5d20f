from django.db import migrations, models
from django.db.models import F


def keep_closures_on_eves(apps, schema_editor):
    """Public holidays used to include Midsummer Eve and Christmas Eve: a place closed on public
    holidays stays closed on the eves, one open on holidays stays open on them."""
    Place = apps.get_model("places", "Place")
    Place.objects.update(closed_on_eves=F("closed_on_public_holidays"))


class Migration(migrations.Migration):
    dependencies = [("places", "0011_reminder")]

    operations = [
        migrations.AddField(
            model_name="place",
            name="closed_on_eves",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Closed on Midsummer Eve, Christmas Eve and New Year's Eve, which are not "
                    "public holidays, unless an exception says otherwise."
                ),
                verbose_name="closed on the eves",
            ),
        ),
        migrations.RunPython(keep_closures_on_eves, migrations.RunPython.noop),
    ]
