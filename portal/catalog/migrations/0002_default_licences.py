from django.db import migrations

from portal.catalog.defaults import load_default_licences


def load(apps, schema_editor):
    load_default_licences(apps.get_model("catalog", "Licence"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
