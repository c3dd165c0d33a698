"""Load an agency's curriculum templates: Khru's shipped one (the core curriculum B.E. 2551) or a file in the
format of src/khru/assessment/data/README.md. The file is checked whole; one wrong cell loads nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.assessment import curriculum
from khru.core.errors import KhruError
from khru.org import scope
from khru.org.models import Agency
from khru.people.roster import read_table


class Command(BaseCommand):
    help = (
        "Load an agency's curriculum templates (per grade: courses, hours or credits, activities) from FILE "
        "(CSV or XLSX, columns: " + ", ".join(curriculum.COLUMNS) + "), or the shipped core curriculum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="the agency's code")
        parser.add_argument("file", nargs="?", help="the template file (default: the shipped B.E. 2551 one)")
        parser.add_argument("--name", default="", help="the curriculum's name as pages show it")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"ไม่พบสังกัดรหัส {options['agency']} / no agency {options['agency']}")
        path = Path(options["file"]) if options["file"] else curriculum.SHIPPED
        name = options["name"] or (curriculum.SHIPPED_NAME if not options["file"] else path.stem)
        try:
            rows = curriculum.parse_template(read_table(path.read_bytes()))
            count = curriculum.load_template(
                actor=scope.dangerously_unscoped(reason="khru load_curriculum"),
                agency=agency,
                rows=rows,
                name=name,
            )
        except KhruError as error:
            raise CommandError("\n".join(str(p) for p in error.problems)) from error
        self.stdout.write(f"{agency.code}: {count} รายวิชา/กิจกรรม / courses loaded ({name})")
