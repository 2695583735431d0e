import json
from pathlib import Path

from django.db import migrations

DEFAULTS = Path(__file__).resolve().parent.parent / "defaults" / "licences.json"


def load(apps, schema_editor):
    Licence = apps.get_model("catalog", "Licence")
    for position, row in enumerate(json.loads(DEFAULTS.read_text(encoding="utf-8"))["licences"]):
        Licence.objects.get_or_create(code=row["code"], defaults={**row, "position": position})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
