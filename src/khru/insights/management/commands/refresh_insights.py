"""`khru refresh_insights [--school CODE …]`: recount the dashboards' summary tables from the facts.

A save recounts its own class at once and queues its school's month; this full rebuild also recounts nutrition and
catches anything changed behind the services' back (run it nightly, or every few minutes from cron).
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khru.insights import summaries
from khru.org.models import School


class Command(BaseCommand):
    help = "Recount the dashboards' summary tables (attendance, grades, nutrition) from the facts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--school", action="append", default=[], help="a school code (repeatable)")

    def handle(self, *args: Any, school: list[str], **options: Any) -> None:
        school_ids = None
        if school:
            found = dict(School.objects.filter(code__in=school).values_list("code", "pk"))
            missing = sorted(set(school) - set(found))
            if missing:
                raise CommandError(f"unknown school code: {', '.join(missing)}")
            school_ids = list(found.values())
        written = summaries.rebuild(school_ids=school_ids)
        self.stdout.write(", ".join(f"{name} {count:,}" for name, count in written.items()))
