import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from khru.teachers import selectors, training

router = Router(tags=["teachers"])


class CompletionIn(Schema):
    citizen_id: str
    course_code: str
    completed_on: dt.date
    certificate_ref: str = Field(
        description="the provider's certificate number: sending it again adds nothing"
    )


class CompletionsIn(Schema):
    provider: str = Field(description="the provider's code in Khru")
    completions: list[CompletionIn]


class CompletionsOut(Schema):
    rows: int
    new: int
    already: int


class ConditionOut(Schema):
    code: str = Field(description="years, rounds, discipline or standing")
    met: bool
    th: str
    en: str


class PACheckOut(Schema):
    person: UUID
    to_standing: str
    met: bool
    conditions: list[ConditionOut]


@router.get("/teachers/staff/{uuid}/pa-check", response=PACheckOut)
def pa_check(request: HttpRequest, uuid: UUID) -> PACheckOut:
    """May this teacher apply for the next academic standing? Each condition met or not, with what is missing."""
    person = selectors.get_staff(actor=request.user, uuid=uuid)
    result = selectors.pa_check(person=person)
    return PACheckOut(
        person=person.uuid,
        to_standing=result.to_standing,
        met=result.met,
        conditions=[ConditionOut(code=c.code, met=c.met, th=c.th, en=c.en) for c in result.conditions],
    )


@router.post("/teachers/completions", response=CompletionsOut)
def post_completions(request: HttpRequest, body: CompletionsIn) -> CompletionsOut:
    """A training provider's system reports completed courses; they land in the teachers' records.

    All or nothing: one bad item (unknown citizen ID or course, a future date …) refuses the whole batch with
    every bad item named. Needs a token of a user with the import-training permission.
    """
    provider = selectors.get_provider(actor=request.user, code=body.provider)
    summary = training.import_completions(
        actor=request.user,
        provider=provider,
        completions=training.completions_from_items(
            [(c.citizen_id, c.course_code, c.completed_on, c.certificate_ref) for c in body.completions]
        ),
    )
    return CompletionsOut(**summary)
