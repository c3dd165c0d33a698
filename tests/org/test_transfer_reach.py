"""Reach that ends when its reason ends: a child who left school 1 in 2567 for a school of another agency.

Two years later, school 1's registrar, principal and the child's homeroom teacher of 2567 keep read-only
access to what school 1 recorded while the child was there, and nothing dated later; the receiving school
sees the whole record; a homeroom teacher keeps read-only reach to a past class's year.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from khru.assessment.models import Course, Result
from khru.attendance.models import AttendanceCode, Mark, Register
from khru.care.models import CareNote, Screening
from khru.health.models import Measurement
from khru.org import scope
from khru.org.models import Agency, Classroom, User
from khru.org.roles import Perm, Role
from khru.people import services as people_services
from khru.people.models import EndReason, Enrolment, Guardianship, Person
from khru.welfare.models import Household, HouseholdChild, HouseholdMember
from tests import factories as f


@dataclass
class Moved:
    child: Person
    registrar1: User
    principal1: User
    homeroom_2567: User  # homeroom teacher of the child's class at school 1 in 2567
    registrar2: User  # the receiving school's registrar
    before: dict[str, object]  # facts school 1 recorded while the child was there
    after: dict[str, object]  # facts recorded at school 2 after the move


def _year(agency: Agency, year_be: int):
    year = f.AcademicYearFactory(agency=agency, year_be=year_be)
    term = f.TermFactory(academic_year=year, number=1)
    return year, term


def _facts(school, year, term, classroom, child, day: dt.date, tag: str, recorder: User) -> dict[str, object]:
    measurement = Measurement.objects.create(
        person=child,
        school=school,
        academic_year=year,
        term=term,
        classroom=classroom,
        measured_on=day,
        weight_kg=Decimal("30.5"),
        height_cm=Decimal("130.0"),
        age_months=Decimal("110"),
    )
    course = Course.objects.create(
        school=school,
        academic_year=year,
        term=term,
        classroom=classroom,
        code=f"ท{tag}",
        name_th=f"ภาษาไทย{tag}",
        hours=40,
    )
    result = Result.objects.create(course=course, person=child, grade="3")
    register = Register.objects.create(
        school=school, academic_year=year, term=term, classroom=classroom, date=day
    )
    mark = Mark.objects.create(
        register=register, person=child, code=AttendanceCode.objects.get(code="absent")
    )
    screening = Screening.objects.create(
        person=child, school=school, academic_year=year, term=term, area="learning", status="risk"
    )
    note = CareNote.objects.create(
        person=child, school=school, academic_year=year, noted_on=day, text=f"บันทึก{tag}", recorded_by=recorder
    )
    return {
        "measurement": measurement,
        "result": result,
        "register": register,
        "mark": mark,
        "screening": screening,
        "note": note,
    }


@pytest.fixture
def moved(world) -> Moved:
    lao = world.school1.area.agency
    obec = Agency.objects.get(code="OBEC")
    year67, term67 = _year(lao, 2567)
    obec67, obec_term67 = _year(obec, 2567)
    obec69, obec_term69 = _year(obec, 2569)
    class67 = f.ClassroomFactory(school=world.school1, academic_year=year67, grade="P2", room=1)
    homeroom = f.MembershipFactory(role=Role.HOMEROOM_TEACHER, classroom=class67).user
    f.MembershipFactory(user=homeroom, role=Role.TEACHER, school=world.school1)
    child = f.PersonFactory(first_name_th="ย้ายไป", house_no="99/9 ที่อยู่ใหม่", phone="0812345678")
    Enrolment.objects.create(
        person=child,
        school=world.school1,
        academic_year=year67,
        grade="P2",
        classroom=class67,
        starts_on=dt.date(2024, 5, 16),
        ends_on=dt.date(2024, 11, 1),
        end_reason=EndReason.TRANSFERRED,
        to_school=world.school2,
    )
    before = _facts(world.school1, year67, term67, class67, child, dt.date(2024, 6, 14), "67", homeroom)
    obec_class67 = f.ClassroomFactory(school=world.school2, academic_year=obec67, grade="P2", room=2)
    Enrolment.objects.create(
        person=child,
        school=world.school2,
        academic_year=obec67,
        grade="P2",
        classroom=obec_class67,
        starts_on=dt.date(2024, 11, 5),
        ends_on=dt.date(2025, 5, 15),
        end_reason=EndReason.PROMOTED,
    )
    class69 = f.ClassroomFactory(school=world.school2, academic_year=obec69, grade="P4", room=3)
    Enrolment.objects.create(
        person=child, school=world.school2, academic_year=obec69, grade="P4", classroom=class69,
        starts_on=dt.date(2026, 5, 16),
    )  # fmt: skip
    after = _facts(
        world.school2, obec69, obec_term69, class69, child, dt.date(2026, 6, 15), "69", world.teacher2
    )
    household = Household.objects.create(
        school=world.school2,
        family_status="together",
        housing_tenure="rent",
        house_condition="good",
        farm_land="not_farming",
        water_source="tap",
        electricity_source="grid",
    )
    HouseholdMember.objects.create(
        household=household, name="นายพ่อ", relation="father", monthly_income_baht=8500
    )
    HouseholdChild.objects.create(household=household, person=child)
    guardian = f.PersonFactory(citizen_id=None, first_name_th="ผู้ปกครอง", phone="0899999999")
    Guardianship.objects.create(student=child, guardian=guardian, relation="father", is_primary=True)
    after.update(household=household)
    return Moved(
        child=child,
        registrar1=world.admin1,
        principal1=world.principal1,
        homeroom_2567=homeroom,
        registrar2=world.admin2,
        before=before,
        after=after,
    )


def _sees(actor: User, row) -> bool:
    return type(row)._default_manager.filter(scope.visible(actor, type(row)), pk=row.pk).exists()


@pytest.mark.parametrize("who", ["registrar1", "principal1", "homeroom_2567"])
def test_the_sending_school_keeps_what_it_recorded_and_nothing_later(moved, who):
    actor = getattr(moved, who)
    for name in ("measurement", "result", "register", "mark", "screening", "note"):
        assert _sees(actor, moved.before[name]), f"{who} should still read school 1's {name}"
    for name, row in moved.after.items():
        assert not _sees(actor, row), f"{who} reads the new school's {name}"
    # Identity stays readable (the school prints what it issued); present circumstances do not.
    assert scope.can(actor, Perm.VIEW_STUDENTS, moved.child)
    assert not scope.can(actor, Perm.VIEW_SENSITIVE, moved.child)
    assert not Guardianship.objects.filter(scope.visible(actor, Guardianship), student=moved.child).exists()
    # ...and nothing can be written about the child any more.
    for perm in (Perm.MANAGE_ENROLMENT, Perm.TAKE_ATTENDANCE, Perm.ENTER_SCORES):
        assert not scope.can(actor, perm, moved.child)
    assert not scope.can(actor, Perm.ENTER_SCORES, moved.before["result"])
    assert not scope.can(actor, Perm.TAKE_ATTENDANCE, moved.before["mark"])
    assert not scope.can(actor, Perm.TAKE_ATTENDANCE, moved.before["measurement"])
    later = Enrolment.objects.filter(scope.visible(actor, Enrolment), person=moved.child)
    assert set(later.values_list("school_id", flat=True)) == {moved.before["register"].school_id}


def test_the_receiving_school_sees_the_whole_record(moved):
    actor = moved.registrar2
    for name in ("measurement", "result", "register", "mark"):
        assert _sees(actor, moved.before[name]), f"the receiving school should see the earlier {name}"
    for name, row in moved.after.items():
        assert _sees(actor, row), name
    assert scope.can(actor, Perm.VIEW_SENSITIVE, moved.child)
    assert scope.can(actor, Perm.MANAGE_ENROLMENT, moved.child)
    assert Enrolment.objects.filter(scope.visible(actor, Enrolment), person=moved.child).count() == 3


def test_pages_of_the_sending_school_answer_404_or_leave_later_facts_out(moved):
    client = Client()
    client.force_login(moved.registrar1)
    uuid = moved.child.uuid
    assert client.get(f"/welfare/students/{uuid}/").status_code == 404  # household: present state
    census = client.post(f"/people/students/{uuid}/census", {"blood_group": "AB", "religion": "buddhist"})
    assert census.status_code == 404
    moved.child.refresh_from_db()
    assert moved.child.blood_group != "AB"
    record = client.get(f"/people/students/{uuid}/").content.decode()
    assert "99/9" not in record and "0812345678" not in record and "0899999999" not in record
    xray = client.get(f"/insights/students/{uuid}")
    assert xray.status_code == 200
    page = xray.content.decode()
    assert "ภาษาไทย67" in page and "ภาษาไทย69" not in page
    assert moved.after["household"].members.first().name not in page
    growth = client.get(f"/health/students/{uuid}/growth")
    assert growth.status_code == 200
    assert "14 มิ.ย. 2567" in growth.content.decode()
    assert "15 มิ.ย. 2569" not in growth.content.decode()


def test_the_receiving_school_sees_the_earlier_grades_on_the_xray(moved):
    client = Client()
    client.force_login(moved.registrar2)
    page = client.get(f"/insights/students/{moved.child.uuid}").content.decode()
    assert "ภาษาไทย67" in page and "ภาษาไทย69" in page


def test_the_sending_school_still_prints_its_transcript(moved, tmp_path):
    from khru.assessment import selectors as assessment_selectors

    results = assessment_selectors.transcript_results(actor=moved.registrar1, person_ids=[moved.child.pk])
    courses = [row["course__code"] for row in results[moved.child.pk]]
    assert courses == ["ท67"]
    everything = assessment_selectors.transcript_results(actor=moved.registrar2, person_ids=[moved.child.pk])
    assert [row["course__code"] for row in everything[moved.child.pk]] == ["ท67", "ท69"]


def test_promotion_ends_the_class_teachers_reach_to_the_year_taught(world):
    """After year-end the homeroom teacher of 2569 reads that class's facts, read-only, and nothing of the
    children's next year."""
    next_year = f.AcademicYearFactory(agency=world.school1.area.agency, year_be=2570)
    people_services.promote_school(
        actor=world.admin1, school=world.school1, from_year=world.class1.academic_year, to_year=next_year
    )
    membership = world.teacher1.memberships.get(classroom=world.class1)
    assert membership.ends_on == world.class1.academic_year.ends_on
    assert Classroom.objects.filter(school=world.school1, academic_year=next_year).exists()


