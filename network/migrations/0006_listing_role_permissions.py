from django.contrib.auth.management import create_permissions
from django.db import migrations

# Coordinators approve listings of their regions; organisation staff post their organisation's
# (network.scopes decides which rows each one sees).
ROLE_PERMISSIONS = {
    "Regional coordinators": ("view", "add", "change", "delete"),
    "Organisation staff": ("view", "add", "change", "delete"),
}


def grant_listing_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, actions in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        for action in actions:
            group.permissions.add(
                permission_model.objects.get(
                    content_type__app_label="network", codename=f"{action}_listing"
                )
            )


def revoke_listing_permissions(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    listing_permissions = permission_model.objects.filter(
        content_type__app_label="network", content_type__model="listing"
    )
    for group in group_model.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*listing_permissions)


class Migration(migrations.Migration):
    dependencies = [("network", "0005_listing")]

    operations = [
        migrations.RunPython(grant_listing_permissions, revoke_listing_permissions),
    ]
