"""Care screening "from the data": each child's status per area for a term, derived from what is already held
(results, growth, SDQ, poverty screening, home visits, attendance), written as Screening rows with source
"derived" and the reason. Thresholds live in care.thresholds.

A derived row is added only when the derived status differs from the child's last derived row in that area
and term, so a teacher's judgement recorded after it stays current until the data says something new.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from khru.assessment import selectors as assessment
from khru.attendance import selectors as attendance
from khru.care import thresholds as t
from khru.care.models import Area, Band, Response, Screening
from khru.core import audit
from khru.core.errors import NotAllowed, problem
from khru.health import selectors as health
from khru.org import scope
from khru.org.models import Classroom, School, Term
from khru.org.roles import Perm
from khru.org.selectors import current_term
from khru.people.models import Enrolment
from khru.welfare import selectors as welfare
from khru.welfare.models import VisitRisk

_ORDER = {Band.NORMAL: 0, Band.RISK: 1, Band.PROBLEM: 2}


@dataclass
class Verdict:
    """The worst status found for one area, with every reason that led to it."""

    status: str = Band.NORMAL
    reasons: list[str] = field(default_factory=list)
    has_data: bool = False

    def add(self, status: str, reason: str) -> None:
        self.has_data = True
        if status == Band.NORMAL:
            return
        if _ORDER[Band(status)] > _ORDER[Band(self.status)]:
            self.status = status
        self.reasons.append(reason)

    def seen(self) -> None:
        self.has_data = True

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)[:500]


@dataclass
class Derived:
    written: int = 0
    unchanged: int = 0
    by_status: Counter[str] = field(default_factory=Counter)


def _risk_labels(codes: Iterable[str]) -> str:
    return ", ".join(VisitRisk(c).label for c in codes if c in VisitRisk.values)


def _judge(
    *,
    gpa: Decimal | None,
    failed: int,
    shape: str,
    height: str,
    sdq: Response | None,
    poverty_eligible: bool | None,
    risks: set[str],
    attendance_rate: float | None,
    sessions: int,
    learning_term: str = "",
) -> dict[str, Verdict]:
    verdicts = {area: Verdict() for area in Area.values}
    learning = verdicts[Area.LEARNING]
    if gpa is not None:
        learning.add(
            Band.PROBLEM
            if gpa < t.GPA_PROBLEM_BELOW
            else Band.RISK
            if gpa < t.GPA_RISK_BELOW
            else Band.NORMAL,
            f"GPA {gpa}" + (f" (ภาคเรียน {learning_term})" if learning_term else ""),
        )
    if failed:
        learning.add(
            Band.PROBLEM if failed >= t.FAILED_RESULTS_PROBLEM_FROM else Band.RISK,
            f"ผลการเรียน 0/ร/มส {failed} วิชา",
        )
    health_verdict = verdicts[Area.HEALTH]
    if shape or height:
        health_verdict.seen()
    if shape in t.SHAPE_PROBLEM or shape in t.SHAPE_RISK:
        health_verdict.add(Band.PROBLEM if shape in t.SHAPE_PROBLEM else Band.RISK, f"น้ำหนักตามส่วนสูง: {shape}")
    if height in t.HEIGHT_PROBLEM or height in t.HEIGHT_RISK:
        health_verdict.add(
            Band.PROBLEM if height in t.HEIGHT_PROBLEM else Band.RISK, f"ส่วนสูงตามอายุ: {height}"
        )
    if sdq is not None and sdq.total_band:
        verdicts[Area.BEHAVIOUR].add(sdq.total_band, f"SDQ ({sdq.respondent}) {sdq.total}")
    family = verdicts[Area.FAMILY]
    if poverty_eligible is not None:
        family.seen()
        if poverty_eligible:
            family.add(t.POVERTY_ELIGIBLE_IS, "ผ่านเกณฑ์คัดกรองนักเรียนยากจน (กสศ.)")
    safety = verdicts[Area.SAFETY]
    if risks:
        found = risks & t.FAMILY_PROBLEM_RISKS
        if found:
            family.add(Band.PROBLEM, "เยี่ยมบ้าน: " + _risk_labels(sorted(found)))
        found = risks & t.FAMILY_RISK_RISKS
        if found:
            family.add(Band.RISK, "เยี่ยมบ้าน: " + _risk_labels(sorted(found)))
        found = risks & t.SAFETY_PROBLEM_RISKS
        if found:
            safety.add(Band.PROBLEM, "เยี่ยมบ้าน: " + _risk_labels(sorted(found)))
        found = risks & t.SAFETY_RISK_RISKS
        if found:
            safety.add(Band.RISK, "เยี่ยมบ้าน: " + _risk_labels(sorted(found)))
    if attendance_rate is not None and sessions >= t.ATTENDANCE_MIN_SESSIONS:
        safety.add(
            Band.PROBLEM
            if attendance_rate < t.ATTENDANCE_PROBLEM_BELOW
            else Band.RISK
            if attendance_rate < t.ATTENDANCE_RISK_BELOW
            else Band.NORMAL,
            f"มาเรียน {attendance_rate:.0%}",
        )
    return verdicts


@dataclass
class Facts:
    """What the derivation reads about a group of children (one class, or a whole school at once)."""

    sdq: dict[int, Response]
    poverty: dict[int, bool]
    risks: dict[int, list[str]]
    tallies: dict[int, attendance.Tally]
    last: dict[tuple[int, str], str]  # (person, area) → status of the last derived row this term


def _facts(actor: Any, person_ids: list[int], term: Term, tallies: dict[int, attendance.Tally]) -> Facts:
    sdq: dict[int, Response] = {}
    for response in (
        Response.objects.filter(
            scope.visible(actor, Response),
            person_id__in=person_ids,
            academic_year_id=term.academic_year_id,
            questionnaire__screening_area=Area.BEHAVIOUR,
        )
        .only("person_id", "respondent", "total", "total_band")
        .order_by("-answered_on", "-pk")
    ):
        sdq.setdefault(response.person_id, response)
    last: dict[tuple[int, str], str] = {}
    for person_id, area, status in (
        Screening.objects.filter(term=term, person_id__in=person_ids, source=Screening.Source.DERIVED)
        .order_by("recorded_at", "pk")
        .values_list("person_id", "area", "status")
    ):
        last[(person_id, area)] = status
    return Facts(
        sdq=sdq,
        poverty=welfare.eligible_by_person(actor=actor, person_ids=person_ids, term=term),
        risks=welfare.visit_risks_by_person(
            actor=actor, person_ids=person_ids, since=term.academic_year.starts_on
        ),
        tallies=tallies,
        last=last,
    )


def _open_enrolments(**where: Any) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(ends_on__isnull=True, classroom__isnull=False, **where).only(
            "person_id", "classroom_id"
        )
    )


def _classroom_rows(
    actor: Any, classroom: Classroom, term: Term, enrolments: list[Enrolment], facts: Facts
) -> list[Screening]:
    """The derived rows that differ from each child's last derived row (nothing saved yet)."""
    if not enrolments:
        return []
    # Learning reads the latest term of the year with results (while a term runs, the one before it).
    gpas: dict[int, Decimal | None] = {}
    learning_term = term
    for earlier in Term.objects.filter(
        academic_year_id=term.academic_year_id, number__lte=term.number
    ).order_by("-number"):
        gpas = assessment.gpa_by_person(actor=actor, classroom=classroom, term=earlier)
        if gpas:
            learning_term = earlier
            break
    failed = Counter(
        assessment.to_remedy(actor=actor, classroom=classroom)
        .filter(course__term=learning_term)
        .values_list("person_id", flat=True)
    )
    on = min(term.ends_on, timezone.localdate())
    bands = health.latest_bands(actor=actor, classroom=classroom, on=on).latest
    sdq, poverty, risks, tallies, last = facts.sdq, facts.poverty, facts.risks, facts.tallies, facts.last
    rows = []
    for enrolment in enrolments:
        person_id = enrolment.person_id
        measurement = bands.get(person_id)
        tally = tallies.get(person_id)
        verdicts = _judge(
            gpa=gpas.get(person_id),
            failed=failed.get(person_id, 0),
            shape=measurement.shape_band if measurement else "",
            height=measurement.height_band if measurement else "",
            sdq=sdq.get(person_id),
            poverty_eligible=poverty.get(person_id),
            risks=set(risks.get(person_id, [])),
            attendance_rate=tally.rate if tally else None,
            sessions=tally.sessions if tally else 0,
            learning_term=str(learning_term),
        )
        for area, verdict in verdicts.items():
            if not verdict.has_data or last.get((person_id, area)) == verdict.status:
                continue
            rows.append(
                Screening(
                    person_id=person_id,
                    school_id=classroom.school_id,
                    academic_year_id=term.academic_year_id,
                    term=term,
                    area=area,
                    status=verdict.status,
                    reason=verdict.reason or "ข้อมูลอยู่ในเกณฑ์ปกติ",
                    source=Screening.Source.DERIVED,
                    recorded_by=actor if getattr(actor, "pk", None) else None,
                )
            )
    return rows


