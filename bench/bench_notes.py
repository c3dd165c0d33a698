"""Care notes and interventions.

- Saving a note / an intervention through the service (scope check, validation, audit): p50/p95.
- Reading a child's notes and interventions (audited), and the whole care page, with 100 notes and
  50 interventions on the child: p50/p95.

Run: .venv/bin/python bench/bench_notes.py            (SQLite, a temporary file)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench .venv/bin/python bench/bench_notes.py
"""

import datetime as dt
import time

from _setup import percentile, start

start()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from khru.care import selectors, services  # noqa: E402
from khru.org.models import Membership, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from tests import factories as f  # noqa: E402

NOTES, INTERVENTIONS, READS = 100, 50, 30

year = f.AcademicYearFactory(year_be=2568)
f.TermFactory(academic_year=year, number=1, starts_on=dt.date(2025, 5, 16), ends_on=dt.date(2025, 10, 11))
school = f.SchoolFactory()
classroom = f.ClassroomFactory(school=school, academic_year=year, grade="P4", room=1)
child = f.EnrolmentFactory(classroom=classroom, school=school, academic_year=year).person
teacher = User.objects.create(username="homeroom")
Membership.objects.create(user=teacher, role=Role.HOMEROOM_TEACHER, classroom=classroom)
Membership.objects.create(user=teacher, role=Role.TEACHER, school=school)


def timed(fn, n):  # type: ignore[no-untyped-def]
    times = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - started) * 1000)
    return f"p50 {percentile(times, 50):.1f} ms · p95 {percentile(times, 95):.1f} ms"


day = dt.date(2025, 6, 1)
print(
    f"add_note ×{NOTES}:",
    timed(
        lambda i: services.add_note(
            actor=teacher, person=child, text=f"บันทึก {i}", area="behaviour", noted_on=day
        ),
        NOTES,
    ),
)
print(
    f"add_intervention ×{INTERVENTIONS}:",
    timed(
        lambda i: services.add_intervention(
            actor=teacher,
            person=child,
            kind="counselling",
            description=f"พูดคุย {i}",
            started_on=day,
            follow_up_on=day + dt.timedelta(days=14),
        ),
        INTERVENTIONS,
    ),
)
print(
    f"notes_for + interventions_for ({NOTES} + {INTERVENTIONS} rows) ×{READS}:",
    timed(
        lambda i: (
            selectors.notes_for(actor=teacher, person=child),
            selectors.interventions_for(actor=teacher, person=child),
        ),
        READS,
    ),
)
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
client = Client()
client.force_login(teacher)
url = reverse("care:student", args=[child.uuid])
assert client.get(url).status_code == 200
print(f"care page GET ×{READS}:", timed(lambda i: client.get(url), READS))
