"""Reads of welfare data. Family and welfare data are sensitive (PDPA): person-level reads need
VIEW_SENSITIVE through the policy and are audited; counts leaving the school are suppressed.

Contract used by reports and insights (keep the names): eligible_children, poverty_counts, child_welfare.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from khru.core import audit, suppression
from khru.core.errors import NotAllowed, problem
from khru.org import scope
from khru.org.grades import Grade
from khru.org.grades import label as grade_label
from khru.org.models import Classroom, School, Term
from khru.org.roles import Perm
from khru.org.selectors import current_year, filing_term
from khru.people.models import Enrolment, Guardianship, Person
from khru.welfare.models import (
    Aptitude,
    AptitudeArea,
    HomeVisit,
    Household,
    HouseholdChild,
    HouseholdMember,
    HouseholdVersion,
    PovertyCriteria,
    PovertyFactor,
    PovertyScreening,
    VisitPhoto,
    VisitStatus,
)


@dataclass(frozen=True)
class EligibleRow:
    """One child on the poverty list: who, which class, and why."""

    person: Person
    classroom_label: str
    grade: str
    income_per_person: Decimal | None
    household_size: int
    factors_met: list[str]
    eligible: bool
    reasons: str
    factors: list[PovertyFactor]  # the factors met, named (staff read names, never the codes)


def _screenings(actor: Any, school: School, term: Term) -> QuerySet[PovertyScreening]:
    return PovertyScreening.objects.filter(
        scope.visible(actor, PovertyScreening, Perm.VIEW_SENSITIVE), school=school, term=term
    )


def eligible_children(
    *, actor: Any, school: School, term: Term, include_not_eligible: bool = False
) -> list[EligibleRow]:
    """The children the actor may see (a homeroom teacher: their class; the care team, office, principal:
    the school) eligible for the Equitable Education Fund transfer in the term. Audited read."""
    found = _screenings(actor, school, term)
    if not include_not_eligible:
        found = found.filter(eligible=True)
    screenings = list(
        found.select_related("person", "classroom").order_by(
            "grade", "classroom__room", "person__first_name_th", "person__last_name_th"
        )
    )
    factors = {
        (f.criteria_id, f.code): f
        for f in PovertyFactor.objects.filter(criteria_id__in={s.criteria_id for s in screenings})
    }
    rows = [
        EligibleRow(
            person=s.person,
            classroom_label=str(s.classroom) if s.classroom_id else grade_label(s.grade),
            grade=s.grade,
            income_per_person=s.income_per_person,
            household_size=s.household_size,
            factors_met=list(s.factors_met),
            eligible=s.eligible,
            reasons=s.reasons,
            factors=[
                factors[s.criteria_id, code] for code in s.factors_met if (s.criteria_id, code) in factors
            ],
        )
        for s in screenings
    ]
    audit.record(
        actor=actor,
        action=audit.Action.READ,
        obj=school,
        school_id=school.pk,
        summary=f"poverty list term {term} ({len(rows)} children)",
    )
    return rows


@dataclass(frozen=True)
class GradeCount:
    """Children screened and eligible in one grade; None = hidden by small-cell suppression."""

    grade: str
    grade_label: str
    screened: int | None
    eligible: int | None


@dataclass(frozen=True)
class PovertyCounts:
    school: School
    term: Term
    rows: list[GradeCount]
    screened: int | None
    eligible: int | None
    suppressed: bool  # True when the actor sees the school only through aggregates


def _school_wide(actor: Any, perm: Perm, school: School) -> bool:
    return scope.school_in_reach(actor, perm, school)


def poverty_counts(*, actor: Any, school: School, term: Term) -> PovertyCounts:
    """Children screened and eligible by grade. The school's own staff with sensitive access school-wide see
    the counts; someone above the school (area officer, analyst) sees them suppressed below MIN_CELL;
    anyone else is refused."""
    if _school_wide(actor, Perm.VIEW_SENSITIVE, school):
        suppressed = False
    elif _school_wide(actor, Perm.VIEW_AGGREGATES, school):
        suppressed = True
    else:
        raise NotAllowed()
    grouped = (
        PovertyScreening.objects.filter(school=school, term=term)
        .values("grade")
        .annotate(screened=Count("pk"), eligible=Count("pk", filter=Q(eligible=True)))
        .order_by("grade")
    )
    counts = {row["grade"]: (row["screened"], row["eligible"]) for row in grouped}
    grades = _grade_order(list(counts))
    table = [[counts[g][0], counts[g][1]] for g in grades]
    if suppressed:
        return _suppressed(school, term, grades, table)
    rows = [GradeCount(g, grade_label(g), row[0], row[1]) for g, row in zip(grades, table, strict=True)]
    screened_total = sum(row[0] for row in table)
    eligible_total = sum(row[1] for row in table)
    return PovertyCounts(
        school=school,
        term=term,
        rows=rows,
        screened=screened_total,
        eligible=eligible_total,
        suppressed=suppressed,
    )


def poverty_counts_or_none(*, actor: Any, school: School, term: Term) -> PovertyCounts | None:
    """The counts when the actor may see them (school-wide or from above), None for a class teacher."""
    try:
        return poverty_counts(actor=actor, school=school, term=term)
    except NotAllowed:
        return None


def _grade_order(grades: list[str]) -> list[str]:
    order = {value: i for i, value in enumerate(Grade.values)}
    return sorted(grades, key=lambda g: order.get(g, 99))


def area_poverty(*, actor: Any, year_be: int, term_number: int) -> list[PovertyCounts]:
    """An area or municipal officer's view: each school in reach with aggregates, suppressed counts only."""
    schools = School.objects.filter(scope.school_filter(actor, Perm.VIEW_AGGREGATES)).select_related("area")
    result = []
    for school in schools.order_by("code"):
        term = Term.objects.filter(
            academic_year__agency_id=school.area.agency_id, academic_year__year_be=year_be, number=term_number
        ).first()
        if term is None:
            continue
        counts = poverty_counts(actor=actor, school=school, term=term)
        if not counts.suppressed:
            # Aggregates leaving the school are suppressed whoever reads them from above.
            counts = _suppressed_copy(counts)
        result.append(counts)
    return result


