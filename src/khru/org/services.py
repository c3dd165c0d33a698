"""Writes to organisation data: classrooms, teacher assignments, the school calendar. Each validates, writes
and audits."""

import datetime as dt
from typing import Any

from django.db import transaction

from khru.core import audit
from khru.core.errors import NotAllowed, problem
from khru.org import calendar, grades, scope
from khru.org.models import AcademicYear, Agency, CalendarDay, Classroom, Membership, School, Term, User
from khru.org.roles import Perm, Role


@transaction.atomic
def create_classroom(*, actor: Any, school: School, year: AcademicYear, grade: str, room: int) -> Classroom:
    scope.require(actor, Perm.MANAGE_CLASSES, school)
    if grade not in grades.between(school.lowest_grade, school.highest_grade):
        raise problem("grade", "โรงเรียนไม่ได้เปิดสอนชั้นนี้", "the school does not teach this grade", field_th="ชั้น")
    if room < 1:
        raise problem("room", "เลขห้องต้องมากกว่า 0", "room number must be at least 1", field_th="ห้อง")
    if Classroom.objects.filter(school=school, academic_year=year, grade=grade, room=room).exists():
        raise problem("room", "มีห้องนี้อยู่แล้ว", "this class already exists", field_th="ห้อง")
    classroom = Classroom.objects.create(school=school, academic_year=year, grade=grade, room=room)
    audit.record(
        actor=actor, action=audit.Action.CREATE, obj=classroom, school_id=school.pk, summary=str(classroom)
    )
    return classroom


@transaction.atomic
def assign_teacher(*, actor: Any, classroom: Classroom, teacher: User, role: Role) -> Membership:
    """Make a staff member the homeroom or a subject teacher of a class."""
    scope.require(actor, Perm.MANAGE_CLASSES, classroom.school)
    if role not in (Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER):
        raise problem("role", "บทบาทต้องเป็นครูประจำชั้นหรือครูประจำวิชา", "role must be homeroom or subject teacher")
    works_here = Membership.objects.filter(user=teacher, school=classroom.school).exists()
    if not works_here:
        raise problem(
            "teacher", "ครูคนนี้ไม่ได้สังกัดโรงเรียนนี้", "this teacher is not on the school's staff", field_th="ครู"
        )
    membership, created = Membership.objects.get_or_create(user=teacher, role=role, classroom=classroom)
    if created:
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            obj=membership,
            school_id=classroom.school_id,
            summary=f"{teacher.username} {role.label} {classroom}",
        )
    scope.forget(teacher)
    return membership


@transaction.atomic
def remove_teacher(*, actor: Any, membership: Membership) -> None:
    classroom = membership.classroom
    if classroom is None:
        raise problem("membership", "ไม่ใช่การมอบหมายครูประจำห้อง", "not a classroom assignment")
    scope.require(actor, Perm.MANAGE_CLASSES, classroom.school)
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        obj=membership,
        school_id=classroom.school_id,
        summary=f"{membership.user.username} {membership.get_role_display()} {classroom}",
    )
    membership.delete()


def _require_calendar(actor: Any, *, school: School | None, agency: Agency | None) -> None:
    if school is not None:
        scope.require(actor, Perm.MANAGE_CALENDAR, school)
    elif agency is None or not scope.agency_in_reach(actor, Perm.MANAGE_CALENDAR, agency):
        raise NotAllowed()


