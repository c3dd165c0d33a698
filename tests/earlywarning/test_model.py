"""The risk model: outcomes read from enrolments, reasons from the model's own attributions, the class page
showing chances only to the child's own teachers, the area's evaluation page, and the rule fallback."""

import datetime as dt
import pickle
import random
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from khru.earlywarning import history, risk, training
from khru.earlywarning.indicators import Reading
from khru.earlywarning.models import RiskModel
from khru.people.models import EndReason
from tests import factories as f
from tests.earlywarning.test_flags import START, _registers, _school_days

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 12, 3)


def _spell(person, year_be: int, *, ends_on=None, reason: str = "", **extra):
    classroom = f.ClassroomFactory(academic_year=f.AcademicYearFactory(year_be=year_be))
    return f.EnrolmentFactory(person=person, classroom=classroom, ends_on=ends_on, end_reason=reason, **extra)


def test_leaving_school_is_read_from_the_enrolments_of_the_twelve_months_after(world):
    def child(*spells) -> int:
        person = f.PersonFactory()
        for year_be, ends_on, reason in spells:
            _spell(person, year_be, ends_on=ends_on, reason=reason)
        return person.pk

    dropped = child((2568, dt.date(2026, 2, 1), EndReason.DROPPED_OUT))
    unknown = child((2568, dt.date(2026, 8, 1), EndReason.UNKNOWN))
    moved = child((2568, dt.date(2026, 2, 1), EndReason.TRANSFERRED))
    graduated = child((2568, dt.date(2026, 5, 15), EndReason.GRADUATED))
    promoted_then_gone = child((2568, dt.date(2026, 5, 15), EndReason.PROMOTED))
    promoted_and_back = child((2568, dt.date(2026, 5, 15), EndReason.PROMOTED), (2569, None, ""))
    left_later = child(
        (2568, dt.date(2026, 5, 15), EndReason.PROMOTED), (2569, dt.date(2027, 1, 5), "dropped_out")
    )
    died = child((2568, dt.date(2026, 1, 9), EndReason.DECEASED))
    found = history.outcomes(
        [dropped, unknown, moved, graduated, promoted_then_gone, promoted_and_back, left_later, died], AS_OF
    )
    assert found == {
        dropped: True,
        unknown: True,
        moved: False,
        graduated: False,
        promoted_then_gone: True,
        promoted_and_back: False,
        left_later: False,  # after the twelve months
        died: None,
    }


def _synthetic(rows: int = 600, seed: int = 3) -> tuple[list[dict[str, Reading]], np.ndarray]:
    """Children whose recent absences drive leaving; their term rate is noise."""
    chance = random.Random(seed)
    readings, left = [], []
    for _ in range(rows):
        absences = chance.randint(0, 20)
        rate = round(chance.uniform(80, 100), 1)
        readings.append(
            {
                "recent_absences": Reading(
                    "recent_absences", absences, f"ขาดเรียน {absences} วันจาก 20 วันล่าสุด"
                ),
                "attendance_rate_term": Reading("attendance_rate_term", rate, f"มาเรียน ({rate:.1f}%)"),
            }
        )
        left.append(absences / 20 + chance.gauss(0, 0.12) > 0.8)
    return readings, np.array(left, dtype=int)


FEATURES = ["recent_absences", "attendance_rate_term"]


def _fitted(kind: str = risk.LOGISTIC):
    readings, left = _synthetic()
    x = risk.vectors(readings, FEATURES)
    model = risk.new_model([False, False], kind=kind).fit(x, left)
    return model, [float(v) for v in np.nanmedian(x, axis=0)]


