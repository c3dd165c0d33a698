"""Dashboards over the demo municipality (~9,500 students, three years): server time and queries.

- Principal (school) and municipality (area) dashboards: p50/p95 server time (target p95 ≤ 300 ms) and the
  number of queries per page for schools of different sizes (target: the same whatever the size).
- A chart endpoint (SVG drawn by vl-convert): first draw and cached draw.
- The full recount of the summary tables (what the demo builder and `refresh_insights` do).

Run: .venv/bin/python bench/bench_insights.py                     (loads the demo into a temporary SQLite)
     BENCH_DEMO_DB=var/demo.sqlite3 .venv/bin/python bench/bench_insights.py   (a demo already loaded)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench .venv/bin/python bench/bench_insights.py
     BENCH_REUSE_DB=1 DATABASE_URL=… (keep a PostgreSQL database loaded by an earlier run: only migrate it)
"""

import os
import time

os.environ.setdefault("ALLOWED_HOSTS", "testserver")

from _setup import ensure_demo, percentile, start  # noqa: E402

start()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from khru.insights import summaries  # noqa: E402
from khru.org.models import Membership, School, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.people.models import Enrolment  # noqa: E402

ensure_demo()

started = time.perf_counter()
written = summaries.rebuild()
print(f"full recount of the summaries: {time.perf_counter() - started:.1f} s ({written})")

schools = list(School.objects.filter(area__code="LAO-DEMO").order_by("code"))
sizes = {s.pk: Enrolment.objects.filter(school=s, ends_on__isnull=True).count() for s in schools}
# A principal for every school (the demo has one for school 1; the bench adds the rest, as the sysadmin would).
principals = {}
for school in schools:
    user, _ = User.objects.get_or_create(username=f"bench-principal-{school.code}")
    Membership.objects.get_or_create(user=user, role=Role.PRINCIPAL, school=school)
    principals[school.code] = user


def timed(client: Client, url: str) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries)


ROUNDS = 10
times: list[float] = []
queries_by_size = {}
for school in schools:
    client = Client()
    client.force_login(principals[school.code])
    url = f"/insights/schools/{school.code}?year=2568"
    timed(client, url)  # warm: the first request also reads the session and memberships
    for _ in range(ROUNDS):
        elapsed, count = timed(client, url)
        times.append(elapsed)
    queries_by_size[sizes[school.pk]] = count
print(
    f"principal dashboard, {len(schools)} schools × {ROUNDS}: p50 {percentile(times, 50) * 1000:.0f} ms · "
    f"p95 {percentile(times, 95) * 1000:.0f} ms (target ≤ 300 ms)"
)
print(
    "  queries per page by school size (students: queries): "
    + ", ".join(f"{k}: {v}" for k, v in sorted(queries_by_size.items()))
)

client = Client()
client.force_login(User.objects.get(username="municipality"))
area_times = []
area_queries = set()
timed(client, "/insights/areas/LAO-DEMO?year=2568")
for year in (2567, 2568, 2569) * 7:
    elapsed, count = timed(client, f"/insights/areas/LAO-DEMO?year={year}")
    area_times.append(elapsed)
    area_queries.add(count)
print(
    f"municipality dashboard (7 schools side by side), {len(area_times)} views: "
    f"p50 {percentile(area_times, 50) * 1000:.0f} ms · p95 {percentile(area_times, 95) * 1000:.0f} ms "
    f"(target ≤ 300 ms) · queries {sorted(area_queries)}"
)

client = Client()
client.force_login(principals[schools[0].code])
first, _ = timed(client, f"/insights/schools/{schools[0].code}/figures/by_class.svg?year=2567")
again, _ = timed(client, f"/insights/schools/{schools[0].code}/figures/by_class.svg?year=2567")
print(f"chart endpoint (vl-convert SVG): first draw {first * 1000:.0f} ms · cached {again * 1000:.0f} ms")
