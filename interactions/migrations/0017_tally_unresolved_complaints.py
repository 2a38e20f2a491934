"""The dashboard's rollups count the complaints not resolved yet, by status (docs/
dashboard.md, "Speed"); the existing ones are counted here."""

from django.db import migrations, models
from django.db.models import Q


def count_unresolved(apps, schema_editor):
    from interactions import rollups

    rollups.recount(
        ("open_complaints", "in_progress_complaints"),
        Q(is_complaint=True, complaint_status__in=["open", "in_progress"]),
        apps=apps,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0016_phrase_hits_covering"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailytally",
            name="in_progress_complaints",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailytally",
            name="open_complaints",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(count_unresolved, migrations.RunPython.noop),
    ]
