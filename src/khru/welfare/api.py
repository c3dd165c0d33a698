import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from khru.org import selectors as org_selectors
from khru.welfare import selectors, services

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


class MemberIn(Schema):
    name: str
    relation: str = Field(description="father, mother, grandparent, sibling, relative, step_parent, other")
    birth_year_be: int | None = None
    occupation: str = ""
    monthly_income_baht: int = 0
    disabled: bool = False
    no_income: bool = False


class HouseholdIn(Schema):
    house_no: str = ""
    family_status: str
    housing_tenure: str
    house_condition: str
    farm_land: str
    water_source: str
    electricity_source: str
    vehicles: list[str] = []
    appliances: list[str] = []
    distance_km: Decimal | None = None
    travel_mode: str = ""
    travel_minutes: int | None = None
    members: list[MemberIn] = Field(description="everyone living in the home except the school's children")


class PovertyScreeningOut(Schema):
    term: str
    eligible: bool
    income_per_person: Decimal | None
    household_size: int
    factors_met: list[str]
    reasons: str
    criteria: str


class VisitOut(Schema):
    visit_id: UUID
    status: str
    planned_on: dt.date | None
    visited_on: dt.date | None
    met: str
    risks: list[str]
    needs: str
    follow_up: str
    follow_up_done: bool
    photos: int


class AptitudeOut(Schema):
    area: str
    kind: str
    detail: str
    source: str
    recorded_on: dt.date


class ChildWelfareOut(Schema):
    student: UUID
    household_version: int | None
    household_members: int | None
    screening: PovertyScreeningOut | None
    visits: list[VisitOut]
    aptitudes: list[AptitudeOut]


def _screening_out(found: Any) -> PovertyScreeningOut | None:
    if found is None:
        return None
    return PovertyScreeningOut(
        term=f"{found.term.number}/{found.term.academic_year.year_be}",
        eligible=found.eligible,
        income_per_person=found.income_per_person,
        household_size=found.household_size,
        factors_met=list(found.factors_met),
        reasons=found.reasons,
        criteria=found.criteria.version,
    )


def _child_out(record: selectors.ChildWelfare) -> ChildWelfareOut:
    return ChildWelfareOut(
        student=record.person.uuid,
        household_version=record.household.version if record.household else None,
        household_members=len(record.members) if record.household else None,
        screening=_screening_out(record.latest_screening),
        visits=[
            VisitOut(
                visit_id=v.uuid,
                status=v.status,
                planned_on=v.planned_on,
                visited_on=v.visited_on,
                met=v.met,
                risks=list(v.risks),
                needs=v.needs,
                follow_up=v.follow_up,
                follow_up_done=v.follow_up_done,
                photos=len(v.photos.all()),
            )
            for v in record.visits
        ],
        aptitudes=[
            AptitudeOut(area=a.area, kind=a.kind, detail=a.detail, source=a.source, recorded_on=a.recorded_on)
            for a in record.aptitudes
        ],
    )


@router.get("/welfare/students/{uuid}", response=ChildWelfareOut)
def child(request: HttpRequest, uuid: UUID) -> ChildWelfareOut:
    """A child's household, latest poverty screening, home visits and aptitudes (sensitive: audited)."""
    person = selectors.get_child(actor=request.user, uuid=uuid)
    return _child_out(selectors.child_welfare(actor=request.user, person=person))


@router.put("/welfare/students/{uuid}/household", response=ChildWelfareOut)
def put_household(request: HttpRequest, uuid: UUID, body: HouseholdIn) -> ChildWelfareOut:
    """Enter or replace the child's household; the answer carries the new poverty screening."""
    person = selectors.get_child(actor=request.user, uuid=uuid)
    fields = body.model_dump(exclude={"members"})
    services.save_household(
        actor=request.user, person=person, fields=fields, members=[m.model_dump() for m in body.members]
    )
    return _child_out(selectors.child_welfare(actor=request.user, person=person))


class VisitIn(Schema):
    visited_on: dt.date
    met: str
    housing: str = ""
    risks: list[str] = []
    needs: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    follow_up: str = ""
    follow_up_due: dt.date | None = None


@router.post("/welfare/students/{uuid}/visits", response=VisitOut)
def post_visit(request: HttpRequest, uuid: UUID, body: VisitIn) -> VisitOut:
    """Record a done home visit (photos go through the page)."""
    person = selectors.get_child(actor=request.user, uuid=uuid)
    visit = services.record_visit(actor=request.user, person=person, **body.model_dump())
    return VisitOut(
        visit_id=visit.uuid,
        status=visit.status,
        planned_on=visit.planned_on,
        visited_on=visit.visited_on,
        met=visit.met,
        risks=list(visit.risks),
        needs=visit.needs,
        follow_up=visit.follow_up,
        follow_up_done=visit.follow_up_done,
        photos=0,
    )
