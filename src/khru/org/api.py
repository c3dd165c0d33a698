from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from khru.org import selectors

router = Router(tags=["organisation"])


class SchoolOut(Schema):
    uuid: UUID
    code: str
    name_th: str
    name_en: str
    agency: str
    area: str
    lowest_grade: str
    highest_grade: str
    student_count: int


@router.get("/schools", response=list[SchoolOut])
def list_schools(request: HttpRequest) -> list[SchoolOut]:
    """Schools the caller may see, with their current number of students."""
    return [
        SchoolOut(
            uuid=s.uuid,
            code=s.code,
            name_th=s.name_th,
            name_en=s.name_en,
            agency=s.area.agency.code,
            area=s.area.code,
            lowest_grade=s.lowest_grade,
            highest_grade=s.highest_grade,
            student_count=getattr(s, "student_count", 0),
        )
        for s in selectors.schools_with_counts(actor=request.user)
    ]
