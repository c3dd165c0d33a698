"""National scale: the synthetic year in Parquet with DuckDB, and attendance partitioned by year in PostgreSQL.

1. `generate_national`: 650,000 children × 200 school days (≈ 130 M child-days, one tenth of OBEC) written
   straight to Parquet by DuckDB; prints rows/s. Then the national question "absence rate by province ×
   month" over it (target ≤ 10 s), and the extrapolation to the full 1.3 billion rows.
2. With BENCH_PG_URL set (a scratch PostgreSQL database; it is dropped and recreated): an attendance-like
   table range-partitioned by academic year with 50 M rows (generate_series), and the school-month summary
   for one school over a year (target ≤ 50 ms).

Run: .venv/bin/python bench/bench_national.py [--students N] [--days N] [--pg-rows N]
     BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/khru_bench_partition .venv/bin/python bench/bench_national.py
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import duckdb  # noqa: E402

from khru.insights import queries, synthetic  # noqa: E402

FULL_SCALE = 1_300_000_000

parser = argparse.ArgumentParser()
parser.add_argument("--students", type=int, default=650_000)
parser.add_argument("--days", type=int, default=200)
parser.add_argument("--pg-rows", type=int, default=50_000_000)
parser.add_argument("--keep", help="write the Parquet here and keep it")
args = parser.parse_args()

print(f"machine: {platform.platform()} · {os.cpu_count()} cores · Python {platform.python_version()}")
print(f"duckdb {duckdb.__version__}")
root = Path(args.keep or tempfile.mkdtemp(prefix="khru-national-"))
rows, seconds = synthetic.generate_national(root, students=args.students, days=args.days)
size = sum(f.stat().st_size for f in root.rglob("*.parquet"))
print(
    f"generated {rows:,} child-days in {seconds:.1f} s = {rows / seconds:,.0f} rows/s · "
    f"{size / 2**30:.2f} GiB of Parquet ({size / rows:.1f} bytes/row)"
)
times = []
for _ in range(3):
    started = time.perf_counter()
    columns, result = queries.absence_by_province_month(root)
    times.append(time.perf_counter() - started)
best = min(times)
print(
    f"absence rate by province × month over {rows:,} rows: best {best:.2f} s, median "
    f"{statistics.median(times):.2f} s ({len(result)} cells; {rows / best:,.0f} rows/s) · target ≤ 10 s"
)
print(
    f"extrapolated to {FULL_SCALE:,} rows (all of OBEC, one year): query ≈ {FULL_SCALE / rows * best:.0f} s, "
    f"generation ≈ {FULL_SCALE / rows * seconds / 60:.1f} min on this machine"
)
if not args.keep:
    shutil.rmtree(root, ignore_errors=True)

pg_url = os.environ.get("BENCH_PG_URL")
if pg_url:
    import psycopg

    base, _, name = pg_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(pg_url, autocommit=True) as con:
        print(con.execute("select version()").fetchone()[0][:60])  # type: ignore[index]
        con.execute(
            """
            CREATE TABLE attendance (
              academic_year smallint NOT NULL, school_id int NOT NULL, classroom_id int NOT NULL,
              person_id int NOT NULL, date date NOT NULL, code smallint NOT NULL
            ) PARTITION BY RANGE (academic_year)
            """
        )
        years = (2566, 2567, 2568, 2569, 2570)
        for year in years:
            con.execute(
                f"CREATE TABLE attendance_{year} PARTITION OF attendance FOR VALUES FROM ({year}) TO ({year + 1})"
            )
        per_year = args.pg_rows // len(years)
        started = time.perf_counter()
        for i, year in enumerate(years):
            # 2,000 schools × 200 school days; the row number spreads children, classes and codes.
            con.execute(
                f"""
                INSERT INTO attendance
                SELECT {year}, (n % 2000) + 1, (n % 60000) + 1, n % 1000000 + 1,
                       DATE '{year - 543}-05-16' + ((n / 2000) % 280)::int,
                       CASE WHEN n % 37 = 0 THEN 1 WHEN n % 53 = 0 THEN 2 ELSE 0 END
                FROM generate_series({i * per_year}, {(i + 1) * per_year - 1}) AS n
                """
            )
        con.execute("CREATE INDEX ON attendance (school_id, date)")
        con.execute("ANALYZE attendance")
        print(
            f"loaded {per_year * len(years):,} rows in 5 yearly partitions in {time.perf_counter() - started:.0f} s"
        )
        sql = """
            SELECT date_trunc('month', date) AS month, count(*) AS child_days,
                   count(*) FILTER (WHERE code <> 0) AS exceptions
            FROM attendance WHERE academic_year = %s AND school_id = %s
            GROUP BY 1 ORDER BY 1
        """
        timings = []
        for school in range(1, 21):
            started = time.perf_counter()
            con.execute(sql, (2568, school)).fetchall()
            timings.append(time.perf_counter() - started)
        plan = "\n".join(
            r[0] for r in con.execute("EXPLAIN " + sql.replace("%s", "2568", 1).replace("%s", "7"))
        )
        scanned = sorted({p for p in ("attendance_2566", "attendance_2567", "attendance_2568") if p in plan})
        timings.sort()
        print(
            f"school-month summary, one school × one year, 20 schools: median {statistics.median(timings) * 1000:.1f} ms, "
            f"worst {timings[-1] * 1000:.1f} ms · target ≤ 50 ms · partitions scanned: {', '.join(scanned)}"
        )
