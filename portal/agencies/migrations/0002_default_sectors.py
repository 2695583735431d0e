import json
from pathlib import Path

from django.db import migrations

DEFAULTS = Path(__file__).resolve().parent.parent / "defaults" / "sectors.json"


def load(apps, schema_editor):
    Sector = apps.get_model("agencies", "Sector")
    for position, row in enumerate(json.loads(DEFAULTS.read_text(encoding="utf-8"))["sectors"]):
        Sector.objects.get_or_create(code=row["code"], defaults={**row, "position": position})


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
