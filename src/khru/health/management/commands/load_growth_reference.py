"""`khru load_growth_reference`: an agency's Department of Health 2021 growth tables from a CSV."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.core.errors import KhruError
from khru.health import services
from khru.health.references import CSV_FORMAT
from khru.org import scope
from khru.org.models import Agency


class Command(BaseCommand):
    help = (
        "Load the Department of Health 2021 (กรมอนามัย 2564) growth reference of an agency from a CSV and switch "
        "the agency's schools to it; or, with --who, switch them back to WHO 2006/2007. The file is checked "
        "whole: a bad row refuses it all, naming the row and column. Format (docs/growth-reference.md): "
        + CSV_FORMAT
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the CSV file (UTF-8)")
        parser.add_argument("--agency", required=True, help="agency code, e.g. OBEC")
        parser.add_argument("--who", action="store_true", help="switch the agency back to WHO 2006/2007")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"ไม่มีหน่วยงานรหัส {options['agency']} / no agency with code {options['agency']}")
        actor = scope.dangerously_unscoped(reason=f"khru load_growth_reference {agency.code}")
        if options["who"]:
            services.use_who_reference(actor=actor, agency=agency)
            self.stdout.write(f"{agency.code}: เกณฑ์อ้างอิง WHO 2006/2007")
            return
        if not options["file"]:
            raise CommandError("give the CSV FILE (or --who)")
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"อ่านไฟล์ไม่ได้ / cannot read {path}: {error}") from error
        try:
            stored = services.load_growth_reference(
                actor=actor, agency=agency, csv_text=text, source_name=path.name
            )
        except KhruError as error:
            raise CommandError("\n".join(str(p) for p in error.problems)) from error
        self.stdout.write(f"{agency.code}: เกณฑ์อ้างอิง กรมอนามัย 2564, {stored} แถว จาก {path.name}")
