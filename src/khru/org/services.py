"""Writes to organisation data: classrooms and teacher assignments. Each validates, writes and audits."""

from typing import Any

from django.db import transaction

from khru.core import audit
from khru.core.errors import problem
from khru.org import grades, scope
from khru.org.models import AcademicYear, Classroom, Membership, School, User
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
