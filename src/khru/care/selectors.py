"""Reads of care data. Answers and screenings are sensitive (PDPA): every read of a child's is audited."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from khru.care.models import (
    Area,
    CareNote,
    Case,
    Intervention,
    Item,
    Questionnaire,
    Response,
    ScaleOption,
    Screening,
)
from khru.care.services import term_for
from khru.core import audit
from khru.core.errors import NotAllowed
from khru.org import scope
from khru.org.models import Classroom, School, Term
from khru.org.roles import Perm
from khru.people.models import Enrolment, Person


def questionnaires(*, actor: Any, school: School | None = None) -> QuerySet[Questionnaire]:
    """Built-in forms and, with a school, that school's own."""
    found = Questionnaire.objects.filter(scope.visible(actor, Questionnaire))
    found = found.filter(school__isnull=True) | found.filter(school=school) if school else found
    return found.order_by("school_id", "code", "version")


def get_questionnaire(*, actor: Any, uuid: str) -> Questionnaire:
    found = Questionnaire.objects.filter(scope.visible(actor, Questionnaire), uuid=uuid).first()
    if found is None:
        raise NotAllowed()
    return found


def builtin(code: str = "SDQ") -> Questionnaire | None:
    return Questionnaire.objects.filter(code=code, school__isnull=True).order_by("-version").first()


@dataclass
class Sheet:
    questionnaire: Questionnaire
    items: list[Item]
    options: list[ScaleOption]


def sheet(*, questionnaire: Questionnaire) -> Sheet:
    return Sheet(
        questionnaire=questionnaire,
        items=list(questionnaire.items.order_by("number")),
        options=list(questionnaire.options.order_by("value")),
    )


def get_child(*, actor: Any, uuid: str) -> Person:
    """A child the actor may see sensitive data of (homeroom teacher, school care team)."""
    person = Person.objects.filter(scope.visible(actor, Person, Perm.VIEW_SENSITIVE), uuid=uuid).first()
    if person is None:
        raise NotAllowed()
    return person


def responses_for(*, actor: Any, person: Person) -> list[Response]:
    """A child's questionnaire results, newest first; the read is audited."""
    found = list(
        Response.objects.filter(scope.visible(actor, Response), person=person)
        .select_related("questionnaire", "recorded_by__person")
        .order_by("-answered_on", "-pk")
    )
    audit.record(actor=actor, action=audit.Action.READ, obj=person, summary=f"care responses ({len(found)})")
    return found


def get_response(*, actor: Any, uuid: str) -> Response:
    response = (
        Response.objects.filter(scope.visible(actor, Response), uuid=uuid)
        .select_related("questionnaire", "person", "recorded_by__person")
        .first()
    )
    if response is None:
        raise NotAllowed()
    audit.record(
        actor=actor,
        action=audit.Action.READ,
        obj=response,
        school_id=response.school_id,
        summary="care response",
    )
    return response


def screenings_for(*, actor: Any, person: Person) -> list[Screening]:
    """A child's whole screening history, newest first; the read is audited."""
    found = list(
        Screening.objects.filter(scope.visible(actor, Screening), person=person)
        .select_related("term__academic_year", "recorded_by__person")
        .order_by("-recorded_at", "-pk")
    )
    audit.record(actor=actor, action=audit.Action.READ, obj=person, summary=f"care screenings ({len(found)})")
    return found


def current_by_area(screenings: list[Screening]) -> dict[str, Screening]:
    """The latest row per area (screenings newest first)."""
    current: dict[str, Screening] = {}
    for screening in screenings:
        current.setdefault(screening.area, screening)
    return current


@dataclass
class GridRow:
    enrolment: Enrolment
    current: dict[str, Screening] = field(default_factory=dict)
    latest_response: Response | None = None

    def cells(self) -> list[tuple[str, Screening | None]]:
        return [(area, self.current.get(area)) for area in Area.values]


@dataclass
class Grid:
    classroom: Classroom
    term: Term | None
    areas: list[tuple[str, str]]
    rows: list[GridRow]


def class_grid(*, actor: Any, classroom: Classroom) -> Grid:
    """Each child's current status per area this term and their latest questionnaire: constant queries."""
    scope.require(actor, Perm.VIEW_SENSITIVE, classroom)
    enrolments = list(
        Enrolment.objects.filter(classroom=classroom, ends_on__isnull=True)
        .select_related("person")
        .order_by("student_number", "person__first_name_th")
    )
    term = term_for(enrolment=enrolments[0], day=timezone.localdate()) if enrolments else None
    rows = {e.person_id: GridRow(enrolment=e) for e in enrolments}
    if term is not None:
        for screening in (
            Screening.objects.filter(
                scope.visible(actor, Screening),
                term=term,
                person_id__in=list(rows),
                school_id=classroom.school_id,
            )
            .only("person_id", "area", "status", "reason", "source", "recorded_at")
            .order_by("-recorded_at", "-pk")
        ):
            rows[screening.person_id].current.setdefault(screening.area, screening)
    for response in (
        Response.objects.filter(scope.visible(actor, Response), person_id__in=list(rows))
        .select_related("questionnaire")
        .order_by("-answered_on", "-pk")
    ):
        if rows[response.person_id].latest_response is None:
            rows[response.person_id].latest_response = response
    audit.record(
        actor=actor,
        action=audit.Action.READ,
        obj=classroom,
        school_id=classroom.school_id,
        summary=f"care grid ({len(rows)} children)",
    )
    return Grid(classroom=classroom, term=term, areas=list(Area.choices), rows=list(rows.values()))


