"""`khru report`: the report catalog from the command line, for scheduled jobs."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.core.errors import KhruError, NotAllowed
from khru.org import scope
from khru.reports import catalog, selectors, services


class Command(BaseCommand):
    help = (
        "List the report catalog (--list) or write one report. Runs without a signed-in user: a scheduled job "
        f"acts as the system (user '{scope.SYSTEM_USERNAME}', reach over every school only inside this process), and every "
        "report written is recorded in the audit trail under that user. Without --classroom the whole school "
        "goes in one file; without --year/--term, the current ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", nargs="?", help="report code, e.g. pp6, dmc, nutrition")
        parser.add_argument("--list", action="store_true", help="print the catalog: code, name, formats")
        parser.add_argument("--school", default="", help="ministry school code")
        parser.add_argument("--area", default="", help="area/municipality code (area reports, census)")
        parser.add_argument("--classroom", default="", help="classroom UUID, or grade/room such as P4/1")
        parser.add_argument("--year", type=int, help="academic year in BE, e.g. 2569")
        parser.add_argument("--term", type=int, help="term number, 1 or 2")
        parser.add_argument("--on", default="", help="census day or a day of the month reported (YYYY-MM-DD)")
        parser.add_argument("--format", default="pdf", choices=["pdf", "xlsx", "csv"])
        parser.add_argument("--output", default="", help="file to write")
        parser.add_argument(
            "--base-url",
            default="",
            help="public address printed before /verify/CODE on PDFs (default: the KHRU_PUBLIC_URL setting)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for report in catalog.load().values():
                self.stdout.write(f"{report.code}\t{report.th} / {report.en}\t{','.join(report.formats)}")
            return
        if not options["code"] or not options["output"]:
            raise CommandError("give a report CODE and --output FILE (or --list)")
        actor = scope.dangerously_unscoped(reason=f"khru report {options.get('code', '')}".strip())
        classroom = options["classroom"]
        try:
            if classroom and "/" in classroom:
                classroom = self._classroom_uuid(options["school"], classroom, options["year"])
            report, params = selectors.params_for(
                actor=actor,
                code=options["code"],
                school_code=options["school"],
                classroom_uuid=classroom,
                area_code=options["area"],
                year_be=options["year"],
                term_number=options["term"],
                on=dt.date.fromisoformat(options["on"]) if options["on"] else None,
            )
            if options["format"] not in report.formats:
                raise CommandError(f"{report.code} has no {options['format']} format")
            with Path(options["output"]).open("wb") as out:
                document = services.generate(
                    actor=actor,
                    report=report,
                    params=params,
                    fmt=options["format"],
                    out=out,
                    base_url=options["base_url"],
                )
        except NotAllowed as error:
            raise CommandError("no such school, area or classroom") from error
        except KhruError as error:
            raise CommandError(str(error)) from error
        code = f" (verification code {document.code})" if document else ""
        self.stdout.write(f"wrote {options['output']}{code}")

    def _classroom_uuid(self, school_code: str, text: str, year_be: int | None) -> str:
        classroom = selectors.classroom_by_label(school_code=school_code, label=text, year_be=year_be)
        if classroom is None:
            raise CommandError(f"no classroom {text} at school {school_code}")
        return str(classroom.uuid)
