"""The ordered list of demo builders. A later domain (attendance, assessment, health …) appends one entry.

A builder is a function `build(ctx: DemoContext) -> None` that reads what earlier builders made from the
context and adds its own rows (in bulk). Each gets its own Random, seeded from the demo seed and the
builder's name, so adding a builder never changes the data of the ones before it.
"""

import random
import time
from collections.abc import Callable

from django.db import connection
from django.utils.module_loading import import_string

from khru.demo.context import DemoContext

BUILDERS: list[str] = [
    "khru.demo.org.build",  # municipality, schools, academic years and terms, classrooms
    "khru.demo.people.build",  # students, guardians, three years of enrolments
    "khru.demo.staff.build",  # staff, logins, roles, homeroom and subject teachers
    "khru.attendance.demo.build",  # three years of daily registers and their exceptions
    "khru.assessment.demo.build",  # courses, scores and results of every term begun (P1–M6)
    "khru.health.demo.build",  # weight and height twice a year, with z-scores and bands
    "khru.care.demo.build",  # SDQ answers for about 30% of this year's children, screenings for all
    "khru.teachers.demo.build",  # careers, standing, PA rounds, awards, development activities of the staff
    "khru.welfare.demo.build",  # households, poverty screening, home visits, aptitudes, derived screenings
    "khru.care.demo.build_notes",  # care notes and interventions for children screened "problem"
    "khru.licences.demo.build",  # staff licences and permits, renewals waiting, test rounds; login council
    "khru.earlywarning.demo.build",  # each area's risk model, trained on the earlier years
    "khru.insights.demo.build",  # the dashboards' summary tables, counted from everything above (keep last)
]


def run(ctx: DemoContext, builders: list[str] | None = None) -> dict[str, float]:
    """Run the builders in order; returns the seconds each took."""
    timings: dict[str, float] = {}
    for path in BUILDERS if builders is None else builders:
        build: Callable[[DemoContext], None] = import_string(path)
        ctx.rng = random.Random(f"khru-demo:{ctx.seed}:{path}")
        started = time.perf_counter()
        build(ctx)
        # The next builders read these rows in the same transaction: without fresh statistics PostgreSQL
        # plans them as over empty tables (a tally of one school's term took minutes, not 0.2 s).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings[path] = time.perf_counter() - started
    return timings
