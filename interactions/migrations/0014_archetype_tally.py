"""The archetype board's changes per day (docs/dashboard.md, "Speed"); the existing
changes are counted here."""


from django.db import migrations, models


def count_changes(apps, schema_editor):
    from interactions import rollups

    rollups.rebuild_changes(apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('interactions', '0013_tally_item_index_scope'),
    ]

    operations = [
        migrations.CreateModel(
            name='ArchetypeTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('previous', models.CharField(blank=True, default='', max_length=20)),
                ('archetype', models.CharField(blank=True, default='', max_length=20)),
                ('changes', models.IntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('day', 'previous', 'archetype'), name='archetype_tally_key')],
            },
        ),
        migrations.RunPython(count_changes, migrations.RunPython.noop),
    ]
