"""Growth assessment and measurement saves.

- `assess` (z-scores and Thai bands) for 9,500 children, the demo municipality (target ≤ 1 s).
- Saving a class of 40 measurements through the service: p50/p95 (target p95 ≤ 150 ms).

Run: .venv/bin/python bench/bench_growth.py            (SQLite, a temporary file)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench .venv/bin/python bench/bench_growth.py
"""

import datetime as dt
import random
import time

from _setup import percentile, start

start()

from khru.health import services  # noqa: E402
from khru.health.growth import assess  # noqa: E402
from khru.health.models import Measurement  # noqa: E402
from khru.org.models import Membership, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.people.models import Enrolment, Person  # noqa: E402
from tests import factories as f  # noqa: E402

random.seed(5)
CHILDREN, PER_CLASS, SAVES = 9_500, 40, 30

children = [
    (
        random.choice("MF"),
        dt.date(2008, 1, 1) + dt.timedelta(days=random.randrange(16 * 365)),
        random.uniform(12, 70),
        random.uniform(95, 180),
    )
    for _ in range(CHILDREN)
]
on = dt.date(2025, 6, 15)
times = []
for _ in range(5):
    started = time.perf_counter()
    for sex, born, weight, height in children:
        assess(sex=sex, birth_date=born, measured_on=on, weight_kg=weight, height_cm=height)
    times.append(time.perf_counter() - started)
print(f"assess, {CHILDREN:,} children: best {min(times):.2f} s · median {percentile(times, 50):.2f} s")

year = f.AcademicYearFactory(year_be=2568)
f.TermFactory(academic_year=year, number=1, starts_on=dt.date(2025, 5, 16), ends_on=dt.date(2025, 10, 11))
school = f.SchoolFactory(lowest_grade="P1", highest_grade="M6")
classroom = f.ClassroomFactory(school=school, academic_year=year, grade="P4", room=1)
persons = Person.objects.bulk_create(
    [
        Person(
            citizen_id=f.citizen_id(800_000 + n),
            prefix="ด.ช.",
            first_name_th=f"ก{n}",
            last_name_th="ข",
            sex="M",
            birth_date=dt.date(2015, 3, 1) + dt.timedelta(days=n * 7),
        )
        for n in range(PER_CLASS)
    ]
)
Enrolment.objects.bulk_create(
    [
        Enrolment(
            person=p,
            school=school,
            academic_year=year,
            grade="P4",
            classroom=classroom,
            starts_on=year.starts_on,
        )
        for p in persons
    ]
)
teacher = User.objects.create(username="homeroom")
Membership.objects.create(user=teacher, role=Role.HOMEROOM_TEACHER, classroom=classroom)
ids = [p.pk for p in persons]
days = [dt.date(2025, 5, 20) + dt.timedelta(days=n) for n in range(SAVES)]
saves = []
base = {pk: (random.uniform(25, 40), random.uniform(130, 145)) for pk in ids}
for n, day in enumerate(days):
    rows = {pk: (f"{w + n * 0.05:.1f}", f"{h + n * 0.03:.1f}") for pk, (w, h) in base.items()}
    started = time.perf_counter()
    result = services.record_measurements(actor=teacher, classroom=classroom, measured_on=day, rows=rows)
    saves.append((time.perf_counter() - started) * 1000)
    assert result.saved == PER_CLASS and not result.warnings, result
print(
    f"save a class of {PER_CLASS} measurements, {SAVES} saves: "
    f"p50 {percentile(saves, 50):.1f} ms · p95 {percentile(saves, 95):.1f} ms "
    f"({Measurement.objects.count():,} rows)"
)
