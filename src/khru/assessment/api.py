"""Gradebook API: the same selectors and services as the pages."""

from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from khru.assessment import rules, selectors, services
from khru.core.errors import KhruError, Problem
from khru.org import selectors as org_selectors
from khru.org.roles import Perm
from khru.people import selectors as people_selectors

router = Router(tags=["assessment"])


class CourseOut(Schema):
    uuid: UUID
    code: str
    name_th: str
    name_en: str
    kind: str
    credits: Decimal
    hours: int
    coursework_share: int
    final_share: int
    term: str
    classroom: UUID
    items: list["ItemOut"]


class ItemOut(Schema):
    uuid: UUID
    name: str
    part: str
    max_score: Decimal


class CourseFilter(Schema):
    classroom: UUID = Field(description="the classroom's uuid")


@router.get("/assessment/courses", response=list[CourseOut])
def list_courses(request: HttpRequest, filters: Query[CourseFilter]) -> list[CourseOut]:
    """A class's courses in every term, with their assessment items."""
    classroom = org_selectors.get_classroom(actor=request.user, uuid=str(filters.classroom))
    found = selectors.classroom_courses(actor=request.user, classroom=classroom).prefetch_related("items")
    return [
        CourseOut(
            uuid=c.uuid,
            code=c.code,
            name_th=c.name_th,
            name_en=c.name_en,
            kind=c.kind,
            credits=c.credits,
            hours=c.hours,
            coursework_share=c.coursework_share,
            final_share=c.final_share,
            term=str(c.term),
            classroom=classroom.uuid,
            items=[
                ItemOut(uuid=i.uuid, name=i.name, part=i.part, max_score=i.max_score) for i in c.items.all()
            ],
        )  # fmt: skip
        for c in found
    ]


class ScoreIn(Schema):
    student: UUID
    score: Decimal | None


class ScoresOut(Schema):
    changed: int
    after_lock: bool


@router.post("/assessment/items/{uuid}/scores", response=ScoresOut)
def post_scores(request: HttpRequest, uuid: UUID, body: list[ScoreIn]) -> ScoresOut:
    """Scores for one item (null clears a score). One bad value refuses the whole list (400, with problems)."""
    item = selectors.get_item(actor=request.user, uuid=uuid, perm=Perm.ENTER_SCORES)
    by_uuid = {e.person.uuid: e.person_id for e in selectors.roster(item.course)}
    unknown = [
        Problem(
            "student",
            "ไม่มีนักเรียนคนนี้ในห้อง",
            f"student {row.student} is not in this class",
            row=n,
            field_th="นักเรียน",
        )
        for n, row in enumerate(body, start=1)
        if row.student not in by_uuid
    ]
    if unknown:
        raise KhruError(*unknown)
    saved = services.record_scores(
        actor=request.user, item=item, scores={by_uuid[row.student]: row.score for row in body}
    )
    return ScoresOut(changed=saved.changed, after_lock=saved.after_lock)


class ResultOut(Schema):
    student: UUID
    student_number: str
    name: str
    grade: str | None
    original_grade: str
    percentage: Decimal | None
    sessions: int
    attended: int
    planned: int
    can_still_miss: int
    reading_rating: int | None
    character_rating: int | None


@router.get("/assessment/courses/{uuid}/results", response=list[ResultOut])
def course_results(request: HttpRequest, uuid: UUID) -> list[ResultOut]:
    """Each child's stored result with the attendance behind it (live)."""
    course = selectors.get_course(actor=request.user, uuid=uuid)
    table = selectors.result_table(actor=request.user, course=course)
    return [
        ResultOut(
            student=row.enrolment.person.uuid,
            student_number=row.enrolment.student_number,
            name=row.enrolment.person.full_name,
            grade=row.result.grade if row.result else None,
            original_grade=row.result.original_grade if row.result else "",
            percentage=row.result.percentage if row.result else None,
            sessions=row.tally.sessions,
            attended=row.tally.attended,
            planned=table.attendance.planned,
            can_still_miss=row.can_still_miss,
            reading_rating=row.result.reading_rating if row.result else None,
            character_rating=row.result.character_rating if row.result else None,
        )
        for row in table.rows
    ]


class TermAverageOut(Schema):
    year_be: int
    term: int
    gpa: Decimal | None


class GradeAveragesOut(Schema):
    terms: list[TermAverageOut]
    gpax: Decimal | None


@router.get("/assessment/students/{uuid}/grades", response=GradeAveragesOut)
def student_grades(request: HttpRequest, uuid: UUID) -> GradeAveragesOut:
    """A child's GPA per term and GPAX (credit-weighted, ร and มส as 0, cut to 2 decimals)."""
    person = people_selectors.get_student(actor=request.user, uuid=str(uuid))
    terms, gpax = selectors.grade_averages(actor=request.user, person=person)
    return GradeAveragesOut(
        terms=[TermAverageOut(year_be=t.year_be, term=t.term, gpa=t.gpa) for t in terms], gpax=gpax
    )


class YearValueOut(Schema):
    aspect: str
    name_th: str
    name_en: str
    rating: int | None = Field(description="0–3: ไม่ผ่าน / ผ่าน / ดี / ดีเยี่ยม; null when there is none")
    derived: int | None = Field(description="rolled up from the year's course ratings by the school's rule")
    source: str = Field(description="derived, entered or override (with its reason)")
    reason: str


class YearResultOut(Schema):
    student: UUID
    student_number: str
    name: str
    editable: bool
    values: list[YearValueOut]


class YearResultsOut(Schema):
    academic_year: int
    roll_up: str
    students: list[YearResultOut]


@router.get("/assessment/classrooms/{uuid}/year-results", response=YearResultsOut)
def class_year_results(request: HttpRequest, uuid: UUID) -> YearResultsOut:
    """A class's year results: reading-thinking-writing and the 8 desirable characteristics (with the overall
    result), the 5 key competencies; derived values as the school's rule rolls them up, entered ones as typed."""
    classroom = org_selectors.get_classroom(actor=request.user, uuid=str(uuid), perm=Perm.VIEW_STUDENTS)
    sheet = selectors.year_sheet(actor=request.user, classroom=classroom)
    return YearResultsOut(
        academic_year=classroom.academic_year.year_be,
        roll_up=sheet.roll_up.code,
        students=[
            YearResultOut(
                student=row.enrolment.person.uuid,
                student_number=row.enrolment.student_number,
                name=row.enrolment.person.full_name,
                editable=row.editable,
                values=[
                    YearValueOut(
                        aspect=aspect.code,
                        name_th=aspect.th,
                        name_en=aspect.en,
                        rating=value.rating,
                        derived=value.derived,
                        source=value.source,
                        reason=value.reason,
                    )  # fmt: skip
                    for aspect in rules.YEAR_ASPECTS
                    for value in [row.value(aspect.code)]
                ],
            )
            for row in sheet.rows
        ],
    )
