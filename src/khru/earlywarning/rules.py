"""The two rule baselines applied to one child's indicator readings: the ABC rule's signs, and the
readings that put a child off track for their level."""

from decimal import Decimal

from khru.earlywarning.indicators import Reading
from khru.earlywarning.models import AbcRule, OnTrackRule


def abc_signs(rule: AbcRule, readings: dict[str, Reading]) -> list[Reading]:
    """The readings that trip the rule (empty: not flagged), in A, B, C order."""
    signs = []
    attendance = readings.get("attendance_rate_term")
    if attendance is not None and Decimal(str(attendance.value)) < rule.attendance_below:
        signs.append(attendance)
    behaviour = readings.get("behaviour_screening")
    if behaviour is not None and behaviour.value >= (
        1 if rule.behaviour_from == AbcRule.Behaviour.RISK else 2
    ):
        signs.append(behaviour)
    courses = readings.get("failed_core_courses")
    if courses is not None and courses.value >= rule.failed_core_courses:
        signs.append(courses)
    return signs


def off_track(rule: OnTrackRule | None, readings: dict[str, Reading]) -> list[Reading]:
    """The readings that put the child off track (empty: on track, or no rule for the level)."""
    if rule is None:
        return []
    found = []
    courses = readings.get("failed_core_courses")
    if courses is not None and courses.value > rule.max_failed_core:
        found.append(courses)
    attendance = readings.get("attendance_rate_term")
    if attendance is not None and Decimal(str(attendance.value)) < rule.min_attendance:
        found.append(attendance)
    return found
