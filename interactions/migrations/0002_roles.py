"""Create the three roles as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENT_PERMISSIONS = [
    "view_interaction",
    "add_interaction",
    "change_interaction",
    "view_customer",
    "add_customer",
    "change_customer",
    "view_responsetemplate",
    "view_emotion",
    "view_channel",
    "view_touchpoint",
    "add_reflection",
    "change_reflection",
    "view_reflection",
]
LEAD_EXTRA = ["change_any_interaction", "export_interaction", "set_archetype", "view_phraserule"]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="interactions")
    agent, _ = Group.objects.get_or_create(name="agent")
    agent.permissions.set(ours.filter(codename__in=AGENT_PERMISSIONS))
    lead, _ = Group.objects.get_or_create(name="lead")
    lead.permissions.set(ours.filter(codename__in=AGENT_PERMISSIONS + LEAD_EXTRA))
    admin, _ = Group.objects.get_or_create(name="admin")
    admin.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["interactions", "auth"])
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["agent", "lead", "admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
