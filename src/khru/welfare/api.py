from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from khru.org import selectors as org_selectors
from khru.welfare import selectors

router = Router(tags=["welfare"])


class GradeCountOut(Schema):
    grade: str
    screened: int | None = Field(description="null when hidden by small-cell suppression")
    eligible: int | None


class EligibleOut(Schema):
    student: UUID
    name: str
    classroom: str
    income_per_person: Decimal | None
    household_size: int
    factors_met: list[str]
    reasons: str


class PovertyOut(Schema):
    school: str
    term: str
    screened: int | None
    eligible: int | None
    suppressed: bool
    by_grade: list[GradeCountOut]
    children: list[EligibleOut]


@router.get("/welfare/poverty", response=PovertyOut)
def poverty(request: HttpRequest, school: str, term: str = "") -> PovertyOut:
    """Children eligible for the Equitable Education Fund transfer in a school's term ('1/2569'; blank = now).

    The school's care team, office and principal get every child and the counts by grade; a homeroom teacher
    gets their class's children only; an area officer gets suppressed counts and no children.
    """
    found = org_selectors.get_school(actor=request.user, code=school)
    found_term = selectors.school_term(school=found, text=term)
    counts = selectors.poverty_counts_or_none(actor=request.user, school=found, term=found_term)
    rows = (
        []
        if counts is not None and counts.suppressed
        else selectors.eligible_children(actor=request.user, school=found, term=found_term)
    )
    return PovertyOut(
        school=found.code,
        term=f"{found_term.number}/{found_term.academic_year.year_be}",
        screened=counts.screened if counts else None,
        eligible=counts.eligible if counts else len(rows),
        suppressed=bool(counts and counts.suppressed),
        by_grade=[GradeCountOut(grade=r.grade, screened=r.screened, eligible=r.eligible) for r in counts.rows]
        if counts
        else [],
        children=[
            EligibleOut(
                student=r.person.uuid,
                name=f"{r.person.prefix}{r.person.first_name_th} {r.person.last_name_th}",
                classroom=r.classroom_label,
                income_per_person=r.income_per_person,
                household_size=r.household_size,
                factors_met=r.factors_met,
                reasons=r.reasons,
            )
            for r in rows
        ],
    )
