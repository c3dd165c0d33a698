"""`khru load_demo --seed N`: a demo municipality with seven schools, ~9,500 students and ~650 staff.

Safe to run on every start (`make demo`): when the demo is already there it only prints the logins.
"""

import time
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from khru.core import audit
from khru.core.models import AuditEvent
from khru.demo import registry
from khru.demo.context import MUNICIPALITY_CODE, OBEC_AREA_CODE, PASSWORD, DemoContext
from khru.demo.org import OBEC_SCHOOL, SCHOOLS
from khru.demo.staff import LOGINS
from khru.org.models import Area, School, User


class Command(BaseCommand):
    help = "Load a demo municipality (schools, students, families, staff, three years of history)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="the same seed always gives the same data")
        parser.add_argument("--scale", type=float, default=1.0, help="multiplies the number of students")

    def handle(self, *args: Any, seed: int, scale: float, **options: Any) -> None:
        if scale <= 0:
            raise CommandError("--scale must be greater than 0")
        municipality = Area.objects.filter(code=MUNICIPALITY_CODE).first()
        if municipality is not None:
            loaded = (
                AuditEvent.objects.filter(object_type="org.area", object_id=str(municipality.pk))
                .order_by("at")
                .values_list("changes", flat=True)
                .first()
            )
            seed_note = f" (seed {loaded['seed']})" if isinstance(loaded, dict) and "seed" in loaded else ""
            self.stdout.write(f"The demo is already loaded{seed_note}: nothing to do.")
            self._print_logins()
            return
        self._refuse_clashes()

        started = time.perf_counter()
        ctx = DemoContext(
            seed=seed,
            scale=scale,
            password_hash=make_password(PASSWORD),  # once: the hasher is deliberately slow
        )
        with transaction.atomic():
            timings = registry.run(ctx)
            assert ctx.municipality is not None
            audit.record(
                actor=None,
                action=audit.Action.IMPORT,
                obj=ctx.municipality,
                summary=f"demo data loaded: seed {seed}, scale {scale}",
                changes={"seed": seed, "scale": scale, "counts": dict(ctx.counts)},
            )
        # A bulk load leaves the planner's statistics empty until autovacuum comes round: the first pages
        # served would plan as if every table were tiny (a sort of a whole school instead of an index walk).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started

        counts = ctx.counts
        self.stdout.write(self.style.SUCCESS(f"Demo loaded (seed {seed}, scale {scale}) in {elapsed:.1f} s."))
        self.stdout.write(
            f"  schools {counts['schools']} ({len(SCHOOLS)} municipal + 1 OBEC) · "
            f"students {counts['students']:,} · guardians {counts['guardians']:,} · staff {counts['staff']:,}"
        )
        self.stdout.write(
            f"  enrolments {counts['enrolments']:,} (open in the municipality's schools: "
            f"{counts['open_enrolments_municipal']:,}) · classrooms {counts['classrooms']:,}"
        )
        if options.get("verbosity", 1) > 1:
            for path, seconds in timings.items():
                self.stdout.write(f"  {path}: {seconds:.2f} s")
        self._print_logins()

    def _refuse_clashes(self) -> None:
        """Rows the demo would create but that someone else already has: say so rather than half-load."""
        codes = [plan.code for plan in [*SCHOOLS, OBEC_SCHOOL]]
        clashes = [
            f"school {code}" for code in School.objects.filter(code__in=codes).values_list("code", flat=True)
        ]
        clashes += [
            f"area {code}" for code in Area.objects.filter(code=OBEC_AREA_CODE).values_list("code", flat=True)
        ]
        usernames = [login.username for login in LOGINS]
        clashes += [
            f"user {name}"
            for name in User.objects.filter(username__in=usernames).values_list("username", flat=True)
        ]
        if User.objects.filter(username__startswith=f"t{SCHOOLS[0].code[:-1]}").exists():
            clashes.append("staff users t1083010…")
        if clashes:
            raise CommandError(
                "Cannot load the demo: these already exist without the demo municipality: "
                + ", ".join(sorted(clashes))
            )

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password: {PASSWORD}):")
        for login in LOGINS:
            self.stdout.write(f"  {login.username:<14} {login.role.label} — {login.where}")
