"""Give the default roles of an existing installation the account permissions.

New databases get them when ``core.roles.sync_roles`` creates the groups after migrate (which also
creates the new role "partner-beheerder" in existing databases). Groups an administrator renamed
or removed are left alone."""

from django.db import migrations

from wijkpunt.core.migration_grants import grant_to_default_groups

GRANTS = {
    "beheerder": ["manage_partner_policies"],
    "partner-beheerder": ["manage_own_users"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_to_default_groups("accounts", GRANTS), migrations.RunPython.noop)]
