"""The dashboard's rollups count complaints resolved after their channel's target
(docs/dashboard.md, "Speed"); the existing rows are counted here."""

from django.db import migrations, models


def count_resolved_late(apps, schema_editor):
    from interactions import rollups

    rollups.recount_resolved_late(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0011_dashboard_index_coverage"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailytally",
            name="resolved_late",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(count_resolved_late, migrations.RunPython.noop),
    ]
