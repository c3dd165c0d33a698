"""Every attendance write: the page, the API and the offline queue all call record_register."""

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from khru.attendance.models import AttendanceCode, LeaveRequest, Mark, MarkChange, Register, Submission
from khru.attendance.selectors import enrolled_on, term_on
from khru.core import audit, derived
from khru.core.dates import format_be
from khru.core.errors import KhruError, NotAllowed, Problem, problem
from khru.org import calendar, scope
from khru.org.models import Classroom, School, TermLock
from khru.org.roles import Perm
from khru.people.models import Person


@dataclass(frozen=True)
class RegisterSaved:
    register: Register
    changed: int
    duplicate: bool  # the same submission key was seen before: nothing was written again


def check_not_locked(*, actor: Any, school: School, term_id: int) -> bool:
    """Raise if the term is closed and the actor may not override; True when this is an audited override."""
    if not TermLock.objects.filter(school=school, term_id=term_id).exists():
        return False
    if scope.can(actor, Perm.OVERRIDE_LOCK, school):
        return True
    raise problem(
        "term",
        "ภาคเรียนนี้ปิดแล้ว แก้ไขได้โดยผู้อำนวยการเท่านั้น",
        "this term is closed: only the principal may change it",
    )


@transaction.atomic
def record_register(
    *,
    actor: Any,
    classroom: Classroom,
    date: dt.date,
    marks: Mapping[int, str],
    period: int = 0,
    course_code: str = "",
    key: uuid.UUID | None = None,
    saved_on_device_at: dt.datetime | None = None,
) -> RegisterSaved:
    """Save a class's register for a day (and period). `marks` maps person id → code for every child who was
    not simply present (absent, sick, personal, late); anyone left out is present. A repeated `key` is a
    duplicate of an earlier save and changes nothing. Every changed mark is kept in the history.
    """
    # Permission first: a replayed key must not tell an outsider that the register exists.
    scope.require(actor, Perm.TAKE_ATTENDANCE, classroom)
    if key is not None:
        earlier = Submission.objects.filter(key=key).select_related("register").first()
        if earlier is not None:
            if earlier.register.classroom_id != classroom.pk or earlier.register.date != date:
                raise problem(
                    "key", "รหัสการส่งนี้ใช้กับทะเบียนอื่นแล้ว", "this submission key belongs to another register"
                )
            return RegisterSaved(register=earlier.register, changed=0, duplicate=True)
    if date > timezone.localdate():
        raise problem("date", "ยังไม่ถึงวันที่นี้", "this date is in the future", field_th="วันที่")
    term = term_on(classroom, date)
    if term is None:
        raise problem(
            "date",
            f"วันที่ {format_be(date)} ไม่อยู่ในภาคเรียนของปีการศึกษา {classroom.academic_year.year_be}",
            f"{date.isoformat()} is outside the terms of academic year {classroom.academic_year.year_be}",
            field_th="วันที่",
        )
    override = check_not_locked(actor=actor, school=classroom.school, term_id=term.pk)
    closed = calendar.closure(school=classroom.school, day=date)
    # A closed day has no class; the school's office may still record an activity day held on it.
    if closed is not None and not scope.can(actor, Perm.MANAGE_CALENDAR, classroom.school):
        raise problem(
            "date",
            f"วันที่ {format_be(date)} เป็นวันหยุด ({closed.name_th}) ไม่มีการเรียน: ไม่ต้องเช็กชื่อ",
            f"{date.isoformat()} is a day without school ({closed.name_en}): no register is taken",
            field_th="วันที่",
        )
    codes = {c.code: c for c in AttendanceCode.objects.all()}
    in_class = {e.person_id for e in enrolled_on(classroom, date)}
    problems = []
    for person_id, code in marks.items():
        if person_id not in in_class:
            problems.append(
                Problem(
                    "marks",
                    "นักเรียนคนนี้ไม่ได้อยู่ในห้องนี้ในวันนั้น",
                    f"student {person_id} is not in this class on that day",
                    field_th="นักเรียน",
                )
            )
        elif code not in codes:
            problems.append(
                Problem(
                    "marks",
                    f"ไม่รู้จักรหัสการมาเรียน '{code}'",
                    f"unknown attendance code '{code}'",
                    field_th="การมาเรียน",
                )
            )
    if problems:
        raise KhruError(*problems)

    register, created = Register.objects.select_for_update().get_or_create(
        classroom=classroom,
        date=date,
        period=period,
        defaults={
            "school_id": classroom.school_id,
            "academic_year_id": classroom.academic_year_id,
            "term": term,
            "course_code": course_code,
            "taken_by": actor,
        },
    )
    if not created:
        register.save(update_fields=["updated_at"])
    before = {m.person_id: m for m in Mark.objects.filter(register=register).select_related("code")}
    submission = Submission(
        key=key or uuid.uuid4(), register=register, submitted_by=actor, saved_on_device_at=saved_on_device_at
    )
    changes, created_marks, updated_marks, removed_marks = [], [], [], []
    for person_id in in_class:
        old = before.get(person_id)
        new_code = codes.get(marks.get(person_id, ""))
        if (old.code if old else None) == new_code:
            continue
        changes.append(
            MarkChange(
                register=register,
                person_id=person_id,
                old_code=old.code if old else None,
                new_code=new_code,
                submission=submission,
                changed_by=actor,
            )
        )
        if new_code is None and old is not None:
            removed_marks.append(old.pk)
        elif old is not None and new_code is not None:
            old.code = new_code
            updated_marks.append(old)
        elif new_code is not None:
            created_marks.append(Mark(register=register, person_id=person_id, code=new_code))
    submission.changed = len(changes)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        # The same save arrived twice at the same moment (a phone retrying): the other copy is applied.
        return RegisterSaved(register=register, changed=0, duplicate=True)
    Mark.objects.filter(pk__in=removed_marks).delete()
    Mark.objects.bulk_update(updated_marks, ["code"])
    Mark.objects.bulk_create(created_marks)
    MarkChange.objects.bulk_create(changes)
    if changes or created:
        derived.changed(derived.REGISTER, register)  # the class's dashboard rows; the school's after commit
        audit.record(
            actor=actor,
            action=audit.Action.CREATE if created else audit.Action.UPDATE,
            obj=register,
            school_id=classroom.school_id,
            summary=f"{classroom} {date.isoformat()} #{period}: {len(marks)} not present"
            + (" (after term lock, principal)" if override else "")
            + (f" (activity day, closed: {closed.name_en})" if closed else ""),
            changes={"changed": len(changes)},
        )
    return RegisterSaved(register=register, changed=len(changes), duplicate=False)