def _suppressed(school: School, term: Term, grades: list[str], table: list[list[int]]) -> PovertyCounts:
    """Suppress eligible and not eligible per grade as one table, so that a small count of either (e.g. all
    but three children eligible) is hidden, and no hidden cell can be recovered from the totals."""
    if not table:
        return PovertyCounts(school=school, term=term, rows=[], screened=0, eligible=0, suppressed=True)
    hidden = suppression.suppress([[eligible, screened - eligible] for screened, eligible in table])
    rows = [
        GradeCount(g, grade_label(g), hidden.row_totals[i], hidden.cells[i][0]) for i, g in enumerate(grades)
    ]
    return PovertyCounts(
        school=school,
        term=term,
        rows=rows,
        screened=hidden.total,
        eligible=hidden.column_totals[0],
        suppressed=True,
    )


def _suppressed_copy(counts: PovertyCounts) -> PovertyCounts:
    table = [[r.screened or 0, r.eligible or 0] for r in counts.rows]
    return _suppressed(counts.school, counts.term, [r.grade for r in counts.rows], table)


def criteria() -> PovertyCriteria | None:
    return PovertyCriteria.objects.filter(active=True).order_by("-created_at", "-pk").first()


def factor_names(found: PovertyCriteria | None = None) -> dict[str, str]:
    found = found or criteria()
    if found is None:
        return {}
    return dict(PovertyFactor.objects.filter(criteria=found).values_list("code", "name_th"))


# One child --------------------------------------------------------------------------------------------------


def get_child(*, actor: Any, uuid: Any) -> Person:
    """A child the actor may see sensitive data of (homeroom teacher, care team, office, principal)."""
    person = Person.objects.filter(scope.visible(actor, Person, Perm.VIEW_SENSITIVE), uuid=uuid).first()
    if person is None:
        raise NotAllowed()
    return person


@dataclass
class ChildWelfare:
    person: Person
    household: Household | None
    members: list[HouseholdMember]
    siblings: list[Person]
    latest_screening: PovertyScreening | None
    visits: list[HomeVisit]
    aptitudes: list[Aptitude]
    history: list[HouseholdVersion] = field(default_factory=list)  # newest first


