"""Every write about people and enrolment: validate, write, audit, in one transaction."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from khru.core import audit
from khru.core.errors import KhruError, NotAllowed, problem
from khru.core.identity import normalise_identifier
from khru.org import grades, scope
from khru.org.models import AcademicYear, Classroom, Membership, School
from khru.org.roles import Perm
from khru.org.selectors import current_year
from khru.people import selectors
from khru.people.models import (
    DEFAULT_REPEAT_FROM_FAILURES,
    DropoutReason,
    EndReason,
    Enrolment,
    Person,
    PersonLookup,
    PromotionRule,
    Stage,
)
from khru.people.validation import CENSUS_CHOICES, PersonData, check_census, check_person

EXIT_REASONS = {EndReason.GRADUATED, EndReason.DROPPED_OUT, EndReason.DECEASED, EndReason.UNKNOWN}


@transaction.atomic
def save_person(
    *, actor: Any, data: PersonData, person: Person | None = None, require_id: bool = True
) -> Person:
    """Create a person, or correct one; a correction keeps the old values in the audit trail."""
    problems = check_person(data, require_id=require_id)
    if problems:
        raise KhruError(*problems)
    values = data.model_values()
    if person is None:
        existing = (
            Person.objects.filter(citizen_id=values["citizen_id"]).first() if values["citizen_id"] else None
        )
        if existing is not None:
            raise problem(
                "citizen_id",
                "มีบุคคลที่ใช้เลขนี้อยู่แล้ว",
                "a person with this ID exists",
                field_th="เลขประจำตัวประชาชน",
            )
        person = Person.objects.create(**values)
        audit.record(actor=actor, action=audit.Action.CREATE, obj=person, summary=person.full_name)
        return person
    if not scope.can(actor, Perm.MANAGE_ENROLMENT, person) and not scope.is_system_admin(actor):
        raise NotAllowed()
    changes = audit.diff(person, values)
    if changes:
        for name, value in values.items():
            setattr(person, name, value)
        person.save()
        audit.record(
            actor=actor, action=audit.Action.UPDATE, obj=person, summary=person.full_name, changes=changes
        )
    return person


@transaction.atomic
def save_census_facts(*, actor: Any, person: Person, values: dict[str, str]) -> Person:
    """The registrar's DMC facts of one student (blank = none); a correction keeps the old value in the audit."""
    scope.require(actor, Perm.MANAGE_ENROLMENT, person)
    facts = {name: (values.get(name) or "").strip() for name in CENSUS_CHOICES}
    data = PersonData("", "", "", "", "")
    for name, value in facts.items():
        setattr(data, name, value)
    problems = check_census(data)
    if problems:
        raise KhruError(*problems)
    changes = audit.diff(person, facts)
    if changes:
        for name, value in facts.items():
            setattr(person, name, value)
        person.save(update_fields=[*facts, "updated_at"])
        audit.record(
            actor=actor, action=audit.Action.UPDATE, obj=person, summary=person.full_name, changes=changes
        )
    return person


def _classroom_for(*, school: School, year: AcademicYear, grade: str, room: int | None) -> Classroom | None:
    if room is None:
        return None
    classroom, _ = Classroom.objects.get_or_create(school=school, academic_year=year, grade=grade, room=room)
    return classroom


def _check_grade(school: School, grade: str) -> None:
    if grade not in grades.between(school.lowest_grade, school.highest_grade):
        raise problem("grade", "โรงเรียนไม่ได้เปิดสอนชั้นนี้", "the school does not teach this grade", field_th="ชั้น")


