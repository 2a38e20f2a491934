"""Delete API Idempotency-Keys older than EMOTIONCARE_IDEMPOTENCY_KEY_HOURS (48 h by
default, never less than 24 h). Run it daily, e.g. from cron, beside the privacy
retention purge (docs/api.md, "Idempotency")."""

from django.core.management.base import BaseCommand

from interactions.api import idempotency


class Command(BaseCommand):
    help = "Delete API idempotency keys older than the retention (at least 24 hours)."

    def handle(self, *args, **options):
        deleted = idempotency.purge()
        hours = int(idempotency.retention().total_seconds() // 3600)
        self.stdout.write(f"Deleted {deleted:,} idempotency keys older than {hours} hours.")
