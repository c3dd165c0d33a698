"""Score every child of each area today (run it daily, e.g. from cron, after the registers of the day)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from khru.earlywarning import services
from khru.org.models import Area


class Command(BaseCommand):
    help = "Keep today's early warning of every child (the ABC rule and the risk model) for each area."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="the area's code (default: every area with schools)")

    def handle(self, *args: Any, **options: Any) -> None:
        areas = Area.objects.filter(schools__isnull=False).distinct().order_by("code")
        if options["area"]:
            areas = areas.filter(code=options["area"])
        for area in areas:
            count = services.score_area(area=area)
            self.stdout.write(f"{area.code}: {count} children scored")
