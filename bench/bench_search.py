"""Student search by name or ID over 1,000,000 persons on PostgreSQL (target p95 ≤ 100 ms).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench .venv/bin/python bench/bench_search.py [PERSONS]
The database named in DATABASE_URL is dropped and rebuilt. Rows are written with COPY; the timed part is
`khru.people.selectors.search_students` as the page and API call it, scope filter included.
"""

import io
import random
import sys
import time
import uuid

from _setup import percentile, start

start(default_sqlite=False)

from django.db import connection  # noqa: E402

from khru.core.identity import citizen_id_check_digit  # noqa: E402
from khru.org.models import AcademicYear, Agency, Area, Membership, School, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.people.models import Person  # noqa: E402
from khru.people.selectors import search_students  # noqa: E402

if connection.vendor != "postgresql":
    sys.exit("Set DATABASE_URL to a PostgreSQL database: this benchmark is about PostgreSQL.")

PERSONS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
SCHOOLS = 500
random.seed(7)
ONSETS = [
    "ก",
    "ข",
    "ค",
    "จ",
    "ช",
    "ณ",
    "ด",
    "ต",
    "ท",
    "ธ",
    "น",
    "บ",
    "ป",
    "พ",
    "ภ",
    "ม",
    "ร",
    "ล",
    "ว",
    "ศ",
    "ส",
    "อ",
]
RIMES = [
    "ัฐ",
    "ิต",
    "ุล",
    "าน",
    "ิน",
    "ร",
    "ัน",
    "ุง",
    "ี",
    "า",
    "ัย",
    "ิม",
    "ก",
    "พล",
    "ชัย",
    "ศักดิ์",
    "วุฒิ",
    "ภา",
    "พร",
    "รัตน์",
]
LATIN = [
    "na",
    "ta",
    "pa",
    "ka",
    "sa",
    "cha",
    "wat",
    "phon",
    "rat",
    "sak",
    "chai",
    "nin",
    "thon",
    "kit",
    "porn",
]


def name(parts: int) -> str:
    return "".join(random.choice(ONSETS) + random.choice(RIMES) for _ in range(parts))


def latin(parts: int) -> str:
    return "".join(random.choice(LATIN) for _ in range(parts)).capitalize()


def citizen(n: int) -> str:
    first = f"1{n:011d}"
    return first + citizen_id_check_digit(first)


print(f"building {PERSONS:,} persons and enrolments in {SCHOOLS} schools …", flush=True)
built = time.perf_counter()
agency = Agency.objects.get(code="OBEC")
areas = [
    Area.objects.create(agency=agency, code=f"A{a}", name_th=f"เขต {a}", name_en=f"Area {a}")
    for a in range(10)
]
schools = School.objects.bulk_create(
    [
        School(
            code=f"9{s:09d}",
            area=areas[s % 10],
            name_th=f"โรงเรียน {s}",
            lowest_grade="P1",
            highest_grade="M6",
        )
        for s in range(SCHOOLS)
    ]
)
year = AcademicYear.objects.create(agency=agency, year_be=2569, starts_on="2026-05-16", ends_on="2027-05-15")
first_names = [name(random.choice((1, 2, 2, 3))) for _ in range(4000)]
last_names = [name(random.choice((2, 3, 3, 4))) for _ in range(60000)]
first_latin = [latin(2) for _ in range(4000)]
sample: list[tuple[str, str, str, str, str]] = []
with connection.cursor() as cursor:
    raw = cursor.connection
    persons = io.StringIO()
    for n in range(1, PERSONS + 1):
        first, last = random.randrange(4000), random.randrange(60000)
        persons.write(
            f"{uuid.uuid4()}\t{citizen(n)}\tcitizen\tเด็กชาย\t{first_names[first]}\t{last_names[last]}\t{first_latin[first]}\t"
            f"Lastname{last}\t2015-01-01\tM\t\t\t\t\t2026-11-25 00:00:00+00\n"
        )
        if n % 5000 == 0:
            sample.append(
                (citizen(n), first_names[first], last_names[last], first_latin[first], f"{n % 100000:05d}")
            )
    with raw.cursor().copy(
        "COPY people_person (uuid, citizen_id, id_kind, prefix, first_name_th, last_name_th, first_name_en, "
        "last_name_en, birth_date, sex, house_no, postal_code, phone, occupation, updated_at) FROM STDIN"
    ) as copy:
        copy.write(persons.getvalue())
    first_id = Person.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    enrolments = io.StringIO()
    for n in range(PERSONS):
        school = schools[n % SCHOOLS]
        enrolments.write(
            f"{first_id + n}\t{school.pk}\t{year.pk}\tP4\t{(n + 1) % 100000:05d}\t2026-05-16\t\t\t\t2026-05-16 00:00:00+00\n"
        )
    with raw.cursor().copy(
        "COPY people_enrolment (person_id, school_id, academic_year_id, grade, student_number, starts_on, end_reason, "
        "dropout_reason, end_note, recorded_at) FROM STDIN"
    ) as copy:
        copy.write(enrolments.getvalue())
    cursor.execute("ANALYZE")
print(f"built in {time.perf_counter() - built:.0f} s")

national = User.objects.create(username="national")
Membership.objects.create(user=national, role=Role.SYSTEM_ADMIN)
area_officer = User.objects.create(username="area")
Membership.objects.create(user=area_officer, role=Role.AREA_OFFICER, area=areas[0])
registrar = User.objects.create(username="registrar")
Membership.objects.create(user=registrar, role=Role.SCHOOL_ADMIN, school=schools[0])

queries = {
    "citizen ID": [s[0] for s in sample],
    "first-name prefix (Thai)": [s[1][:2] for s in sample],
    "first + last name (Thai)": [f"{s[1]} {s[2][:3]}" for s in sample],
    "first name (English)": [s[3].lower()[:4] for s in sample],
    "student number": [s[4] for s in sample],
}


def timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


baseline = [timed(lambda i=i: Person.objects.filter(pk=first_id + i).first()) for i in range(200)]
print(f"baseline: primary-key lookup p50 {percentile(baseline, 50):.2f} ms")
print(f"{'actor':<12} {'query':<26} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  hits")
worst = 0.0
for label, actor in (("national", national), ("area (50)", area_officer), ("one school", registrar)):
    for kind, texts in queries.items():
        times, hits = [], 0
        for text in texts:
            found: list = []
            times.append(
                timed(
                    lambda text=text, found=found, actor=actor: found.extend(
                        search_students(actor=actor, query=text)
                    )
                )
            )
            hits += bool(found)
        p95 = percentile(times, 95)
        worst = max(worst, p95)
        print(
            f"{label:<12} {kind:<26} {len(times):>4} {percentile(times, 50):8.1f} {p95:8.1f} {max(times):8.1f}  {hits}"
        )
print(
    f"worst p95: {worst:.1f} ms (target ≤ 100 ms) · {worst / percentile(baseline, 50):.0f}× a primary-key lookup"
)
