"""Welfare: poverty screening, derived care screening and the eligible-list page on one big school.

- Poverty screening of 9,500 children through the service (target: a few seconds), against the pure
  computation alone on the same households (the ratio shows what the reads and writes cost).
- Care screenings derived from the data for the whole school (240 classes).
- The school's eligible-list page (about 2,500 rows): p50/p95 of 10 loads.

Run: .venv/bin/python bench/bench_welfare.py            (SQLite, a temporary file)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench_welfare .venv/bin/python bench/bench_welfare.py
"""

import datetime as dt
import random
import time

from _setup import percentile, start

start()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from khru.care import derived  # noqa: E402
from khru.org.models import Classroom, Membership, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.people.models import Enrolment, Person  # noqa: E402
from khru.welfare import poverty, services  # noqa: E402
from khru.welfare.models import Household, HouseholdChild, HouseholdMember, PovertyScreening  # noqa: E402
from tests import factories as f  # noqa: E402

random.seed(7)
CHILDREN, PER_CLASS = 9_500, 40
GRADES = ["P1", "P2", "P3", "P4", "P5", "P6", "M1", "M2", "M3", "M4", "M5", "M6"]

year = f.AcademicYearFactory(year_be=2569)
term = f.TermFactory(academic_year=year, number=1)
school = f.SchoolFactory(lowest_grade="P1", highest_grade="M6")
classrooms = Classroom.objects.bulk_create(
    [
        Classroom(school=school, academic_year=year, grade=GRADES[n % 12], room=n // 12 + 1)
        for n in range(CHILDREN // PER_CLASS + 1)
    ]
)
persons = Person.objects.bulk_create(
    [
        Person(
            citizen_id=f.citizen_id(900_000 + n),
            prefix="ด.ช.",
            first_name_th=f"ก{n}",
            last_name_th="ข",
            sex="M",
            birth_date=dt.date(2012, 1, 1),
        )
        for n in range(CHILDREN)
    ],
    batch_size=2000,
)
enrolments = Enrolment.objects.bulk_create(
    [
        Enrolment(
            person=p,
            school=school,
            academic_year=year,
            grade=classrooms[n // PER_CLASS].grade,
            classroom=classrooms[n // PER_CLASS],
            starts_on=year.starts_on,
        )
        for n, p in enumerate(persons)
    ],
    batch_size=2000,
)
households = Household.objects.bulk_create(
    [
        Household(
            school=school,
            family_status="together",
            housing_tenure=random.choice(["own", "own", "rent"]),
            house_condition=random.choice(["good", "good", "worn"]),
            farm_land="not_farming",
            water_source=random.choice(["tap", "well"]),
            electricity_source="grid",
            vehicles=random.choice([["car"], ["motorcycle"]]),
            appliances=["fridge"],
        )
        for _ in persons
    ],
    batch_size=2000,
)
HouseholdMember.objects.bulk_create(
    [
        HouseholdMember(
            household=h, name=name, relation=relation, monthly_income_baht=random.randint(0, 9000)
        )
        for h in households
        for name, relation in (("พ่อ", "father"), ("แม่", "mother"))
    ],
    batch_size=5000,
)
HouseholdChild.objects.bulk_create(
    [HouseholdChild(household=h, person=p) for h, p in zip(households, persons, strict=True)], batch_size=5000
)
principal = User.objects.create(username="principal")
Membership.objects.create(user=principal, role=Role.PRINCIPAL, school=school)

rules = services.active_rules()
members = [
    [poverty.MemberFacts(random.randint(0, 9000)), poverty.MemberFacts(random.randint(0, 9000))]
] * CHILDREN
conditions = [
    {
        "family_status": h.family_status,
        "housing_tenure": h.housing_tenure,
        "house_condition": h.house_condition,
        "farm_land": h.farm_land,
        "water_source": h.water_source,
        "electricity_source": h.electricity_source,
        "vehicles": h.vehicles,
        "appliances": h.appliances,
    }
    for h in households
]
pure = []
for _ in range(3):
    started = time.perf_counter()
    for cond, people in zip(conditions, members, strict=True):
        poverty.screen(rules, cond, people, 1, 2569)
    pure.append(time.perf_counter() - started)
service = []
for _ in range(3):
    started = time.perf_counter()
    count = services.screen_school(actor=principal, school=school, term=term)
    service.append(time.perf_counter() - started)
eligible = PovertyScreening.objects.filter(eligible=True).count()
print(
    f"poverty screening, {count:,} children: service median {percentile(service, 50):.2f} s "
    f"(best {min(service):.2f}) · pure computation {percentile(pure, 50):.3f} s · "
    f"ratio {percentile(service, 50) / percentile(pure, 50):.0f}× · eligible {eligible:,}"
)

started = time.perf_counter()
result = derived.derive_for_school(actor=principal, school=school, on=dt.date(2026, 7, 1))
first = time.perf_counter() - started
started = time.perf_counter()
again = derived.derive_for_school(actor=principal, school=school, on=dt.date(2026, 7, 1))
second = time.perf_counter() - started
print(
    f"derived care screening, {len(classrooms)} classes: first run {first:.2f} s ({result.written:,} rows) · "
    f"unchanged rerun {second:.2f} s ({again.written} rows)"
)

setup_test_environment()
client = Client()
client.force_login(principal)
url = f"/welfare/schools/{school.code}/poverty/?term=1/2569"
times = []
for _ in range(10):
    started = time.perf_counter()
    response = client.get(url)
    times.append(time.perf_counter() - started)
    assert response.status_code == 200
print(
    f"eligible list page ({eligible:,} rows): p50 {percentile(times, 50) * 1000:.0f} ms · "
    f"p95 {percentile(times, 95) * 1000:.0f} ms"
)
