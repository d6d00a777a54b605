"""Give the default staff roles of an existing installation the volunteer-programme permission.

New databases get it when ``core.roles.sync_roles`` creates the groups. Groups an administrator
renamed or removed are left alone."""

from django.db import migrations

from wijkpunt.core.migration_grants import grant_to_default_groups

GRANTS = {name: ["manage_programme"]
          for name in ["beheerder", "complexbeheerder", "wijkconsulent", "regisseur-sociaal-beheer"]}


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_to_default_groups("volunteers", GRANTS), migrations.RunPython.noop)]
