"""The analytics export: the facts as Hive-partitioned Parquet for DuckDB (and Spark or Trino later).

Personal identifiers never leave: each child is a keyed pseudonym (HMAC-SHA256 of the citizen ID with
ANALYTICS_PSEUDONYM_KEY, truncated), stable across exports with the same key, so a child can be followed
over years without being named. Django reads the raw tables once into CSV; DuckDB joins them (registers ×
enrolments gives one row per child and school day) and writes Parquet partitioned by agency, academic year
and month. The synthetic national year is written with the same columns, straight from DuckDB SQL.
"""

import csv
import hashlib
import hmac
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from khru.assessment.models import Result
from khru.attendance.models import Mark, Register
from khru.config import env
from khru.org.models import School
from khru.people.models import EndReason, Enrolment, Person

PSEUDONYM_LENGTH = 20  # hex characters: 80 bits, no collisions among Thailand's children


def pseudonym(identifier: str, key: bytes) -> str:
    return hmac.new(key, identifier.encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def _key() -> bytes:
    if not env.ANALYTICS_PSEUDONYM_KEY:
        raise ValueError("set ANALYTICS_PSEUDONYM_KEY: the key that turns citizen IDs into pseudonyms")
    return env.ANALYTICS_PSEUDONYM_KEY.encode()


def _write(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    # A work file only DuckDB reads (codes and numbers, no names), never handed out: not core.csvfile, whose
    # quotes would change the data.
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


ATTENDANCE = """
COPY (
  SELECT p.student, s.school, s.area, s.agency, s.province, e.grade, p.sex,
         r.academic_year, month(r.date) AS month, r.date,
         coalesce(m.code, '') AS code, coalesce(m.attended, true) AS attended
  FROM registers r
  JOIN enrolments e ON e.classroom_id = r.classroom_id
                   AND r.date >= e.starts_on AND r.date <= coalesce(e.ends_on, DATE '9999-12-31')
  LEFT JOIN marks m ON m.register_id = r.id AND m.person_id = e.person_id
  JOIN persons p ON p.person_id = e.person_id
  JOIN schools s ON s.school_id = r.school_id
) TO '{out}' (FORMAT parquet, PARTITION_BY (agency, academic_year, month), OVERWRITE_OR_IGNORE)
"""

ENROLMENTS = """
COPY (
  SELECT p.student, s.school, s.area, s.agency, s.province, e.grade, p.sex, e.academic_year,
         e.starts_on, e.ends_on, e.end_reason, e.end_reason = '{dropout}' AS dropout
  FROM enrolments e JOIN persons p USING (person_id) JOIN schools s USING (school_id)
) TO '{out}' (FORMAT parquet, PARTITION_BY (agency, academic_year), OVERWRITE_OR_IGNORE)
"""

RESULTS = """
COPY (
  SELECT p.student, s.school, s.area, s.agency, s.province, r.grade_level AS grade_level, p.sex,
         r.academic_year, r.term, r.subject, r.course_code, r.grade
  FROM results r JOIN persons p USING (person_id) JOIN schools s USING (school_id)
) TO '{out}' (FORMAT parquet, PARTITION_BY (agency, academic_year), OVERWRITE_OR_IGNORE)
"""


def export(output: Path) -> dict[str, int]:
    """Write attendance (child-day), enrolments (with dropout) and results (by subject) under output/."""
    key = _key()
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _write(
            work / "persons.csv",
            ["person_id", "student", "sex"],
            (
                (pk, pseudonym(citizen_id or f"person:{uuid}", key), sex)
                for pk, citizen_id, uuid, sex in Person.objects.filter(enrolments__isnull=False)
                .distinct()
                .values_list("pk", "citizen_id", "uuid", "sex")
                .iterator(chunk_size=5000)
            ),
        )
        _write(
            work / "schools.csv",
            ["school_id", "school", "area", "agency", "province"],
            School.objects.values_list(
                "pk", "code", "area__code", "area__agency__code", "area__province__name_th"
            ),
        )
        _write(
            work / "registers.csv",
            ["id", "school_id", "classroom_id", "academic_year", "date"],
            Register.objects.filter(period=0)
            .values_list("pk", "school_id", "classroom_id", "academic_year__year_be", "date")
            .iterator(chunk_size=5000),
        )
        _write(
            work / "marks.csv",
            ["register_id", "person_id", "code", "attended"],
            Mark.objects.filter(register__period=0)
            .values_list("register_id", "person_id", "code__code", "code__attended")
            .iterator(chunk_size=5000),
        )
        _write(
            work / "enrolments.csv",
            [
                "person_id",
                "school_id",
                "classroom_id",
                "grade",
                "academic_year",
                "starts_on",
                "ends_on",
                "end_reason",
            ],
            Enrolment.objects.values_list(
                "person_id",
                "school_id",
                "classroom_id",
                "grade",
                "academic_year__year_be",
                "starts_on",
                "ends_on",
                "end_reason",
            ).iterator(chunk_size=5000),
        )
        _write(
            work / "results.csv",
            [
                "person_id",
                "school_id",
                "grade_level",
                "academic_year",
                "term",
                "subject",
                "course_code",
                "grade",
            ],
            (
                (person_id, school_id, level, year, term, code[:1], code, grade)
                for person_id, school_id, level, year, term, code, grade in Result.objects.values_list(
                    "person_id",
                    "course__school_id",
                    "course__classroom__grade",
                    "course__academic_year__year_be",
                    "course__term__number",
                    "course__code",
                    "grade",
                ).iterator(chunk_size=5000)
            ),
        )
        counts: dict[str, int] = {}
        with duckdb.connect() as con:
            for table in ("persons", "schools", "registers", "marks", "enrolments", "results"):
                con.execute(
                    f"CREATE TABLE {table} AS SELECT * FROM read_csv('{work / table}.csv', header = true, "
                    "all_varchar = false, nullstr = '')"
                )
            for fact, sql in (("attendance", ATTENDANCE), ("enrolments", ENROLMENTS), ("results", RESULTS)):
                con.execute(sql.format(out=output / fact, dropout=EndReason.DROPPED_OUT.value))
                row = con.execute(
                    f"SELECT count(*) FROM read_parquet('{output / fact}/**/*.parquet')"
                ).fetchone()
                counts[fact] = int(row[0]) if row else 0
    return counts
