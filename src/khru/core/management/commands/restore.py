"""`khru restore FILE`: put back the database and the media folder from a `khru backup` file."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.core.backup import BackupError, restore, table_counts


class Command(BaseCommand):
    help = (
        "Replace the database and MEDIA_ROOT with those of a backup file made by `khru backup` (same database "
        "engine), then compare every table's row count with the backup's manifest. Stop the server first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a file written by `khru backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(path=Path(options["file"]), media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        now = table_counts()
        different = {t: (n, now.get(t)) for t, n in manifest["tables"].items() if now.get(t) != n}
        if different:
            raise CommandError(
                f"restored, but row counts differ from the backup (table: backup, now): {different}"
            )
        self.stdout.write(
            f"restored {options['file']} (made {manifest['created']}): {len(now)} tables, "
            f"{sum(now.values())} rows, {manifest['media_files']} media files"
        )
