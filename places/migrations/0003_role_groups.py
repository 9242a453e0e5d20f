from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Organisation staff": [
        ("places", "place", ("view", "change")),
        ("places", "weeklyhours", ("view", "add", "change", "delete")),
        ("places", "hoursexception", ("view", "add", "change", "delete")),
        ("places", "organization", ("view",)),
    ],
    "Regional coordinators": [
        ("places", "place", ("view", "add", "change", "delete")),
        ("places", "weeklyhours", ("view", "add", "change", "delete")),
        ("places", "hoursexception", ("view", "add", "change", "delete")),
        ("places", "organization", ("view", "add", "change")),
    ],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, grants in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        for app_label, model, actions in grants:
            for action in actions:
                group.permissions.add(
                    permission_model.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
