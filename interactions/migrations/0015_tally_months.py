"""The dashboard's rollups are kept per calendar month as well as per day (docs/
dashboard.md, "Speed"): the monthly rows of the existing interactions are added here."""

from django.db import migrations


def count_months(apps, schema_editor):
    from interactions import rollups

    rollups.count_months(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0014_archetype_tally"),
    ]

    operations = [
        migrations.RunPython(count_months, migrations.RunPython.noop),
    ]
