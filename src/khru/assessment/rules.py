"""The Thai assessment rules as numbers, in one place (DOMAIN.md "Attendance" and "Assessment").

The national numbers are constants here; the limits an agency may set differently (re-tests for a 0, the
attendance floor for มส, the remedial cap) are rows of AssessmentRules, with these defaults when it has none.
Everything that applies a rule reads it from here: grading, the 80% rule, risk flags, forms and dashboards.
The aspects of a child's year result and the ways a school may roll course ratings up into it are data here
too (models.YearRating takes its aspect codes from this module, so it imports no model at the top).
"""

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

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
    from khru.assessment.models import AssessmentRules

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


# ---- The year result: reading-thinking-writing, desirable characteristics, key competencies ---------------


@dataclass(frozen=True)
class Aspect:
    """One box of a child's year result (ปพ.1, ปพ.6). `course_field`: the per-course rating it is rolled up
    from (Result.reading_rating / character_rating); "" when nobody can derive it and the homeroom teacher
    enters it."""

    code: str
    th: str
    en: str
    group: str  # READING, CHARACTER or COMPETENCY
    course_field: str = ""

    @property
    def derived(self) -> bool:
        return bool(self.course_field)


READING, CHARACTER, COMPETENCY = "reading", "character", "competency"
ASPECT_GROUPS = {
    READING: ("การอ่าน คิดวิเคราะห์ และเขียน", "Reading, thinking and writing"),
    CHARACTER: ("คุณลักษณะอันพึงประสงค์", "Desirable characteristics"),
    COMPETENCY: ("สมรรถนะสำคัญของผู้เรียน", "Key competencies"),
}
# หลักสูตรแกนกลางการศึกษาขั้นพื้นฐาน พ.ศ. 2551: 8 desirable characteristics and 5 key competencies.
YEAR_ASPECTS: tuple[Aspect, ...] = (
    Aspect("reading", "การอ่าน คิดวิเคราะห์ และเขียน", "Reading, thinking and writing", READING, "reading_rating"),
    Aspect(
        "character",
        "คุณลักษณะอันพึงประสงค์ (โดยรวม)",
        "Desirable characteristics (overall)",
        CHARACTER,
        "character_rating",
    ),
    Aspect("character_1", "รักชาติ ศาสน์ กษัตริย์", "Love of nation, religion and king", CHARACTER),
    Aspect("character_2", "ซื่อสัตย์สุจริต", "Honesty and integrity", CHARACTER),
    Aspect("character_3", "มีวินัย", "Self-discipline", CHARACTER),
    Aspect("character_4", "ใฝ่เรียนรู้", "Avidity for learning", CHARACTER),
    Aspect("character_5", "อยู่อย่างพอเพียง", "Sufficiency", CHARACTER),
    Aspect("character_6", "มุ่งมั่นในการทำงาน", "Dedication to work", CHARACTER),
    Aspect("character_7", "รักความเป็นไทย", "Cherishing Thainess", CHARACTER),
    Aspect("character_8", "มีจิตสาธารณะ", "Public mind", CHARACTER),
    Aspect("competency_1", "ความสามารถในการสื่อสาร", "Communication", COMPETENCY),
    Aspect("competency_2", "ความสามารถในการคิด", "Thinking", COMPETENCY),
    Aspect("competency_3", "ความสามารถในการแก้ปัญหา", "Problem solving", COMPETENCY),
    Aspect("competency_4", "ความสามารถในการใช้ทักษะชีวิต", "Applying life skills", COMPETENCY),
    Aspect("competency_5", "ความสามารถในการใช้เทคโนโลยี", "Using technology", COMPETENCY),
)
ASPECTS = {aspect.code: aspect for aspect in YEAR_ASPECTS}
DERIVED_ASPECTS = tuple(a for a in YEAR_ASPECTS if a.derived)
# The 8 characteristics start, on the homeroom page, from the overall value (saving stores them as entered).
PREFILLED_FROM = {a.code: "character" for a in YEAR_ASPECTS if a.group == CHARACTER and not a.derived}


def _mode(ratings: Sequence[int]) -> int:
    counts = Counter(ratings)
    most = max(counts.values())
    return min(rating for rating, n in counts.items() if n == most)


def _median(ratings: Sequence[int]) -> int:
    ordered = sorted(ratings)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class RollUp:
    """A way to turn the year's course ratings (0–3, every course of both terms) into one year result."""

    code: str
    th: str
    en: str
    explained_th: str
    explained_en: str
    of: Callable[[Sequence[int]], int]


ROLL_UPS: dict[str, RollUp] = {
    r.code: r
    for r in (
        RollUp(
            "mode",
            "ฐานนิยม",
            "mode",
            "ผลที่พบบ่อยที่สุดในทุกรายวิชาของปี ถ้ามีผลที่พบบ่อยเท่ากัน ใช้ผลที่ต่ำกว่า",
            "the rating given most often over the year's courses; a tie goes to the lower rating",
            _mode,
        ),
        RollUp(
            "median",
            "มัธยฐาน",
            "median",
            "เรียงผลทุกรายวิชาของปีจากต่ำไปสูงแล้วใช้ผลที่อยู่ตรงกลาง ถ้าจำนวนวิชาเป็นเลขคู่ ใช้ผลที่ต่ำกว่าของสองผลกลาง",
            "the middle rating of the year's courses in order; with an even count, the lower of the two middle",
            _median,
        ),
        RollUp(
            "minimum",
            "ผลต่ำสุด",
            "minimum",
            "ผลที่ต่ำที่สุดในทุกรายวิชาของปี (ทุกรายวิชาต้องผ่านเกณฑ์นั้น)",
            "the lowest rating of the year's courses (every course must reach it)",
            min,
        ),
    )
}
DEFAULT_ROLL_UP = "mode"


def roll_up(method: str, ratings: Sequence[int]) -> int | None:
    """The year result from the year's course ratings by the school's method; None when no course is rated."""
    return ROLL_UPS[method].of(ratings) if ratings else None


def roll_ups_for(school_ids: Collection[int]) -> dict[int, RollUp]:
    """Each school's way of rolling up (the default where it has set none), in one read."""
    from khru.assessment.models import YearResultRule

    own = dict(YearResultRule.objects.filter(school_id__in=school_ids).values_list("school_id", "method"))
    return {school_id: ROLL_UPS[own.get(school_id, DEFAULT_ROLL_UP)] for school_id in school_ids}
