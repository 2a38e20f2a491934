"""Import historical interactions from a CSV file: all or nothing (docs/import.md).

    manage.py import_interactions FILE [--dry-run] [--user USERNAME] [--encoding auto|utf-8|cp949]

The same checks and writing as the import page (interactions/imports.py). Every row is
checked first; any problem is listed (all of them, "line N, column: reason") and
nothing is written. --dry-run checks and reports without writing. --user names who
imports: it is recorded on the batch (and its audit entry) and is the agent of rows
that leave `agent` empty; without it every row must name its agent.
"""

import contextlib
import os
import time

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from interactions import imports
from interactions.models import ImportBatch


class Command(BaseCommand):
    help = "Import historical interactions from a CSV file, all or nothing (docs/import.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8 with or without BOM, or CP949)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and report; write nothing"
        )
        parser.add_argument(
            "--user", help="who imports; also the agent of rows that leave `agent` empty"
        )
        parser.add_argument("--encoding", default="auto", choices=imports.ENCODINGS)

    def handle(self, *args, file, dry_run, user, encoding, **options):
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user is called {user!r}.")
        try:
            imports.check_size(os.path.getsize(file))
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        except imports.ImportFileError as error:
            raise CommandError(f"{error.message} Nothing was imported.") from error

        started = time.monotonic()
        actor = set_actor(importer) if importer else contextlib.nullcontext()
        with actor:
            result = imports.run_import(
                data,
                filename=os.path.basename(file),
                user=importer,
                source=ImportBatch.Source.COMMAND,
                dry_run=dry_run,
                encoding=encoding,
            )
        elapsed = time.monotonic() - started

        if result.file_error:
            raise CommandError(f"{result.file_error} Nothing was imported.")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(result.errors):,} problem(s) found in {file}. Nothing was imported."
            )
        self.report(result, elapsed)

    def report(self, result, elapsed: float) -> None:
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {result.rows:,} interactions ({result.encoding}) in {elapsed:.1f} s: "
            f"{result.customers_created:,} new customers, "
            f"{result.customers_matched:,} existing customers."
        )
        if result.first_at:
            first = timezone.localtime(result.first_at).isoformat(timespec="minutes")
            last = timezone.localtime(result.last_at).isoformat(timespec="minutes")
            self.stdout.write(f"Period: {first} to {last}.")
        if result.local_times:
            self.stdout.write(
                f"{result.local_times:,} times had no offset and were read as local time "
                f"({timezone.get_current_timezone_name()})."
            )
        if result.batch is not None:
            self.stdout.write(self.style.SUCCESS(f"Import batch #{result.batch.pk}."))
        else:
            self.stdout.write("Dry run: nothing was written.")
