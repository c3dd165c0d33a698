import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from khru.care import selectors, services
from khru.care.models import CareNote, Intervention
from khru.core.errors import NotAllowed

router = Router(tags=["care"])


class ResponseIn(Schema):
    student: UUID
    questionnaire: UUID | None = Field(None, description="a questionnaire's id; by default the built-in SDQ")
    respondent: str = Field(description="teacher, parent or self")
    respondent_name: str = ""
    answered_on: dt.date
    answers: dict[int, int] = Field(description="item number → value on the questionnaire's scale")


class SubscaleOut(Schema):
    code: str
    score: int
    band: str


class ResponseOut(Schema):
    response_id: UUID
    questionnaire: str
    total: int
    band: str
    subscales: list[SubscaleOut]


class ScreeningOut(Schema):
    area: str
    status: str
    reason: str
    source: str
    term: str
    recorded_at: dt.datetime
    current: bool


@router.post("/care/responses", response=ResponseOut)
def save_response(request: HttpRequest, body: ResponseIn) -> ResponseOut:
    """Record one completed questionnaire about a child; answers outside the scale or missing refuse it all."""
    child = selectors.get_child(actor=request.user, uuid=str(body.student))
    if body.questionnaire:
        questionnaire = selectors.get_questionnaire(actor=request.user, uuid=str(body.questionnaire))
    else:
        found = selectors.builtin()
        if found is None:
            raise NotAllowed()
        questionnaire = found
    saved = services.record_response(
        actor=request.user,
        questionnaire=questionnaire,
        person=child,
        respondent=body.respondent,
        respondent_name=body.respondent_name,
        answered_on=body.answered_on,
        answers=body.answers,
    )
    return ResponseOut(
        response_id=saved.uuid,
        questionnaire=questionnaire.code,
        total=saved.total,
        band=saved.total_band,
        subscales=[
            SubscaleOut(code=code, score=int(s["score"]), band=str(s["band"]))
            for code, s in saved.subscale_scores.items()
        ],
    )


@router.get("/care/students/{uuid}/screenings", response=list[ScreeningOut])
def student_screenings(request: HttpRequest, uuid: UUID) -> list[ScreeningOut]:
    """A child's screening history, newest first; `current` marks the latest row per area."""
    child = selectors.get_child(actor=request.user, uuid=str(uuid))
    screenings = selectors.screenings_for(actor=request.user, person=child)
    current = {s.pk for s in selectors.current_by_area(screenings).values()}
    return [
        ScreeningOut(
            area=s.area,
            status=s.status,
            reason=s.reason,
            source=s.source,
            term=str(s.term),
            recorded_at=s.recorded_at,
            current=s.pk in current,
        )
        for s in screenings
    ]


class NoteIn(Schema):
    text: str
    area: str = Field("", description="learning, health, behaviour, family, safety or empty")
    noted_on: dt.date | None = Field(None, description="by default today")


class NoteOut(Schema):
    note_id: UUID
    noted_on: dt.date
    area: str
    text: str
    version: int
    recorded_by: str
    recorded_at: dt.datetime


class InterventionIn(Schema):
    kind: str = Field(description="counselling, remedial, parent_meeting, home_visit, … or other")
    description: str
    started_on: dt.date
    status: str = Field("planned", description="planned, in_progress, done or referred")
    area: str = ""
    responsible: str = ""
    follow_up_on: dt.date | None = None
    outcome: str = ""
    referred_to: str = ""


class InterventionOut(Schema):
    intervention_id: UUID
    kind: str
    area: str
    description: str
    responsible: str
    status: str
    started_on: dt.date
    follow_up_on: dt.date | None
    outcome: str
    referred_to: str
    recorded_at: dt.datetime


def _note_out(note: CareNote) -> NoteOut:
    return NoteOut(
        note_id=note.uuid,
        noted_on=note.noted_on,
        area=note.area,
        text=note.text,
        version=note.version,
        recorded_by=note.recorded_by.username if note.recorded_by else "",
        recorded_at=note.recorded_at,
    )


def _intervention_out(found: Intervention) -> InterventionOut:
    return InterventionOut(
        intervention_id=found.uuid,
        kind=found.kind,
        area=found.area,
        description=found.description,
        responsible=found.responsible,
        status=found.status,
        started_on=found.started_on,
        follow_up_on=found.follow_up_on,
        outcome=found.outcome,
        referred_to=found.referred_to,
        recorded_at=found.recorded_at,
    )


@router.get("/care/students/{uuid}/notes", response=list[NoteOut])
def student_notes(request: HttpRequest, uuid: UUID) -> list[NoteOut]:
    """A child's care notes, newest first (deleted notes are not listed); the read is audited."""
    child = selectors.get_child(actor=request.user, uuid=str(uuid))
    return [_note_out(n) for n in selectors.notes_for(actor=request.user, person=child)]


@router.post("/care/students/{uuid}/notes", response=NoteOut)
def add_student_note(request: HttpRequest, uuid: UUID, body: NoteIn) -> NoteOut:
    """Write a dated note about a child."""
    child = selectors.get_child(actor=request.user, uuid=str(uuid))
    note = services.add_note(
        actor=request.user, person=child, text=body.text, area=body.area, noted_on=body.noted_on
    )
    return _note_out(note)


@router.get("/care/students/{uuid}/interventions", response=list[InterventionOut])
def student_interventions(request: HttpRequest, uuid: UUID) -> list[InterventionOut]:
    """What was done to help a child, newest first; the read is audited."""
    child = selectors.get_child(actor=request.user, uuid=str(uuid))
    return [_intervention_out(i) for i in selectors.interventions_for(actor=request.user, person=child)]


@router.post("/care/students/{uuid}/interventions", response=InterventionOut)
def add_student_intervention(request: HttpRequest, uuid: UUID, body: InterventionIn) -> InterventionOut:
    """Record an intervention (counselling, remedial teaching, a referral …); the follow-up date is not
    before the start, and a referral names where the child was sent."""
    child = selectors.get_child(actor=request.user, uuid=str(uuid))
    found = services.add_intervention(actor=request.user, person=child, **body.dict())
    return _intervention_out(found)
