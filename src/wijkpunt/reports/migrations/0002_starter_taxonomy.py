from django.db import migrations


def load(apps, schema_editor):
    from wijkpunt.reports.taxonomy import load_taxonomy

    load_taxonomy(apps.get_model("reports", "Category"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
