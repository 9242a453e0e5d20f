from django.contrib.auth.management import create_permissions
from django.db import migrations

# Coordinators write the good practices of their regions (network.scopes decides which rows);
# attachments are edited as part of their practice.
MODELS = ("goodpractice", "practiceattachment")
ACTIONS = ("view", "add", "change", "delete")
GROUP = "Regional coordinators"


def grant_practice_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name=GROUP)
    for model in MODELS:
        for action in ACTIONS:
            group.permissions.add(
                permission_model.objects.get(
                    content_type__app_label="network", codename=f"{action}_{model}"
                )
            )


def revoke_practice_permissions(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    permissions = permission_model.objects.filter(
        content_type__app_label="network", content_type__model__in=MODELS
    )
    for group in group_model.objects.filter(name=GROUP):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("network", "0008_good_practices")]

    operations = [
        migrations.RunPython(grant_practice_permissions, revoke_practice_permissions),
    ]
