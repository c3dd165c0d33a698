"""The matrix's world, built once per test module: four places (the own class, another class of the same
school, another school of the same agency, a school of another agency), a child who transferred out of
school 1 (and what was recorded about them afterwards) and a child who transferred in (and their earlier
facts), and one user per role."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction

from khru.exchange.services import issue_token
from khru.org.models import Agency, User
from khru.org.roles import Role
from khru.people.models import EndReason, Enrolment, Person, StaffPost
from tests import factories as f
from tests.access.rows import Place, fill

ROLES = [
    "anonymous",
    "teacher",
    "homeroom",
    "subject",
    "registrar",
    "principal",
    "area_officer",
    "analyst",
    "council",
    "api_client",
]
KINDS = ["own", "same_school", "other_school", "other_agency", "moved_out", "moved_in"]


@dataclass
class MatrixWorld:
    places: dict[str, Place]  # id kind → the place whose rows it names
    users: dict[str, User]  # role → user (no user for anonymous; the API client is the homeroom teacher)
    token: str  # the API client's bearer token
    sysadmin: User


def _staff(school: Any, user: User | None = None) -> Person:
    person = f.PersonFactory(citizen_id=None, prefix="นาย", user=user)
    StaffPost.objects.create(person=person, school=school, position="teacher", starts_on=dt.date(2020, 5, 16))
    return person


def _place(school: Any, year: Any, classroom: Any, day: dt.date, recorder: User | None = None,
           enrolment: Enrolment | None = None, staff: Person | None = None) -> Place:  # fmt: skip
    """A place whose child is enrolled in its class (or has `enrolment` there) and whose rows a teacher of
    that school recorded."""
    enrolment = enrolment or f.EnrolmentFactory(classroom=classroom)
    if recorder is None:
        recorder = f.MembershipFactory(role=Role.TEACHER, school=school).user
        f.MembershipFactory(user=recorder, role=Role.HOMEROOM_TEACHER, classroom=classroom)
    place = Place(
        school=school,
        classroom=classroom,
        year=year,
        term=year.terms.order_by("number").first(),
        child=enrolment.person,
        staff=staff or _staff(school),
        recorder=recorder,
        day=day,
    )
    place.rows.update(
        {
            "people.enrolment": enrolment,
            "people.person": enrolment.person,
            "org.membership": recorder.memberships.first(),
            "people.staffpost": place.staff.staff_posts.first(),
            "org.school": school,
            "org.classroom": classroom,
            "org.user": recorder,
        }
    )
    return fill(place)


def build() -> MatrixWorld:
    lao = Agency.objects.get(code="LAO")
    obec = Agency.objects.get(code="OBEC")
    year = f.AcademicYearFactory(agency=lao, year_be=2569)
    f.TermFactory(academic_year=year, number=1)
    obec_year = f.AcademicYearFactory(agency=obec, year_be=2569)
    f.TermFactory(academic_year=obec_year, number=1)
    school1 = f.SchoolFactory(name_th="โรงเรียนหนึ่ง")
    school3 = f.SchoolFactory(name_th="โรงเรียนสาม")  # same agency (LAO), another area
    school2 = f.SchoolFactory(name_th="โรงเรียนสอง", area=f.AreaFactory(agency=obec))
    class1 = f.ClassroomFactory(school=school1, academic_year=year, grade="P4", room=1)
    class1b = f.ClassroomFactory(school=school1, academic_year=year, grade="P4", room=2)
    class3 = f.ClassroomFactory(school=school3, academic_year=year, grade="P4", room=1)
    class2 = f.ClassroomFactory(school=school2, academic_year=obec_year, grade="P4", room=1)

    def member(role: Role, user: User | None = None, **unit: object) -> User:
        return f.MembershipFactory(role=role, **({"user": user} if user else {}), **unit).user

    teacher = member(Role.TEACHER, school=school1)
    homeroom = member(Role.HOMEROOM_TEACHER, classroom=class1)
    member(Role.TEACHER, homeroom, school=school1)
    subject = member(Role.SUBJECT_TEACHER, classroom=class1)
    member(Role.TEACHER, subject, school=school1)
    users = {
        "teacher": teacher,
        "homeroom": homeroom,
        "subject": subject,
        "registrar": member(Role.SCHOOL_ADMIN, school=school1),
        "principal": member(Role.PRINCIPAL, school=school1),
        "area_officer": member(Role.AREA_OFFICER, area=school1.area),
        "analyst": member(Role.AGENCY_ANALYST, agency=lao),
        "council": member(Role.COUNCIL_OFFICER, agency=Agency.objects.get(code="KSP")),
        "api_client": homeroom,
    }
    teacher2 = member(Role.HOMEROOM_TEACHER, classroom=class2)
    today = dt.date(2026, 6, 15)
    places = {
        "own": _place(school1, year, class1, today, homeroom, staff=_staff(school1, homeroom)),
        "same_school": _place(school1, year, class1b, today),
        "other_school": _place(school3, year, class3, today),
        "other_agency": _place(school2, obec_year, class2, today, teacher2),
    }

    # A child who left school 1 in 2567 for a school of another agency; facts recorded there in 2569.
    year67 = f.AcademicYearFactory(agency=lao, year_be=2567)
    f.TermFactory(academic_year=year67, number=1)
    class67 = f.ClassroomFactory(school=school1, academic_year=year67, grade="P2", room=1)
    out = f.PersonFactory(first_name_th="ย้ายออก")
    Enrolment.objects.create(
        person=out, school=school1, academic_year=year67, grade="P2", classroom=class67,
        starts_on=dt.date(2024, 5, 16), ends_on=dt.date(2024, 11, 1), end_reason=EndReason.TRANSFERRED,
        to_school=school2,
    )  # fmt: skip
    now = Enrolment.objects.create(
        person=out, school=school2, academic_year=obec_year, grade="P4", classroom=class2,
        starts_on=obec_year.starts_on,
    )  # fmt: skip
    places["moved_out"] = _place(school2, obec_year, class2, today, teacher2, enrolment=now)

    # A child who came to school 1's own class this year from the other agency's school: earlier facts there.
    obec67 = f.AcademicYearFactory(agency=obec, year_be=2567)
    f.TermFactory(academic_year=obec67, number=1)
    class2_67 = f.ClassroomFactory(school=school2, academic_year=obec67, grade="P2", room=5)
    came = f.PersonFactory(first_name_th="ย้ายเข้า")
    before = Enrolment.objects.create(
        person=came, school=school2, academic_year=obec67, grade="P2", classroom=class2_67,
        starts_on=dt.date(2024, 5, 16), ends_on=dt.date(2026, 5, 15), end_reason=EndReason.TRANSFERRED,
        to_school=school1,
    )  # fmt: skip
    Enrolment.objects.create(
        person=came,
        school=school1,
        academic_year=year,
        grade="P4",
        classroom=class1,
        starts_on=dt.date(2026, 5, 20),
    )
    places["moved_in"] = _place(school2, obec67, class2_67, dt.date(2024, 6, 14), teacher2, enrolment=before)
    return MatrixWorld(
        places=places, users=users, token=issue_token(actor=homeroom, name="matrix"),
        sysadmin=member(Role.SYSTEM_ADMIN),
    )  # fmt: skip


@pytest.fixture(scope="module")
def matrix(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Built once; every request runs in a savepoint that is rolled back, so no cell changes another."""
    # The matrix is a 2569 world too: on the school clock (see tests/conftest.py school_clock).
    with time_machine.travel(f.SCHOOL_DAY, tick=True), django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)
