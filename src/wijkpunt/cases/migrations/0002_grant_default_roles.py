"""Give the default roles of an existing installation the case permissions.

New databases get them when ``core.roles.sync_roles`` creates the groups after migrate (that also
creates roles that do not exist yet, such as "incasso-medewerker"). Groups an administrator renamed
or removed are left alone; this runs once."""

from django.db import migrations

GRANTS = {
    "beheerder": ["work_on_cases", "open_case"],
    "wijkconsulent": ["work_on_cases"],
    "regisseur-sociaal-beheer": ["work_on_cases", "open_case"],
    "incasso-medewerker": ["open_case"],
}


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    alias = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if not Group.objects.using(alias).filter(name__in=GRANTS).exists():
        return  # a new database: sync_roles creates the groups with these permissions after migrate
    create_permissions(global_apps.get_app_config("cases"), verbosity=0, using=alias)
    for group in Group.objects.using(alias).filter(name__in=GRANTS):
        perms = Permission.objects.using(alias).filter(
            content_type__app_label="cases", codename__in=GRANTS[group.name]
        )
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
