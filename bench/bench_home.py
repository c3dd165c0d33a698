"""The home page (GET /) for every demo role, in-process on the demo: server time and queries.

Each demo login (and a plain teacher and a subject teacher of the demo) opens / after one warm-up request;
prints p50/p95 and the number of queries per role, beside /healthz in the same run (target: p95 ≤ 300 ms
for every role). Then each demo login signs in with its password and opens / once: what a phone shows as
"the home page" after the tap on เข้าสู่ระบบ (the sign-in POST, its password hash, then the first GET /).
With --profile, the slowest queries of each role's page and the top of a cProfile (khru's own functions).
As `khru serve` does (config/wsgi.py), URL patterns and templates are compiled before the first request.

Run: .venv/bin/python bench/bench_home.py                        (loads the demo into a temporary SQLite)
     BENCH_DEMO_DB=var/bench_home.sqlite3 .venv/bin/python bench/bench_home.py   (a demo already loaded)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench_home BENCH_REUSE_DB=1 … (PostgreSQL, kept)
"""

import argparse
import cProfile
import io
import os
import pstats
import time
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=20)
parser.add_argument(
    "--profile", action="store_true", help="print the slowest queries and a cProfile per role"
)
args = parser.parse_args()

os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("STATIC_ROOT", str(Path(__file__).resolve().parent.parent / "var" / "bench_static"))

from _setup import ensure_demo, percentile, start  # noqa: E402

start()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from khru.demo.staff import LOGINS  # noqa: E402
from khru.org.models import Membership, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.web.warm import warm  # noqa: E402

ensure_demo()

call_command("collectstatic", "--no-input", verbosity=0)  # the pages name their files through the manifest
warm()
users = [
    (f"{login.username} ({login.role.label})", User.objects.get(username=login.username)) for login in LOGINS
]
for role in (Role.TEACHER, Role.SUBJECT_TEACHER):
    # A teacher who is nobody's homeroom teacher (a plain teacher), and a subject teacher of classes.
    member = (
        Membership.objects.filter(role=role)
        .exclude(user__memberships__role__in=[Role.HOMEROOM_TEACHER, Role.PRINCIPAL, Role.SCHOOL_ADMIN])
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if member:
        users.append((f"{member.user.username} ({role.label})", member.user))


def timed(client: Client, url: str) -> tuple[float, int, list[dict[str, str]]]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries), queries.captured_queries


DEMO_PASSWORD_USERS = {login.username for login in LOGINS}
signing_in: list[tuple[str, float, float]] = []


def sign_in(username: str) -> tuple[float, float]:
    """What a phone's "home page after tapping เข้าสู่ระบบ" costs: the sign-in POST (the password hash is
    checked: PBKDF2 at Django's iterations) and the first GET / of the new session, in ms."""
    client = Client()
    started = time.perf_counter()
    response = client.post("/login/", {"username": username, "password": "khru-demo"})
    posted = time.perf_counter()
    assert response.status_code == 302 and response["Location"] == "/", (username, response.status_code)
    client.get("/")
    return (posted - started) * 1000, (time.perf_counter() - posted) * 1000


anchor = Client()
anchor.get("/healthz")
healthz = [timed(anchor, "/healthz")[0] * 1000 for _ in range(args.rounds)]
print(f"/healthz: p50 {percentile(healthz, 50):.1f} ms · p95 {percentile(healthz, 95):.1f} ms (the anchor)")
print(f"GET / × {args.rounds} per role (after one warm-up), target p95 ≤ 300 ms:")
for name, user in users:
    client = Client()
    client.force_login(user)
    timed(client, "/")
    times, counts = [], set()
    for _ in range(args.rounds):
        elapsed, count, _ = timed(client, "/")
        times.append(elapsed * 1000)
        counts.add(count)
    p50, p95 = percentile(times, 50), percentile(times, 95)
    print(
        f"  {name:55} p50 {p50:6.0f} ms · p95 {p95:6.0f} ms · {p95 / percentile(healthz, 95):5.0f}× /healthz · "
        f"queries {', '.join(map(str, sorted(counts)))}"
    )
    if user.username in DEMO_PASSWORD_USERS:
        signing_in.append((name, *sign_in(user.username)))
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        _, _, captured = timed(client, "/")
        profile.disable()
        for query in sorted(captured, key=lambda q: -float(q["time"]))[:3]:
            print(f"      {float(query['time']) * 1000:6.1f} ms  {query['sql'][:300]}")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats("khru/", 12)
        print("\n".join("      " + line for line in out.getvalue().splitlines()[6:22] if line.strip()))

print(
    "Signing in, then the home page (one each; the figure a phone's navigation timing shows after the tap):"
)
for name, posted, home in signing_in:
    print(f"  {name:55} sign-in POST {posted:5.0f} ms + first GET / {home:4.0f} ms = {posted + home:5.0f} ms")
