"""Roster import of 5,000 rows with validation (target ≤ 10 s, all-or-nothing).

Run: .venv/bin/python bench/bench_roster_import.py   (DATABASE_URL=postgres://… for PostgreSQL)
"""

import time

from _setup import start

start()

from khru.org.models import Membership, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.people import roster  # noqa: E402
from khru.people.models import Person  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.people import roster_files  # noqa: E402

ROWS = 5000
year = f.AcademicYearFactory(year_be=2569)
school = f.SchoolFactory(lowest_grade="K1", highest_grade="P6")
admin = User.objects.create(username="bench-admin")
Membership.objects.create(user=admin, role=Role.SCHOOL_ADMIN, school=school)
table = roster_files.rows(ROWS)
content = roster_files.as_csv(table)


def timed(label: str, action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:6.2f} s  ({ROWS / seconds:,.0f} rows/s)")
    return result


bad = [row[:] for row in table]
bad[2500][5] = "31/02/2560"
timed(
    "preview, one bad row (rejected)",
    lambda: roster.preview_roster(
        actor=admin, school=school, file_name="bad.csv", content=roster_files.as_csv(bad)
    ),
)
assert Person.objects.count() == 0
job = timed(
    "preview, 5,000 new students",
    lambda: roster.preview_roster(actor=admin, school=school, file_name="r.csv", content=content),
)
timed("apply, 5,000 new students (+15,000 guardians)", lambda: roster.apply_roster(actor=admin, job=job))
again = timed(
    "preview, same file again",
    lambda: roster.preview_roster(actor=admin, school=school, file_name="r.csv", content=content),
)
timed("apply, same file again (changes nothing)", lambda: roster.apply_roster(actor=admin, job=again))
xlsx = roster_files.as_xlsx(table)
timed(
    "preview, same rows as XLSX",
    lambda: roster.preview_roster(actor=admin, school=school, file_name="r.xlsx", content=xlsx),
)
print(f"persons after: {Person.objects.count():,}")
