"""The risk pipeline: a calibrated model (gradient boosting or regularised logistic regression), measured
the same way on any table, and the reasons behind each score from the model itself.

Numbers stay numbers; text columns become categories (the boosted trees split on them natively). Scores
of a cross-validation are out-of-fold: every row is scored by a model that never saw it.
"""

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from khru.core.errors import problem
from khru.earlywarning.indicators import INDICATORS, Reading

FOLDS = 5
# The gradient-boosting model bins a categorical column into at most 255 values; rarer ones share one.
MAX_CATEGORIES = 250
BOOSTING, LOGISTIC = "boosting", "logistic"
KIND_TH = {BOOSTING: "gradient boosting", LOGISTIC: "logistic regression (L2)"}
# A child's inputs, in a fixed order: every indicator, missing (NaN) where there is no data yet.
FEATURES = list(INDICATORS)


@dataclass
class Table:
    columns: list[str]
    features: np.ndarray  # float; a category as its code, a missing value as NaN
    categorical: list[bool]
    target: np.ndarray  # 1 = the positive outcome (left school)
    ids: list[str]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def read_table(
    path: Path | str, *, target: str, positive: str, id_column: str | None = None, sep: str = ","
) -> Table:
    """A CSV with a header row: the target column, an optional id column, and features in the rest."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle, delimiter=sep))
    except OSError as error:
        raise problem(
            "csv",
            f"เปิดไฟล์ไม่ได้ ({error.strerror})",
            f"cannot open the file ({error.strerror})",
            field_th="ไฟล์",
        ) from None
    if len(rows) < 2:
        raise problem("csv", "ไฟล์ไม่มีข้อมูล", "the file has no data rows", field_th="ไฟล์")
    header, body = [h.strip() for h in rows[0]], rows[1:]
    for name, field, field_th in ((target, "target", "คอลัมน์เป้าหมาย"), (id_column, "id", "คอลัมน์รหัส")):
        if name is not None and name not in header:
            raise problem(field, f"ไม่พบคอลัมน์ '{name}'", f"no column '{name}'", field_th=field_th)
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise problem(
                "csv",
                f"มี {len(row)} ช่อง แต่หัวตารางมี {len(header)}",
                f"has {len(row)} fields, the header {len(header)}",
                row=number,
                field_th="ไฟล์",
            )
    target_index = header.index(target)
    labels = [row[target_index].strip() for row in body]
    if positive not in labels:
        raise problem(
            "positive",
            f"ไม่มีแถวที่ {target} = '{positive}'",
            f"no row has {target} = '{positive}'",
            field_th="ค่าเป้าหมาย",
        )
    y = np.array([label == positive for label in labels], dtype=int)
    if min(int(y.sum()), len(y) - int(y.sum())) < FOLDS:
        raise problem(
            "target",
            f"ต้องมีอย่างน้อย {FOLDS} แถวในแต่ละกลุ่มของ {target}",
            f"each outcome of {target} needs at least {FOLDS} rows",
            field_th="คอลัมน์เป้าหมาย",
        )
    id_index = header.index(id_column) if id_column else None
    ids = [row[id_index] if id_index is not None else str(i) for i, row in enumerate(body, start=1)]
    columns: list[str] = []
    values: list[list[float | None]] = []
    categorical: list[bool] = []
    for index, name in enumerate(header):
        if index in (target_index, id_index):
            continue
        cells = [row[index].strip() for row in body]
        numbers = [_number(cell) if cell else math.nan for cell in cells]
        if all(n is not None for n in numbers):
            values.append(numbers)
            categorical.append(False)
        else:
            values.append(list(_categories(cells)))
            categorical.append(True)
        columns.append(name)
    return Table(columns, np.array(values, dtype=float).T, categorical, y, ids)


def _categories(cells: list[str]) -> list[float | None]:
    counts: dict[str, int] = {}
    for cell in cells:
        if cell:
            counts[cell] = counts.get(cell, 0) + 1
    kept = sorted(counts, key=lambda c: (-counts[c], c))[:MAX_CATEGORIES]
    code = {c: float(i) for i, c in enumerate(kept)}
    other = float(len(kept))
    return [code.get(cell, other) if cell else math.nan for cell in cells]


def new_model(categorical: list[bool], *, seed: int = 0, kind: str = BOOSTING) -> Any:
    """Gradient boosting or L2 logistic regression, calibrated by isotonic regression (a 30% score means
    about 30%)."""
    if kind == LOGISTIC:
        # Missing values get the median and a flag column of their own, so "no data yet" can matter too.
        estimator: Any = make_pipeline(
            SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
            StandardScaler(),
            LogisticRegression(C=0.5, max_iter=2000),
        )
    else:
        estimator = HistGradientBoostingClassifier(
            categorical_features=np.array(categorical, dtype=bool) if any(categorical) else None,
            learning_rate=0.06,
            max_iter=250,
            max_leaf_nodes=15,
            l2_regularization=1.0,
            random_state=seed,
        )
    return CalibratedClassifierCV(estimator, method="isotonic", cv=3)


def vectors(readings: list[dict[str, Reading]], features: list[str] = FEATURES) -> np.ndarray:
    return np.array([[r[n].value if n in r else np.nan for n in features] for r in readings], dtype=float)


def margin(model: Any, features: np.ndarray) -> np.ndarray:
    """The model's log-odds before calibration: the mean over its calibrated folds' own estimators."""
    return np.mean(
        [fold.estimator.decision_function(features) for fold in model.calibrated_classifiers_], axis=0
    )


def attributions(model: Any, features: np.ndarray, typical: np.ndarray) -> np.ndarray:
    """How much each input raised the child's log-odds: the model's margin with the child's value minus
    its margin with a typical child's value there (the training median), one input at a time."""
    own = margin(model, features)
    result = np.zeros_like(features)
    for j in range(features.shape[1]):
        swapped = features.copy()
        swapped[:, j] = typical[j]
        result[:, j] = own - margin(model, swapped)
    result[np.isnan(features)] = 0.0  # no data is no reason
    return result


