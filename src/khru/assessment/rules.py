"""The Thai assessment rules as numbers, in one place (DOMAIN.md "Attendance" and "Assessment").

The national numbers are constants here; the limits an agency may set differently (re-tests for a 0, the
attendance floor for มส, the remedial cap) are rows of AssessmentRules, with these defaults when it has none.
Everything that applies a rule reads it from here: grading, the 80% rule, risk flags, forms and dashboards.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from khru.assessment.models import AssessmentRules

# Lowest whole percent of each band, best first (the B.E. 2551 curriculum).
GRADE_BANDS: tuple[tuple[int, str], ...] = (
    (80, "4"),
    (75, "3.5"),
    (70, "3"),
    (65, "2.5"),
    (60, "2"),
    (55, "1.5"),
    (50, "1"),
    (0, "0"),
)
NUMERIC_GRADES = {grade: Decimal(grade) for _, grade in GRADE_BANDS}
ACTIVITY_PASS_PERCENT = 50

# Units: primary courses count hours a year; secondary ones credits, 1 credit = 40 hours a term.
HOURS_PER_CREDIT = Decimal(40)


def counts_credits(grade: str) -> bool:
    """Does a course of this grade level carry credits (ม. and vocational) rather than hours (อ., ป.)?"""
    return not grade.startswith(("K", "P"))


# The 80% rule: below this share of the scheduled time a child may not sit the final assessment (มส).
# A Fraction, exact: 0.8 × 35 in floats is 28.000000000000004.
REQUIRED_SHARE = Fraction(4, 5)
REQUIRED_PERCENT = int(REQUIRED_SHARE * 100)
# A child who may miss this many more sessions or fewer (and keep 80%) is flagged "at risk of มส",
# on the attendance pages and the gradebook alike.
AT_RISK_MARGIN = 3
# "Slipping" on the class dashboard: this many days missed this month (and more than last month), or a term
# GPA this far below the term before.
SLIPPING_MISSED_DAYS = 3
SLIPPING_GPA_DROP = Decimal("0.5")


@dataclass(frozen=True)
class RemedialLimits:
    """How a 0, ร or มส may be changed (แนวปฏิบัติการวัดและประเมินผล 2551); an agency may set its own."""

    zero_retests: int = 2  # re-tests after remedial teaching for a 0; then a committee decides
    remedial_cap: str = "1"  # the best grade a re-test (of a 0, or of มส after extra work) records
    barred_floor_percent: int = (
        60  # มส with at least this share of the time attended: extra work, then a test
    )


DEFAULT_LIMITS = RemedialLimits()


def limits_for(school: Any) -> RemedialLimits:
    """The remedial limits of the school's agency (the defaults when the agency has set none)."""
    row = AssessmentRules.objects.filter(agency__areas__schools=school).first()
    if row is None:
        return DEFAULT_LIMITS
    return RemedialLimits(
        zero_retests=row.zero_retests,
        remedial_cap=row.remedial_cap,
        barred_floor_percent=row.barred_floor_percent,
    )


def capped(grade: str, limits: RemedialLimits) -> str:
    """The grade a re-test records: what was earned, at most the agency's cap."""
    if NUMERIC_GRADES[grade] > NUMERIC_GRADES[limits.remedial_cap]:
        return limits.remedial_cap
    return grade


def above_floor(*, missed: int, planned: int, limits: RemedialLimits) -> bool:
    """Did a มส child attend at least the floor (60%) of the planned time? Exact, in whole sessions."""
    return planned > 0 and (planned - missed) * 100 >= limits.barred_floor_percent * planned


def next_step(
    *, grade: str, decided: bool, retests: int, missed: int, planned: int, limits: RemedialLimits
) -> str:
    """What may happen next to a result (a RemedialStep kind), or "" when nothing is left to do.

    ร: the missing work is handed in and graded normally. 0: re-tests up to the limit, then the committee.
    มส: at or above the floor, extra work then the test; below it, the committee (re-study).
    """
    if decided or grade not in ("0", "ร", "มส"):
        return ""
    if grade == "ร":
        return "work_in"
    if grade == "มส":
        return "extra_work" if above_floor(missed=missed, planned=planned, limits=limits) else "decision"
    return "retest" if retests < limits.zero_retests else "decision"