def test_a_class_taught_before_is_read_only(world):
    register = Register.objects.create(
        school=world.school1,
        academic_year=world.class1.academic_year,
        term=world.class1.academic_year.terms.first(),
        classroom=world.class1,
        date=dt.date(2026, 6, 15),
    )
    assert scope.can(world.teacher1, Perm.TAKE_ATTENDANCE, world.class1)
    membership = world.teacher1.memberships.get(classroom=world.class1)
    membership.ends_on = dt.date.today() - dt.timedelta(days=1)
    membership.save()
    scope.forget(world.teacher1)
    assert _sees(world.teacher1, register)
    assert scope.can(world.teacher1, Perm.VIEW_STUDENTS, world.student1)
    assert not scope.can(world.teacher1, Perm.TAKE_ATTENDANCE, world.class1)
    assert not scope.can(world.teacher1, Perm.VIEW_SENSITIVE, world.student1)
    assert not scope.can(world.teacher1, Perm.TAKE_ATTENDANCE, register)


def test_the_api_answers_the_same_rule(moved, client):
    from khru.exchange.services import issue_token

    def get(user: User, url: str):
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {issue_token(actor=user)}")

    url = f"/api/v1/health/students/{moved.child.uuid}/measurements"
    sent = get(moved.registrar1, url)
    assert sent.status_code == 200
    assert [m["measured_on"] for m in sent.json()] == ["2024-06-14"]
    received = get(moved.registrar2, url)
    assert [m["measured_on"] for m in received.json()] == ["2024-06-14", "2026-06-15"]
    school1 = moved.before["register"].school
    listed = get(moved.registrar1, f"/api/v1/students?school={school1.code}&limit=100").json()["items"]
    assert str(moved.child.uuid) not in {
        row["uuid"] for row in listed
    }  # the API lists the children there now
