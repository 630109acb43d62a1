"""`manage.py backup` (`make backup`): dump the database into BACKUP_DIR, then apply the retention rule."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core import backups


class Command(BaseCommand):
    help = (
        "pg_dump the PostgreSQL database into BACKUP_DIR as crm-<database>-<UTC time>.dump, then delete dumps "
        "older than BACKUP_KEEP_DAYS beyond the BACKUP_KEEP_LAST newest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="folder", type=Path, help="Folder of the dumps (default BACKUP_DIR).")

    def handle(self, *args, folder: Path | None, **options):
        folder = Path(folder or settings.BACKUP_DIR)
        try:
            target = backups.Target.from_settings(connection.settings_dict)
            path = backups.dump(target, folder)
        except (ValueError, RuntimeError) as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path} ({size / 1024 / 1024:.1f} MB)"))
        for old in backups.expired(
            folder, target.name, keep_days=settings.BACKUP_KEEP_DAYS, keep_last=settings.BACKUP_KEEP_LAST
        ):
            old.unlink()
            self.stdout.write(f"Deleted by the retention rule: {old}")
