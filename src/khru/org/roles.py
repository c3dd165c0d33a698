"""Roles and permissions: named sets, never strings scattered around the code."""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    TEACHER = "teacher", "ครู"
    HOMEROOM_TEACHER = "homeroom", "ครูประจำชั้น"
    SUBJECT_TEACHER = "subject", "ครูประจำวิชา"
    SCHOOL_ADMIN = "school_admin", "เจ้าหน้าที่ทะเบียน/ธุรการ"
    PRINCIPAL = "principal", "ผู้อำนวยการสถานศึกษา"
    CARE_TEAM = "care_team", "ทีมดูแลช่วยเหลือนักเรียน"
    AREA_OFFICER = "area_officer", "เจ้าหน้าที่เขตพื้นที่/เทศบาล"
    AGENCY_ANALYST = "agency_analyst", "นักวิเคราะห์ส่วนกลาง"
    COUNCIL_OFFICER = "council_officer", "เจ้าหน้าที่คุรุสภา"
    SYSTEM_ADMIN = "system_admin", "ผู้ดูแลระบบ"


class Perm(StrEnum):
    VIEW_SCHOOL = "view_school"  # the school, its classes and years
    VIEW_STUDENTS = "view_students"  # students' identity and enrolment
    VIEW_SENSITIVE = "view_sensitive"  # address, guardians, later health and welfare
    VIEW_STAFF = "view_staff"
    MANAGE_ENROLMENT = "manage_enrolment"  # enrol, move, exit, transfer, promote, import
    MANAGE_CLASSES = "manage_classes"  # classrooms and teacher assignments
    MANAGE_CALENDAR = "manage_calendar"  # holidays, closures and make-up days (a school's, or its agency's)
    MANAGE_CURRICULUM = "manage_curriculum"  # an agency's curriculum templates (its schools set up from them)
    VIEW_AUDIT = "view_audit"
    VIEW_AGGREGATES = "view_aggregates"
    TAKE_ATTENDANCE = "take_attendance"  # registers and leave requests
    ENTER_SCORES = "enter_scores"  # courses, scores, ratings
    LOCK_TERM = "lock_term"  # close a term's marks
    OVERRIDE_LOCK = "override_lock"  # change marks after the term is closed (audited)
    MANAGE_STAFF_RECORDS = "manage_staff_records"  # appointments, standing, PA scores of a school's staff
    MANAGE_LICENCES = "manage_licences"  # Teachers Council: review renewals, issue licences and permits
    IMPORT_TRAINING = "import_training"  # training providers' courses and completions (system admin)
    SET_GOALS = "set_goals"  # an area office's yearly targets for its schools
    LOOKUP_PERSONS = "lookup_persons"  # an office names one child, with a stated purpose, audited
    # Early-warning scores and reasons: the child's current teachers, the care team and the principal, not the
    # registrar's office (not a read: a class taught last year gives none).
    VIEW_RISK = "view_risk"


# Permissions that only read. Reach that outlives its reason (a child who left, a class taught last year)
# answers these and nothing else.
READS = frozenset(
    {
        Perm.VIEW_SCHOOL,
        Perm.VIEW_STUDENTS,
        Perm.VIEW_SENSITIVE,
        Perm.VIEW_STAFF,
        Perm.VIEW_AUDIT,
        Perm.VIEW_AGGREGATES,
    }
)


_TEACHING = {Perm.VIEW_SCHOOL, Perm.VIEW_STUDENTS, Perm.TAKE_ATTENDANCE, Perm.ENTER_SCORES, Perm.VIEW_RISK}
_SCHOOL_OFFICE = {
    Perm.TAKE_ATTENDANCE,
    Perm.ENTER_SCORES,
    Perm.LOCK_TERM,
    Perm.VIEW_SCHOOL,
    Perm.VIEW_STUDENTS,
    Perm.VIEW_SENSITIVE,
    Perm.VIEW_STAFF,
    Perm.MANAGE_ENROLMENT,
    Perm.MANAGE_CLASSES,
    Perm.MANAGE_CALENDAR,
    Perm.MANAGE_STAFF_RECORDS,
}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.TEACHER: frozenset({Perm.VIEW_SCHOOL}),
    Role.SUBJECT_TEACHER: frozenset(_TEACHING),
    Role.HOMEROOM_TEACHER: frozenset(_TEACHING | {Perm.VIEW_SENSITIVE}),
    Role.SCHOOL_ADMIN: frozenset(_SCHOOL_OFFICE),
    Role.PRINCIPAL: frozenset(
        _SCHOOL_OFFICE | {Perm.VIEW_AUDIT, Perm.VIEW_AGGREGATES, Perm.OVERRIDE_LOCK, Perm.VIEW_RISK}
    ),
    Role.CARE_TEAM: frozenset({Perm.VIEW_SCHOOL, Perm.VIEW_STUDENTS, Perm.VIEW_SENSITIVE, Perm.VIEW_RISK}),
    Role.AREA_OFFICER: frozenset(
        # Offices see aggregates and their schools' audit trail; a named child only through an explicit,
        # audited look-up.
        {
            Perm.VIEW_SCHOOL,
            Perm.VIEW_STAFF,
            Perm.VIEW_AGGREGATES,
            Perm.SET_GOALS,
            Perm.LOOKUP_PERSONS,
            Perm.VIEW_AUDIT,
        }
    ),
    # The agency's central office also announces its schools' public holidays and keeps their curriculum
    # templates (no child data).
    Role.AGENCY_ANALYST: frozenset(
        {Perm.VIEW_SCHOOL, Perm.VIEW_AGGREGATES, Perm.MANAGE_CALENDAR, Perm.MANAGE_CURRICULUM}
    ),
    Role.COUNCIL_OFFICER: frozenset({Perm.MANAGE_LICENCES, Perm.VIEW_AGGREGATES}),
    Role.SYSTEM_ADMIN: frozenset(Perm),
}
