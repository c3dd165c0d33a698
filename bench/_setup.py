"""Shared start-up for benchmarks: a fresh database from DATABASE_URL (default: a temporary SQLite file)."""

import os
import platform
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(default_sqlite: bool = True) -> None:
    """Point Django at a fresh database, migrate it, and print the machine. With BENCH_DEMO_DB (a SQLite
    file) or BENCH_REUSE_DB set, the database is kept as it is (a demo loaded by an earlier run)."""
    sys.path.insert(0, str(ROOT))  # tests.people.roster_files and friends
    if os.environ.get("BENCH_DEMO_DB"):
        os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['BENCH_DEMO_DB']}"
    if default_sqlite and "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khru.config.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and not os.environ.get("BENCH_REUSE_DB"):
        _recreate_postgres_database()
    call_command("migrate", verbosity=0)
    print(f"machine: {platform.platform()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    version = (
        connection.cursor().execute("select version()").fetchone()[0]
        if connection.vendor == "postgresql"
        else f"SQLite {sqlite3.sqlite_version}"
    )
    print(f"database: {connection.vendor} · {version[:60]}")


def _recreate_postgres_database() -> None:
    import psycopg
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    connection.close()
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{db["NAME"]}"')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ensure_demo() -> None:
    """Load the demo (seed 1) unless the database holds it already."""
    import io
    import time

    from django.core.management import call_command

    from khru.org.models import Area

    if not Area.objects.filter(code="LAO-DEMO").exists():
        began = time.perf_counter()
        call_command("load_demo", seed=1, stdout=io.StringIO())
        print(f"demo loaded in {time.perf_counter() - began:.0f} s")
