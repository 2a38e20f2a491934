"""Recompute every customer's archetype suggestion from the interaction history.

One pass over the interactions in customer order (streamed, never all in memory),
written back in batches. Archetypes a person set stay as they are; their suggestion
is still refreshed so leads see whether the system agrees. Prints how many customers
fell into each group and, for demo customers, how often the suggestion matches the
profile they were generated from.
"""

import time

from django.core.management.base import BaseCommand

from interactions import services


class Command(BaseCommand):
    help = "Recompute the archetype suggestion of every customer from their history."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size, **options):
        started = time.monotonic()
        stats = services.recompute_archetypes(batch_size=batch_size)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Recomputed {stats['customers']:,} customers in {elapsed:.1f} s; "
            f"{stats['changed']:,} archetypes changed."
        )
        for key, count in sorted(stats["by_archetype"].items()):
            self.stdout.write(f"  {key}: {count:,}")
        if stats["demo"]:
            share = stats["agree"] / stats["demo"]
            self.stdout.write(
                f"Demo customers matching their generated profile: "
                f"{stats['agree']:,} of {stats['demo']:,} ({share:.1%})."
            )
