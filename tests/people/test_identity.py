"""Identity as DOMAIN.md says: prefixes derived from sex and birth date, 0-series IDs, names never cut,
guardians' prefixes never invented, the README's own import headers."""

import datetime as dt

import pytest
from django.core.management import call_command

from khru.core.identity import citizen_id_check_digit, identifier_problem
from khru.core.models import AuditEvent
from khru.people import roster, selectors, services
from khru.people.models import Person
from khru.people.prefixes import derived_prefix
from khru.people.validation import PersonData, check_person
from tests import factories as f
from tests.people import roster_files

CENSUS = dt.date(2026, 6, 10)


def fifteen_years_and(days: int) -> dt.date:
    return CENSUS.replace(year=CENSUS.year - 15) - dt.timedelta(days=days)


def test_a_child_born_15_years_and_1_day_before_the_census_is_an_adult():
    assert derived_prefix(sex="M", birth_date=fifteen_years_and(1), on=CENSUS) == "นาย"
    assert derived_prefix(sex="F", birth_date=fifteen_years_and(1), on=CENSUS) == "นางสาว"
    assert derived_prefix(sex="F", birth_date=fifteen_years_and(0), on=CENSUS) == "นางสาว"  # the birthday
    assert derived_prefix(sex="M", birth_date=fifteen_years_and(-1), on=CENSUS) == "เด็กชาย"  # one day short
    assert derived_prefix(sex="M", birth_date=fifteen_years_and(1), on=CENSUS, typed="สามเณร") == "สามเณร"


def test_the_registrar_lists_then_applies_the_prefix_changes_with_an_audit(world, capsys):
    grown = f.EnrolmentFactory(
        school=world.school1, classroom=world.class1, starts_on=dt.date(2026, 5, 16),
        person__prefix="เด็กชาย", person__sex="M", person__birth_date=fifteen_years_and(1),
    ).person  # fmt: skip
    listed = selectors.prefix_changes(actor=world.admin1, school=world.school1, on=CENSUS)
    assert [(c.person, c.old, c.new) for c in listed] == [(grown, "เด็กชาย", "นาย")]
    grown.refresh_from_db()
    assert grown.prefix == "เด็กชาย"  # listing changes nothing
    call_command("update_prefixes", "--school", world.school1.code, "--on", CENSUS.isoformat(), "--apply")
    grown.refresh_from_db()
    assert grown.prefix == "นาย" and grown.full_name.startswith("นาย")
    assert "เด็กชาย → นาย" in capsys.readouterr().out
    assert AuditEvent.objects.filter(object_id=str(grown.pk), summary="prefix เด็กชาย → นาย").exists()
    assert services.apply_prefix_changes(actor=world.admin1, school=world.school1, on=CENSUS) == []


def test_an_id_beginning_with_0_with_a_valid_check_digit_is_accepted_and_a_wrong_one_refused():
    first = "012345678901"
    digit = citizen_id_check_digit(first)  # 13·0 + 12·1 + 11·2 + … + 2·1 = 302; (11 − 302 mod 11) mod 10 = 6
    assert digit == "6"
    assert identifier_problem(first + digit) is None
    wrong = identifier_problem(first + str((int(digit) + 1) % 10))
    assert wrong is not None and "check digit" in wrong[1]


def test_a_130_character_surname_is_refused_by_name_not_cut():
    data = PersonData(
        citizen_id=roster_files.student_id(1), prefix="เด็กหญิง", first_name_th="มานี",
        last_name_th="ก" * 130, sex="F", birth_date=dt.date(2016, 3, 14),
    )  # fmt: skip
    (found,) = check_person(data)
    assert found.field == "last_name_th" and "130" in found.th and "100" in found.en


def test_the_import_takes_the_readme_headers_and_invents_no_guardian_prefix(world):
    table = roster_files.rows(2)
    header = list(roster_files.HEADER)
    header[header.index("วันเกิด")] = "วันเกิด (dd/mm/yyyy พ.ศ.)"
    content = roster_files.as_csv(table, header=header)
    job = roster.preview_roster(actor=world.admin1, school=world.school1, file_name="r.csv", content=content)
    assert job.problems == [] and job.summary["new_people"] == 2
    roster.apply_roster(actor=world.admin1, job=job)
    student = Person.objects.get(citizen_id=roster_files.student_id(1))
    assert student.birth_date is not None
    mother = student.guardianships.get(relation="mother").guardian
    assert mother.prefix == "" and mother.first_name_th == "มารดา1"


@pytest.mark.parametrize("header", ["วันเกิด (dd/mm/yyyy พ.ศ.)", "วันเกิด [วว/ดด/ปปปป]", "Birth_Date"])
def test_header_spellings(header):
    where = roster.find_columns(["ชื่อ", "ชื่อ (อังกฤษ)", header], roster.COLUMNS)
    assert (where["first_name_th"], where["first_name_en"], where["birth_date"]) == (0, 1, 2)


def test_the_registrar_confirms_the_prefixes_due_on_a_page_and_nobody_else_can(world):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    born = today.replace(year=today.year - 15) - dt.timedelta(days=1)
    grown = f.EnrolmentFactory(
        school=world.school1, classroom=world.class1, starts_on=dt.date(2026, 5, 16),
        person__prefix="เด็กหญิง", person__sex="F", person__birth_date=born,
    ).person  # fmt: skip
    elsewhere = f.EnrolmentFactory(
        school=world.school2, classroom=world.class2, starts_on=dt.date(2026, 5, 16),
        person__prefix="เด็กชาย", person__sex="M", person__birth_date=born,
    ).person  # fmt: skip
    left = f.EnrolmentFactory(
        school=world.school1,
        classroom=world.class1,
        starts_on=dt.date(2026, 5, 16),
        ends_on=today - dt.timedelta(days=30),
        end_reason="transferred",
        person__prefix="เด็กชาย",
        person__sex="M",
        person__birth_date=born,
    ).person  # fmt: skip  (transferred out before today: not this school's to change)
    url = reverse("people:prefixes", args=[world.school1.code])
    registrar = Client()
    registrar.force_login(world.admin1)
    page = registrar.get(url).content.decode()
    assert grown.last_name_th in page and "เด็กหญิง → <b>นางสาว</b>" in page
    assert elsewhere.last_name_th not in page and left.last_name_th not in page
    teacher = Client()
    teacher.force_login(world.teacher1)
    assert teacher.get(url).status_code == 404 and teacher.post(url).status_code == 404
    grown.refresh_from_db()
    assert grown.prefix == "เด็กหญิง"  # neither reading nor a refused post changes anything
    done = registrar.post(url, follow=True).content.decode()
    assert "เปลี่ยนคำนำหน้านามแล้ว 1 คน" in done and "ตรงกับเพศและอายุแล้ว" in done
    grown.refresh_from_db()
    left.refresh_from_db()
    assert grown.prefix == "นางสาว" and left.prefix == "เด็กชาย"
    assert AuditEvent.objects.filter(
        actor=world.admin1, object_id=str(grown.pk), summary="prefix เด็กหญิง → นางสาว"
    ).exists()
