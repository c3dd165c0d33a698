"""`khru evaluate_risk --csv`: finds a planted signal, finds none in shuffled labels, refuses bad input."""

import csv
import json
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def _table(path: Path, *, shuffled: bool, rows: int = 400) -> None:
    """Children whose absences and a text column (the planted signal) drive leaving, plus a noise column."""
    chance = random.Random(7)
    records = []
    for i in range(rows):
        absences = chance.randint(0, 30)
        transport = chance.choice(["walk", "bus", "boat"])
        risk = absences / 30 + (0.5 if transport == "boat" else 0.0)
        left = "left" if risk + chance.gauss(0, 0.15) > 0.9 else "stayed"
        records.append([f"c{i}", absences, transport, round(chance.random(), 3), left])
    if shuffled:
        outcomes = [r[-1] for r in records]
        chance.shuffle(outcomes)
        for record, outcome in zip(records, outcomes, strict=True):
            record[-1] = outcome
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["child", "absences", "transport", "noise", "outcome"])
        writer.writerows(records)


def _run(path: Path, **extra: str) -> dict:
    out = StringIO()
    options = {"target": "outcome", "positive": "left", "id_column": "child", "sep": ";"} | extra
    call_command("evaluate_risk", csv_path=str(path), stdout=out, **options)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_a_planted_signal_is_found(tmp_path: Path) -> None:
    path = tmp_path / "planted.csv"
    _table(path, shuffled=False)
    figures = _run(path)
    assert figures["n"] == 400
    assert figures["auc"] > 0.9
    # The id column is not a feature: absences, transport and noise are.
    assert figures["features"] == 3
    assert figures["precision_at_10"] > figures["positives"] / figures["n"]
    assert 0 <= figures["recall_at_10"] <= 1


def test_shuffled_labels_find_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shuffled.csv"
    _table(path, shuffled=True)
    assert abs(_run(path)["auc"] - 0.5) < 0.1


def test_bad_input_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "planted.csv"
    _table(path, shuffled=False, rows=50)
    with pytest.raises(CommandError, match="ช่อง คอลัมน์เป้าหมาย.*field target"):
        _run(path, target="nonesuch")
    with pytest.raises(CommandError, match="field positive"):
        _run(path, positive="graduated")
