"""The B.E. 2551 curriculum's grading rules as pure functions over plain values (no database).

Rounding: the percentage is kept to 2 decimals, and rounded half up to a whole percent before it is banded,
so 79.5 is 80 (grade 4) and 79.49 is 79 (grade 3.5). GPA and GPAX are cut (not rounded) to 2 decimals, as
ปพ.1 prints them: a 3.999 average is 3.99, never a 4.00 the child did not reach.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from khru.assessment.rules import ACTIVITY_PASS_PERCENT, GRADE_BANDS, HOURS_PER_CREDIT, NUMERIC_GRADES
from khru.core.errors import Problem

PENDING, BARRED, PASS, FAIL = "ร", "มส", "ผ", "มผ"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemScore:
    part: str  # "coursework" or "final"
    max_score: Decimal
    score: Decimal | None  # None: not scored


def percentage(items: Iterable[ItemScore], coursework_share: int, final_share: int) -> Decimal | None:
    """Coursework points scaled to its share plus final points scaled to its share, 2 decimals.

    A missing score counts as 0 here (the ร rule decides separately). A part with no items gives its share to
    the other part, so a course assessed only by coursework is still out of 100. None when there are no items.
    """
    points = {"coursework": Decimal(0), "final": Decimal(0)}
    maxima = {"coursework": Decimal(0), "final": Decimal(0)}
    for item in items:
        maxima[item.part] += item.max_score
        points[item.part] += item.score or 0
    shares = {"coursework": coursework_share, "final": final_share}
    used = {part: share for part, share in shares.items() if maxima[part] > 0}
    total_share = sum(used.values())
    if not used or total_share == 0:
        return None
    value = sum(points[part] / maxima[part] * share for part, share in used.items()) * HUNDRED / total_share
    return min(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP), HUNDRED)


def whole_percent(percent: Decimal) -> int:
    return int(percent.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def band(percent: Decimal) -> str:
    whole = whole_percent(percent)
    return next(grade for lowest, grade in GRADE_BANDS if whole >= lowest)


def decide(*, is_activity: bool, percent: Decimal | None, work_missing: bool, barred: bool) -> str:
    """The result of one child in one course.

    มส (barred: under 80% of the planned time) comes first, then ร (some item unscored), then the band.
    Activities are ผ with 80% attendance and (no items, or at least 50%), else มผ; they have no ร.
    """
    if is_activity:
        if barred or (percent is not None and whole_percent(percent) < ACTIVITY_PASS_PERCENT):
            return FAIL
        return PASS
    if barred:
        return BARRED
    if work_missing or percent is None:
        return PENDING
    return band(percent)


@dataclass(frozen=True)
class Credited:
    grade: str
    credits: Decimal
    hours: int

    @property
    def weight(self) -> Decimal:
        """Credits in secondary; a primary course counts hours instead (DOMAIN.md), 40 hours to a credit."""
        return self.credits if self.credits > 0 else Decimal(self.hours) / HOURS_PER_CREDIT


def grade_point_average(results: Iterable[Credited]) -> Decimal | None:
    """Credit-weighted (hours-weighted in primary) average of the numeric grades, cut to 2 decimals.

    ร and มส count as 0 (the ministry counts them as 0 once the term is closed; a remedial result later
    replaces them). ผ / มผ (activities) are left out. None with nothing to weigh.
    """
    points = Decimal(0)
    weights = Decimal(0)
    for result in results:
        if result.weight <= 0 or result.grade in (PASS, FAIL):
            continue
        points += NUMERIC_GRADES.get(result.grade, Decimal(0)) * result.weight
        weights += result.weight
    if weights == 0:
        return None
    return (points / weights).quantize(CENT, rounding=ROUND_DOWN)


def gpa_of(rows: Iterable[tuple[str, Decimal, int]]) -> Decimal | None:
    """grade_point_average over (grade, credits, hours) rows, as the reads give them: the one GPA/GPAX."""
    return grade_point_average(Credited(grade=g, credits=c, hours=h) for g, c, h in rows)


def units_text(credits: Decimal, hours: int) -> str:
    """A course's size as pages and forms show it: credits in secondary, hours in primary and activities."""
    return f"{credits}" if credits > 0 else f"{hours} ชม."


def total_units_text(rows: Iterable[tuple[Decimal, int]]) -> str:
    """The sum of units_text over courses: credits where any course has credits, else hours."""
    pairs = list(rows)
    credits = sum((c for c, _ in pairs), Decimal(0))
    return f"{credits} หน่วยกิต" if credits > 0 else f"{sum(h for _, h in pairs)} ชั่วโมง"


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BLANKS = {"", "-", "–"}
NUMBER = re.compile(r"\d+(\.\d+)?")


def parse_score(text: str) -> Decimal | None:
    """One typed or pasted score: Thai or Arabic digits, a comma or a point as the decimal mark; blank = none.

    Raises ValueError for anything else.
    """
    value = text.strip().translate(THAI_DIGITS).replace(",", ".")
    if value in BLANKS:
        return None
    if not NUMBER.fullmatch(value):
        raise ValueError(text)
    try:
        return Decimal(value)
    except InvalidOperation as error:  # pragma: no cover - the pattern already rules this out
        raise ValueError(text) from error


def parse_column(text: str, count: int) -> tuple[list[Decimal | None], list[Problem]]:
    """A column pasted from a spreadsheet: one value per line, in class-list order (blank lines = no score).

    Lines missing at the end are blanks (spreadsheets drop trailing empty cells); more lines than children is a
    problem. Only the first cell of a line counts if a row of several cells was pasted.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    problems: list[Problem] = []
    values: list[Decimal | None] = []
    for number, line in enumerate(lines, start=1):
        cell = line.split("\t")[0]
        try:
            values.append(parse_score(cell))
        except ValueError:
            values.append(None)
            problems.append(
                Problem(
                    "paste",
                    f"'{cell.strip()}' ไม่ใช่ตัวเลข",
                    f"'{cell.strip()}' is not a number",
                    row=number,
                    field_th="วางคะแนน",
                )
            )
    if len(values) > count:
        problems.append(
            Problem(
                "paste",
                f"วางมา {len(values)} บรรทัด แต่ห้องนี้มีนักเรียน {count} คน",
                f"{len(values)} lines pasted for {count} students",
                field_th="วางคะแนน",
            )
        )
    values += [None] * (count - len(values))
    return values, problems
