"""List (and with --apply, make) the prefix changes a school's students are due: a child who turned 15 is
นาย / นางสาว (DOMAIN.md). The registrar reads the list first; applying audits each change."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from khru.core.dates import format_be
from khru.org import scope
from khru.org.models import School
from khru.people import selectors, services


class Command(BaseCommand):
    help = "List the students whose prefix their sex and birth date change (--apply to make the changes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True, help="ministry school code")
        parser.add_argument("--on", default="", help="the day to derive the prefix on (YYYY-MM-DD; today)")
        parser.add_argument("--apply", action="store_true", help="make the changes (audited)")

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(code=options["school"]).first()
        if school is None:
            raise CommandError(
                f"ไม่พบโรงเรียนรหัส {options['school']} / no school with code {options['school']}"
            )
        on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        actor = scope.dangerously_unscoped(reason="khru update_prefixes")
        if options["apply"]:
            changes = services.apply_prefix_changes(actor=actor, school=school, on=on)
        else:
            changes = selectors.prefix_changes(actor=actor, school=school, on=on)
        for change in changes:
            person = change.person
            self.stdout.write(
                f"{person.citizen_id or '-'}\t{person.first_name_th} {person.last_name_th}\t"
                f"{format_be(person.birth_date)}\t{change.old} → {change.new}"
            )
        verb = "เปลี่ยนแล้ว / changed" if options["apply"] else "จะเปลี่ยน / to change (--apply)"
        self.stdout.write(f"{len(changes)} {verb} ({format_be(on)})")
