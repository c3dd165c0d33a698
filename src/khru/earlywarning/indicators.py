"""Early-warning indicators: each a named function of one child's facts *as of a date*.

Every function first drops the facts not yet known on that date (a register taken later, a result recorded
later), so a score for a past day uses only what the school knew that day: no child's future leaks in.
Each reading carries a sentence in plain Thai with the child's own values, shown beside a flag.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from khru.assessment.grading import gpa_of
from khru.org import grades

RECENT_DAYS = 20  # school days in the "recent" window of attendance (about a month)
CORE_SUBJECTS = {"ท": "ภาษาไทย", "ค": "คณิตศาสตร์"}
FAILED = {"0", "ร", "มส"}
SCHOOL_START_AGE = 6  # ป.1 at six (DOMAIN.md); the age each later grade expects follows from it


class Day(NamedTuple):  # a tuple: a child has a year of these, built by the hundred thousand
    date: dt.date
    known_on: dt.date  # the day the register was taken
    attended: bool
    late: bool


@dataclass(frozen=True)
class CourseResult:
    term: tuple[int, int]  # (year BE, term number)
    known_on: dt.date
    subject: str  # the code's first letter: ท, ค, ว …
    grade: str
    credits: Decimal
    hours: int


@dataclass(frozen=True)
class ScreeningFact:
    known_on: dt.date
    area: str
    status: str  # normal, risk, problem


@dataclass(frozen=True)
class DatedFact:
    known_on: dt.date
    value: str  # a growth band code, "poor" / "not_poor", or "moved"


@dataclass
class ChildFacts:
    person_id: int
    grade: str = ""  # grade level now (P4 …)
    birth_date: dt.date | None = None
    term_starts_on: dt.date | None = None
    year_starts_on: dt.date | None = None
    days: list[Day] = field(default_factory=list)
    results: list[CourseResult] = field(default_factory=list)
    screenings: list[ScreeningFact] = field(default_factory=list)
    growth: list[DatedFact] = field(default_factory=list)  # shape band of each measurement
    poverty: list[DatedFact] = field(default_factory=list)  # each term's poverty screening
    moves: list[DatedFact] = field(default_factory=list)  # each transfer out of a school
    # What several indicators read as of one day, worked out once.
    _known: dict[tuple[str, dt.date], list] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Reading:
    indicator: str
    value: float
    text_th: str


@dataclass(frozen=True)
class Indicator:
    name: str
    label_th: str
    explanation_th: str
    compute: Callable[[ChildFacts, dt.date], Reading | None]


INDICATORS: dict[str, Indicator] = {}


def indicator(
    label_th: str, explanation_th: str
) -> Callable[..., Callable[[ChildFacts, dt.date], Reading | None]]:
    def register(
        function: Callable[[ChildFacts, dt.date], Reading | None],
    ) -> Callable[[ChildFacts, dt.date], Reading | None]:
        INDICATORS[function.__name__] = Indicator(function.__name__, label_th, explanation_th, function)
        return function

    return register


def _days(facts: ChildFacts, as_of: dt.date) -> list[Day]:
    key = ("days", as_of)
    if key not in facts._known:
        facts._known[key] = sorted(
            (d for d in facts.days if d.known_on <= as_of and d.date <= as_of), key=lambda d: d.date
        )
    return facts._known[key]


def _term_days(facts: ChildFacts, as_of: dt.date) -> list[Day]:
    start = facts.term_starts_on or dt.date.min
    return [d for d in _days(facts, as_of) if d.date >= start]


def _results_by_term(facts: ChildFacts, as_of: dt.date) -> list[tuple[tuple[int, int], list[CourseResult]]]:
    key = ("results", as_of)
    if key not in facts._known:
        terms: dict[tuple[int, int], list[CourseResult]] = {}
        for result in facts.results:
            if result.known_on <= as_of:
                terms.setdefault(result.term, []).append(result)
        facts._known[key] = sorted(terms.items())
    return facts._known[key]


def _gpa(results: list[CourseResult]) -> Decimal | None:
    return gpa_of((r.grade, r.credits, r.hours) for r in results)


def _rate(days: list[Day]) -> float | None:
    return round(100 * sum(d.attended for d in days) / len(days), 1) if days else None


@indicator("อัตราการมาเรียนภาคนี้", "ร้อยละของวันที่มาเรียนจากวันที่มีการเช็กชื่อในภาคเรียนนี้")
def attendance_rate_term(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    days = _term_days(facts, as_of)
    rate = _rate(days)
    if rate is None:
        return None
    present = sum(d.attended for d in days)
    return Reading("attendance_rate_term", rate, f"มาเรียน {present} วันจาก {len(days)} วันในภาคนี้ ({rate:.1f}%)")


@indicator("อัตราการมาเรียนปีนี้", "ร้อยละของวันที่มาเรียนจากวันที่มีการเช็กชื่อตั้งแต่เปิดปีการศึกษานี้")
def attendance_rate_year(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    start = facts.year_starts_on or dt.date.min
    days = [d for d in _days(facts, as_of) if d.date >= start]
    rate = _rate(days)
    if rate is None:
        return None
    present = sum(d.attended for d in days)
    return Reading(
        "attendance_rate_year", rate, f"มาเรียน {present} วันจาก {len(days)} วันในปีการศึกษานี้ ({rate:.1f}%)"
    )


@indicator("ขาดเรียนช่วงหลัง", f"จำนวนวันที่ไม่ได้มาเรียนใน {RECENT_DAYS} วันเรียนล่าสุด")
def recent_absences(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    days = _days(facts, as_of)[-RECENT_DAYS:]
    if not days:
        return None
    missed = sum(not d.attended for d in days)
    return Reading("recent_absences", missed, f"ขาดเรียน {missed} วันจาก {len(days)} วันล่าสุด")


@indicator("แนวโน้มการมาเรียน", f"การมาเรียน {RECENT_DAYS} วันล่าสุดเทียบกับ {RECENT_DAYS} วันก่อนหน้า (จุดร้อยละ)")
def attendance_trend(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    days = _days(facts, as_of)
    recent, before = _rate(days[-RECENT_DAYS:]), _rate(days[-2 * RECENT_DAYS : -RECENT_DAYS])
    if recent is None or before is None:
        return None
    change = round(recent - before, 1)
    return Reading(
        "attendance_trend", change, f"มาเรียน {recent:.1f}% ช่วงหลัง จากเดิม {before:.1f}% ({change:+.1f})"
    )


@indicator("ขาดเรียนต่อเนื่องนานที่สุด", "จำนวนวันเรียนที่ขาดติดกันนานที่สุดในภาคนี้")
def longest_absence_run(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    days = _term_days(facts, as_of)
    if not days:
        return None
    longest = run = 0
    for day in days:
        run = 0 if day.attended else run + 1
        longest = max(longest, run)
    return Reading("longest_absence_run", longest, f"ขาดเรียนติดกันนานที่สุด {longest} วัน")


@indicator("มาสาย", "จำนวนวันที่มาสายในภาคนี้")
def lateness(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    days = _term_days(facts, as_of)
    if not days:
        return None
    late = sum(d.late for d in days)
    return Reading("lateness", late, f"มาสาย {late} วันในภาคนี้")


@indicator("วิชาที่ไม่ผ่าน", "จำนวนวิชาที่ได้ 0, ร หรือ มส ในภาคล่าสุดที่มีผลการเรียน")
def failed_courses(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    terms = _results_by_term(facts, as_of)
    if not terms:
        return None
    failed = [r for r in terms[-1][1] if r.grade in FAILED]
    return Reading("failed_courses", len(failed), f"ได้ 0/ร/มส {len(failed)} วิชาภาคนี้")


@indicator("ไม่ผ่านภาษาไทยหรือคณิตศาสตร์", "จำนวนวิชาภาษาไทยและคณิตศาสตร์ที่ได้ 0, ร หรือ มส ในภาคล่าสุด")
def failed_core_courses(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    terms = _results_by_term(facts, as_of)
    if not terms:
        return None
    failed = [r for r in terms[-1][1] if r.grade in FAILED and r.subject in CORE_SUBJECTS]
    names = "และ".join(sorted({CORE_SUBJECTS[r.subject] for r in failed}))
    text = (
        f"ได้ {'/'.join(sorted({r.grade for r in failed}))} วิชา{names}ภาคนี้"
        if failed
        else "ผ่านภาษาไทยและคณิตศาสตร์"
    )
    return Reading("failed_core_courses", len(failed), text)


@indicator("ร และ มส", "จำนวนวิชาที่ติด ร (รอการตัดสิน) หรือ มส (เวลาเรียนไม่ถึงร้อยละ 80) ในภาคล่าสุด")
def incomplete_courses(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    terms = _results_by_term(facts, as_of)
    if not terms:
        return None
    count = sum(r.grade in {"ร", "มส"} for r in terms[-1][1])
    return Reading("incomplete_courses", count, f"ติด ร/มส {count} วิชาภาคนี้")


@indicator("ผลการเรียนเฉลี่ยเปลี่ยน", "ผลการเรียนเฉลี่ยภาคล่าสุดลบภาคก่อนหน้า")
def gpa_change(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    terms = _results_by_term(facts, as_of)
    if len(terms) < 2:
        return None
    now, before = _gpa(terms[-1][1]), _gpa(terms[-2][1])
    if now is None or before is None:
        return None
    change = float(now - before)
    return Reading("gpa_change", change, f"ผลการเรียนเฉลี่ย {now} จากเดิม {before} ({change:+.2f})")


def _latest_screening(facts: ChildFacts, as_of: dt.date, area: str) -> ScreeningFact | None:
    known = [s for s in facts.screenings if s.area == area and s.known_on <= as_of]
    return max(known, key=lambda s: s.known_on) if known else None


@indicator("คัดกรองด้านพฤติกรรม", "ผลคัดกรองด้านพฤติกรรมล่าสุด: 0 ปกติ, 1 เสี่ยง, 2 มีปัญหา")
def behaviour_screening(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    latest = _latest_screening(facts, as_of, "behaviour")
    if latest is None:
        return None
    level = {"normal": 0, "risk": 1, "problem": 2}.get(latest.status, 0)
    label = {0: "ปกติ", 1: "เสี่ยง", 2: "มีปัญหา"}[level]
    return Reading("behaviour_screening", level, f"คัดกรองด้านพฤติกรรม: {label}")


@indicator("อายุเกินชั้น", "อายุเมื่อเปิดปีการศึกษาลบอายุที่ชั้นนี้ควรเป็น (ปี)")
def over_age(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    if (
        facts.birth_date is None
        or facts.year_starts_on is None
        or not facts.grade
        or facts.grade[0] not in "PM"
    ):
        return None
    expected = SCHOOL_START_AGE + grades.ORDER.index(facts.grade) - grades.ORDER.index("P1")
    year_start = facts.year_starts_on
    age = (
        year_start.year
        - facts.birth_date.year
        - ((year_start.month, year_start.day) < (facts.birth_date.month, facts.birth_date.day))
    )
    over = age - expected
    return Reading(
        "over_age", over, f"อายุ {age} ปี อยู่ชั้นที่ปกติอายุ {expected} ปี" if over > 0 else f"อายุตามชั้น ({age} ปี)"
    )


@indicator("ผลการเรียนเฉลี่ยล่าสุด", "ผลการเรียนเฉลี่ยของภาคล่าสุดที่มีผลการเรียน")
def gpa_latest(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    terms = _results_by_term(facts, as_of)
    gpa = _gpa(terms[-1][1]) if terms else None
    if gpa is None:
        return None
    return Reading("gpa_latest", float(gpa), f"ผลการเรียนเฉลี่ยภาคล่าสุด {gpa}")


def _latest(known: list[DatedFact], as_of: dt.date) -> DatedFact | None:
    before = [f for f in known if f.known_on <= as_of]
    return max(before, key=lambda f: f.known_on) if before else None


SHAPE_TH = {"thin": "ผอม", "rather_thin": "ค่อนข้างผอม", "plump": "ท้วม", "overweight": "เริ่มอ้วน", "obese": "อ้วน"}


@indicator("ภาวะโภชนาการ", "รูปร่างจากการชั่งวัดครั้งล่าสุด: 0 สมส่วน, 1 ค่อนข้างผอมหรือท้วม, 2 ผอม เริ่มอ้วน หรืออ้วน")
def growth_band(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    latest = _latest(facts.growth, as_of)
    if latest is None or not latest.value:
        return None
    level = 0 if latest.value == "proportionate" else 1 if latest.value in {"rather_thin", "plump"} else 2
    return Reading("growth_band", level, f"รูปร่าง{SHAPE_TH.get(latest.value, 'สมส่วน')}จากการชั่งวัดครั้งล่าสุด")


@indicator("ยากจน", "ผลคัดกรองความยากจนล่าสุด: 1 ผ่านเกณฑ์ยากจน, 0 ไม่ผ่านเกณฑ์")
def poverty(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    latest = _latest(facts.poverty, as_of)
    if latest is None:
        return None
    poor = latest.value == "poor"
    return Reading("poverty", int(poor), "ครัวเรือนผ่านเกณฑ์ยากจน" if poor else "ครัวเรือนไม่ผ่านเกณฑ์ยากจน")


@indicator("ย้ายโรงเรียน", "จำนวนครั้งที่ย้ายโรงเรียนในสองปีที่ผ่านมา")
def school_moves(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    since = as_of - dt.timedelta(days=730)
    moves = sum(since < f.known_on <= as_of for f in facts.moves)
    return Reading("school_moves", moves, f"ย้ายโรงเรียน {moves} ครั้งในสองปี" if moves else "ไม่ได้ย้ายโรงเรียน")


@indicator("ระดับชั้น", "ระดับชั้นที่เรียนอยู่ (นับจาก ป.1 = 1)")
def grade_level(facts: ChildFacts, as_of: dt.date) -> Reading | None:
    if facts.grade not in grades.ORDER:
        return None
    level = grades.ORDER.index(facts.grade) - grades.ORDER.index("P1") + 1
    return Reading("grade_level", level, f"เรียนชั้น {grades.label(facts.grade)}")


def read_all(facts: ChildFacts, as_of: dt.date) -> dict[str, Reading]:
    """Every indicator that has data for this child on that date."""
    readings = {}
    for name, entry in INDICATORS.items():
        reading = entry.compute(facts, as_of)
        if reading is not None:
            readings[name] = reading
    return readings
