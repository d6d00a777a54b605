"""Existing installations: notes get their author's organisation (the case's owner, the only
writer until now), and the default roles get the permissions of issue 5 (care/debt details,
emergency sharing, retention (beheerder), taking part as a partner).

New databases get the permissions when ``core.roles.sync_roles`` creates the groups after migrate;
groups that were renamed or removed are left alone."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

from wijkpunt.core.migration_grants import grant_to_default_groups

GRANTS = {
    "beheerder": ["manage_retention"],
    "wijkconsulent": ["view_care", "view_debt"],
    "regisseur-sociaal-beheer": ["view_care", "view_debt", "emergency_share"],
    "partner-medewerker": ["take_part"],
}


def backfill_note_organisation(apps, schema_editor):
    alias = schema_editor.connection.alias
    Case = apps.get_model("cases", "Case")
    CaseNote = apps.get_model("cases", "CaseNote")
    CaseNote.objects.using(alias).filter(organisation__isnull=True).update(
        organisation_id=Subquery(Case.objects.using(alias).filter(pk=OuterRef("case_id")).values("organisation_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_coordination"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(backfill_note_organisation, migrations.RunPython.noop),
        migrations.RunPython(grant_to_default_groups("cases", GRANTS), migrations.RunPython.noop),
    ]
