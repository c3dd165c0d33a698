from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from khru.core.errors import problem
from khru.org import selectors as org_selectors
from khru.people import selectors

router = Router(tags=["people"])


class StudentOut(BaseModel):  # plain pydantic: validates the selector's rows without ninja's object getter
    uuid: UUID
    citizen_id: str | None
    prefix: str
    first_name_th: str
    last_name_th: str
    first_name_en: str
    last_name_en: str
    birth_date: date | None
    sex: str
    grade: str
    classroom: str | None
    student_number: str


class StudentPage(BaseModel):
    items: list[StudentOut]
    next: str | None = Field(description="cursor for the next page; absent on the last page")


class StudentFilter(Schema):
    school: str = Field(description="ministry school code")
    after: str | None = None
    limit: int = Field(100, ge=1, le=500)


@router.get("/students", response=StudentPage)
def list_students(request: HttpRequest, filters: Query[StudentFilter]) -> dict[str, Any]:
    """A school's current students, paged by keyset: pass `next` back as `after`."""
    school = org_selectors.get_school(actor=request.user, code=filters.school)
    try:
        rows, next_cursor = selectors.students_page(
            actor=request.user, school=school, after=filters.after, limit=filters.limit
        )
    except ValueError as error:
        raise problem("after", "ตัวชี้หน้าไม่ถูกต้อง", "bad cursor") from error
    return {"items": rows, "next": next_cursor}  # plain rows: the schema checks them, no model objects
