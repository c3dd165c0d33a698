"""The DMC census export for the whole demo municipality (~9,500 students), now that every column is computed:
time per format and how full the census columns are (blood group … distance from home).

Run: .venv/bin/python bench/bench_dmc.py            (SQLite, a temporary file)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/khru_bench .venv/bin/python bench/bench_dmc.py
"""

import csv
import io
import time

from _setup import start

start()

from django.core.management import call_command  # noqa: E402

from khru.demo.context import MUNICIPALITY_CODE  # noqa: E402
from khru.org import scope  # noqa: E402
from khru.reports import selectors, services  # noqa: E402

started = time.perf_counter()
call_command("load_demo", seed=1, verbosity=0)
print(f"demo loaded in {time.perf_counter() - started:.0f} s")
actor = scope.dangerously_unscoped(reason="bench")
report, params = selectors.params_for(actor=actor, code="dmc", area_code=MUNICIPALITY_CODE)
print(
    f"dmc: {len(report.columns)} columns, {len(report.typed_columns)} typed, {report.count(params)} students"
)
for fmt in ("csv", "xlsx"):
    best = float("inf")
    for _ in range(2):
        out = io.BytesIO()
        begun = time.perf_counter()
        services.generate(actor=actor, report=report, params=params, fmt=fmt, out=out)
        best = min(best, time.perf_counter() - begun)
    print(f"dmc {fmt}: {best:.2f} s, {len(out.getvalue()) / 1e6:.1f} MB")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
        for column in ("หมู่เลือด", "ศาสนา", "สัญชาติ", "ความพิการ", "ความด้อยโอกาส", "ระยะทางจากบ้าน (กม.)"):
            filled = sum(1 for r in rows if r[column])
            print(f"  {column}: {100 * filled / len(rows):.1f}% filled")