def reasons(
    readings: dict[str, Reading],
    contribution: np.ndarray,
    features: list[str],
    *,
    most: int = 3,
    at_least: float = 0.05,
) -> list[Reading]:
    """The child's own readings that raised the score most, largest first."""
    order = np.argsort(-contribution)
    return [
        readings[features[j]] for j in order[:most] if contribution[j] >= at_least and features[j] in readings
    ]


def calibration(y: np.ndarray, score: np.ndarray, bins: int = 10) -> list[tuple[float, float]]:
    """(mean predicted, share who left) per tenth of the scores."""
    observed, predicted = calibration_curve(y, score, n_bins=bins, strategy="quantile")
    return [(round(float(p), 4), round(float(o), 4)) for p, o in zip(predicted, observed, strict=True)]


def at_top(y: np.ndarray, score: np.ndarray, share: float) -> tuple[float, float]:
    """Precision and recall among the highest-scored `share` of children (the ones a school can follow)."""
    k = max(1, math.ceil(share * len(y)))
    top = np.argsort(-score, kind="stable")[:k]
    hits = int(y[top].sum())
    positives = int(y.sum())
    return hits / k, (hits / positives if positives else 0.0)


def measure(y: np.ndarray, score: np.ndarray) -> dict[str, float | int | None]:
    precision_5, recall_5 = at_top(y, score, 0.05)
    precision_10, recall_10 = at_top(y, score, 0.10)
    return {
        "auc": round(float(roc_auc_score(y, score)), 4),
        "precision_at_5": round(precision_5, 4),
        "recall_at_5": round(recall_5, 4),
        "precision_at_10": round(precision_10, 4),
        "recall_at_10": round(recall_10, 4),
        # A ranking that is not a probability (the ABC rule's count of signs) has no Brier score.
        "brier": round(float(brier_score_loss(y, score)), 4)
        if 0 <= score.min() <= score.max() <= 1
        else None,
        "n": len(y),
        "positives": int(y.sum()),
    }


def cross_validate(table: Table, *, seed: int = 0) -> dict[str, Any]:
    """Stratified 5-fold cross-validation: the figures of out-of-fold scores."""
    score = np.zeros(len(table.target))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for train, test in folds.split(table.features, table.target):
        model = new_model(table.categorical, seed=seed)
        model.fit(table.features[train], table.target[train])
        score[test] = model.predict_proba(table.features[test])[:, 1]
    return measure(table.target, score) | {
        "folds": FOLDS,
        "model": "gradient boosting, isotonic calibration",
        "features": len(table.columns),
    }


def score(
    model: Any, features: list[str], typical: list[float], readings: list[dict[str, Reading]]
) -> list[tuple[float, list[Reading]]]:
    """Each child's calibrated chance of leaving school within a year, and the readings that raised it."""
    if not readings:
        return []
    x = vectors(readings, features)
    chance = model.predict_proba(x)[:, 1]
    raised = attributions(model, x, np.array(typical, dtype=float))
    return [(float(chance[i]), reasons(readings[i], raised[i], features)) for i in range(len(readings))]
