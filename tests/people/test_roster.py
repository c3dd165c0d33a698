"""Roster import: preview, then all rows or none; every bad row and field named; re-import changes nothing."""

import pytest

from khru.core.errors import KhruError, NotAllowed
from khru.people import roster
from khru.people.models import Enrolment, Guardianship, Person, RosterImport
from tests.people import roster_files


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), Enrolment.objects.count(), Guardianship.objects.count()


def test_one_bad_row_among_5000_changes_nothing_and_is_named(world):
    table = roster_files.rows(5000)
    table[4321][1] = table[4321][1][:-1] + str((int(table[4321][1][-1]) + 1) % 10)  # break the check digit
    before = counts()
    job = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=roster_files.as_csv(table)
    )
    assert job.status == RosterImport.Status.REJECTED
    assert len(job.problems) == 1
    problem = job.problems[0]
    assert (problem["row"], problem["field"]) == (4323, "citizen_id")  # header is row 1, data starts at row 2
    assert "หลักตรวจสอบ" in problem["th"] and "check digit" in problem["en"]
    with pytest.raises(KhruError):
        roster.apply_roster(actor=world.admin1, job=job)
    assert counts() == before


def test_every_kind_of_bad_row_is_reported(world):
    table = roster_files.rows(6)
    table[0][7] = "ป.9"  # unknown grade
    table[1][5] = "31/02/2560"  # impossible date
    table[2][1] = table[3][1]  # duplicate ID (both rows are named)
    table[4][6] = "?"  # unknown sex
    table[5][10] = "999999"  # unknown subdistrict
    job = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=roster_files.as_csv(table)
    )
    named = {(p["row"], p["field"]) for p in job.problems}
    assert named == {
        (2, "grade"),
        (3, "birth_date"),
        (4, "citizen_id"),
        (5, "citizen_id"),
        (6, "sex"),
        (7, "subdistrict"),
    }
    assert all(p["th"] and p["en"] for p in job.problems)


def test_apply_then_reimport_changes_nothing(world):
    content = roster_files.as_csv(roster_files.rows(30))
    job = roster.preview_roster(actor=world.admin1, school=world.school1, file_name="r.csv", content=content)
    assert job.summary["new_people"] == 30
    roster.apply_roster(actor=world.admin1, job=job)
    after_first = counts()
    assert after_first[1] - 2 == 30  # two enrolments came from the world fixture
    student = Person.objects.get(citizen_id=roster_files.student_id(1))
    assert {g.relation for g in student.guardianships.all()} == {"father", "mother", "grandparent"}
    enrolment = Enrolment.objects.get(person=student)
    assert (enrolment.school, enrolment.grade, enrolment.classroom.room) == (world.school1, "P2", 2)

    again = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=content
    )
    assert again.summary["unchanged"] == 30 and again.summary["new_people"] == 0
    roster.apply_roster(actor=world.admin1, job=again)
    assert counts() == after_first


def test_tis620_csv_and_xlsx_are_read(world):
    table = roster_files.rows(5)
    for content in (roster_files.as_csv(table, encoding="cp874"), roster_files.as_xlsx(table)):
        job = roster.preview_roster(actor=world.admin1, school=world.school1, file_name="r", content=content)
        assert job.problems == [] and job.summary["rows"] == 5, job.problems
    roster.apply_roster(actor=world.admin1, job=job)
    assert Person.objects.get(citizen_id=roster_files.student_id(2)).first_name_th == "นักเรียน2"


def test_a_student_from_another_school_comes_in_as_a_transfer(world):
    table = roster_files.rows(1)
    table[0][1] = world.student2.citizen_id
    job = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=roster_files.as_csv(table)
    )
    assert job.summary["transfers_in"] == 1
    roster.apply_roster(actor=world.admin1, job=job)
    old, new = Enrolment.objects.filter(person=world.student2).order_by("starts_on", "pk")
    assert (old.end_reason, old.to_school, new.school) == ("transferred", world.school1, world.school1)


def test_missing_columns_are_named(world):
    content = "ชื่อ,นามสกุล\nก,ข\n".encode()
    job = roster.preview_roster(actor=world.admin1, school=world.school1, file_name="r.csv", content=content)
    assert job.problems[0]["field"] == "header" and "เลขประจำตัวประชาชน" in job.problems[0]["th"]


def test_import_outside_scope_is_refused(world):
    with pytest.raises(NotAllowed):
        roster.preview_roster(actor=world.teacher1, school=world.school1, file_name="r.csv", content=b"x")
    with pytest.raises(NotAllowed):
        roster.preview_roster(actor=world.admin2, school=world.school1, file_name="r.csv", content=b"x")
