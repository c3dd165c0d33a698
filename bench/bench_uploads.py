"""Server memory of uploads: a 10 MB roster (preview, then apply), the same rows as XLSX, and the refusal of a
150 MB CSV, a 15 MB XLSX that unpacks to ~470 MB and a 9 MB one that unpacks to ~280 MB (target: the 10 MB
roster peaks under 300 MB).

Each case runs against its own fresh server process (`khru runserver`, over HTTP, a multipart upload as a
browser sends it); the figure is that process's peak resident memory (VmHWM) after the request, beside its
peak before the upload (the baseline: the server warmed up by signing in and opening the upload page).

Run: .venv/bin/python bench/bench_uploads.py   (DATABASE_URL=postgres://… for PostgreSQL)
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _setup import ROOT, start

start()

import requests  # noqa: E402
import xlsxwriter  # noqa: E402
from django.conf import settings  # noqa: E402

from khru.org.models import Membership, User  # noqa: E402
from khru.org.roles import Role  # noqa: E402
from khru.people.models import Person  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.people import roster_files  # noqa: E402

MB = 1024 * 1024
PASSWORD = "bench-upload-pass-2569"
work = Path(tempfile.mkdtemp(prefix="khru-bench-uploads-"))

f.AcademicYearFactory(year_be=2569)
school = f.SchoolFactory(lowest_grade="K1", highest_grade="P6")
admin = User.objects.create_user(username="bench-admin", password=PASSWORD)
Membership.objects.create(user=admin, role=Role.SCHOOL_ADMIN, school=school)


def padded_rows(count: int, start: int = 1) -> list[list[str]]:
    """Roster rows with a full Thai address (a long house number line), as DMC exports carry it."""
    table = roster_files.rows(count, start)
    for row in table:
        row[9] = f"{row[9]} หมู่ 4 ซอยเทศบาลสามัคคีพัฒนา 12 ถนนมิตรภาพสายเก่า ใกล้ตลาดสดเทศบาลตำบลทดสอบ"[:100]
    return table


def write_roster(path: Path, max_bytes: int) -> int:
    """The largest roster of whole rows (at most 20,000) that fits in max_bytes; returns its row count."""
    rows = 20_000
    while True:
        content = roster_files.as_csv(padded_rows(rows))
        if len(content) <= max_bytes:
            path.write_bytes(content)
            return rows
        rows -= 250


def write_big_csv(path: Path, size: int) -> None:
    with path.open("wb") as out:
        out.write(roster_files.as_csv([]))
        start_row = 1
        while out.tell() < size:
            out.write(roster_files.as_csv(padded_rows(2000, start_row)).split(b"\n", 1)[1])
            start_row += 2000


def write_xlsx_bomb(path: Path, unpacked: int, random_share: float) -> None:
    """A zip that looks like a workbook: a worksheet of mostly blank cells and some random text."""
    block_size = MB
    random_bytes = int(block_size * random_share) // 2
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            written = 0
            while written < unpacked:
                noise = os.urandom(random_bytes).hex().encode()
                block = b"<row><c><v>" + noise + b"</v></c></row>" + b" " * (block_size - len(noise) - 25)
                sheet.write(block)
                written += len(block)


def write_roster_xlsx(path: Path, rows: int) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("นักเรียน")
    for r, row in enumerate([roster_files.HEADER, *padded_rows(rows)]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()


def unpacked_size(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(member.file_size for member in archive.infolist())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def peak_rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) * 1024 if match else 0


def csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, f"no form at {url}"
    return match.group(1)


def run_case(label: str, path: Path, *, apply: bool = False, expect: str = "preview") -> None:
    port = free_port()
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "khru.config.base", "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(f"{base}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        session = requests.Session()
        token = csrf(session, f"{base}/login/")
        session.post(
            f"{base}/login/",
            {"username": admin.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            timeout=30,
        )
        upload_url = f"{base}/people/schools/{school.code}/import"
        token = csrf(session, upload_url)
        baseline = peak_rss(server.pid)
        started = time.perf_counter()
        with path.open("rb") as handle:
            answer = session.post(
                upload_url,
                data={"csrfmiddlewaretoken": token},
                files={"file": (path.name, handle)},
                allow_redirects=False,
                timeout=None,
            )
        seconds = time.perf_counter() - started
        outcome = "preview" if answer.status_code == 302 else f"refused ({answer.status_code})"
        if answer.status_code != 302:
            found = re.search(r"<li>.*?</li>", answer.text, re.S)
            outcome += ": " + re.sub(r"<[^>]+>", "", found.group(0)).strip()[:90] if found else ""
        assert outcome.startswith(expect), outcome
        line = (
            f"{label:<44} {path.stat().st_size / MB:6.1f} MB  {seconds:6.1f} s  "
            f"peak {peak_rss(server.pid) / MB:6.0f} MB (baseline {baseline / MB:4.0f} MB)  {outcome}"
        )
        print(line, flush=True)
        if apply:
            preview_url = f"{base}{answer.headers['Location']}"
            token = csrf(session, preview_url)
            started = time.perf_counter()
            applied = session.post(
                preview_url, {"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=None
            )
            seconds = time.perf_counter() - started
            assert applied.status_code == 302, applied.status_code
            print(
                f"{'  … then apply it (same server)':<44} {'':9}  {seconds:6.1f} s  "
                f"peak {peak_rss(server.pid) / MB:6.0f} MB  persons now {Person.objects.count():,}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


roster_csv = work / "roster-10mb.csv"
rows = write_roster(roster_csv, 10 * MB)
roster_xlsx = work / "roster.xlsx"
write_roster_xlsx(roster_xlsx, rows)
big_csv = work / "roster-150mb.csv"
write_big_csv(big_csv, 150 * MB)
bomb_15 = work / "bomb-15mb.xlsx"
write_xlsx_bomb(bomb_15, 470 * MB, random_share=0.05)
bomb_9 = work / "bomb-9mb.xlsx"
write_xlsx_bomb(bomb_9, 280 * MB, random_share=0.05)
print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} · files in {work}")
print(
    f"roster: {rows:,} rows, {roster_csv.stat().st_size / MB:.1f} MB CSV, "
    f"{roster_xlsx.stat().st_size / MB:.1f} MB XLSX unpacking to {unpacked_size(roster_xlsx) / MB:.0f} MB; "
    f"bombs unpack to {unpacked_size(bomb_15) / MB:.0f} MB and {unpacked_size(bomb_9) / MB:.0f} MB"
)
run_case("10 MB roster CSV: preview", roster_csv, apply=True)
run_case("same roster as XLSX: preview", roster_xlsx)
run_case("150 MB CSV: refused", big_csv, expect="refused")
run_case("15 MB XLSX bomb: refused", bomb_15, expect="refused")
run_case("9 MB XLSX bomb: refused", bomb_9, expect="refused")
