"""Give the default roles of an existing installation the consultation permissions.

New databases get them when ``core.roles.sync_roles`` creates the groups. Groups an administrator
renamed or removed are left alone."""

from django.db import migrations

from wijkpunt.core.migration_grants import grant_to_default_groups

STAFF = ["run_consultation", "visit_doors", "view_results"]
GRANTS = {
    **dict.fromkeys(["beheerder", "complexbeheerder", "wijkconsulent", "regisseur-sociaal-beheer"], STAFF),
    "management": ["view_results"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_to_default_groups("consultation", GRANTS), migrations.RunPython.noop)]
