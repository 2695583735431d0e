from django.db import migrations

from portal.agencies.defaults import load_default_sectors


def load(apps, schema_editor):
    load_default_sectors(apps.get_model("agencies", "Sector"))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
