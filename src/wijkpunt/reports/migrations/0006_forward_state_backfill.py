"""Give reports forwarded before the partner's accept/decline existed a forward state.

Still forwarded: waiting for the partner's answer. Resolved after a forward: accepted (the partner
keeps seeing what it worked on, as before). Any other status: the corporation took it back, so the
forward has ended and the partner no longer sees it (that is the fix: before, a partner kept read
access after a hand-back)."""

from django.db import migrations


def backfill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    alias = schema_editor.connection.alias
    forwarded = Report.objects.using(alias).filter(forwarded_to__isnull=False, forward_state="")
    forwarded.filter(status="doorgestuurd").update(forward_state="wacht")
    forwarded.filter(status="opgelost").update(forward_state="geaccepteerd")
    forwarded.exclude(status__in=["doorgestuurd", "opgelost"]).update(forward_state="teruggenomen")


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_forward_state")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
