from django.db import migrations

from portal.schedules.defaults import load_default_deadlines


def load(apps, schema_editor):
    load_default_deadlines(apps.get_model("schedules", "DeadlinePolicy"))


class Migration(migrations.Migration):
    dependencies = [("schedules", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