@transaction.atomic
def enrol_student(
    *,
    actor: Any,
    person: Person,
    school: School,
    grade: str,
    starts_on: dt.date,
    room: int | None = None,
    student_number: str = "",
    year: AcademicYear | None = None,
) -> Enrolment:
    scope.require(actor, Perm.MANAGE_ENROLMENT, school)
    _check_grade(school, grade)
    if not person.citizen_id:
        raise problem("citizen_id", "นักเรียนต้องมีเลขประจำตัวหรือรหัส G", "a student needs a citizen ID or G code")
    open_enrolment = (
        Enrolment.objects.filter(person=person, ends_on__isnull=True).select_related("school").first()
    )
    if open_enrolment is not None:
        raise problem(
            "person",
            f"นักเรียนยังมีสถานะอยู่ที่ {open_enrolment.school.name_th}: ใช้การรับย้ายแทน",
            f"the student is still enrolled at {open_enrolment.school.code}: use a transfer instead",
            field_th="นักเรียน",
        )
    year = year or current_year(school=school, on=starts_on)
    if year is None or not (year.starts_on <= starts_on <= year.ends_on):
        raise problem(
            "starts_on", "วันที่ไม่อยู่ในปีการศึกษา", "the date is outside the academic year", field_th="วันที่"
        )
    enrolment = Enrolment.objects.create(
        person=person,
        school=school,
        academic_year=year,
        grade=grade,
        classroom=_classroom_for(school=school, year=year, grade=grade, room=room),
        student_number=student_number,
        starts_on=starts_on,
        recorded_by=actor,
    )
    audit.record(
        actor=actor, action=audit.Action.CREATE, obj=enrolment, school_id=school.pk, summary=str(enrolment)
    )
    return enrolment


@transaction.atomic
def move_student(*, actor: Any, enrolment: Enrolment, room: int) -> Enrolment:
    """Move a student to another room of the same grade and year (a correction: the audit keeps the old room)."""
    scope.require(actor, Perm.MANAGE_ENROLMENT, enrolment.school)
    if not enrolment.is_open:
        raise problem("enrolment", "การลงทะเบียนนี้ปิดแล้ว", "this enrolment is closed")
    classroom = _classroom_for(
        school=enrolment.school, year=enrolment.academic_year, grade=enrolment.grade, room=room
    )
    changes = audit.diff(enrolment, {"classroom": classroom})
    if changes:
        enrolment.classroom = classroom
        enrolment.save(update_fields=["classroom"])
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=enrolment,
            school_id=enrolment.school_id,
            summary=f"{enrolment.person} → {classroom}",
            changes=changes,
        )
    return enrolment


@transaction.atomic
def exit_student(
    *,
    actor: Any,
    enrolment: Enrolment,
    reason: str,
    on: dt.date,
    dropout_reason: str = "",
    note: str = "",
) -> Enrolment:
    """A student leaves: graduated, dropped out (with why), deceased or unknown. The row stays as data."""
    scope.require(actor, Perm.MANAGE_ENROLMENT, enrolment.school)
    if not enrolment.is_open:
        raise problem("enrolment", "การลงทะเบียนนี้ปิดแล้ว", "this enrolment is already closed")
    if reason not in EXIT_REASONS:
        raise problem("reason", "เหตุผลการออกไม่ถูกต้อง", "unknown exit reason", field_th="สาเหตุ")
    if reason == EndReason.DROPPED_OUT and dropout_reason not in DropoutReason.values:
        raise problem(
            "dropout_reason",
            "ต้องระบุสาเหตุการออกกลางคัน",
            "a dropout needs its reason",
            field_th="สาเหตุการออกกลางคัน",
        )
    if on < enrolment.starts_on:
        raise problem(
            "ends_on", "วันที่ออกอยู่ก่อนวันเข้าเรียน", "the exit date is before the start", field_th="วันที่ออก"
        )
    enrolment.ends_on = on
    enrolment.end_reason = reason
    enrolment.dropout_reason = dropout_reason if reason == EndReason.DROPPED_OUT else ""
    enrolment.end_note = note
    enrolment.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=enrolment,
        school_id=enrolment.school_id,
        summary=f"{enrolment.person} ออก/exit: {reason} {dropout_reason}".strip(),
        changes={"end_reason": [None, reason], "ends_on": [None, str(on)]},
    )
    return enrolment


@transaction.atomic
def transfer_student(
    *,
    actor: Any,
    person: Person,
    to_school: School,
    grade: str,
    on: dt.date,
    room: int | None = None,
    student_number: str = "",
) -> Enrolment:
    """The receiving school takes a student in (any agency): the old enrolment closes as a transfer."""
    scope.require(actor, Perm.MANAGE_ENROLMENT, to_school)
    current = Enrolment.objects.select_for_update().filter(person=person, ends_on__isnull=True).first()
    if current is not None:
        if current.school_id == to_school.pk:
            raise problem("to_school", "นักเรียนอยู่ที่โรงเรียนนี้แล้ว", "the student is already at this school")
        current.ends_on = max(on - dt.timedelta(days=1), current.starts_on)
        current.end_reason = EndReason.TRANSFERRED
        current.to_school = to_school
        current.save()
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=current,
            school_id=current.school_id,
            summary=f"{person} ย้ายไป/transferred to {to_school.code}",
        )
    return enrol_student(
        actor=actor,
        person=person,
        school=to_school,
        grade=grade,
        starts_on=on,
        room=room,
        student_number=student_number,
    )


