"""Teacher record book and training imports.

- The record book page (`/teachers/me/`) and its PDF for one teacher with a full career: 15 years of PA,
  200 development activities, 60 courses taught: p50/p95 and the number of queries.
- Import of 10,000 completions from a CSV: preview (every row checked), apply (all or nothing), and the
  same file again (adds nothing), against a baseline of a bare bulk insert of the same 10,000 rows.

Run: .venv/bin/python bench/bench_teachers.py            (SQLite, a temporary file)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench_teachers .venv/bin/python bench/bench_teachers.py
"""

import datetime as dt
import random
import time
from decimal import Decimal

from _setup import percentile, start

start()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from khru.assessment.models import Course  # noqa: E402
from khru.org.models import Membership, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.people.models import Person, StaffPost  # noqa: E402
from khru.teachers import training  # noqa: E402
from khru.teachers.models import (  # noqa: E402
    DevelopmentActivity,
    PAAssessment,
    PerformanceAgreement,
    StandingRecord,
    TrainingCourse,
    TrainingProvider,
)
from tests import factories as f  # noqa: E402

random.seed(8)
STAFF, PER_TEACHER, RUNS = 2_000, 5, 20

year = f.AcademicYearFactory(year_be=2569)
term = f.TermFactory(academic_year=year, number=1)
school = f.SchoolFactory(lowest_grade="P1", highest_grade="M6")
user = User.objects.create(username="teacher")
user.set_password("x")
user.save()
Membership.objects.create(user=user, role=Role.TEACHER, school=school)
teacher = Person.objects.create(
    citizen_id=f.citizen_id(1), prefix="นาง", first_name_th="สมศรี", last_name_th="รักสอน", user=user
)
StaffPost.objects.create(person=teacher, school=school, position="teacher", starts_on=dt.date(2008, 5, 16))
StandingRecord.objects.create(person=teacher, standing="none", since=dt.date(2010, 5, 16))
StandingRecord.objects.create(person=teacher, standing="senior", since=dt.date(2018, 4, 1))
for fiscal_year in range(2555, 2570):
    pa = PerformanceAgreement.objects.create(
        person=teacher, fiscal_year_be=fiscal_year, agreed_on=dt.date(fiscal_year - 544, 10, 5)
    )
    for assessor in ("ผอ.", "กรรมการ 1", "กรรมการ 2"):
        PAAssessment.objects.create(
            agreement=pa, assessor=assessor, score=Decimal(80), assessed_on=dt.date(fiscal_year - 543, 9, 1)
        )
DevelopmentActivity.objects.bulk_create(
    [
        DevelopmentActivity(
            person=teacher, kind="training", title=f"อบรม {n}", started_on=dt.date(2015, 1, 1) + dt.timedelta(days=n * 20),
            ended_on=dt.date(2015, 1, 1) + dt.timedelta(days=n * 20), hours=Decimal(6),
        )
        for n in range(200)
    ]
)  # fmt: skip
for n in range(60):
    classroom = f.ClassroomFactory(school=school, academic_year=year, grade="P4", room=n + 1)
    Course.objects.create(
        school=school, academic_year=year, term=term, classroom=classroom, code=f"ค14{n:03d}", name_th="คณิตศาสตร์",
        hours=40, teacher=user,
    )  # fmt: skip

client = Client(HTTP_HOST="localhost")
client.force_login(user)
client.get("/teachers/me/")  # templates compiled, caches warm
times = []
for _ in range(RUNS):
    started = time.perf_counter()
    assert client.get("/teachers/me/").status_code == 200
    times.append(time.perf_counter() - started)
with CaptureQueriesContext(connection) as queries:
    client.get("/teachers/me/")
print(
    f"record book page: p50 {percentile(times, 50) * 1000:.0f} ms · p95 {percentile(times, 95) * 1000:.0f} ms "
    f"· {len(queries)} queries (200 activities, 15 PA rounds, 60 courses)"
)
times = []
for _ in range(5):
    started = time.perf_counter()
    response = client.get(f"/teachers/{teacher.uuid}/record.pdf")
    times.append(time.perf_counter() - started)
print(f"record book PDF: p50 {percentile(times, 50) * 1000:.0f} ms · {len(response.content) / 1024:.0f} KB")

# --- 10,000 completions ---
provider = TrainingProvider.objects.create(code="TEPE", name_th="TEPE")
codes = [f"C{n:03d}" for n in range(20)]
TrainingCourse.objects.bulk_create(
    [TrainingCourse(provider=provider, code=c, title=f"หลักสูตร {c}", hours=6) for c in codes]
)
people = Person.objects.bulk_create(
    [
        Person(citizen_id=f.citizen_id(10_000 + n), prefix="นาย", first_name_th=f"ครู{n}", last_name_th="ดี")
        for n in range(STAFF)
    ]
)
StaffPost.objects.bulk_create(
    [StaffPost(person=p, school=school, position="teacher", starts_on=dt.date(2015, 5, 16)) for p in people]
)
admin = User.objects.create(username="admin")
Membership.objects.create(user=admin, role=Role.SYSTEM_ADMIN)
lines = ["citizen_id,course_code,completed_on,certificate_ref"]
for n, person in enumerate(people):
    for k in range(PER_TEACHER):
        lines.append(
            f"{person.citizen_id},{random.choice(codes)},{random.randint(1, 28):02d}/0{random.randint(1, 9)}/2569,T-{n}-{k}"
        )
content = ("\n".join(lines) + "\n").encode()
rows = len(lines) - 1

# Baseline: the same rows as a bare bulk insert (no checks), rolled back.
started = time.perf_counter()
with transaction.atomic():
    DevelopmentActivity.objects.bulk_create(
        [
            DevelopmentActivity(
                person=people[n // PER_TEACHER], kind="online", title="x", provider="base", started_on=dt.date(2026, 1, 1),
                ended_on=dt.date(2026, 1, 1), hours=6, source="import", external_ref=f"B{n}",
            )
            for n in range(rows)
        ],
        batch_size=1000,
    )  # fmt: skip
    transaction.set_rollback(True)
baseline = time.perf_counter() - started

started = time.perf_counter()
job = training.preview_file(actor=admin, provider=provider, file_name="bench.csv", content=content)
preview = time.perf_counter() - started
assert job.status == "previewed", job.problems[:3]
started = time.perf_counter()
summary = training.apply_file(actor=admin, job=job)
applied = time.perf_counter() - started
assert summary["new"] == rows
again = training.preview_file(actor=admin, provider=provider, file_name="bench.csv", content=content)
started = time.perf_counter()
training.apply_file(actor=admin, job=again)
reapplied = time.perf_counter() - started
assert DevelopmentActivity.objects.filter(source="import").count() == rows
print(
    f"import {rows:,} completions: preview {preview:.2f} s · apply {applied:.2f} s · same file again {reapplied:.2f} s "
    f"(adds 0) · bare bulk insert {baseline:.2f} s · apply/bulk insert {applied / baseline:.1f}×"
)
