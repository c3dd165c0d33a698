"""Curriculum templates (โครงสร้างเวลาเรียน): the 8 learning areas, Thai course codes, reading a template from
a CSV (its format is in `data/README.md`), and the courses a class of a term gets from its template.

The shipped template (`data/curriculum-2551.csv`) is the time structure of the basic-education core
curriculum B.E. 2551; an agency loads its own with `khru load_curriculum` or on its curriculum page.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from khru.assessment.models import Course, CurriculumTemplate, TemplateCourse
from khru.assessment.rules import HOURS_PER_CREDIT, counts_credits
from khru.core import audit
from khru.core.errors import KhruError, NotAllowed, Problem, problem
from khru.org import scope
from khru.org.grades import ORDER, between, from_label, label
from khru.org.models import AcademicYear, Agency, Classroom, School, Term, TermLock
from khru.org.roles import Perm
from khru.people.roster import read_table

# The 8 learning areas (กลุ่มสาระการเรียนรู้) by the letter that begins their course codes.
LEARNING_AREAS: dict[str, tuple[str, str]] = {
    "ท": ("ภาษาไทย", "Thai Language"),
    "ค": ("คณิตศาสตร์", "Mathematics"),
    "ว": ("วิทยาศาสตร์และเทคโนโลยี", "Science and Technology"),
    "ส": ("สังคมศึกษา ศาสนา และวัฒนธรรม", "Social Studies, Religion and Culture"),
    "พ": ("สุขศึกษาและพลศึกษา", "Health and Physical Education"),
    "ศ": ("ศิลปะ", "Arts"),
    "ง": ("การงานอาชีพ", "Occupations"),
    "อ": ("ภาษาต่างประเทศ", "Foreign Languages"),
}
ACTIVITY_AREA = "ก"  # learner-development activities (กิจกรรมพัฒนาผู้เรียน): no learning area
TEMPLATE_GRADES = between("P1", "M6")
KIND_WORDS = {
    "core": Course.Kind.CORE,
    "พื้นฐาน": Course.Kind.CORE,
    "additional": Course.Kind.ADDITIONAL,
    "เพิ่มเติม": Course.Kind.ADDITIONAL,
    "activity": Course.Kind.ACTIVITY,
    "กิจกรรม": Course.Kind.ACTIVITY,
}
KIND_DIGIT: dict[str, str] = {Course.Kind.CORE: "1", Course.Kind.ADDITIONAL: "2", Course.Kind.ACTIVITY: "9"}
COLUMNS = ("grades", "kind", "area", "number", "name_th", "name_en", "hours_per_year", "credits_per_term")
COLUMNS_TH = {
    "grades": "ชั้น",
    "kind": "ประเภท",
    "area": "กลุ่มสาระ",
    "number": "ลำดับ",
    "name_th": "ชื่อวิชา",
    "name_en": "ชื่อภาษาอังกฤษ",
    "hours_per_year": "ชั่วโมงต่อปี",
    "credits_per_term": "หน่วยกิตต่อภาค",
}
MAX_NUMBER = 49  # two digits of code, odd and even terms: 01–98
SHIPPED = Path(__file__).resolve().parent / "data" / "curriculum-2551.csv"
SHIPPED_NAME = "หลักสูตรแกนกลางการศึกษาขั้นพื้นฐาน พ.ศ. 2551"


def course_code(*, area: str, grade: str, kind: str, number: int, term_number: int) -> str:
    """ท14101: the area's letter, the stage (1 primary, 2 lower, 3 upper secondary), the year in the stage,
    1 core / 2 additional / 9 activity, then two digits. A primary course runs the whole year under one
    code; a secondary one has a code a term: odd in term 1, even in term 2 (ท21101, ท21102)."""
    level = int(grade[1])
    stage, year = ("1", level) if grade[0] == "P" else (("2", level) if level <= 3 else ("3", level - 3))
    sequence = number if not counts_credits(grade) else number * 2 - 2 + term_number
    return f"{area}{stage}{year}{KIND_DIGIT[kind]}{sequence:02d}"


def term_hours(course: TemplateCourse, grade: str, terms_in_year: int) -> int:
    """The planned hours of one term's course (the base of the 80% rule)."""
    if counts_credits(grade) and course.credits_per_term > 0:
        return int(course.credits_per_term * HOURS_PER_CREDIT)
    return max(1, round(course.hours_per_year / terms_in_year))


