"""The production server under many users at once, over real HTTP, on PostgreSQL with the demo.

Starts `khru serve` (granian, WSGI workers per core) and `khru db_worker` on the demo loaded once into a
bench database, then drives it from this process (threads, one keep-alive connection each):

  0. /healthz, closed loop at 32 connections: the anchor (what the machine does with no work per request);
  a. 50 homeroom teachers saving the registers of 50 different classes on the first school day of a new
     month (POST /api/v1/attendance/registers), think time 2–6 s, then 0.5–1.5 s
     (each user with think time arrives at a random moment within the first think time);
     targets: 0 errors, p95 ≤ 150 ms / ≤ 300 ms;
  b. GET /api/v1/students?school=…&limit=100, closed loop at 32 connections; target ≥ 500 req/s, p95 ≤ 100 ms;
  c. 20 principals opening their school dashboard (think time 1–3 s); target p95 ≤ 300 ms.

Each phase prints p50/p95/p99, throughput and the answers by status. The load generator shares the
machine with the server (and, here, with other engineers): read the ratios to /healthz as much as the times.

Run: .venv/bin/python bench/bench_http.py [--fresh] [--seconds 30]
     (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/khru_bench_http; --fresh reloads the demo)
"""

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from _setup import ROOT, percentile

parser = argparse.ArgumentParser()
parser.add_argument("--fresh", action="store_true", help="drop the bench database and load the demo again")
parser.add_argument("--seconds", type=float, default=30, help="length of each phase")
parser.add_argument("--port", type=int, default=8765)
args = parser.parse_args()

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khru_bench_http")
os.environ["DJANGO_SETTINGS_MODULE"] = "khru.config.base"
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench_static"))
KHRU = str(Path(sys.executable).with_name("khru"))
HOST, PORT = "127.0.0.1", args.port


def khru(*command: str) -> None:
    subprocess.run([KHRU, *command], check=True, cwd=ROOT)


if args.fresh:
    import django

    django.setup()
    from _setup import _recreate_postgres_database

    _recreate_postgres_database()
khru("migrate", "--no-input", "-v", "0")
khru("load_demo", "--seed", "1")  # loads once; later runs only print the logins
khru("collectstatic", "--no-input", "-v", "0")

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from khru.attendance.models import Register  # noqa: E402
from khru.exchange.services import issue_token  # noqa: E402
from khru.insights.models import ClassDay, ClassMonthCode, PendingRefresh, SchoolMonth  # noqa: E402
from khru.org.models import Membership  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.people.models import Enrolment  # noqa: E402

print(f"machine: {platform.platform()} · {os.cpu_count()} cores · Python {platform.python_version()}")
print(f"database: {connection.cursor().execute('select version()').fetchone()[0][:60]}")

# The first school day of this month: a new month, so no roll-up row exists yet for it.
today = timezone.localdate()
DAY = today.replace(day=1)
while DAY.weekday() >= 5:
    DAY += dt.timedelta(days=1)
homerooms = list(
    Membership.objects.filter(role=Role.HOMEROOM_TEACHER, classroom__academic_year__starts_on__lte=DAY)
    .filter(classroom__academic_year__ends_on__gte=DAY)
    .select_related("user", "classroom")
    .order_by("classroom__school__code", "classroom__grade", "classroom__room")
)
classes = {m.classroom_id: m for m in homerooms}
if len(classes) < 50:
    sys.exit(f"the demo has {len(classes)} homeroom classes in session on {DAY}; 50 are needed")
teachers = list(classes.values())[:50]
chosen = [m.classroom_id for m in teachers]
# Start the month afresh for these classes: no registers, no summary rows of the month anywhere.
Register.objects.filter(classroom_id__in=chosen, date__gte=DAY).delete()
for model in (ClassDay, SchoolMonth):
    model.objects.filter(month=DAY).delete()
ClassMonthCode.objects.filter(month=DAY).delete()
PendingRefresh.objects.all().delete()
children: dict[int, list[str]] = {}
for classroom_id, person_uuid in Enrolment.objects.filter(
    classroom_id__in=chosen, starts_on__lte=DAY, ends_on__isnull=True
).values_list("classroom_id", "person__uuid"):
    children.setdefault(classroom_id, []).append(str(person_uuid))
tokens = {m.classroom_id: issue_token(actor=m.user, name="bench") for m in teachers}
schools = sorted({m.classroom.school_id for m in teachers})
print(
    f"{len(teachers)} teachers in {len(schools)} schools, registers of {DAY} (the first school day of the month)"
)

registrar = Membership.objects.filter(role=Role.SCHOOL_ADMIN).select_related("user", "school").first()
assert registrar is not None and registrar.school is not None
registrar_token = issue_token(actor=registrar.user, name="bench")
students_url = f"/api/v1/students?school={registrar.school.code}&limit=100"
principals = list(Membership.objects.filter(role=Role.PRINCIPAL).select_related("user", "school"))


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "khru.org.auth.UsernameOrCitizenIdBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key or ""


dashboards = [
    (f"/insights/schools/{p.school.code}", f"{settings.SESSION_COOKIE_NAME}={session_for(p.user)}")
    for p in principals
    if p.school
]

# In-process: the server CPU one students page costs (target ≤ 4 ms), before any socket is involved.
from django.test import Client  # noqa: E402

