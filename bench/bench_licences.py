"""The Teachers Council dashboard over national-scale licence holders, and the public verification page.

- Council dashboard (`/licences/council`, the whole page) over 400,000 holders: p50/p95 (target p95 ≤ 500 ms
  on PostgreSQL).
- Public verification (`/verify/licence/<number>` and its JSON API), random existing and unknown numbers:
  p50/p95 (target p95 ≤ 50 ms). Baseline in the same run: `/healthz`, the cheapest page.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench_licences .venv/bin/python bench/bench_licences.py
     (a scratch database: it is dropped and made again). HOLDERS=50000 for a quicker run; SQLite by default.
"""

import io
import logging
import os
import random
import time

from _setup import percentile, start

start()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from khru.licences.models import Licence  # noqa: E402
from khru.org.models import Agency, Membership, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402

logging.getLogger("django.request").setLevel(logging.ERROR)  # the unknown numbers' 404s
HOLDERS = int(os.environ.get("HOLDERS", "400000"))
DASHBOARD_RUNS, VERIFY_RUNS = 30, 300

started = time.perf_counter()
call_command("generate_licence_holders", count=HOLDERS, stdout=io.StringIO())
print(f"generate_licence_holders --count {HOLDERS:,}: {time.perf_counter() - started:.1f} s")
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE licences_licence")
        cursor.execute("VACUUM ANALYZE people_person")

council = User.objects.create(username="council-bench")
Membership.objects.create(user=council, role=Role.COUNCIL_OFFICER, agency=Agency.objects.get(code="KSP"))


def timed(client: Client, paths: list[str], expect: set[int]) -> list[float]:
    times = []
    for path in paths:
        begun = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - begun) * 1000)
        assert response.status_code in expect, (path, response.status_code)
    return times


def report(name: str, times: list[float], baseline: float | None = None) -> None:
    p95 = percentile(times, 95)
    ratio = f" · {p95 / baseline:.1f}× /healthz" if baseline else ""
    print(f"{name}: p50 {percentile(times, 50):.1f} ms · p95 {p95:.1f} ms · n={len(times)}{ratio}")


client = Client(HTTP_HOST="127.0.0.1")
baseline = percentile(timed(client, ["/healthz"] * VERIFY_RUNS, {200}), 95)
print(f"/healthz baseline: p95 {baseline:.1f} ms")

client.force_login(council)
timed(client, ["/licences/council"] * 2, {200})  # warm caches
report(
    f"council dashboard, {Licence.objects.count():,} licences",
    timed(client, ["/licences/council"] * DASHBOARD_RUNS, {200}),
)

numbers = list(Licence.objects.order_by("?").values_list("number", flat=True)[:VERIFY_RUNS])
unknown = [f"T69S{random.randrange(10**9, 10**10)}" for _ in range(VERIFY_RUNS)]
public = Client(HTTP_HOST="127.0.0.1")
with override_settings(KHRU_VERIFY_PER_MINUTE=10**9):
    report("verify page, existing", timed(public, [f"/verify/licence/{n}" for n in numbers], {200}), baseline)
    report("verify page, unknown", timed(public, [f"/verify/licence/{n}" for n in unknown], {404}), baseline)
    report(
        "verify API, existing",
        timed(public, [f"/api/v1/licences/verify/{n}" for n in numbers], {200}),
        baseline,
    )
