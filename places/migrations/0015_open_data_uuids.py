"""A stored UUID for every organisation and place, their ids in the open data (HSDS), so that
they stay the same in every export. Existing rows get one each before the column becomes
unique."""

import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    for model_name in ("Organization", "Place"):
        model = apps.get_model("places", model_name)
        for pk in model.objects.filter(uuid__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("places", "0014_visit_counts")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="open data ID"),
        ),
        migrations.AddField(
            model_name="place",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="open data ID"),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organization",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="open data ID"
            ),
        ),
        migrations.AlterField(
            model_name="place",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="open data ID"
            ),
        ),
    ]
