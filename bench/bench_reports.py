"""Report generation on the demo municipality (loaded once into a scratch database).

- ปพ.6 PDF for a class of about 40 (target ≤ 3 s) and for the largest school (target ≤ 60 s): a ZIP with one
  PDF per class, so memory is that of one class whatever the size of the school.
- DMC census export (CSV and XLSX) for the whole municipality (target ≤ 10 s), with a plain scan of the same
  enrolments as the baseline the ratio is taken against.
- Peak Python memory (tracemalloc) at two sizes: it should stay flat for the streamed exports.

Run: .venv/bin/python bench/bench_reports.py            (SQLite, a temporary file)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench_reports .venv/bin/python bench/bench_reports.py
"""

import tempfile
import time
import tracemalloc
from collections.abc import Callable

from _setup import start

start()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from khru.demo.context import MUNICIPALITY_CODE  # noqa: E402
from khru.org import scope  # noqa: E402
from khru.org.models import Classroom, School  # noqa: E402
from khru.people.models import Enrolment  # noqa: E402
from khru.reports import selectors, services  # noqa: E402

started = time.perf_counter()
call_command("load_demo", seed=1, verbosity=0)
print(f"demo loaded in {time.perf_counter() - started:.0f} s")

actor = scope.dangerously_unscoped(reason="bench")
open_enrolments = Count("enrolments", filter=Q(enrolments__ends_on__isnull=True))
largest = School.objects.annotate(n=open_enrolments).order_by("-n").first()
assert largest is not None
class_of_40 = (
    Classroom.objects.filter(school=largest, academic_year__year_be=2569, grade__startswith="P")
    .annotate(n=open_enrolments)
    .filter(n__gte=38)
    .order_by("-n")
    .first()
)
assert class_of_40 is not None


def timed(code: str, fmt: str, repeat: int = 1, **where: object) -> tuple[float, int, int]:
    """Best time (s), output size (bytes) and units (students) of generating one report into a file (as a
    background run does: the file's bytes are not held in memory)."""
    best = float("inf")
    size = units = 0
    for _ in range(repeat):
        report, params = selectors.params_for(actor=actor, code=code, **where)  # type: ignore[arg-type]
        units = report.count(params)
        with tempfile.TemporaryFile() as out:
            begun = time.perf_counter()
            services.generate(actor=actor, report=report, params=params, fmt=fmt, out=out)
            best = min(best, time.perf_counter() - begun)
            size = out.tell()
    return best, size, units


def peak(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 1e6


classroom = {"school_code": largest.code, "classroom_uuid": str(class_of_40.uuid), "term_number": 1}
seconds, size, units = timed("pp6", "pdf", repeat=3, **classroom)
print(f"ปพ.6 PDF, class {class_of_40} of {units}: {seconds:.2f} s · {size / 1e6:.1f} MB (target ≤ 3 s)")
school = {"school_code": largest.code, "term_number": 1}
seconds, size, units = timed("pp6", "pdf", **school)
print(
    f"ปพ.6 PDFs, {largest.name_th} ({units:,} students, one PDF per class in a ZIP): {seconds:.1f} s · "
    f"{size / 1e6:.1f} MB (target ≤ 60 s)"
)

area = {"area_code": MUNICIPALITY_CODE}
begun = time.perf_counter()
scanned = sum(
    1
    for _ in Enrolment.objects.filter(school__area__code=MUNICIPALITY_CODE, ends_on__isnull=True)
    .values_list("person__citizen_id", "person__first_name_th", "person__birth_date")
    .iterator(2000)
)
baseline = time.perf_counter() - begun
print(f"baseline: scan {scanned:,} open enrolments with names: {baseline:.2f} s")
for fmt in ("csv", "xlsx"):
    seconds, size, units = timed("dmc", fmt, repeat=2, **area)
    print(
        f"DMC {fmt.upper()}, municipality ({units:,} students): {seconds:.2f} s · {size / 1e6:.1f} MB "
        f"· {seconds / baseline:.0f}× the scan (target ≤ 10 s)"
    )

one_school = {"school_code": largest.code}
for fmt in ("csv", "xlsx"):
    small = peak(lambda fmt=fmt: timed("dmc", fmt, **one_school))
    big = peak(lambda fmt=fmt: timed("dmc", fmt, **area))
    print(
        f"peak memory, DMC {fmt.upper()}: one school {small:.1f} MB · municipality {big:.1f} MB ({big / small:.1f}×)"
    )
small = peak(lambda: timed("pp6", "xlsx", **classroom))
big = peak(lambda: timed("pp6", "xlsx", **school))
print(f"peak memory, ปพ.6 XLSX: a class {small:.1f} MB · the school {big:.1f} MB ({big / small:.1f}×)")
small = peak(lambda: timed("pp6", "pdf", **classroom))
big = peak(lambda: timed("pp6", "pdf", **school))
print(f"peak memory, ปพ.6 PDF: a class {small:.1f} MB · the school's ZIP {big:.1f} MB ({big / small:.1f}×)")
