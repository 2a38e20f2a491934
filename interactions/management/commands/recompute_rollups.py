"""Rebuild the dashboard's rollups from the interactions (docs/dashboard.md): its daily
and monthly counts, and the customers per archetype from their archetype changes.

They are kept current as interactions are written; run this after writing
interactions outside the app's services (e.g. SQL by hand), after changing TIME_ZONE
(the days and months are local), or to check: `--check` compares without writing.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from interactions import rollups


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard's rollups (daily and monthly counts, customers per "
        "archetype) from the interactions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report whether the stored counts match the interactions.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["check"]:
            found = rollups.differences()
            customers = [line for line in found if line.startswith(rollups.CUSTOMERS_DIFFER)]
            counts = [line for line in found if line not in customers]
            if counts:
                raise CommandError(
                    f"{len(counts):,} daily or monthly counts differ from the interactions "
                    f"(first: {counts[0]}); run recompute_rollups to rebuild them."
                )
            if customers:
                raise CommandError(
                    f"Customers per archetype differ from their archetype changes "
                    f"({customers[0]}): an archetype was changed without its history "
                    "(not through the app); set it again on the customer's page."
                )
            seconds = time.monotonic() - started
            self.stdout.write(
                f"The daily and monthly counts match the interactions ({seconds:.1f} s)."
            )
            return
        rows = rollups.rebuild()
        seconds = time.monotonic() - started
        self.stdout.write(f"Rebuilt {rows:,} rows of daily and monthly counts in {seconds:.1f} s.")
