from django.contrib.auth.management import create_permissions
from django.db import migrations

# Regional coordinators run the network in their regions; organisation staff may prepare
# meeting drafts for their own organisation (network.scopes decides which rows each one sees).
ROLE_PERMISSIONS = {
    "Regional coordinators": [
        ("network", "coordinator", ("view", "add", "change", "delete")),
        ("network", "meeting", ("view", "add", "change", "delete")),
        ("network", "outcome", ("view", "add", "change", "delete")),
        ("network", "followup", ("view", "add", "change", "delete")),
    ],
    "Organisation staff": [
        ("network", "meeting", ("view", "add", "change", "delete")),
    ],
}


def grant_network_permissions(apps, schema_editor):
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


def revoke_network_permissions(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    network_permissions = permission_model.objects.filter(content_type__app_label="network")
    for group in group_model.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*network_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_meeting_rules_and_indexes"),
        ("places", "0003_role_groups"),
    ]

    operations = [
        migrations.RunPython(grant_network_permissions, revoke_network_permissions),
    ]
