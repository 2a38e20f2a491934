"""Apply the retention rules (docs/privacy.md).

    manage.py purge_personal_data [--dry-run]

Deletes access-log entries older than EMOTIONCARE_ACCESS_LOG_RETENTION_DAYS (365) and
erases the personal data of customers without contact for longer than
EMOTIONCARE_CUSTOMER_RETENTION_DAYS (1825), keeping their interactions for statistics
(privacy.customer_erase, one transaction per customer). --dry-run only counts. Meant to
run daily from cron or a systemd timer.
"""

from django.core.management.base import BaseCommand

from interactions import privacy


class Command(BaseCommand):
    help = (
        "Delete access-log entries and erase customers past their retention period "
        "(settings EMOTIONCARE_ACCESS_LOG_RETENTION_DAYS, EMOTIONCARE_CUSTOMER_RETENTION_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        result = privacy.purge_personal_data(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {result.access_entries} access-log entries from before "
            f"{result.access_cutoff:%Y-%m-%d %H:%M} UTC."
        )
        self.stdout.write(f"{verb} {result.login_records} login records from before that too.")
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} {len(result.customers)} customers without contact since "
            f"{result.customer_cutoff:%Y-%m-%d %H:%M} UTC."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
