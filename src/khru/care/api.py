import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from khru.care import selectors, services
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
