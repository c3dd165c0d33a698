"""The national questions of insights/queries.py on Apache Spark (local mode) and on DuckDB, same Parquet.

Spark is for this benchmark only (not in the lock, not needed to run Khru). Set up once:

    .venv/bin/pip install pyspark
    apt-get install -y openjdk-17-jre-headless        # Java 17 (check: java -version)

1. `generate_national` writes a synthetic year of attendance (Hive layout agency=/academic_year=/month=);
   "absence rate by province × month" runs on both engines.
2. With --export DIR (the output of `khru export_analytics`, e.g. of the demo): all three questions
   (absence by province × month, dropout by grade, grade 0 by subject) on both engines.

Each question: the same SQL text (DuckDB's `read_parquet(...)` replaced by a Spark view over the same
folder), the answers compared cell by cell (numbers to 0.01), best of 3 runs after one warm-up on each side.
Spark in local mode on 2 shared cores pays its JVM and planning overhead on every query; it is here to show
the same files and the same questions move to a cluster unchanged, not to win on one machine.

Run: .venv/bin/python bench/bench_spark.py [--students 65000] [--days 200] [--export DIR]
"""

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import duckdb  # noqa: E402
import pyspark  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

from khru.insights import queries, synthetic  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--students", type=int, default=65_000, help="a hundredth of OBEC by default")
parser.add_argument("--days", type=int, default=200)
parser.add_argument("--export", type=Path, help="a `khru export_analytics` folder: all three questions")
args = parser.parse_args()

print(f"machine: {platform.platform()} · {os.cpu_count()} cores · Python {platform.python_version()}")
print(f"duckdb {duckdb.__version__} · pyspark {pyspark.__version__}")

spark = (
    SparkSession.builder.master("local[*]")
    .appName("khru-national")
    .config("spark.sql.shuffle.partitions", "8")
    .config("spark.ui.enabled", "false")
    .config("spark.ui.showConsoleProgress", "false")
    .config("spark.driver.memory", "2g")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")


def spark_sql(sql: str, root: Path) -> str:
    """The DuckDB question for Spark: each fact a view over its folder (partitions discovered the same way)."""
    for fact in ("attendance", "enrolments", "results"):
        if (root / fact).exists():
            spark.read.option("basePath", str(root / fact)).parquet(str(root / fact)).createOrReplaceTempView(
                fact
            )
    return sql.format(attendance="attendance", enrolments="enrolments", results="results")


def normal(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Cells comparable across engines: numbers rounded to 0.01, everything else as text, rows sorted."""

    def cell(value: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        try:
            return round(float(value), 2)
        except (TypeError, ValueError):
            return str(value)

    return sorted((tuple(cell(v) for v in row) for row in rows), key=repr)


def best_of(runs: int, call) -> tuple[float, Any]:
    call()  # warm-up (DuckDB: file metadata; Spark: the JVM, the plan, the file listing)
    times, answer = [], None
    for _ in range(runs):
        started = time.perf_counter()
        answer = call()
        times.append(time.perf_counter() - started)
    return min(times), answer


def compare(name: str, sql: str, root: Path) -> bool:
    duck_seconds, (_, duck_rows) = best_of(3, lambda: queries.run(sql, root))
    text = spark_sql(sql, root)
    spark_seconds, spark_rows = best_of(3, lambda: [tuple(r) for r in spark.sql(text).collect()])
    same = normal(duck_rows) == normal(spark_rows)
    print(
        f"{name}: {len(duck_rows)} cells · DuckDB {duck_seconds:.2f} s · Spark {spark_seconds:.2f} s "
        f"({spark_seconds / duck_seconds:.1f}×) · answers {'equal' if same else 'DIFFER'}"
    )
    return same


# Spark 3.4+ reads GROUP BY ALL and FILTER (WHERE …) as DuckDB does; nothing else in the questions differs.
QUESTIONS = {
    "absence rate by province × month": queries.ABSENCE_BY_PROVINCE_MONTH,
    "dropout by grade": queries.DROPOUT_BY_GRADE,
    "grade 0 by subject": queries.GRADE_0_BY_SUBJECT,
}

ok = True
root = Path(tempfile.mkdtemp(prefix="khru-spark-"))
try:
    rows, seconds = synthetic.generate_national(root, students=args.students, days=args.days)
    print(
        f"synthetic year: {rows:,} child-days ({args.students:,} children × {args.days} days) in {seconds:.1f} s"
    )
    ok &= compare("absence rate by province × month", queries.ABSENCE_BY_PROVINCE_MONTH, root)
finally:
    shutil.rmtree(root, ignore_errors=True)
if args.export:
    print(f"export {args.export}:")
    for name, sql in QUESTIONS.items():
        ok &= compare(name, sql, args.export)
spark.stop()
sys.exit(0 if ok else 1)
