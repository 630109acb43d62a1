"""`manage.py restore FILE` (`make restore FILE=…`): replace the database's tables with a dump's."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core import backups


class Command(BaseCommand):
    help = (
        "pg_restore a dump of `manage.py backup` into the database (DATABASE_URL, or --database-url): every table "
        "is dropped and restored, in one transaction. Asks first unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .dump file written by `manage.py backup`.")
        parser.add_argument("--database-url", default="", help="Restore into this database instead (postgres://…).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, file: Path, database_url: str, yes: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            if database_url:
                target = backups.Target.from_url(database_url)
            else:
                target = backups.Target.from_settings(connection.settings_dict)
        except ValueError as error:
            raise CommandError(str(error)) from error
        where = f"database {target.name!r} on {target.host}:{target.port}"
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(f"Restoring replaces every table of {where}: confirm with --yes (make: YES=1).")
            self.stdout.write(f"This replaces every table of {where} with the contents of {file}.")
            if input(f"Type the database name ({target.name}) to go on: ").strip() != target.name:
                raise CommandError("Not restored.")
        connection.close()  # our own connection must not hold locks on the tables being replaced
        try:
            backups.restore(target, file)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {file} into {where}."))