@dataclass
class PromotionResult:
    promoted: int = 0
    repeated: int = 0
    graduated: int = 0


@transaction.atomic
def promote_school(
    *,
    actor: Any,
    school: School,
    from_year: AcademicYear,
    to_year: AcademicYear,
    repeaters: Collection[int] = (),
) -> PromotionResult:
    """Year-end for a whole school in one action: each open enrolment of from_year closes as promoted,
    repeated (person ids in `repeaters`, decided by the school) or graduated (the school's highest grade),
    and the next year's enrolment opens in the same room number of the next grade.
    """
    scope.require(actor, Perm.MANAGE_ENROLMENT, school)
    if to_year.agency_id != from_year.agency_id or to_year.year_be != from_year.year_be + 1:
        raise problem("to_year", "ต้องเลื่อนไปปีการศึกษาถัดไป", "promotion goes to the next academic year")
    closing = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(school=school, academic_year=from_year, ends_on__isnull=True)
        .select_related("classroom")
    )
    result = PromotionResult()
    rooms: dict[tuple[str, int], Classroom] = {
        (c.grade, c.room): c for c in Classroom.objects.filter(school=school, academic_year=to_year)
    }
    # The next year has this year's rooms: promoted children fill them, the new intake the lowest grade.
    same_rooms = Classroom.objects.filter(school=school, academic_year=from_year).values_list("grade", "room")
    for made in Classroom.objects.bulk_create(
        [
            Classroom(school=school, academic_year=to_year, grade=grade, room=room)
            for grade, room in same_rooms
            if (grade, room) not in rooms
        ]
    ):
        rooms[(made.grade, made.room)] = made
    opened = []
    for enrolment in closing:
        next_grade = grades.next_grade(enrolment.grade)
        if enrolment.person_id in repeaters:
            enrolment.end_reason, grade = EndReason.REPEATED, enrolment.grade
            result.repeated += 1
        elif enrolment.grade == school.highest_grade or next_grade is None:
            enrolment.end_reason, grade = EndReason.GRADUATED, ""
            result.graduated += 1
        else:
            enrolment.end_reason, grade = EndReason.PROMOTED, next_grade
            result.promoted += 1
        enrolment.ends_on = from_year.ends_on
        if not grade:
            continue
        classroom = None
        if enrolment.classroom_id is not None:
            room = enrolment.classroom.room if enrolment.classroom else 1
            if (grade, room) not in rooms:
                rooms[(grade, room)] = Classroom.objects.create(
                    school=school, academic_year=to_year, grade=grade, room=room
                )
            classroom = rooms[(grade, room)]
        opened.append(
            Enrolment(
                person_id=enrolment.person_id,
                school=school,
                academic_year=to_year,
                grade=grade,
                classroom=classroom,
                student_number=enrolment.student_number,
                starts_on=to_year.starts_on,
                recorded_by=actor,
            )
        )
    Enrolment.objects.bulk_update(closing, ["ends_on", "end_reason"], batch_size=500)
    created = Enrolment.objects.bulk_create(opened, batch_size=500)
    summary = f"promotion {from_year.year_be}→{to_year.year_be}"
    # The year's class teachers keep read-only reach to that year's facts, nothing after it (org.scope).
    teaching = list(
        Membership.objects.filter(classroom__school=school, classroom__academic_year=from_year).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=from_year.ends_on)
        )
    )
    for membership in teaching:
        membership.ends_on = from_year.ends_on
    Membership.objects.bulk_update(teaching, ["ends_on"], batch_size=500)
    audit.record_many(
        actor=actor, action=audit.Action.UPDATE, objects=teaching, school_id=school.pk, summary=summary
    )
    audit.record_many(
        actor=actor, action=audit.Action.UPDATE, objects=closing, school_id=school.pk, summary=summary
    )
    audit.record_many(
        actor=actor, action=audit.Action.CREATE, objects=created, school_id=school.pk, summary=summary
    )
    return result