def courses_for(
    *, classroom: Classroom, term: Term, template: list[TemplateCourse], terms_in_year: int
) -> list[Course]:
    """The unsaved courses a class studies in a term under its template: one way for the service and the demo."""
    credited = counts_credits(classroom.grade)
    return [
        Course(
            school_id=classroom.school_id,
            academic_year_id=classroom.academic_year_id,
            term=term,
            classroom=classroom,
            code=course_code(
                area=t.area, grade=classroom.grade, kind=t.kind, number=t.number, term_number=term.number
            ),
            name_th=t.name_th,
            name_en=t.name_en,
            kind=t.kind,
            credits=t.credits_per_term if credited and t.kind != Course.Kind.ACTIVITY else Decimal(0),
            hours=term_hours(t, classroom.grade, terms_in_year),
        )
        for t in template
    ]


@dataclass(frozen=True)
class TemplateRow:
    grade: str
    kind: str
    area: str
    number: int
    name_th: str
    name_en: str
    hours_per_year: int
    credits_per_term: Decimal


def _problem(row: int, column: str, th: str, en: str) -> Problem:
    return Problem(field=column, th=th, en=en, row=row, field_th=COLUMNS_TH[column])


def _grades(text: str) -> list[str] | None:
    ends = [from_label(part.strip()) for part in text.replace("–", "-").split("-")]
    if len(ends) > 2 or any(end not in TEMPLATE_GRADES for end in ends):
        return None
    low, high = ends[0], ends[-1]
    assert low is not None and high is not None
    found = between(low, high)
    return found or None


def _number(text: str, cast: type) -> Any:
    text = text.strip()
    if not text:
        return cast(0)
    try:
        return cast(text)
    except (ValueError, InvalidOperation):
        return None


