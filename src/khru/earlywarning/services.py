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


def parse_rule(
    *, area: Area, attendance_below: str, behaviour_from: str, failed_core_courses: str
) -> AbcRule:
    """A proposed rule from form text (unsaved): every field checked, all problems reported together."""
    problems = []
    try:
        attendance = Decimal(attendance_below.strip()).quantize(Decimal("0.1"))
    except InvalidOperation:
        attendance = Decimal(-1)
    if not Decimal(0) <= attendance <= Decimal(100):
        problems.append(
            Problem(
                "attendance_below",
                f"'{attendance_below}' ต้องเป็นร้อยละ 0–100",
                f"'{attendance_below}' must be a percentage from 0 to 100",
                field_th="เกณฑ์การมาเรียน",
            )
        )
    if behaviour_from not in AbcRule.Behaviour.values:
        problems.append(
            Problem("behaviour_from", "ไม่รู้จักระดับนี้", "unknown screening level", field_th="เกณฑ์ด้านพฤติกรรม")
        )
    failures = int(failed_core_courses) if failed_core_courses.strip().isdigit() else 0
    if not 1 <= failures <= 20:
        problems.append(
            Problem(
                "failed_core_courses",
                f"'{failed_core_courses}' ต้องเป็นจำนวนเต็ม 1–20",
                f"'{failed_core_courses}' must be a whole number from 1 to 20",
                field_th="จำนวนวิชาที่ไม่ผ่าน",
            )
        )
    if problems:
        raise KhruError(*problems)
    return AbcRule(
        area=area, attendance_below=attendance, behaviour_from=behaviour_from, failed_core_courses=failures
    )


@transaction.atomic
def set_abc_rule(*, actor: Any, area: Area, proposed: AbcRule) -> AbcRule:
    """Put the proposed thresholds in force for the area's schools (its office only)."""
    if not Area.objects.filter(scope.area_filter(actor, Perm.SET_GOALS), pk=area.pk).exists():
        raise NotAllowed()
    rule = AbcRule.objects.select_for_update().filter(area=area).first() or AbcRule(area=area)
    values = {
        "attendance_below": proposed.attendance_below,
        "behaviour_from": proposed.behaviour_from,
        "failed_core_courses": proposed.failed_core_courses,
    }
    changes = audit.diff(rule, values)
    if rule.pk and not changes:
        return rule
    for name, value in values.items():
        setattr(rule, name, value)
    rule.changed_by = actor
    rule.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=rule,
        summary=f"ABC rule of {area.code}",
        changes=changes,
    )
    return rule


def parse_on_track(*, area: Area, typed: dict[str, str]) -> dict[str, OnTrackRule]:
    """Proposed on-track thresholds per level from form text (`<level>-max_failed_core`,
    `<level>-min_attendance`), unsaved; every problem reported together, naming the level and field."""
    problems, rules = [], {}
    for level, label in OnTrackRule.Level.choices:
        failed_text = typed.get(f"{level}-max_failed_core", "").strip()
        attendance_text = typed.get(f"{level}-min_attendance", "").strip()
        failed = int(failed_text) if failed_text.isdigit() else -1
        if not 0 <= failed <= 20:
            problems.append(
                Problem(
                    f"{level}-max_failed_core",
                    f"{label}: '{failed_text}' ต้องเป็นจำนวนเต็ม 0–20",
                    f"{label}: '{failed_text}' must be a whole number from 0 to 20",
                    field_th=f"วิชาที่ไม่ผ่านได้ไม่เกิน ({label})",
                )
            )
        try:
            attendance = Decimal(attendance_text).quantize(Decimal("0.1"))
        except InvalidOperation:
            attendance = Decimal(-1)
        if not Decimal(0) <= attendance <= Decimal(100):
            problems.append(
                Problem(
                    f"{level}-min_attendance",
                    f"{label}: '{attendance_text}' ต้องเป็นร้อยละ 0–100",
                    f"{label}: '{attendance_text}' must be a percentage from 0 to 100",
                    field_th=f"การมาเรียนอย่างน้อย ({label})",
                )
            )
        rules[level] = OnTrackRule(
            area=area, level=level, max_failed_core=max(failed, 0), min_attendance=attendance
        )
    if problems:
        raise KhruError(*problems)
    return rules


@transaction.atomic
def set_on_track(*, actor: Any, area: Area, proposed: dict[str, OnTrackRule]) -> None:
    """Put the proposed on-track thresholds in force (the area's office only); each change audited."""
    if not Area.objects.filter(scope.area_filter(actor, Perm.SET_GOALS), pk=area.pk).exists():
        raise NotAllowed()
    for level, new in proposed.items():
        rule = OnTrackRule.objects.select_for_update().filter(area=area, level=level).first()
        rule = rule or OnTrackRule(area=area, level=level)
        values = {"max_failed_core": new.max_failed_core, "min_attendance": new.min_attendance}
        changes = audit.diff(rule, values)
        if rule.pk and not changes:
            continue
        for name, value in values.items():
            setattr(rule, name, value)
        rule.changed_by = actor
        rule.save()
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=rule,
            summary=f"on-track rule of {area.code}, level {level}",
            changes=changes,
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
