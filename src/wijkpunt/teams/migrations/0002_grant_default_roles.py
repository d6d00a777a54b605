"""Give the default roles of an existing installation the teams permissions: staff manage teams and
jobs, Bewonerskrachten work in a team.

New databases get them when ``core.roles.sync_roles`` creates the groups. Groups an administrator
renamed or removed are left alone."""

from django.db import migrations

from wijkpunt.core.migration_grants import grant_to_default_groups

GRANTS = {name: ["manage_jobs"]
          for name in ["beheerder", "complexbeheerder", "wijkconsulent", "regisseur-sociaal-beheer"]}
GRANTS["bewonerskracht"] = ["work_in_team"]


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_to_default_groups("teams", GRANTS), migrations.RunPython.noop)]
