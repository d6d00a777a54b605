"""Give the default roles of an existing installation the on-call permissions.

New databases get them when ``core.roles.sync_roles`` creates the groups; in a database that
already had the groups (installed before the on-call backup), nobody could open the duty
dashboard until an administrator added the permissions by hand. Groups an administrator has
renamed or removed are left alone; permissions already removed from a group are not forced back
(this runs once)."""

from django.db import migrations

GRANTS = {
    "beheerder": ["view_duty", "acknowledge_page", "manage_oncall"],
    "complexbeheerder": ["view_duty", "acknowledge_page"],
    "wijkconsulent": ["view_duty", "acknowledge_page"],
    "regisseur-sociaal-beheer": ["view_duty", "acknowledge_page"],
    "bewonerskracht": ["request_help"],
}


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if not Group.objects.using(schema_editor.connection.alias).filter(name__in=GRANTS).exists():
        return  # a new database: sync_roles creates the groups with these permissions after migrate
    create_permissions(global_apps.get_app_config("oncall"), verbosity=0, using=schema_editor.connection.alias)
    for group in Group.objects.using(schema_editor.connection.alias).filter(name__in=GRANTS):
        perms = Permission.objects.filter(content_type__app_label="oncall", codename__in=GRANTS[group.name])
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("oncall", "0002_verbose_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