def _term_of(classroom: Classroom, term: Term | None) -> Term:
    found = term or current_term(year=classroom.academic_year)
    if found is None or found.academic_year_id != classroom.academic_year_id:
        raise problem("term", "ไม่พบภาคเรียนของห้องนี้", "the class has no such term", field_th="ภาคเรียน")
    return found


@transaction.atomic
def derive_for_classroom(*, actor: Any, classroom: Classroom, term: Term | None = None) -> Derived:
    """The button on the class care page: derive every child's screenings in the class for the term."""
    scope.require(actor, Perm.VIEW_SENSITIVE, classroom)
    found = _term_of(classroom, term)
    enrolments = _open_enrolments(classroom=classroom)
    tallies = attendance.tallies_for(actor=actor, term=found, classroom=classroom)
    facts = _facts(actor, [e.person_id for e in enrolments], found, tallies)
    rows = _classroom_rows(actor, classroom, found, enrolments, facts)
    Screening.objects.bulk_create(rows, batch_size=2000)
    result = Derived(written=len(rows), by_status=Counter(r.status for r in rows))
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=classroom,
        school_id=classroom.school_id,
        summary=f"derived care screenings term {found}: {len(rows)} new",
    )
    return result


@transaction.atomic
def derive_for_school(*, actor: Any, school: School, on: dt.date | None = None) -> Derived:
    """The whole school (command / task): every class of the year in the term on that day."""
    if not scope.school_in_reach(actor, Perm.VIEW_SENSITIVE, school):
        raise NotAllowed()
    day = on or timezone.localdate()
    result = Derived()
    classrooms = Classroom.objects.filter(
        school=school, academic_year__starts_on__lte=day, academic_year__ends_on__gte=day
    ).select_related("academic_year")
    rows: list[Screening] = []
    by_class: dict[int, list[Enrolment]] = {}
    for enrolment in _open_enrolments(school=school):
        by_class.setdefault(enrolment.classroom_id or 0, []).append(enrolment)
    # The school's facts are read once per term (a handful of queries), then each class adds its own.
    facts: dict[int, Facts] = {}
    for classroom in classrooms:
        term = current_term(year=classroom.academic_year, on=day)
        if term is None:
            continue
        if term.pk not in facts:
            people = [e.person_id for c in classrooms if c.academic_year_id == term.academic_year_id
                      for e in by_class.get(c.pk, [])]  # fmt: skip
            tallies = attendance.tallies_for(actor=actor, term=term, school=school)
            facts[term.pk] = _facts(actor, people, term, tallies)
        rows += _classroom_rows(actor, classroom, term, by_class.get(classroom.pk, []), facts[term.pk])
    Screening.objects.bulk_create(rows, batch_size=2000)
    result.written = len(rows)
    result.by_status.update(r.status for r in rows)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=school,
        school_id=school.pk,
        summary=f"derived care screenings {day.isoformat()}: {len(rows)} new",
    )
    return result
