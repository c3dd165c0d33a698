"""Writes of early warning: an area office changes its ABC rule (checked, audited with old and new values);
the daily scoring of an area's children."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from khru.core import audit
from khru.core.errors import KhruError, NotAllowed, Problem
from khru.earlywarning import history, selectors
from khru.earlywarning.models import AbcRule, OnTrackRule, RiskScore
from khru.org import scope
from khru.org.models import Area
from khru.org.roles import Perm


def _percent(text: str, field: str, field_th: str, problems: list[Problem], label: str = "") -> Decimal:
    """A percentage typed in a rule's form (one decimal); a problem naming the field when it is not one."""
    try:
        value = Decimal(text.strip()).quantize(Decimal("0.1"))
    except InvalidOperation:
        value = Decimal(-1)
    if not Decimal(0) <= value <= Decimal(100):
        problems.append(
            Problem(
                field,
                f"{label}'{text}' ต้องเป็นร้อยละ 0–100",
                f"{label}'{text}' must be a percentage from 0 to 100",
                field_th=field_th,
            )
        )
    return max(value, Decimal(0))


def _whole(
    text: str, low: int, high: int, field: str, field_th: str, problems: list[Problem], label: str = ""
) -> int:
    """A whole number typed in a rule's form, from low to high."""
    value = int(text.strip()) if text.strip().isdigit() else -1
    if not low <= value <= high:
        problems.append(
            Problem(
                field,
                f"{label}'{text}' ต้องเป็นจำนวนเต็ม {low}–{high}",
                f"{label}'{text}' must be a whole number from {low} to {high}",
                field_th=field_th,
            )
        )
    return max(value, low)


def _office_only(actor: Any, area: Area) -> None:
    if not Area.objects.filter(scope.area_filter(actor, Perm.SET_GOALS), pk=area.pk).exists():
        raise NotAllowed()


def _put_in_force(*, actor: Any, rule: AbcRule | OnTrackRule, values: dict[str, Any], summary: str) -> None:
    """Write a rule's thresholds when they change (or the rule is new), audited with old and new values."""
    changes = audit.diff(rule, values)
    if rule.pk and not changes:
        return
    for name, value in values.items():
        setattr(rule, name, value)
    rule.changed_by = actor
    rule.save()
    audit.record(actor=actor, action=audit.Action.UPDATE, obj=rule, summary=summary, changes=changes)


def parse_rule(
    *, area: Area, attendance_below: str, behaviour_from: str, failed_core_courses: str
) -> AbcRule:
    """A proposed ABC rule from form text (unsaved): every field checked, all problems reported together."""
    problems: list[Problem] = []
    attendance = _percent(attendance_below, "attendance_below", "เกณฑ์การมาเรียน", problems)
    if behaviour_from not in AbcRule.Behaviour.values:
        problems.append(
            Problem("behaviour_from", "ไม่รู้จักระดับนี้", "unknown screening level", field_th="เกณฑ์ด้านพฤติกรรม")
        )
    failures = _whole(failed_core_courses, 1, 20, "failed_core_courses", "จำนวนวิชาที่ไม่ผ่าน", problems)
    if problems:
        raise KhruError(*problems)
    return AbcRule(
        area=area, attendance_below=attendance, behaviour_from=behaviour_from, failed_core_courses=failures
    )


@transaction.atomic
def set_abc_rule(*, actor: Any, area: Area, proposed: AbcRule) -> AbcRule:
    """Put the proposed thresholds in force for the area's schools (its office only)."""
    _office_only(actor, area)
    rule = AbcRule.objects.select_for_update().filter(area=area).first() or AbcRule(area=area)
    values = {
        name: getattr(proposed, name)
        for name in ("attendance_below", "behaviour_from", "failed_core_courses")
    }
    _put_in_force(actor=actor, rule=rule, values=values, summary=f"ABC rule of {area.code}")
    return rule


def parse_on_track(*, area: Area, typed: dict[str, str]) -> dict[str, OnTrackRule]:
    """Proposed on-track thresholds per level from form text (`<level>-max_failed_core`,
    `<level>-min_attendance`), unsaved; every problem reported together, naming the level and field."""
    problems: list[Problem] = []
    rules = {}
    for level, label in OnTrackRule.Level.choices:
        failed = _whole(
            typed.get(f"{level}-max_failed_core", ""), 0, 20, f"{level}-max_failed_core",
            f"วิชาที่ไม่ผ่านได้ไม่เกิน ({label})", problems, label=f"{label}: ",
        )  # fmt: skip
        attendance = _percent(
            typed.get(f"{level}-min_attendance", ""), f"{level}-min_attendance",
            f"การมาเรียนอย่างน้อย ({label})", problems, label=f"{label}: ",
        )  # fmt: skip
        rules[level] = OnTrackRule(area=area, level=level, max_failed_core=failed, min_attendance=attendance)
    if problems:
        raise KhruError(*problems)
    return rules


@transaction.atomic
def set_on_track(*, actor: Any, area: Area, proposed: dict[str, OnTrackRule]) -> None:
    """Put the proposed on-track thresholds in force (the area's office only); each level audited."""
    _office_only(actor, area)
    for level, new in proposed.items():
        rule = OnTrackRule.objects.select_for_update().filter(area=area, level=level).first()
        _put_in_force(
            actor=actor,
            rule=rule or OnTrackRule(area=area, level=level),
            values={"max_failed_core": new.max_failed_core, "min_attendance": new.min_attendance},
            summary=f"on-track rule of {area.code}, level {level}",
        )


@transaction.atomic
def score_area(*, area: Area, as_of: dt.date | None = None) -> int:
    """Score every child of the area in class on the day (the rule, and the model when there is one) and
    keep the day's warnings, replacing that day's earlier run. Run daily (`khru score_risk`)."""
    as_of = as_of or timezone.localdate()
    system = scope.dangerously_unscoped(reason=f"early-warning daily scores for area {area.code}")
    enrolments = list(
        history.in_class(area, as_of)
        .select_related("person", "classroom__academic_year", "classroom__school")
        .prefetch_related("classroom__academic_year__terms")
    )
    children = history.read(actor=system, enrolments=enrolments, as_of=as_of)
    flags = selectors.warn(
        selectors.rule_for(area),
        selectors.latest_model(area),
        [(c.enrolment.person, c.readings) for c in children],
    )
    RiskScore.objects.filter(area=area, as_of=as_of).delete()
    RiskScore.objects.bulk_create(
        [
            RiskScore(
                area=area,
                school_id=child.enrolment.school_id,
                person_id=child.enrolment.person_id,
                as_of=as_of,
                chance=None if flag.chance is None else Decimal(str(round(flag.chance, 3))),
                abc=bool(flag.signs),
                flagged=flag.flagged,
            )
            for child, flag in zip(children, flags, strict=True)
        ],
        batch_size=2000,
    )
    return len(flags)
