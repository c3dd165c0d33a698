"""`khru export_person CITIZEN_ID --output FILE`: answer a PDPA access request from the command line."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.core.identity import normalise_identifier
from khru.people.models import Person
from khru.reports import pdpa


class Command(BaseCommand):
    help = (
        "Write everything held about one person (a ZIP of person.json with every row across domains and "
        "summary.pdf in Thai). The export is recorded in the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("citizen_id", help="13-digit citizen ID or G code, dashes allowed")
        parser.add_argument("--output", required=True, help="ZIP file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.filter(citizen_id=normalise_identifier(options["citizen_id"])).first()
        if person is None:
            raise CommandError(f"no person has citizen ID {options['citizen_id']} / ไม่พบบุคคลที่มีเลขนี้")
        Path(options["output"]).write_bytes(pdpa.export(actor=None, person=person))
        self.stdout.write(f"{options['output']}: {person.full_name}")
