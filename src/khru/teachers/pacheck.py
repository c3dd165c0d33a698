"""The PA check: may this teacher apply for the next academic standing? A pure function over the record.

The conditions come from a PARule row (ก.ค.ศ. ว9/2564): years in the current standing, the last N PA rounds
scored at least the minimum by every assessor, no discipline heavier than the maximum within the window.
Each condition is returned met or unmet with a Thai and an English explanation that names what is missing.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from khru.core.dates import be_year, format_be


@dataclass(frozen=True)
class Rule:
    from_standing: str
    to_standing: str
    to_label: str
    min_years: int
    rounds: int
    min_score: Decimal
    discipline_years: int
    max_discipline: int
    max_discipline_label: str
    max_discipline_label_en: str = ""


@dataclass(frozen=True)
class Round:
    fiscal_year_be: int
    scores: Sequence[tuple[str, Decimal]]  # (assessor, score %)


@dataclass(frozen=True)
class Penalty:
    level: int
    label: str
    decided_on: dt.date
    label_en: str = ""


@dataclass(frozen=True)
class Condition:
    code: str  # years, rounds, discipline, standing
    met: bool
    th: str
    en: str


@dataclass
class Result:
    to_standing: str = ""
    to_label: str = ""
    conditions: list[Condition] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return bool(self.conditions) and all(c.met for c in self.conditions)

    @property
    def unmet(self) -> list[Condition]:
        return [c for c in self.conditions if not c.met]


def percent(value: Decimal) -> str:
    """70.00 → 70, 69.50 → 69.5."""
    return f"{float(value):g}"


def fiscal_year_be(day: dt.date) -> int:
    """Thai fiscal years run October to September and are named by the year they end in."""
    return be_year(day.year + (1 if day.month >= 10 else 0))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check(
    *,
    standing: str | None,
    since: dt.date | None,
    rules: Sequence[Rule],
    rounds: Sequence[Round],
    penalties: Sequence[Penalty],
    today: dt.date,
) -> Result:
    if standing is None or since is None:
        return Result(
            conditions=[
                Condition(
                    "standing",
                    False,
                    "ยังไม่มีข้อมูลวิทยฐานะปัจจุบันในทะเบียนประวัติ",
                    "the record has no current academic standing",
                )
            ]
        )
    rule = next((r for r in rules if r.from_standing == standing), None)
    if rule is None:
        return Result(
            conditions=[
                Condition(
                    "standing", False, "ไม่มีวิทยฐานะที่สูงกว่านี้ให้ขอ", "there is no higher standing to apply for"
                )
            ]
        )
    result = Result(to_standing=rule.to_standing, to_label=rule.to_label)

    eligible_on = _add_years(since, rule.min_years)
    if eligible_on <= today:
        result.conditions.append(
            Condition(
                "years",
                True,
                f"ดำรงวิทยฐานะปัจจุบันมาแล้วครบ {rule.min_years} ปี (ตั้งแต่ {format_be(since)})",
                f"{rule.min_years} years in the current standing (since {format_be(since, language='en')})",
            )
        )
    else:
        result.conditions.append(
            Condition(
                "years",
                False,
                f"ต้องดำรงวิทยฐานะปัจจุบันครบ {rule.min_years} ปี: ครบเมื่อ {format_be(eligible_on)}",
                f"needs {rule.min_years} years in the current standing: reached on "
                f"{format_be(eligible_on, language='en')}",
            )
        )

    last_year = fiscal_year_be(today) - 1  # the current fiscal year is not assessed yet
    wanted = list(range(last_year - rule.rounds + 1, last_year + 1))
    by_year = {r.fiscal_year_be: r for r in rounds}
    missing = [y for y in wanted if y not in by_year or not by_year[y].scores]
    low = [
        (y, assessor, score)
        for y in wanted
        if y in by_year
        for assessor, score in by_year[y].scores
        if score < rule.min_score
    ]
    years_text = ", ".join(str(y) for y in wanted)
    if not missing and not low:
        result.conditions.append(
            Condition(
                "rounds",
                True,
                f"ผลประเมิน PA ปีงบประมาณ {years_text} ได้ไม่ต่ำกว่าร้อยละ {percent(rule.min_score)} จากผู้ประเมินทุกคน",
                f"PA of fiscal years {years_text} scored at least {percent(rule.min_score)}% by every assessor",
            )
        )
    else:
        parts_th, parts_en = [], []
        if missing:
            listed = ", ".join(str(y) for y in missing)
            parts_th.append(f"ยังไม่มีผลประเมิน PA ปีงบประมาณ {listed}")
            parts_en.append(f"no PA assessment for fiscal year {listed}")
        for y, assessor, score in low:
            parts_th.append(f"ปี {y} {assessor} ให้ร้อยละ {percent(score)} (ต่ำกว่า {percent(rule.min_score)})")
            parts_en.append(f"{y}: {assessor} gave {percent(score)}% (below {percent(rule.min_score)}%)")
        result.conditions.append(Condition("rounds", False, "; ".join(parts_th), "; ".join(parts_en)))

    window_start = _add_years(today, -rule.discipline_years)
    heavy = [p for p in penalties if p.decided_on >= window_start and p.level > rule.max_discipline]
    if heavy:
        worst = max(heavy, key=lambda p: p.level)
        result.conditions.append(
            Condition(
                "discipline",
                False,
                f"ถูกลงโทษทางวินัย{worst.label}เมื่อ {format_be(worst.decided_on)} "
                f"(หนักกว่า{rule.max_discipline_label} ภายใน {rule.discipline_years} ปี)",
                f"disciplinary penalty ({worst.label_en or worst.label}) on "
                f"{format_be(worst.decided_on, language='en')}, heavier than "
                f"{rule.max_discipline_label_en or rule.max_discipline_label} within {rule.discipline_years} years",
            )
        )
    else:
        result.conditions.append(
            Condition(
                "discipline",
                True,
                f"ไม่ถูกลงโทษทางวินัยหนักกว่า{rule.max_discipline_label} ในรอบ {rule.discipline_years} ปี",
                f"no penalty heavier than {rule.max_discipline_label_en or rule.max_discipline_label} "
                f"in {rule.discipline_years} years",
            )
        )
    return result