LOOKUP_HOURS = 1
LOOKUP_PURPOSE_MIN = 10


@transaction.atomic
def look_up_person(*, actor: Any, identifier: str, purpose: str) -> PersonLookup:
    """An office names one child (citizen ID or G code) for a purpose it types: for an hour the office may
    read that child's identity, enrolments and results. Only children enrolled, now or before, at a school
    in the office's reach are found; the answer does not tell whether the ID exists elsewhere. Audited."""
    if not scope.holds(actor, Perm.LOOKUP_PERSONS):
        raise NotAllowed()
    purpose = " ".join(purpose.split())
    if len(purpose) < LOOKUP_PURPOSE_MIN:
        raise problem(
            "purpose",
            f"ระบุวัตถุประสงค์ของการค้นอย่างน้อย {LOOKUP_PURPOSE_MIN} ตัวอักษร",
            f"state the purpose of the look-up in at least {LOOKUP_PURPOSE_MIN} characters",
            field_th="วัตถุประสงค์",
        )
    at_schools = Enrolment.objects.filter(
        scope.school_filter(actor, Perm.LOOKUP_PERSONS, "school__"),
        person__citizen_id=normalise_identifier(identifier),
    ).order_by("-starts_on", "-pk")
    enrolment = at_schools.select_related("person").first()
    if enrolment is None:
        raise problem(
            "identifier",
            "ไม่พบนักเรียนเลขนี้ในสถานศึกษาที่อยู่ในความรับผิดชอบของท่าน",
            "no student with this ID at a school in your reach",
            field_th="เลขประจำตัว",
        )
    lookup = PersonLookup.objects.create(
        user=actor,
        person=enrolment.person,
        purpose=purpose[:300],
        expires_at=timezone.now() + dt.timedelta(hours=LOOKUP_HOURS),
    )
    audit.record(
        actor=actor,
        action=audit.Action.READ,
        obj=enrolment.person,
        school_id=enrolment.school_id,
        summary=f"look-up: {purpose}",
    )
    return lookup


@transaction.atomic
def apply_prefix_changes(*, actor: Any, school: School, on: dt.date) -> list[selectors.PrefixChange]:
    """Give every student listed by prefix_changes the derived prefix; each change is audited (old → new)."""
    changes = selectors.prefix_changes(actor=actor, school=school, on=on)
    for change in changes:
        change.person.prefix = change.new
        change.person.save(update_fields=["prefix"])
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=change.person,
            school_id=school.pk,
            summary=f"prefix {change.old} → {change.new}",
            changes={"prefix": [change.old, change.new]},
        )
    return changes


def set_promotion_rule(
    *, actor: Any, school: School, stage: str, repeat_from_failures: int | None
) -> PromotionRule:
    """The school's rule for one level: from how many failed courses a child is suggested to repeat the
    grade; None for a level whose students re-take the failed courses instead."""
    scope.require(actor, Perm.MANAGE_ENROLMENT, school)
    if stage not in Stage.values:
        raise problem("stage", "ไม่รู้จักระดับชั้นนี้", f"unknown level '{stage}'", field_th="ระดับ")
    if repeat_from_failures is not None and not 1 <= repeat_from_failures <= 20:
        raise problem(
            "repeat_from_failures",
            "จำนวนรายวิชาต้องอยู่ระหว่าง 1 ถึง 20 หรือเว้นว่าง (เรียนซ้ำรายวิชา)",
            "the number of courses must be 1 to 20, or empty (re-take the courses)",
            field_th="จำนวนรายวิชาที่ไม่ผ่าน",
        )
    rule = PromotionRule.objects.select_for_update().filter(school=school, stage=stage).first()
    before = rule.repeat_from_failures if rule else DEFAULT_REPEAT_FROM_FAILURES[stage]
    if rule is None:
        rule = PromotionRule(school=school, stage=stage)
    elif before == repeat_from_failures:
        return rule
    rule.repeat_from_failures, rule.recorded_by = repeat_from_failures, actor
    rule.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=rule,
        school_id=school.pk,
        summary=f"promotion rule {rule}",
        changes={"repeat_from_failures": [before, repeat_from_failures]},
    )
    return rule