def notes_for(*, actor: Any, person: Person) -> list[CareNote]:
    """A child's care notes (not deleted), newest first, with their earlier versions; the read is audited."""
    found = list(
        CareNote.objects.filter(scope.visible(actor, CareNote), person=person, deleted_at__isnull=True)
        .select_related("recorded_by__person")
        .prefetch_related("versions__replaced_by__person")
        .order_by("-noted_on", "-recorded_at", "-pk")
    )
    audit.record(actor=actor, action=audit.Action.READ, obj=person, summary=f"care notes ({len(found)})")
    return found


def interventions_for(*, actor: Any, person: Person) -> list[Intervention]:
    """A child's interventions, newest first, with their change rows; the read is audited."""
    found = list(
        Intervention.objects.filter(scope.visible(actor, Intervention), person=person)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("changes"))
        .order_by("-started_on", "-recorded_at", "-pk")
    )
    audit.record(actor=actor, action=audit.Action.READ, obj=person, summary=f"interventions ({len(found)})")
    return found


def get_note(*, actor: Any, uuid: str) -> CareNote:
    note = (
        CareNote.objects.filter(scope.visible(actor, CareNote), uuid=uuid, deleted_at__isnull=True)
        .select_related("person")
        .first()
    )
    if note is None:
        raise NotAllowed()
    return note


def get_intervention(*, actor: Any, uuid: str) -> Intervention:
    found = (
        Intervention.objects.filter(scope.visible(actor, Intervention), uuid=uuid)
        .select_related("person")
        .first()
    )
    if found is None:
        raise NotAllowed()
    return found


def cases_for(*, actor: Any, person: Person) -> list[Case]:
    """A child's follow-up cases, the open one first, each with its actions."""
    return list(
        Case.objects.filter(scope.visible(actor, Case), person=person)
        .select_related("responsible__person", "opened_by")
        .prefetch_related("actions")
        .order_by(F("closed_on").desc(nulls_first=True), "-opened_on")
    )


def get_case(*, actor: Any, uuid: str) -> Case:
    found = Case.objects.filter(scope.visible(actor, Case), uuid=uuid).select_related("person").first()
    if found is None:
        raise NotAllowed()
    return found


def overdue_actions(*, actor: Any, today: dt.date, limit: int = 20) -> list[Intervention]:
    """Planned or ongoing help whose follow-up date has passed, of children the actor cares for now."""
    late = list(
        Intervention.objects.filter(
            scope.visible(actor, Intervention),
            status__in=[Intervention.Status.PLANNED, Intervention.Status.IN_PROGRESS],
            follow_up_on__lt=today,
        )
        .select_related("person")
        .order_by("follow_up_on", "pk")[: 10 * limit]
    )
    current = scope.followed(actor, Perm.VIEW_SENSITIVE, {a.person_id for a in late})  # not a child who left
    return [a for a in late if a.person_id in current][:limit]


@dataclass
class FollowUpRow:
    case: Case
    due: list[Intervention]  # actions due in the month
    overdue: list[Intervention]  # actions still open whose date passed before the month's end
    done: list[Intervention]


@dataclass
class FollowUpList:
    school: School
    month: dt.date  # its first day
    rows: list[FollowUpRow]

    @property
    def overdue_count(self) -> int:
        return sum(len(row.overdue) for row in self.rows)


def follow_up_list(*, actor: Any, school: School, month: dt.date) -> FollowUpList:
    """The month's follow-up list (Q-Info's): every case open at some point in the month, its actions due
    then, those overdue by the month's end and those done. For the readers of risk: the school's care team
    and principal (a class's teachers see their own children's cases)."""
    if not scope.can(actor, Perm.VIEW_RISK, school):
        raise NotAllowed()
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    cases = list(
        Case.objects.filter(scope.visible(actor, Case), school=school, opened_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .select_related("person", "responsible__person")
        .prefetch_related("actions")
        .order_by("opened_on", "pk")
    )
    still_open = (Intervention.Status.PLANNED, Intervention.Status.IN_PROGRESS)
    rows = []
    for case in cases:
        actions = list(case.actions.all())
        rows.append(
            FollowUpRow(
                case,
                due=[a for a in actions if a.follow_up_on and first <= a.follow_up_on <= last],
                overdue=[
                    a for a in actions if a.status in still_open and a.follow_up_on and a.follow_up_on < last
                ],
                done=[a for a in actions if a.status == Intervention.Status.DONE],
            )
        )
    audit.record_bulk_read(
        actor=actor,
        model=Case,
        filters={"follow_up_list": str(first)},
        count=len(rows),
        school_id=school.pk,
    )
    return FollowUpList(school, first, rows)
