"""The permission to see the contact points staff shared with volunteers, and its grant to the
volunteers (bewonerskracht) of an existing installation.

New databases get it when ``core.roles.sync_roles`` creates the groups. A group an administrator
renamed or removed is left alone."""

from django.db import migrations

from wijkpunt.core.migration_grants import grant_to_default_groups

GRANTS = {"bewonerskracht": ["view_shared_contacts"]}


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0002_grant_default_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="contactpoint",
            options={
                "ordering": ["kind", "name"],
                "permissions": [
                    ("view_directory", "Mag de netwerkgids zien"),
                    ("manage_directory", "Mag de netwerkgids beheren"),
                    ("view_shared_contacts", "Mag de contactpunten zien die met Bewonerskrachten zijn gedeeld"),
                ],
                "verbose_name": "contactpunt",
                "verbose_name_plural": "contactpunten",
            },
        ),
        migrations.RunPython(grant_to_default_groups("network", GRANTS), migrations.RunPython.noop),
    ]
