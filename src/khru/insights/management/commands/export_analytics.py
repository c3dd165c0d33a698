"""`khru export_analytics --output DIR`: the facts as partitioned Parquet with pseudonyms, for DuckDB."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khru.insights import analytics


class Command(BaseCommand):
    help = (
        "Write attendance, enrolments and results as Parquet (agency / academic year / month), pseudonymised."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="the folder to write into")

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        try:
            counts = analytics.export(output)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            ", ".join(f"{fact} {rows:,} rows" for fact, rows in counts.items()) + f" → {output}"
        )