def child_welfare(*, actor: Any, person: Person) -> ChildWelfare:
    """Household, latest poverty screening, home visits and aptitudes of one child; the read is audited."""
    if not Person.objects.filter(scope.visible(actor, Person, Perm.VIEW_SENSITIVE), pk=person.pk).exists():
        raise NotAllowed()
    link = (
        HouseholdChild.objects.filter(scope.visible(actor, HouseholdChild), person=person)
        .select_related("household__subdistrict")
        .first()
    )
    household = link.household if link else None
    members = list(household.members.all()) if household else []
    siblings = (
        [
            c.person
            for c in HouseholdChild.objects.filter(scope.visible(actor, HouseholdChild), household=household)
            .exclude(person=person)
            .select_related("person")
        ]
        if household
        else []
    )
    latest = (
        PovertyScreening.objects.filter(scope.visible(actor, PovertyScreening), person=person)
        .select_related("term__academic_year", "criteria")
        .order_by("-term__academic_year__year_be", "-term__number")
        .first()
    )
    visits = list(
        HomeVisit.objects.filter(scope.visible(actor, HomeVisit), person=person)
        .prefetch_related("photos")
        .order_by("-academic_year__year_be", "-pk")
    )
    aptitudes = list(
        Aptitude.objects.filter(scope.visible(actor, Aptitude), person=person).order_by(
            "area", "-recorded_on"
        )
    )
    history = (
        list(
            HouseholdVersion.objects.filter(scope.visible(actor, HouseholdVersion), household=household)
            .select_related("saved_by__person")
            .order_by("-version")[:20]
        )
        if household
        else []
    )
    audit.record(actor=actor, action=audit.Action.READ, obj=person, summary="welfare record")
    return ChildWelfare(
        person=person,
        household=household,
        members=members,
        siblings=siblings,
        latest_screening=latest,
        visits=visits,
        aptitudes=aptitudes,
        history=history,
    )


# Home visits per class --------------------------------------------------------------------------------------


@dataclass
class VisitRow:
    enrolment: Enrolment
    visit: HomeVisit | None = None

    @property
    def status(self) -> str:
        return self.visit.status if self.visit else ""


@dataclass
class ClassVisits:
    classroom: Classroom
    rows: list[VisitRow]
    done: int = 0
    planned: int = 0
    follow_ups_open: int = 0
    risks: dict[str, int] = field(default_factory=dict)


def class_visits(*, actor: Any, classroom: Classroom) -> ClassVisits:
    """A homeroom class and this year's visit of each child (done wins over planned): constant queries."""
    scope.require(actor, Perm.VIEW_SENSITIVE, classroom)
    enrolments = list(
        Enrolment.objects.filter(classroom=classroom, ends_on__isnull=True)
        .select_related("person")
        .order_by("student_number", "person__first_name_th")
    )
    rows = {e.person_id: VisitRow(enrolment=e) for e in enrolments}
    for visit in HomeVisit.objects.filter(
        scope.visible(actor, HomeVisit),
        person_id__in=list(rows),
        academic_year_id=classroom.academic_year_id,
    ).order_by("pk"):
        row = rows[visit.person_id]
        if row.visit is None or row.visit.status != VisitStatus.DONE or visit.status == VisitStatus.DONE:
            row.visit = visit
    result = ClassVisits(classroom=classroom, rows=list(rows.values()))
    for row in result.rows:
        if row.visit is None:
            continue
        if row.visit.status == VisitStatus.DONE:
            result.done += 1
            for risk in row.visit.risks:
                result.risks[risk] = result.risks.get(risk, 0) + 1
            if row.visit.follow_up and not row.visit.follow_up_done:
                result.follow_ups_open += 1
        else:
            result.planned += 1
    audit.record(
        actor=actor,
        action=audit.Action.READ,
        obj=classroom,
        school_id=classroom.school_id,
        summary=f"home visits ({len(rows)} children)",
    )
    return result


def get_visit(*, actor: Any, uuid: Any) -> HomeVisit:
    visit = (
        HomeVisit.objects.filter(scope.visible(actor, HomeVisit), uuid=uuid)
        .select_related("person", "classroom")
        .prefetch_related("photos")
        .first()
    )
    if visit is None:
        raise NotAllowed()
    audit.record(
        actor=actor, action=audit.Action.READ, obj=visit, school_id=visit.school_id, summary="home visit"
    )
    return visit


def get_photo(*, actor: Any, uuid: Any) -> VisitPhoto:
    photo = (
        VisitPhoto.objects.filter(scope.visible(actor, VisitPhoto), uuid=uuid).select_related("visit").first()
    )
    if photo is None:
        raise NotAllowed()
    audit.record(
        actor=actor,
        action=audit.Action.READ,
        obj=photo,
        school_id=photo.visit.school_id,
        summary="home visit photo",
    )
    return photo


def visit_risks_by_person(
    *, actor: Any, person_ids: list[int], since: dt.date | None = None
) -> dict[int, list[str]]:
    """For the derived care screening: risks seen on each child's done visits (this year by default)."""
    since = since or timezone.localdate().replace(month=1, day=1) - dt.timedelta(days=365)
    found: dict[int, list[str]] = {}
    for person_id, risks in HomeVisit.objects.filter(
        scope.visible(actor, HomeVisit),
        person_id__in=person_ids,
        status=VisitStatus.DONE,
        visited_on__gte=since,
    ).values_list("person_id", "risks"):
        found.setdefault(person_id, []).extend(risks)
    return found


