"""Writes of the insights app: an area office's yearly goals for its schools."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from khru.core import audit
from khru.core.errors import KhruError, Problem
from khru.insights.models import Goal
from khru.org import scope
from khru.org.models import AcademicYear, School
from khru.org.roles import Perm


@transaction.atomic
def set_goals(*, actor: Any, year: AcademicYear, targets: Mapping[tuple[School, str], str]) -> int:
    """Set schools' targets (percentages) for one year; an empty target removes that goal. Every value is
    checked first: one bad value saves nothing. Returns how many goals changed."""
    problems = []
    parsed: dict[tuple[School, str], Decimal | None] = {}
    for (school, indicator), text in targets.items():
        scope.require(actor, Perm.SET_GOALS, school)
        if indicator not in Goal.Indicator.values or year.agency_id != school.area.agency_id:
            problems.append(Problem("indicator", "ไม่รู้จักตัวชี้วัดนี้", "unknown indicator", field_th="ตัวชี้วัด"))
            continue
        text = text.strip()
        if not text:
            parsed[(school, indicator)] = None
            continue
        try:
            value = Decimal(text).quantize(Decimal("0.1"))
        except InvalidOperation:
            value = Decimal(-1)
        if not Decimal(0) <= value <= Decimal(100):
            label = Goal.Indicator(indicator).label
            problems.append(
                Problem(
                    f"{school.code}-{indicator}",
                    f"{school.name_th} {label}: '{text}' ต้องเป็นร้อยละ 0–100",
                    f"{school.name_th} {indicator}: '{text}' must be a percentage from 0 to 100",
                    field_th="เป้าหมาย",
                )
            )
            continue
        parsed[(school, indicator)] = value
    if problems:
        raise KhruError(*problems)
    existing = {
        (g.school_id, g.indicator): g
        for g in Goal.objects.filter(academic_year=year, school__in={s for s, _ in parsed})
    }
    changed = 0
    for (school, indicator), new in parsed.items():
        goal = existing.get((school.pk, indicator))
        old = goal.target if goal else None
        if old == new:
            continue
        changed += 1
        if new is None:
            assert goal is not None
            audit.record(
                actor=actor,
                action=audit.Action.DELETE,
                obj=goal,
                school_id=school.pk,
                summary=f"goal {indicator} removed",
            )
            goal.delete()
            continue
        goal, created = Goal.objects.update_or_create(
            school=school,
            academic_year=year,
            indicator=indicator,
            defaults={"target": new, "set_by": actor},
        )
        audit.record(
            actor=actor,
            action=audit.Action.CREATE if created else audit.Action.UPDATE,
            obj=goal,
            school_id=school.pk,
            summary=f"goal {indicator} {year.year_be}: {old} → {new}",
            changes={"target": [None if old is None else str(old), str(new)]},
        )
    return changed
