"""Enrolment, transfer, exit and promotion through the services that pages, API and import all call."""

import datetime as dt

import pytest

from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.people import selectors, services
from khru.people.models import EndReason, Enrolment, Person
from khru.people.validation import PersonData
from tests import factories as f


def new_child(citizen: str = "") -> PersonData:
    return PersonData(
        citizen_id=citizen or f.citizen_id(987654),
        prefix="เด็กหญิง",
        first_name_th="พิมพ์ชนก",
        last_name_th="ศรีสุข",
        sex="F",
        birth_date=dt.date(2016, 3, 2),
    )


def test_transfer_across_agencies_keeps_one_person_and_the_whole_history(world):
    student = world.student1
    assert world.school1.area.agency.code != world.school2.area.agency.code
    services.transfer_student(
        actor=world.admin2,
        person=student,
        to_school=world.school2,
        grade="P4",
        room=1,
        on=dt.date(2026, 11, 2),
    )
    assert Person.objects.filter(citizen_id=student.citizen_id).count() == 1
    history = list(selectors.history(actor=world.admin2, person=student))
    assert [e.school for e in history] == [world.school1, world.school2]
    first, second = history
    assert first.end_reason == EndReason.TRANSFERRED and first.to_school == world.school2
    assert first.ends_on == dt.date(2026, 11, 1) and second.ends_on is None
    assert second.academic_year.agency == world.school2.area.agency
    # The receiving school sees where the child came from; the sending school sees where the child went
    # (recorded on its own enrolment), and nothing of the new school's enrolments.
    sent = list(selectors.history(actor=world.admin1, person=student))
    assert [e.school for e in sent] == [world.school1] and sent[0].to_school == world.school2


def test_only_the_receiving_school_may_take_a_student_in(world):
    with pytest.raises(NotAllowed):
        services.transfer_student(
            actor=world.admin1,
            person=world.student2,
            to_school=world.school2,
            grade="P4",
            on=dt.date(2026, 11, 2),
        )
    assert Enrolment.objects.get(person=world.student2).ends_on is None


def test_dropout_is_kept_as_data_with_its_reason(world):
    enrolment = Enrolment.objects.get(person=world.student1)
    with pytest.raises(KhruError) as refused:
        services.exit_student(
            actor=world.admin1, enrolment=enrolment, reason="dropped_out", on=dt.date(2026, 9, 1)
        )
    assert refused.value.problems[0].field == "dropout_reason"
    services.exit_student(
        actor=world.admin1,
        enrolment=enrolment,
        reason="dropped_out",
        dropout_reason="work",
        on=dt.date(2026, 9, 1),
    )
    enrolment.refresh_from_db()
    assert (enrolment.end_reason, enrolment.dropout_reason) == ("dropped_out", "work")
    assert AuditEvent.objects.filter(object_id=str(enrolment.pk), actor=world.admin1).exists()


def test_enrol_refuses_a_child_still_at_another_school(world):
    with pytest.raises(KhruError) as refused:
        services.enrol_student(
            actor=world.admin1,
            person=world.student2,
            school=world.school1,
            grade="P4",
            starts_on=dt.date(2026, 6, 1),
        )
    assert "transfer" in refused.value.problems[0].en


def test_enrol_refuses_a_grade_the_school_does_not_teach(world):
    person = services.save_person(actor=world.admin1, data=new_child())
    with pytest.raises(KhruError) as refused:
        services.enrol_student(
            actor=world.admin1, person=person, school=world.school1, grade="M6", starts_on=dt.date(2026, 6, 1)
        )
    assert refused.value.problems[0].field == "grade"
    assert not Enrolment.objects.filter(person=person).exists()


def test_bad_person_fields_are_all_named(world):
    data = new_child("1234567890120")
    data.sex = "X"
    data.birth_date = dt.date(2090, 1, 1)
    with pytest.raises(KhruError) as refused:
        services.save_person(actor=world.admin1, data=data)
    fields = {p.field for p in refused.value.problems}
    assert fields == {"citizen_id", "sex", "birth_date"}
    assert not Person.objects.filter(first_name_th="พิมพ์ชนก").exists()


def test_a_correction_keeps_the_old_value_in_history(world):
    person = world.student1
    data = PersonData(
        citizen_id=person.citizen_id,
        prefix=person.prefix,
        first_name_th="สมศักดิ์",
        last_name_th=person.last_name_th,
        sex=person.sex,
        birth_date=person.birth_date,
        first_name_en=person.first_name_en,
        last_name_en=person.last_name_en,
    )
    old_name = person.first_name_th
    services.save_person(actor=world.admin1, data=data, person=person)
    event = AuditEvent.objects.get(action="update", object_id=str(person.pk))
    assert event.changes["first_name_th"] == [old_name, "สมศักดิ์"]
    with pytest.raises(NotAllowed):
        services.save_person(actor=world.admin2, data=data, person=person)


def test_year_end_promotion_moves_the_whole_school(world):
    year = world.class1.academic_year
    next_year = f.AcademicYearFactory(agency=year.agency, year_be=year.year_be + 1)
    top = f.ClassroomFactory(school=world.school1, academic_year=year, grade="M3", room=2)
    graduate = f.EnrolmentFactory(classroom=top).person
    repeater = f.EnrolmentFactory(classroom=world.class1).person
    result = services.promote_school(
        actor=world.admin1, school=world.school1, from_year=year, to_year=next_year, repeaters={repeater.pk}
    )
    assert (result.promoted, result.repeated, result.graduated) == (1, 1, 1)
    promoted = Enrolment.objects.get(person=world.student1, ends_on__isnull=True)
    assert (promoted.grade, promoted.classroom.room, promoted.academic_year) == ("P5", 1, next_year)
    assert Enrolment.objects.get(person=repeater, ends_on__isnull=True).grade == "P4"
    assert not Enrolment.objects.filter(person=graduate, ends_on__isnull=True).exists()
    assert Enrolment.objects.get(person=graduate).end_reason == EndReason.GRADUATED
    # Running it again finds nothing open in the old year: nobody is promoted twice.
    again = services.promote_school(
        actor=world.admin1, school=world.school1, from_year=year, to_year=next_year
    )
    assert (again.promoted, again.repeated, again.graduated) == (0, 0, 0)


def test_promotion_is_refused_outside_scope(world):
    year = world.class1.academic_year
    next_year = f.AcademicYearFactory(agency=year.agency, year_be=year.year_be + 1)
    with pytest.raises(NotAllowed):
        services.promote_school(actor=world.teacher1, school=world.school1, from_year=year, to_year=next_year)


def test_search_finds_by_name_id_and_student_number(world):
    student = world.student1
    number = Enrolment.objects.get(person=student).student_number
    for query in (student.first_name_th, f"{student.first_name_th} {student.last_name_th}", student.citizen_id,
                  number, student.first_name_en.lower()):  # fmt: skip
        assert [e.person for e in selectors.search_students(actor=world.admin1, query=query)] == [student], (
            query
        )
