import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from khru.attendance import selectors, services
from khru.org import selectors as org_selectors
from khru.org.roles import Perm
from khru.people import selectors as people

router = Router(tags=["attendance"])


class MarkIn(Schema):
    student: UUID
    code: str = Field(description="absent, sick, personal or late; present children are left out")


class RegisterIn(Schema):
    classroom: UUID
    date: dt.date
    period: int = Field(0, ge=0, le=20, description="0 = the daily homeroom register")
    course_code: str = ""
    key: UUID | None = Field(
        None, description="idempotency key: a re-sent save with the same key counts once"
    )
    saved_on_device_at: dt.datetime | None = None
    marks: list[MarkIn]


class RegisterOut(Schema):
    register_id: UUID
    changed: int
    duplicate: bool


class SheetRowOut(Schema):
    student: UUID
    name: str
    student_number: str
    code: str
    leave: str | None


class SheetOut(Schema):
    classroom: UUID
    date: dt.date
    period: int
    taken: bool
    rows: list[SheetRowOut]


class SheetQuery(Schema):
    classroom: UUID
    date: dt.date
    period: int = 0


@router.post("/attendance/registers", response=RegisterOut)
def save_register(request: HttpRequest, body: RegisterIn) -> RegisterOut:
    """Save a class's register: marks for the children who were not simply present."""
    # The write's permission first, so a class one may not write to refuses before any child is looked up.
    classroom = org_selectors.get_classroom(
        actor=request.user, uuid=str(body.classroom), perm=Perm.TAKE_ATTENDANCE
    )
    ids = people.class_children(
        actor=request.user,
        classroom=classroom,
        uuids=[m.student for m in body.marks],
        perm=Perm.TAKE_ATTENDANCE,
        field="marks",
    )
    saved = services.record_register(
        actor=request.user,
        classroom=classroom,
        date=body.date,
        period=body.period,
        course_code=body.course_code,
        marks={ids[m.student]: m.code for m in body.marks},
        key=body.key,
        saved_on_device_at=body.saved_on_device_at,
    )
    return RegisterOut(register_id=saved.register.uuid, changed=saved.changed, duplicate=saved.duplicate)


@router.get("/attendance/registers", response=SheetOut)
def read_register(request: HttpRequest, query: Query[SheetQuery]) -> SheetOut:
    classroom = org_selectors.get_classroom(actor=request.user, uuid=str(query.classroom))
    sheet = selectors.register_sheet(
        actor=request.user, classroom=classroom, date=query.date, period=query.period
    )
    return SheetOut(
        classroom=classroom.uuid,
        date=sheet.date,
        period=sheet.period,
        taken=sheet.register is not None,
        rows=[
            SheetRowOut(
                student=row.enrolment.person.uuid,
                name=row.enrolment.person.full_name,
                student_number=row.enrolment.student_number,
                code=row.code,
                leave=row.leave.code.code if row.leave else None,
            )
            for row in sheet.rows
        ],
    )
