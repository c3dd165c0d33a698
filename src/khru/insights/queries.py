"""The national questions as DuckDB SQL over the analytics Parquet files (our export or the synthetic year).

The files are Hive-partitioned (agency=…/academic_year=…/month=…), so a question about one agency or year
reads only its folders; Spark or Trino read the same layout when one machine is no longer enough.
"""

from pathlib import Path
from typing import Any

import duckdb


def _files(root: Path, fact: str) -> str:
    return f"read_parquet('{root / fact}/**/*.parquet', hive_partitioning = true)"


ABSENCE_BY_PROVINCE_MONTH = """
SELECT province, academic_year, month,
       count(*) AS child_days,
       count(*) FILTER (WHERE NOT attended) AS missed,
       round(100.0 * count(*) FILTER (WHERE NOT attended) / count(*), 2) AS absence_rate
FROM {attendance}
GROUP BY ALL ORDER BY province, academic_year, month
"""

DROPOUT_BY_GRADE = """
SELECT academic_year, grade,
       count(DISTINCT student) AS students,
       count(DISTINCT student) FILTER (WHERE dropout) AS dropped_out,
       round(100.0 * count(DISTINCT student) FILTER (WHERE dropout) / count(DISTINCT student), 2) AS dropout_rate
FROM {enrolments}
GROUP BY ALL ORDER BY academic_year, grade
"""

GRADE_0_BY_SUBJECT = """
SELECT academic_year, subject,
       count(*) FILTER (WHERE grade IN ('0','1','1.5','2','2.5','3','3.5','4')) AS graded,
       count(*) FILTER (WHERE grade = '0') AS grade_0,
       round(100.0 * count(*) FILTER (WHERE grade = '0')
             / nullif(count(*) FILTER (WHERE grade IN ('0','1','1.5','2','2.5','3','3.5','4')), 0), 2) AS grade_0_share
FROM {results}
GROUP BY ALL ORDER BY academic_year, subject
"""


def run(sql: str, root: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one of the questions over the files under root; returns (column names, rows)."""
    text = sql.format(
        attendance=_files(root, "attendance"),
        enrolments=_files(root, "enrolments"),
        results=_files(root, "results"),
    )
    with duckdb.connect() as con:
        cursor = con.execute(text)
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()


def absence_by_province_month(root: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    return run(ABSENCE_BY_PROVINCE_MONTH, root)


def dropout_by_grade(root: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    return run(DROPOUT_BY_GRADE, root)


def grade_0_by_subject(root: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    return run(GRADE_0_BY_SUBJECT, root)
