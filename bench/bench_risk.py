"""Early warning over the demo municipality (~9,500 students, three years of history).

- Training: `training.evaluate_and_train` (both model kinds on the earlier year, tested on the held-out
  year, the better one refitted on both years). Target ≤ 2 min.
- Scoring every child of the municipality now, with the model's reasons. Target ≤ 30 s.
- The held-out figures beside the ABC rule's (targets: recall at the top 10% ≥ 0.6; precision at the top
  10% at least 10% above the rule's).

Run: .venv/bin/python bench/bench_risk.py                     (loads the demo into a temporary SQLite)
     BENCH_DEMO_DB=var/demo.sqlite3 .venv/bin/python bench/bench_risk.py   (a demo already loaded)
"""

import time

from _setup import ensure_demo, start  # noqa: E402

start()

from django.utils import timezone  # noqa: E402

from khru.earlywarning import history, risk, selectors, training  # noqa: E402
from khru.org import scope  # noqa: E402
from khru.org.models import Area  # noqa: E402

ensure_demo()
area = Area.objects.get(code="LAO-DEMO")

began = time.perf_counter()
model = training.evaluate_and_train(area=area)
trained = time.perf_counter() - began
assert model is not None, "the demo has under two years of history"
e = model.evaluation
print(f"training (evaluate on {e['tested_on']}, refit on {len(model.trained_on)} years): {trained:.1f} s")
for name, figures in [*e["models"].items(), ("ABC rule", e["abc"])]:
    print(
        f"  {name:<9} AUC {figures['auc']:.3f} · top 10%: precision {figures['precision_at_10']:.3f}, "
        f"recall {figures['recall_at_10']:.3f} · top 5%: precision {figures['precision_at_5']:.3f}, "
        f"recall {figures['recall_at_5']:.3f} · Brier {figures['brier']}"
    )
chosen = e["models"][e["chosen"]]
lift = chosen["precision_at_10"] / e["abc"]["precision_at_10"] - 1
print(f"  kept {e['chosen']}: precision at the top 10% {lift:+.1%} against the ABC rule's")

began = time.perf_counter()
system = scope.dangerously_unscoped(reason="bench: scoring the municipality")
today = timezone.localdate()
enrolments = list(
    history.in_class(area, today)
    .select_related("person", "classroom__academic_year", "classroom__school")
    .prefetch_related("classroom__academic_year__terms")
)
children = history.read(actor=system, enrolments=enrolments, as_of=today)
read = time.perf_counter() - began
scored = risk.score(selectors._fitted(model), model.features, model.typical, [c.readings for c in children])
total = time.perf_counter() - began
with_reasons = sum(1 for _chance, reasons in scored if reasons)
print(
    f"scoring {len(scored):,} children now with reasons: {total:.1f} s "
    f"(facts and indicators {read:.1f} s, model and reasons {total - read:.1f} s); {with_reasons:,} with a reason"
)