def parse_template(rows: list[list[Any]]) -> list[TemplateRow]:
    """Rows of a template file (header first) → one TemplateRow per grade; every problem named by row and
    column, and nothing returned unless the whole file is right."""
    if not rows:
        raise KhruError(Problem("file", "ไฟล์ว่าง", "the file is empty", field_th="ไฟล์"))
    header = [str(cell).strip().lower() for cell in rows[0]]
    missing = [c for c in COLUMNS if c not in header and COLUMNS_TH[c] not in header]
    if missing:
        names = ", ".join(missing)
        raise KhruError(
            Problem("file", f"ไม่มีคอลัมน์ {names}", f"missing column(s) {names}", row=1, field_th="ไฟล์")
        )
    at = {c: header.index(c) if c in header else header.index(COLUMNS_TH[c]) for c in COLUMNS}
    problems: list[Problem] = []
    found: list[TemplateRow] = []
    seen: dict[tuple[str, str, str, int], int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = {c: str(raw[i]).strip() if i < len(raw) and raw[i] is not None else "" for c, i in at.items()}
        before = len(problems)
        grades = _grades(cells["grades"])
        if grades is None:
            problems.append(
                _problem(
                    number,
                    "grades",
                    "ชั้นต้องเป็น ป.1–ม.6 หรือช่วง เช่น P1-P3",
                    "a grade P1–M6, or a range such as P1-P3",
                )
            )
        kind = KIND_WORDS.get(cells["kind"].lower())
        if kind is None:
            problems.append(
                _problem(
                    number,
                    "kind",
                    "ประเภทต้องเป็น core, additional หรือ activity",
                    "kind is core, additional or activity",
                )
            )
        area = cells["area"]
        known_area = area == ACTIVITY_AREA if kind == Course.Kind.ACTIVITY else area in LEARNING_AREAS
        if kind is not None and not known_area:
            problems.append(
                _problem(
                    number,
                    "area",
                    f"กลุ่มสาระ {area!r} ไม่ถูกต้อง (กิจกรรมใช้ {ACTIVITY_AREA})",
                    f"unknown learning area {area!r} (activities use {ACTIVITY_AREA})",
                )
            )
        sequence = _number(cells["number"], int)
        if sequence is None or not 1 <= sequence <= MAX_NUMBER:
            problems.append(
                _problem(number, "number", f"ลำดับต้องเป็น 1–{MAX_NUMBER}", f"a number 1–{MAX_NUMBER}")
            )
        if not cells["name_th"] or len(cells["name_th"]) > 120:
            problems.append(
                _problem(number, "name_th", "ต้องมีชื่อวิชา ไม่เกิน 120 ตัวอักษร", "a name of 1–120 characters")
            )
        hours = _number(cells["hours_per_year"], int)
        credits = _number(cells["credits_per_term"], Decimal)
        if hours is None or hours < 0:
            problems.append(
                _problem(
                    number, "hours_per_year", "ชั่วโมงต่อปีต้องเป็นจำนวนเต็ม", "hours a year are a whole number"
                )
            )
        if credits is None or credits < 0 or credits % Decimal("0.5"):
            problems.append(
                _problem(number, "credits_per_term", "หน่วยกิตต้องเป็นทวีคูณของ 0.5", "credits in steps of 0.5")
            )
        if len(problems) > before or grades is None or kind is None:
            continue
        for grade in grades:
            problem = _unit_problem(grade, kind, hours, credits)
            if problem:
                problems.append(_problem(number, *problem))
                break
            key = (grade, kind, area, sequence)
            if key in seen:
                problems.append(
                    _problem(
                        number, "number", f"ซ้ำกับแถว {seen[key]} ({label(grade)})", f"repeats row {seen[key]}"
                    )
                )
                break
            seen[key] = number
            found.append(
                TemplateRow(grade, kind, area, sequence, cells["name_th"], cells["name_en"], hours, credits)
            )
    if problems:
        raise KhruError(*problems)
    return found


def _unit_problem(grade: str, kind: str, hours: int, credits: Decimal) -> tuple[str, str, str] | None:
    """Primary and activities count hours a year; secondary courses credits a term (DOMAIN.md)."""
    if kind == Course.Kind.ACTIVITY or not counts_credits(grade):
        if credits:
            return (
                "credits_per_term",
                f"{label(grade)} และกิจกรรมนับเป็นชั่วโมง ไม่มีหน่วยกิต",
                "primary courses and activities count hours, not credits",
            )
        if not hours:
            return ("hours_per_year", "ต้องระบุชั่วโมงต่อปี", "hours a year are needed")
        return None
    if not credits:
        return (
            "credits_per_term",
            f"รายวิชา {label(grade)} ต้องมีหน่วยกิตต่อภาค",
            "a secondary course needs credits a term",
        )
    if hours:
        return (
            "hours_per_year",
            "มัธยมคิดชั่วโมงจากหน่วยกิต (1 หน่วยกิต = 40 ชั่วโมง) เว้นช่องนี้ว่าง",
            "secondary hours come from the credits (40 hours a credit): leave it blank",
        )
    return None


def shipped_rows() -> list[TemplateRow]:
    """The template Khru ships (the core curriculum's time structure), parsed as any uploaded file is."""
    return parse_template(read_table(SHIPPED.read_bytes()))


@transaction.atomic
def load_template(*, actor: Any, agency: Agency, rows: list[TemplateRow], name: str = SHIPPED_NAME) -> int:
    """Replace the agency's templates of the grades the rows name (others stay); returns courses loaded.
    Courses already set up from an earlier template are copies and do not change."""
    if not scope.agency_in_reach(actor, Perm.MANAGE_CURRICULUM, agency):
        raise NotAllowed()
    grades = sorted({row.grade for row in rows})
    CurriculumTemplate.objects.filter(agency=agency, grade__in=grades).delete()
    templates = {
        t.grade: t
        for t in CurriculumTemplate.objects.bulk_create(
            [CurriculumTemplate(agency=agency, grade=g, name=name, recorded_by=_user(actor)) for g in grades]
        )
    }
    TemplateCourse.objects.bulk_create(
        [
            TemplateCourse(
                template=templates[row.grade],
                kind=row.kind,
                area=row.area,
                number=row.number,
                name_th=row.name_th,
                name_en=row.name_en,
                hours_per_year=row.hours_per_year,
                credits_per_term=row.credits_per_term,
            )  # fmt: skip
            for row in rows
        ]
    )
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=agency,
        summary=f"curriculum {name}: {len(rows)} courses for {', '.join(grades)}",
    )
    return len(rows)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@dataclass(frozen=True)
