"""The poverty screening itself: pure computation from a household and the criteria rows (no queries).

Kept apart from the services so the bulk screening of a school and a single recompute use the same code.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SINGLE_PARENT_STATUSES = frozenset({"separated", "father_died", "mother_died"})


@dataclass(frozen=True)
class Factor:
    code: str
    name_th: str
    rule: str
    options: frozenset[str]


@dataclass(frozen=True)
class Rules:
    """A criteria version read once (see selectors.active_rules)."""

    criteria_id: int
    income_limit_baht: int
    min_factors: int
    elderly_age: int
    working_age_from: int
    working_age_to: int
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class MemberFacts:
    monthly_income_baht: int
    birth_year_be: int | None = None
    disabled: bool = False
    no_income: bool = False


@dataclass
class Result:
    household_size: int
    income_total: int
    income_per_person: Decimal | None
    factors_met: list[str] = field(default_factory=list)
    eligible: bool = False
    reasons: str = ""


def _dependant_kinds(
    rules: Rules, members: Sequence[MemberFacts], family_status: str, year_be: int
) -> set[str]:
    kinds = set()
    if family_status in SINGLE_PARENT_STATUSES:
        kinds.add("single_parent")
    for member in members:
        age = year_be - member.birth_year_be if member.birth_year_be else None
        if member.disabled:
            kinds.add("disabled")
        if age is not None and age > rules.elderly_age:
            kinds.add("elderly")
        if member.no_income and (age is None or rules.working_age_from <= age <= rules.working_age_to):
            kinds.add("unemployed")
    return kinds


def factor_met(rules: Rules, factor: Factor, household: Mapping[str, Any], dependants: set[str]) -> bool:
    if factor.rule == "dependants":
        return bool(dependants & factor.options)
    value = household.get(factor.code)
    if factor.rule == "none_of":
        return not set(value or ()) & factor.options
    return value in factor.options


def screen(
    rules: Rules,
    household: Mapping[str, Any],
    members: Sequence[MemberFacts],
    children: int,
    year_be: int,
) -> Result:
    """Income per person (members' incomes over members plus the school's children in the home), factors
    met, and eligibility: income at most the limit and at least min_factors factors."""
    size = len(members) + max(children, 1)
    income = sum(m.monthly_income_baht for m in members)
    per_person = (Decimal(income) / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    dependants = _dependant_kinds(rules, members, household.get("family_status", ""), year_be)
    met = [f for f in rules.factors if factor_met(rules, f, household, dependants)]
    poor_enough = per_person <= rules.income_limit_baht
    eligible = poor_enough and len(met) >= rules.min_factors
    income_th = f"รายได้ {per_person:,.0f} บาท/คน/เดือน"
    reasons = [
        income_th + (" ไม่เกิน" if poor_enough else " เกิน") + f" {rules.income_limit_baht:,} บาท",
        f"เข้าเกณฑ์ {len(met)} ใน {len(rules.factors)} ข้อ (ต้องอย่างน้อย {rules.min_factors})",
    ]
    reasons += [f.name_th for f in met]
    return Result(
        household_size=size,
        income_total=income,
        income_per_person=per_person,
        factors_met=[f.code for f in met],
        eligible=eligible,
        reasons="; ".join(reasons)[:600],
    )