inproc = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {registrar_token}")
assert inproc.get(students_url).status_code == 200
cpu = []
for _ in range(200):
    started = time.process_time()
    inproc.get(students_url)
    cpu.append((time.process_time() - started) * 1000)
print(
    f"students page of 100 in-process: {percentile(cpu, 50):.2f} ms CPU p50 · {percentile(cpu, 95):.2f} ms p95"
)
connection.close()

# ---------------------------------------------------------------- the server ---------------------------------
env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
# As production runs it: one Redis shared by the workers (tokens, dashboards, rate limits), emptied first.
redis = subprocess.run(["redis-cli", "-n", "5", "flushdb"], capture_output=True, text=True)
if redis.returncode == 0 and redis.stdout.strip() == "OK":
    env["REDIS_URL"] = "redis://127.0.0.1:6379/5"
print(f"cache: {env.get('REDIS_URL', 'local memory per worker (Redis not reachable)')}")
server = subprocess.Popen([KHRU, "serve", "--host", HOST, "--port", str(PORT)], cwd=ROOT, env=env)
worker = subprocess.Popen(
    [KHRU, "db_worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
)
for _ in range(100):
    try:
        probe = http.client.HTTPConnection(HOST, PORT, timeout=2)
        probe.request("GET", "/healthz")
        if probe.getresponse().status == 200:
            break
    except OSError:
        time.sleep(0.2)
else:
    server.terminate()
    sys.exit("the server did not start")


class Phase:
    def __init__(self, name: str) -> None:
        self.name, self.times, self.statuses, self.lock = name, [], Counter(), threading.Lock()

    def note(self, seconds: float, status: int | str) -> None:
        with self.lock:
            self.times.append(seconds)
            self.statuses[status] += 1

    def report(self, elapsed: float, anchor: float | None = None) -> float:
        ms = [t * 1000 for t in self.times] or [0.0]
        rate = len(self.times) / elapsed
        ratio = f" · {rate / anchor:.2f}× /healthz" if anchor else ""
        print(
            f"{self.name}: {len(self.times)} requests, {rate:,.0f} req/s{ratio} · "
            f"p50 {percentile(ms, 50):.1f} ms · p95 {percentile(ms, 95):.1f} ms · p99 {percentile(ms, 99):.1f} ms · "
            f"status {dict(sorted(self.statuses.items(), key=str))}"
        )
        return rate


def client(phase: Phase, until: float, make_request, think: tuple[float, float] | None) -> None:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    if think:
        # Users with think time arrive spread over one think time, as people do, not all in one instant
        # (which measured a burst of 50 first saves, or 20 first dashboard builds, queued behind each other).
        time.sleep(random.uniform(0, think[1]))
    while time.monotonic() < until:
        method, path, body, headers = make_request()
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            phase.note(time.perf_counter() - started, response.status)
        except (OSError, http.client.HTTPException) as error:
            phase.note(time.perf_counter() - started, type(error).__name__)
            conn.close()
            conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        if think:
            time.sleep(random.uniform(*think))
    conn.close()


def run(phase: Phase, makers: list, think: tuple[float, float] | None, seconds: float) -> float:
    until = time.monotonic() + seconds
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(phase, until, make, think)) for make in makers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def get(path: str, headers: dict[str, str]):
    return lambda: ("GET", path, None, headers)


def saver(classroom_uuid: str, token: str, pupils: list[str]):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def make():
        absent = random.sample(pupils, k=min(len(pupils), random.randint(0, 3)))
        marks = [{"student": p, "code": random.choice(["absent", "sick", "late"])} for p in absent]
        body = {
            "classroom": classroom_uuid,
            "date": DAY.isoformat(),
            "key": str(uuid.uuid4()),
            "marks": marks,
        }
        return "POST", "/api/v1/attendance/registers", json.dumps(body), headers

    return make


try:
    run(Phase("warm-up"), [get("/healthz", {})] * 4, None, 2)
    health = Phase("/healthz, 32 connections")
    anchor = health.report(run(health, [get("/healthz", {})] * 32, None, args.seconds / 2))
    makers = [
        saver(str(m.classroom.uuid), tokens[m.classroom_id], children[m.classroom_id]) for m in teachers
    ]
    for think in ((2.0, 6.0), (0.5, 1.5)):
        phase = Phase(f"register saves, 50 teachers, think {think[0]}–{think[1]} s")
        phase.report(run(phase, makers, think, args.seconds * 2), anchor)
    time.sleep(3)  # the worker's queued roll-ups
    waiting = PendingRefresh.objects.count()
    month = SchoolMonth.objects.filter(month=DAY, school_id__in=schools).count()
    print(f"roll-ups after the saves: {month} school months counted, {waiting} still queued")
    students = Phase("students page of 100, 32 connections")
    auth = {"Authorization": f"Bearer {registrar_token}"}
    students.report(run(students, [get(students_url, auth)] * 32, None, args.seconds), anchor)
    board = Phase("principal dashboards, 20 principals, think 1–3 s")
    makers = [get(path, {"Cookie": cookie}) for path, cookie in (dashboards * 20)[:20]]
    board.report(run(board, makers, (1.0, 3.0), args.seconds), anchor)
finally:
    worker.terminate()
    server.terminate()
    server.wait(timeout=20)
    worker.wait(timeout=20)