@pytest.mark.parametrize("kind", [risk.LOGISTIC, risk.BOOSTING])
def test_the_reasons_are_the_models_own_and_name_the_childs_values(kind):
    model, typical = _fitted(kind)
    away = {
        "recent_absences": Reading("recent_absences", 18, "ขาดเรียน 18 วันจาก 20 วันล่าสุด"),
        "attendance_rate_term": Reading("attendance_rate_term", 90.0, "มาเรียน (90.0%)"),
    }
    present = {
        "recent_absences": Reading("recent_absences", 0, "ขาดเรียน 0 วันจาก 20 วันล่าสุด"),
        "attendance_rate_term": Reading("attendance_rate_term", 90.0, "มาเรียน (90.0%)"),
    }
    (high, why), (low, why_not) = risk.score(model, FEATURES, typical, [away, present])
    assert 0 <= low < high <= 1
    assert [reason.text_th for reason in why][:1] == ["ขาดเรียน 18 วันจาก 20 วันล่าสุด"]
    assert "recent_absences" not in [reason.indicator for reason in why_not]  # she comes every day


def _model_row(area, threshold: float = 0.3) -> RiskModel:
    model, typical = _fitted()
    return RiskModel.objects.create(
        area=area,
        kind=risk.LOGISTIC,
        features=FEATURES,
        typical=typical,
        trained_on=["2024-12-03", "2025-12-03"],
        evaluation={
            "threshold": threshold,
            "tested_on": "2025-12-03",
            "chosen": risk.LOGISTIC,
            "models": {
                risk.LOGISTIC: {
                    "auc": 0.91,
                    "precision_at_5": 0.5,
                    "recall_at_5": 0.3,
                    "precision_at_10": 0.4,
                    "recall_at_10": 0.62,
                    "brier": 0.02,
                }
            },
            "abc": {
                "auc": 0.8,
                "precision_at_5": 0.3,
                "recall_at_5": 0.2,
                "precision_at_10": 0.3,
                "recall_at_10": 0.5,
                "n": 500,
                "positives": 20,
                "flagged": 80,
            },
            "calibration": [[0.01, 0.02], [0.3, 0.28]],
            "missed": {"เพศ": [{"group": "หญิง", "children": 250, "leavers": 10, "model": 0.3, "abc": 0.4}]},
        },  # fmt: skip
        blob=pickle.dumps(model),
    )


def test_the_class_page_shows_the_chance_and_its_reasons_to_the_childs_teacher_only(world, monkeypatch):
    from khru.earlywarning import selectors

    days = _school_days(START, 20)
    _registers(world, days, {world.student1.pk: "absent"} | {})
    classmate = f.EnrolmentFactory(classroom=world.class1).person
    monkeypatch.setattr(selectors.timezone, "localdate", lambda *args: days[-1] + dt.timedelta(days=1))
    _model_row(world.school1.area)
    board = selectors.class_flags(actor=world.teacher1, classroom=world.class1)
    flag = next(x for x in board.flags if x.person == world.student1)
    other = next(x for x in board.flags if x.person == classmate)
    assert flag.above and flag.chance is not None and flag.chance > other.chance
    assert flag.reasons[0].text_th == "ขาดเรียน 20 วันจาก 20 วันล่าสุด"
    teacher = Client()
    teacher.force_login(world.teacher1)
    page = teacher.get(reverse("earlywarning:class", args=[world.class1.uuid])).content.decode()
    assert "ขาดเรียน 20 วันจาก 20 วันล่าสุด" in page and f"{flag.percent}%" in page
    for outsider in (world.teacher2, world.officer):
        client = Client()
        client.force_login(outsider)
        assert client.get(reverse("earlywarning:class", args=[world.class1.uuid])).status_code == 404


def test_the_area_office_reads_the_evaluation_and_a_teacher_cannot(world):
    url = reverse("earlywarning:model", args=[world.school1.area.code])
    office = Client()
    office.force_login(world.officer)
    assert "ยังไม่มีแบบจำลอง" in office.get(url).content.decode()
    _model_row(world.school1.area)
    page = office.get(url).content.decode()
    assert "0.910" in page and "เกณฑ์ ABC" in page and "หญิง" in page
    teacher = Client()
    teacher.force_login(world.teacher1)
    assert teacher.get(url).status_code == 404


def test_under_two_years_of_history_the_rule_stands_alone(world):
    assert training.evaluate_and_train(area=world.school1.area) is None
    out = StringIO()
    call_command("evaluate_risk", area=world.school1.area.code, stdout=out)
    assert "ใช้เกณฑ์ ABC" in out.getvalue() and not RiskModel.objects.exists()