class SetUp:
    """What setting up a year did: courses made, courses kept (a class already had that code that term),
    and the grades that have classes but no template."""

    created: int
    kept: int
    without_template: list[str]


@transaction.atomic
def set_up_courses(*, actor: Any, school: School, academic_year: AcademicYear) -> SetUp:
    """Every class of the school in the year gets its template's courses in every term not yet closed, in one
    action; a course the class already has (same code and term) is kept as it is, so running it again, or
    after adjusting, changes nothing already there."""
    scope.require(actor, Perm.MANAGE_CLASSES, school)
    if academic_year.agency_id != school.area.agency_id:
        raise problem("year", "ปีการศึกษาไม่ใช่ของสังกัดโรงเรียนนี้", "not the school's year", field_th="ปีการศึกษา")
    terms = list(academic_year.terms.order_by("number"))
    if not terms:
        raise problem("year", "ปีการศึกษานี้ยังไม่มีภาคเรียน", "the year has no terms", field_th="ปีการศึกษา")
    closed = set(TermLock.objects.filter(school=school, term__in=terms).values_list("term_id", flat=True))
    templates = {
        t.grade: list(t.courses.all())
        for t in CurriculumTemplate.objects.filter(agency_id=school.area.agency_id).prefetch_related(
            "courses"
        )
    }
    existing = set(
        Course.objects.filter(school=school, academic_year=academic_year).values_list(
            "classroom_id", "term_id", "code"
        )
    )
    new: list[Course] = []
    kept = 0
    without: set[str] = set()
    for classroom in Classroom.objects.filter(school=school, academic_year=academic_year):
        template = templates.get(classroom.grade)
        if template is None:
            without.add(classroom.grade)
            continue
        for term in terms:
            if term.pk in closed:
                continue
            for course in courses_for(
                classroom=classroom, term=term, template=template, terms_in_year=len(terms)
            ):
                if (classroom.pk, term.pk, course.code) in existing:
                    kept += 1
                    continue
                course.recorded_by = _user(actor)
                new.append(course)
    Course.objects.bulk_create(new)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=school,
        school_id=school.pk,
        summary=f"{len(new)} courses set up from the curriculum for {academic_year}",
    )
    return SetUp(created=len(new), kept=kept, without_template=sorted(without, key=ORDER.index))


@dataclass(frozen=True)
class GradeTemplate:
    """One grade's template as pages show it: its courses with their codes (term 1) and units."""

    grade: str
    template: CurriculumTemplate
    rows: list[tuple[TemplateCourse, str, str]]  # course, code, units as the page shows them


def templates_of(*, agency: Agency) -> list[GradeTemplate]:
    """An agency's templates in grade order (public reference: anyone may read them)."""
    found = []
    for template in CurriculumTemplate.objects.filter(agency=agency).prefetch_related("courses"):
        credited = counts_credits(template.grade)
        rows = [
            (
                t,
                course_code(area=t.area, grade=template.grade, kind=t.kind, number=t.number, term_number=1),
                f"{t.credits_per_term} นก./ภาค"
                if credited and t.kind != Course.Kind.ACTIVITY
                else f"{t.hours_per_year} ชม./ปี",
            )
            for t in template.courses.all()
        ]
        found.append(GradeTemplate(template.grade, template, rows))
    return sorted(found, key=lambda g: ORDER.index(g.grade))
