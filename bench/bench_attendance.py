"""Register saves and attendance tallies.

- Saving a 40-student register through the API (server time, in-process WSGI): p50/p95, one teacher, and
  50 teachers at once (threads, each its own database connection; targets: ≤ 50 ms SQLite one school,
  ≤ 150 ms PostgreSQL under 50 concurrent teachers).
- Attendance rate and มส risk for a 2,000-student school over a whole year (target ≤ 1 s).

Run: .venv/bin/python bench/bench_attendance.py            (SQLite, a temporary file)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench .venv/bin/python bench/bench_attendance.py
"""

import datetime as dt
import json
import multiprocessing
import random
import threading
import time
import uuid

from _setup import percentile, start

start()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from khru.assessment import rules  # noqa: E402
from khru.attendance import selectors  # noqa: E402
from khru.attendance.models import AttendanceCode, Mark, Register  # noqa: E402
from khru.exchange.services import issue_token  # noqa: E402
from khru.org.models import Membership, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.people.models import Enrolment, Person  # noqa: E402
from tests import factories as f  # noqa: E402

random.seed(3)
CLASSES, PER_CLASS = 51, 40  # class 0 for the single teacher, 1–50 for the crowd
year = f.AcademicYearFactory(year_be=2568)  # a whole past year: every register may be taken
term1 = f.TermFactory(
    academic_year=year, number=1, starts_on=dt.date(2025, 5, 16), ends_on=dt.date(2025, 10, 11)
)
term2 = f.TermFactory(
    academic_year=year, number=2, starts_on=dt.date(2025, 11, 1), ends_on=dt.date(2026, 4, 1)
)
school = f.SchoolFactory(lowest_grade="P1", highest_grade="M6")
classrooms = [
    f.ClassroomFactory(school=school, academic_year=year, grade="P4", room=n + 1) for n in range(CLASSES)
]
persons = Person.objects.bulk_create(
    [
        Person(
            citizen_id=f.citizen_id(900_000 + n),
            prefix="ด.ช.",
            first_name_th=f"ก{n}",
            last_name_th="ข",
            sex="M",
        )
        for n in range(CLASSES * PER_CLASS)
    ]
)
Enrolment.objects.bulk_create(
    [
        Enrolment(
            person=p,
            school=school,
            academic_year=year,
            grade="P4",
            classroom=classrooms[n // PER_CLASS],
            starts_on=year.starts_on,
        )
        for n, p in enumerate(persons)
    ]
)
teachers = []
for n, classroom in enumerate(classrooms):
    teacher = User.objects.create(username=f"t{n}")
    Membership.objects.create(user=teacher, role=Role.HOMEROOM_TEACHER, classroom=classroom)
    teachers.append((teacher, issue_token(actor=teacher)))
students = {c.pk: [p for n, p in enumerate(persons) if n // PER_CLASS == i] for i, c in enumerate(classrooms)}
days = [
    d
    for d in (term1.starts_on + dt.timedelta(n) for n in range(160))
    if d.weekday() < 5 and d <= term1.ends_on
]


def body(classroom, day):  # type: ignore[no-untyped-def]
    marks = [
        {"student": str(p.uuid), "code": random.choice(["absent", "sick", "late"])}
        for p in random.sample(students[classroom.pk], 3)
    ]
    return json.dumps(
        {"classroom": str(classroom.uuid), "date": day.isoformat(), "key": str(uuid.uuid4()), "marks": marks}
    )


def save_many(index: int, count: int, out: list[float]) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    classroom, (_, token) = classrooms[index], teachers[index]
    for day in days[:count]:
        started = time.perf_counter()
        response = client.post(
            "/api/v1/attendance/registers",
            body(classroom, day),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    connection.close()


print(f"school: {CLASSES} classes × {PER_CLASS} students = {CLASSES * PER_CLASS:,}")
one: list[float] = []
save_many(0, 60, one)
print(
    f"one teacher, 60 saves of a 40-student register: p50 {percentile(one, 50):.1f} ms · p95 {percentile(one, 95):.1f} ms"
)


def teachers_at_once(worker: int) -> list[float]:
    """One server process with 25 teachers (threads), each saving 6 registers, 2–6 s apart (a busy morning:
    50 teachers between them send about 12 saves a second)."""
    random.seed(worker)
    out: list[float] = []

    def teacher(index: int) -> None:
        time.sleep(4 * random.random())
        client = Client(HTTP_HOST="127.0.0.1")
        classroom, (_, token) = classrooms[index], teachers[index]
        for day in days[20:26]:
            started = time.perf_counter()
            response = client.post(
                "/api/v1/attendance/registers",
                body(classroom, day),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            out.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
            time.sleep(2 + 4 * random.random())
        connection.close()

    threads = [threading.Thread(target=teacher, args=(i,)) for i in range(1 + worker * 25, 26 + worker * 25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


# Two server processes (as a deployment on this 2-core machine would run), 50 teachers between them.
connection.close()
started = time.perf_counter()
with multiprocessing.get_context("fork").Pool(2) as pool:
    many = [ms for part in pool.map(teachers_at_once, [0, 1]) for ms in part]
wall = time.perf_counter() - started
print(
    f"50 teachers at once (2 processes, 2–6 s between saves), {len(many)} saves: "
    f"p50 {percentile(many, 50):.1f} ms · p95 {percentile(many, 95):.1f} ms · {len(many) / wall:.0f} saves/s"
)

# A full year of daily registers for the whole school, ~5% exceptions, written in bulk.
codes = list(AttendanceCode.objects.all())
Register.objects.all().delete()
year_days = [
    (t, d)
    for t in (term1, term2)
    for d in (t.starts_on + dt.timedelta(n) for n in range((t.ends_on - t.starts_on).days + 1))
    if d.weekday() < 5
]
registers = Register.objects.bulk_create(
    [
        Register(school=school, academic_year=year, term=t, classroom=c, date=d)
        for c in classrooms
        for t, d in year_days
    ],
    batch_size=5000,
)
marks = [
    Mark(register=r, person=p, code=random.choice(codes))
    for r in registers
    for p in students[r.classroom_id]
    if random.random() < 0.05
]
Mark.objects.bulk_create(marks, batch_size=10000)
print(
    f"a year: {len(registers):,} registers, {len(marks):,} exceptions (for {len(registers) * PER_CLASS:,} child-days)"
)
admin = User.objects.create(username="principal")
Membership.objects.create(user=admin, role=Role.PRINCIPAL, school=school)
times = []
for _ in range(5):
    started = time.perf_counter()
    at_risk = 0
    for term in (term1, term2):
        tallies = selectors.tallies_for(actor=admin, term=term, school=school)
        planned = selectors.school_days(school=school, term=term)
        at_risk += sum(1 for t in tallies.values() if t.can_still_miss(planned) <= rules.AT_RISK_MARGIN)
    times.append(time.perf_counter() - started)
print(
    f"rate + มส risk, {CLASSES * PER_CLASS:,} students, whole year: best {min(times):.2f} s · median {percentile(times, 50):.2f} s ({at_risk} at risk)"
)
