from django.db import migrations

from portal.privacy.defaults import load_default_categories


def load(apps, schema_editor):
    load_default_categories(apps.get_model("privacy", "Category"),
                            apps.get_model("privacy", "ColumnRole"))


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
