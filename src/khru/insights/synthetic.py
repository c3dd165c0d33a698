"""The synthetic national year: child-day attendance in the analytics export's layout, written straight to
Parquet by DuckDB SQL (range() and hash-based randomness), with no Django and no database in between.
"""

import time
from pathlib import Path

import duckdb

SYNTHETIC = """
COPY (
  WITH students AS (
    SELECT i AS n,
           i // {per_school} AS school_n,
           ['P1','P2','P3','P4','P5','P6','M1','M2','M3','M4','M5','M6'][(1 + hash(i, 'grade') % 12)::BIGINT] AS grade,
           CASE WHEN hash(i, 'sex') % 2 = 0 THEN 'F' ELSE 'M' END AS sex,
           -- each child has their own propensity to miss school: most rarely, a few often
           (hash(i, 'risk') % 1000) / 1000.0 AS risk
    FROM range({students}) t(i)
  ),
  days AS (
    SELECT d::DATE AS date FROM range(DATE '{start}', DATE '{start}' + INTERVAL 400 DAY, INTERVAL 1 DAY) t(d)
    WHERE dayofweek(d) BETWEEN 1 AND 5
    ORDER BY d LIMIT {days}
  ),
  draws AS (
    SELECT s.*, d.date, hash(s.n, d.date) % 10000 AS draw FROM students s CROSS JOIN days d
  )
  SELECT lpad(to_hex(hash(n, 'pseudonym')), 20, '0') AS student,
         'S' || lpad(school_n::VARCHAR, 6, '0') AS school,
         'A' || lpad((school_n % 245)::VARCHAR, 3, '0') AS area,
         CASE WHEN school_n % 10 = 0 THEN 'LAO' ELSE 'OBEC' END AS agency,
         'P' || lpad((school_n % 77)::VARCHAR, 2, '0') AS province,
         grade, sex, {year_be} AS academic_year, month(date) AS month, date,
         CASE WHEN draw < 150 + 300 * risk * risk THEN 'absent'
              WHEN draw < 250 + 300 * risk * risk THEN 'sick'
              WHEN draw < 300 + 300 * risk * risk THEN 'personal'
              WHEN draw < 500 + 300 * risk * risk THEN 'late'
              ELSE '' END AS code,
         NOT (draw < 300 + 300 * risk * risk) AS attended
  FROM draws
) TO '{out}' (FORMAT parquet, PARTITION_BY (agency, academic_year, month), OVERWRITE_OR_IGNORE)
"""


def generate_national(
    output: Path, *, students: int = 650_000, days: int = 200, year_be: int = 2568, per_school: int = 224
) -> tuple[int, float]:
    """A synthetic year of child-day attendance (one tenth of OBEC: 650,000 children × 200 days ≈ 130 M rows)
    in the export's layout. Returns (rows, seconds)."""
    output.mkdir(parents=True, exist_ok=True)
    start = f"{year_be - 543}-05-16"
    started = time.perf_counter()
    with duckdb.connect() as con:
        con.execute(
            SYNTHETIC.format(
                students=students,
                days=days,
                start=start,
                year_be=year_be,
                per_school=per_school,
                out=output / "attendance",
            )
        )
    seconds = time.perf_counter() - started
    return students * days, seconds
