"""Train an area's risk model on its own history and measure it on a year it never saw.

The earlier years train, the latest year whose twelve months are over tests: each child's inputs are read
as of the same day of that year, from facts known that day, and the outcome is what happened after. Both
model kinds are fitted; the one with the higher held-out AUC is kept and refitted on every year for
scoring. The ABC rule is measured on the same children in the same run. Fewer than two years of history,
or too few children who left: no model, the rule stands alone.
"""

import datetime as dt
import pickle
from collections import defaultdict
from typing import Any

import numpy as np
from django.utils import timezone

from khru.core.suppression import MIN_CELL
from khru.earlywarning import history, risk
from khru.earlywarning.history import Child
from khru.earlywarning.models import AbcRule, RiskModel
from khru.earlywarning.rules import abc_signs
from khru.org import grades, scope
from khru.org.models import Area
from khru.people.models import Sex
from khru.welfare.models import PovertyScreening

TOP = 0.10  # the share of children a school can follow up closely
MIN_LEAVERS = 10  # in the training years and in the held-out year


def _abc_scores(rule: AbcRule, children: list[Child]) -> np.ndarray:
    """The rule as a ranking: its number of signs; ties in a fixed random order (the rule orders none)."""
    ties = np.random.default_rng(0).random(len(children)) / 10
    return np.array([len(abc_signs(rule, c.readings)) for c in children], dtype=float) + ties


def _groups(children: list[Child]) -> dict[str, dict[int, str]]:
    """Each child's group under each heading the misses are shown by."""
    # Poverty as screened in that school year (a child screened only later is "not screened" then).
    screened = dict(
        PovertyScreening.objects.filter(
            person_id__in=[c.enrolment.person_id for c in children],
            academic_year_id__in={c.enrolment.academic_year_id for c in children},
        ).values_list("person_id", "eligible")
    )
    poverty_th = {True: "ยากจน", False: "ไม่ยากจน", None: "ไม่มีผลคัดกรอง"}
    sex_th = dict(Sex.choices)
    stage_th = {"K": "อนุบาล", "P": "ประถมศึกษา", "M": "มัธยมศึกษาตอนต้น", "U": "มัธยมศึกษาตอนปลาย"}
    by: dict[str, dict[int, str]] = defaultdict(dict)
    for i, child in enumerate(children):
        enrolment = child.enrolment
        grade = enrolment.classroom.grade if enrolment.classroom else ""
        stage = "U" if grade in ("M4", "M5", "M6") else grade[:1]
        by["เพศ"][i] = sex_th.get(enrolment.person.sex, "ไม่ระบุ")
        by["ระดับ"][i] = stage_th.get(stage, grades.label(grade) if grade else "ไม่ระบุ")
        by["ความยากจน"][i] = poverty_th[screened.get(enrolment.person_id)]
        by["โรงเรียน"][i] = enrolment.classroom.school.name_th if enrolment.classroom else ""
    return by


def _missed(
    y: np.ndarray, flagged: dict[str, np.ndarray], groups: dict[str, dict[int, str]]
) -> dict[str, list]:
    """Per group, the false-negative rate of each method (leavers not flagged / leavers); the rates of a
    group with fewer than MIN_CELL leavers are not shown."""
    table: dict[str, list] = {}
    for heading, of in groups.items():
        rows = []
        for name in sorted(set(of.values())):
            members = np.array([i for i, g in of.items() if g == name])
            leavers = int(y[members].sum())
            shown = leavers >= MIN_CELL
            row: dict[str, Any] = {
                "group": name,
                "children": len(members),
                "leavers": leavers if shown else None,
            }
            for method, marked in flagged.items():
                missed = int((y[members].astype(bool) & ~marked[members]).sum())
                row[method] = round(missed / leavers, 3) if shown else None
            rows.append(row)
        table[heading] = rows
    return table


def _top(score: np.ndarray, share: float) -> np.ndarray:
    flagged = np.zeros(len(score), dtype=bool)
    flagged[np.argsort(-score, kind="stable")[: max(1, int(np.ceil(share * len(score))))]] = True
    return flagged


def evaluate_and_train(*, area: Area, today: dt.date | None = None, seed: int = 0) -> RiskModel | None:
    today = today or timezone.localdate()
    days = history.snapshot_days(area, today)
    if len(days) < 2:
        return None
    system = scope.dangerously_unscoped(reason=f"early-warning model for area {area.code}")
    years = [history.labelled(actor=system, area=area, as_of=day) for _year, day in days]
    train, test = [c for year in years[:-1] for c in year], years[-1]
    if min(sum(bool(c.left) for c in train), sum(bool(c.left) for c in test)) < MIN_LEAVERS:
        return None  # too few children left school to learn from (a small school, a tiny demo)
    # The inputs the history holds at all (a screening the schools began this year teaches nothing yet).
    features = [
        name
        for name in risk.FEATURES
        if any(name in c.readings for c in train) and any(name in c.readings for c in test)
    ]
    x_train, y_train = (
        risk.vectors([c.readings for c in train], features),
        np.array([c.left for c in train], dtype=int),
    )
    x_test, y_test = (
        risk.vectors([c.readings for c in test], features),
        np.array([c.left for c in test], dtype=int),
    )
    no_categories = [False] * len(features)
    held_out: dict[str, Any] = {}
    scores: dict[str, np.ndarray] = {}
    for kind in (risk.BOOSTING, risk.LOGISTIC):
        model = risk.new_model(no_categories, seed=seed, kind=kind).fit(x_train, y_train)
        scores[kind] = model.predict_proba(x_test)[:, 1]
        held_out[kind] = risk.measure(y_test, scores[kind])
    best = max(held_out, key=lambda k: held_out[k]["auc"])
    rule = AbcRule.objects.filter(area=area).first() or AbcRule(area=area)
    abc = _abc_scores(rule, test)
    abc_flagged = abc >= 1
    groups = _groups(test)
    evaluation = {
        "trained_on": [str(day) for _y, day in days[:-1]],
        "tested_on": str(days[-1][1]),
        "chosen": best,
        "models": held_out,
        "abc": risk.measure(y_test, abc)
        | {
            "flagged": int(abc_flagged.sum()),
            "flagged_precision": round(float(y_test[abc_flagged].mean()), 4) if abc_flagged.any() else 0.0,
            "flagged_recall": round(float(abc_flagged[y_test == 1].mean()), 4) if y_test.any() else 0.0,
        },
        "calibration": risk.calibration(y_test, scores[best]),
        # A child is flagged from this chance up: the top tenth of the held-out year.
        "threshold": round(float(np.quantile(scores[best], 1 - TOP)), 4),
        "missed": _missed(y_test, {"model": _top(scores[best], TOP), "abc": abc_flagged}, groups),
    }
    x_all, y_all = np.vstack([x_train, x_test]), np.concatenate([y_train, y_test])
    final = risk.new_model(no_categories, seed=seed, kind=best).fit(x_all, y_all)
    typical = [float(v) if not np.isnan(v) else 0.0 for v in np.nanmedian(x_all, axis=0)]
    return RiskModel.objects.create(
        area=area,
        kind=best,
        features=features,
        typical=typical,
        trained_on=[str(day) for _y, day in days],
        evaluation=evaluation,
        blob=pickle.dumps(final),
    )
