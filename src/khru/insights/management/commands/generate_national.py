"""`khru generate_national --output DIR`: a synthetic national year of attendance, straight to Parquet."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from khru.insights import synthetic


class Command(BaseCommand):
    help = (
        "Generate a synthetic year of child-day attendance (default 650,000 children × 200 days) as Parquet."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--students", type=int, default=650_000)
        parser.add_argument("--days", type=int, default=200)

    def handle(self, *args: Any, output: Path, students: int, days: int, **options: Any) -> None:
        rows, seconds = synthetic.generate_national(output, students=students, days=days)
        self.stdout.write(f"{rows:,} child-days in {seconds:.1f} s ({rows / seconds:,.0f} rows/s) → {output}")
