"""Give the default roles of an existing installation the network-directory permissions.

New databases get them when ``core.roles.sync_roles`` creates the groups. Groups an administrator
renamed or removed are left alone; volunteers (bewonerskracht) get nothing for now."""

from django.db import migrations

from wijkpunt.core.migration_grants import grant_to_default_groups

VIEWERS = ["beheerder", "complexbeheerder", "wijkconsulent", "regisseur-sociaal-beheer", "incasso-medewerker",
           "management", "partner-medewerker", "partner-beheerder", "zorgprofessional", "schuldhulpverlener", "wijkteam-medewerker"]
MANAGERS = ["beheerder", "regisseur-sociaal-beheer", "wijkconsulent"]
GRANTS = {name: ["view_directory"] + (["manage_directory"] if name in MANAGERS else []) for name in VIEWERS}


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_to_default_groups("network", GRANTS), migrations.RunPython.noop)]