@transaction.atomic
def set_calendar_day(
    *,
    actor: Any,
    date: dt.date,
    kind: str,
    name_th: str,
    name_en: str = "",
    school: School | None = None,
    agency: Agency | None = None,
) -> CalendarDay:
    """Add or change one day of a school's (or, without a school, its agency's) calendar. A school's row
    overrides its agency's for that date: a closure on top of the calendar, or a make-up day."""
    _require_calendar(actor, school=school, agency=agency)
    if kind not in CalendarDay.Kind.values:
        raise problem("kind", "ไม่รู้จักประเภทวันนี้", f"unknown kind of day '{kind}'", field_th="ประเภท")
    name_th, name_en = name_th.strip(), name_en.strip()
    if not name_th:
        raise problem("name_th", "ต้องระบุชื่อวัน", "give the day a name", field_th="ชื่อวัน")
    if len(name_th) > 400 or len(name_en) > 400:
        raise problem("name_th", "ชื่อวันยาวเกิน 400 ตัวอักษร", "the name is longer than 400 characters")
    unit = {"school": school} if school is not None else {"agency": agency}
    row = CalendarDay.objects.select_for_update().filter(date=date, **unit).first()
    values = {"kind": kind, "name_th": name_th, "name_en": name_en}
    if row is None:
        row = CalendarDay.objects.create(date=date, recorded_by=actor, **unit, **values)
        action, changes = audit.Action.CREATE, {key: [None, value] for key, value in values.items()}
    else:
        changes = audit.diff(row, values)
        if not changes:
            return row
        for key, value in values.items():
            setattr(row, key, value)
        row.source, row.recorded_by = "", actor  # an edited row is the editor's, not the package's
        row.save()
        action = audit.Action.UPDATE
    audit.record(
        actor=actor,
        action=action,
        obj=row,
        school_id=school.pk if school else None,
        summary=f"calendar {row}",
        changes=changes,
    )
    return row


@transaction.atomic
def remove_calendar_day(*, actor: Any, day: CalendarDay) -> None:
    _require_calendar(actor, school=day.school, agency=day.agency)
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        obj=day,
        school_id=day.school_id,
        summary=f"calendar {day} ({day.get_kind_display()})",
        changes={"date": day.date.isoformat(), "kind": day.kind, "name_th": day.name_th},
    )
    day.delete()


@transaction.atomic
def load_public_holidays(*, actor: Any, year: AcademicYear) -> int:
    """Thailand's public holidays of an academic year as the agency's calendar rows. Dates the agency has
    already (loaded or typed, perhaps edited) are kept as they are; returns how many were added."""
    agency = year.agency
    _require_calendar(actor, school=None, agency=agency)
    actor_row = actor if getattr(actor, "pk", None) else None
    added = CalendarDay.objects.bulk_create(calendar.holiday_rows(year, recorded_by=actor_row))
    if added:
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            obj=year,
            summary=f"calendar {agency.code} {year.year_be}: {len(added)} public holidays ({added[0].source})",
            changes={"dates": [row.date.isoformat() for row in added]},
        )
    return len(added)


@transaction.atomic
def open_next_year(*, actor: Any, school: School, year: AcademicYear) -> AcademicYear:
    """The agency's next academic year and its terms, when a school comes to promote and the agency has not
    set it up yet: this year's calendar a year later, with Thailand's public holidays. An existing next year
    is returned as it is."""
    scope.require(actor, Perm.MANAGE_ENROLMENT, school)
    if year.agency_id != school.area.agency_id:
        raise problem(
            "year", "ปีการศึกษานี้ไม่ใช่ของต้นสังกัดโรงเรียน", "this academic year is not the school's agency's"
        )
    (starts_on, ends_on), terms = calendar.next_year_dates(year)
    following, created = AcademicYear.objects.select_for_update().get_or_create(
        agency_id=year.agency_id,
        year_be=year.year_be + 1,
        defaults={"starts_on": starts_on, "ends_on": ends_on},
    )
    if not created:
        return following
    Term.objects.bulk_create(
        [Term(academic_year=following, number=n, starts_on=start, ends_on=end) for n, start, end in terms]
    )
    CalendarDay.objects.bulk_create(calendar.holiday_rows(following))
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=following,
        school_id=school.pk,
        summary=f"academic year {following.year_be} ({year.agency.code}) opened for promotion from {year.year_be}",
        changes={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "terms": len(terms)},
    )
    return following
