"""`khru backup --output FILE`: the database and the media folder in one file."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one backup file (tar.gz): the database (SQLite online backup, or pg_dump -Fc for PostgreSQL), "
        "MEDIA_ROOT, and a manifest with the row count of every table. Safe while Khru is running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="file to write, e.g. khru-2569-11-25.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(output=Path(options["output"]), media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"{options['output']}: {manifest['engine']}, {len(manifest['tables'])} tables, {rows} rows, "
            f"{manifest['media_files']} media files"
        )
