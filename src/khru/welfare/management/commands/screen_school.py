"""`khru screen_school CODE --user USERNAME [--term 1/2569]`: the poverty screening of the whole school for the
term, then the care screenings derived from the data. Runs as the user named (their scope, audited)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.care import derived
from khru.core.errors import KhruError, NotAllowed
from khru.org import selectors as org_selectors
from khru.org.models import User
from khru.welfare import selectors, services


class Command(BaseCommand):
    help = "Screen a school: poverty (EEF) for a term, then care screenings derived from the data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school", help="the ministry school code")
        parser.add_argument("--user", required=True, help="the principal or care team member acting")
        parser.add_argument("--term", default="", help="'1/2569'; blank = the term now")
        parser.add_argument("--no-derive", action="store_true", help="poverty screening only")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"ไม่พบผู้ใช้ / no active user {options['user']!r}")
        try:
            school = org_selectors.get_school(actor=user, code=options["school"])
            term = selectors.school_term(school=school, text=options["term"])
            started = time.perf_counter()
            count = services.screen_school(actor=user, school=school, term=term)
            self.stdout.write(
                f"poverty screening {term}: {count:,} children in {time.perf_counter() - started:.1f} s"
            )
            if not options["no_derive"]:
                started = time.perf_counter()
                result = derived.derive_for_school(actor=user, school=school)
                self.stdout.write(
                    f"derived care screenings: {result.written:,} changed in {time.perf_counter() - started:.1f} s"
                )
        except NotAllowed as error:
            raise CommandError("ไม่มีสิทธิ์ / not allowed for this user and school") from error
        except KhruError as error:
            raise CommandError(str(error)) from error