def eligible_by_person(*, actor: Any, person_ids: list[int], term: Term) -> dict[int, bool]:
    """For the derived care screening: each screened child's eligibility in the term."""
    return dict(
        PovertyScreening.objects.filter(
            scope.visible(actor, PovertyScreening), person_id__in=person_ids, term=term
        ).values_list("person_id", "eligible")
    )


def school_term(*, school: School, text: str = "") -> Term:
    """The school's term named 'n/yyyy' (BE), or the current one when blank; a clear problem otherwise."""
    terms = Term.objects.filter(academic_year__agency_id=school.area.agency_id).select_related(
        "academic_year"
    )
    if not text.strip():
        current = current_year(school=school)
        found = filing_term(year=current) if current else None
    else:
        number, _, year = text.strip().partition("/")
        found = (
            terms.filter(number=int(number), academic_year__year_be=int(year)).first()
            if number.isdigit() and year.isdigit()
            else None
        )
    if found is None:
        raise problem(
            "term",
            "ไม่พบภาคเรียนนี้ (เขียนแบบ 1/2569)",
            "no such term (write it as 1/2569)",
            field_th="ภาคเรียน",
        )
    return found


def latest_term_begun() -> Term | None:
    """The term most recently begun in any agency (the default of the area officer's page)."""
    return (
        Term.objects.filter(starts_on__lte=timezone.localdate())
        .select_related("academic_year")
        .order_by("-starts_on")
        .first()
    )


def sibling_homes(*, actor: Any, person: Person) -> list[tuple[Person, Household]]:
    """Children sharing a guardian with this child whose home is already entered (and is not this child's):
    the household form offers to link instead of typing the same home twice."""
    guardian_ids = Guardianship.objects.filter(scope.visible(actor, Guardianship), student=person).values(
        "guardian_id"
    )
    sibling_ids = (
        Guardianship.objects.filter(scope.visible(actor, Guardianship), guardian_id__in=guardian_ids)
        .exclude(student=person)
        .values("student_id")
    )
    own = HouseholdChild.objects.filter(person=person).values("household_id")
    return [
        (link.person, link.household)
        for link in HouseholdChild.objects.filter(
            scope.visible(actor, HouseholdChild), person_id__in=sibling_ids
        )
        .exclude(household_id__in=own)
        .select_related("person", "household")
        .order_by("person__first_name_th")
    ]


def census_facts(*, actor: Any, person_ids: list[int], on: dt.date) -> dict[int, dict[str, Any]]:
    """For the DMC census: each child's distance from home to school (their household) and whether their
    latest poverty screening begun on or before `on` found them eligible ("poor" when the registrar left the
    disadvantage blank). Sensitive: the report that reads it is audited as an export."""
    found: dict[int, dict[str, Any]] = {}
    links = HouseholdChild.objects.filter(
        scope.visible(actor, HouseholdChild, Perm.VIEW_SENSITIVE), person_id__in=person_ids
    ).values_list("person_id", "household__distance_km")
    for person_id, distance in links:
        found.setdefault(person_id, {})["distance_km"] = distance
    screenings = (
        PovertyScreening.objects.filter(
            scope.visible(actor, PovertyScreening, Perm.VIEW_SENSITIVE),
            person_id__in=person_ids,
            term__starts_on__lte=on,
        )
        .order_by("person_id", "-term__starts_on")
        .values_list("person_id", "eligible")
    )
    for person_id, eligible in screenings:
        found.setdefault(person_id, {}).setdefault("poor", eligible)
    return found


def aptitude_summaries(*, actor: Any, person_ids: list[int]) -> dict[int, str]:
    """For ปพ.8: each child's talents and interests in one line ("กีฬา: ฟุตบอล; ดนตรี/นาฏศิลป์: ขลุ่ย")."""
    found: dict[int, list[str]] = {}
    rows = (
        Aptitude.objects.filter(scope.visible(actor, Aptitude, Perm.VIEW_SENSITIVE), person_id__in=person_ids)
        .order_by("person_id", "recorded_on", "pk")
        .values_list("person_id", "area", "detail")
    )
    for person_id, area, detail in rows:
        found.setdefault(person_id, []).append(f"{AptitudeArea(area).label}: {detail}")
    return {person_id: "; ".join(parts) for person_id, parts in found.items()}