@transaction.atomic
def record_leave(
    *,
    actor: Any,
    person: Person,
    school: School,
    code: str,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = "",
    requested_by: str = "",
) -> LeaveRequest:
    """A guardian's leave note, entered by the teacher or the office; the register shows it on those days."""
    if not scope.can(actor, Perm.TAKE_ATTENDANCE, school) and not scope.can(
        actor, Perm.VIEW_SENSITIVE, person
    ):
        raise NotAllowed()
    leave_code = AttendanceCode.objects.filter(code=code, kind=AttendanceCode.Kind.LEAVE).first()
    if leave_code is None:
        raise problem(
            "code", "ต้องเป็นลาป่วยหรือลากิจ", "leave must be sick or personal leave", field_th="ประเภทการลา"
        )
    if ends_on < starts_on:
        raise problem("ends_on", "วันสิ้นสุดอยู่ก่อนวันเริ่ม", "the leave ends before it starts", field_th="ถึงวันที่")
    if (ends_on - starts_on).days > 180:
        raise problem(
            "ends_on", "ลาได้ครั้งละไม่เกิน 180 วัน", "a leave note covers at most 180 days", field_th="ถึงวันที่"
        )
    leave = LeaveRequest.objects.create(
        person=person,
        school=school,
        code=leave_code,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        requested_by=requested_by,
        recorded_by=actor,
    )
    audit.record(actor=actor, action=audit.Action.CREATE, obj=leave, school_id=school.pk, summary=str(leave))
    return leave
