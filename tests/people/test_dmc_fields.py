"""The DMC census facts (blood group, religion, ethnicity, nationality, disability, disadvantage): entered once
by the registrar on the enrolment form or the roster import, corrected with history, read by the DMC export."""

import csv
import io

import pytest
from django.urls import reverse

from khru.core.models import AuditEvent
from khru.people import roster, services
from khru.people.models import Person, RosterImport
from khru.people.validation import PersonData
from khru.reports import selectors as report_selectors
from khru.reports import services as report_services
from tests.people import roster_files
from tests.welfare.helpers import save as save_household

pytestmark = pytest.mark.django_db

CENSUS_HEADER = ["หมู่เลือด", "ศาสนา", "เชื้อชาติ", "สัญชาติ", "ความพิการ", "ความด้อยโอกาส"]


def census_csv(table: list[list[str]], extra: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [roster_files.HEADER + CENSUS_HEADER, *(row + more for row, more in zip(table, extra, strict=True))]
    )
    return buffer.getvalue().encode("utf-8-sig")


def dmc_rows(actor, school) -> list[dict[str, str]]:
    report, params = report_selectors.params_for(actor=actor, code="dmc", school_code=school.code)
    out = io.BytesIO()
    report_services.generate(actor=actor, report=report, params=params, fmt="csv", out=out)
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


def test_roster_import_fills_the_census_facts_and_thai_labels_are_understood(world):
    table = roster_files.rows(3)
    extra = [
        ["O", "พุทธ", "ไทย", "ไทย", "", ""],
        ["AB", "อิสลาม", "ไทย", "ไทย", "การได้ยิน", "ยากจน"],
        ["ไม่ทราบ", "คริสต์", "กะเหรี่ยง", "ไทย", "ออทิสติก", "ชนกลุ่มน้อย"],
    ]
    job = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=census_csv(table, extra)
    )
    assert job.problems == []
    roster.apply_roster(actor=world.admin1, job=job)
    second = Person.objects.get(citizen_id=roster_files.student_id(2))
    assert (second.blood_group, second.religion, second.disability, second.disadvantage) == (
        "AB",
        "islam",
        "hearing",
        "poor",
    )
    third = Person.objects.get(citizen_id=roster_files.student_id(3))
    assert (third.blood_group, third.ethnicity, third.disability) == ("unknown", "กะเหรี่ยง", "autism")
    # A file without the columns leaves the school's values alone.
    again = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=roster_files.as_csv(table)
    )
    roster.apply_roster(actor=world.admin1, job=again)
    second.refresh_from_db()
    assert second.religion == "islam" and second.disability == "hearing"


def test_a_bad_religion_is_refused_with_row_and_field_and_nothing_is_saved(world):
    table = roster_files.rows(3)
    extra = [["O", "พุทธ", "", "", "", ""], ["A", "เต๋าเต๋า", "", "", "", ""], ["Z", "พุทธ", "", "", "", "รวย"]]
    before = Person.objects.count()
    job = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=census_csv(table, extra)
    )
    assert job.status == RosterImport.Status.REJECTED
    named = {(p["row"], p["field"]) for p in job.problems}
    assert named == {(3, "religion"), (4, "blood_group"), (4, "disadvantage")}
    religion = next(p for p in job.problems if p["field"] == "religion")
    assert religion["field_th"] == "ศาสนา"
    assert "เต๋าเต๋า" in religion["th"] and "พุทธ" in religion["th"]
    assert "religion" in religion["en"]
    assert Person.objects.count() == before


def test_a_correction_keeps_the_old_value_in_the_audit_trail(world):
    person = world.student1
    data = PersonData(
        citizen_id=person.citizen_id or "",
        prefix=person.prefix,
        first_name_th=person.first_name_th,
        last_name_th=person.last_name_th,
        sex=person.sex,
        birth_date=person.birth_date,
        house_no=person.house_no,
        religion="buddhist",
        blood_group="B",
    )
    services.save_person(actor=world.admin1, data=data, person=person)
    data.religion = "christian"
    services.save_person(actor=world.admin1, data=data, person=person)
    person.refresh_from_db()
    assert (person.religion, person.blood_group) == ("christian", "B")
    last = AuditEvent.objects.filter(object_id=str(person.pk)).order_by("-pk").first()
    assert last is not None and last.changes["religion"] == ["buddhist", "christian"]
    # A caller that does not know the census facts (None) does not erase them.
    services.save_person(
        actor=world.admin1,
        data=PersonData(
            citizen_id=person.citizen_id or "",
            prefix=person.prefix,
            first_name_th="ใหม่",
            last_name_th=person.last_name_th,
            sex=person.sex,
            birth_date=person.birth_date,
        ),
        person=person,
    )
    person.refresh_from_db()
    assert (person.first_name_th, person.religion) == ("ใหม่", "christian")


def test_someone_outside_the_school_cannot_correct_the_facts(world):
    from khru.core.errors import NotAllowed

    person = world.student1
    data = PersonData(
        citizen_id=person.citizen_id or "",
        prefix=person.prefix,
        first_name_th=person.first_name_th,
        last_name_th=person.last_name_th,
        sex=person.sex,
        religion="islam",
    )
    with pytest.raises(NotAllowed):
        services.save_person(actor=world.admin2, data=data, person=person)
    person.refresh_from_db()
    assert person.religion == ""


def test_the_enrolment_form_takes_the_facts_and_refuses_a_bad_one(world, client):
    client.force_login(world.admin1)
    first = roster_files.student_id(77)
    form = {
        "citizen_id": first,
        "name_prefix": "เด็กชาย",
        "first_name_th": "สมชาย",
        "last_name_th": "ใจดี",
        "sex": "M",
        "birth_date": "01/05/2561",
        "grade": "P1",
        "room": "1",
        "starts_on": "",
        "blood_group": "O",
        "religion": "nonsense",
    }
    url = reverse("people:enrol", args=[world.school1.code])
    page = client.get(url).content.decode()
    assert 'name="religion"' in page and "พุทธ" in page and "บกพร่องทางการเห็น" in page
    refused = client.post(url, form)
    assert refused.status_code == 400 and not Person.objects.filter(citizen_id=first).exists()


def test_dmc_export_carries_the_facts_distance_and_poverty(world):
    Person.objects.filter(pk=world.student1.pk).update(
        blood_group="O", religion="buddhist", ethnicity="ไทย", nationality="ไทย", disability="visual"
    )
    save_household(world)  # 2.5 km from school, eligible for the poverty grant
    row = next(
        r
        for r in dmc_rows(world.principal1, world.school1)
        if r["เลขประจำตัวประชาชน"] == world.student1.citizen_id
    )
    assert row["หมู่เลือด"] == "O" and row["ศาสนา"] == "พุทธ"
    assert row["เชื้อชาติ"] == "ไทย" and row["สัญชาติ"] == "ไทย"
    assert row["ความพิการ"] == "บกพร่องทางการเห็น"
    assert row["ความด้อยโอกาส"] == "ยากจน"  # derived from the poverty screening: the registrar left it blank
    assert row["ระยะทางจากบ้าน (กม.)"] == "2.5"
    Person.objects.filter(pk=world.student1.pk).update(disadvantage="abandoned")
    row = next(
        r
        for r in dmc_rows(world.principal1, world.school1)
        if r["เลขประจำตัวประชาชน"] == world.student1.citizen_id
    )
    assert row["ความด้อยโอกาส"] == "ถูกทอดทิ้ง"  # what the registrar entered wins


def test_the_registrar_corrects_the_facts_on_the_student_page(world, client):
    student = world.student1
    client.force_login(world.admin1)
    page = client.get(reverse("people:student", args=[student.uuid])).content.decode()
    assert 'id="edit-census"' in page
    url = reverse("people:census", args=[student.uuid])
    refused = client.post(url, {"religion": "ไม่มีศาสนานี้", "blood_group": "O"})
    assert refused.status_code == 400
    student.refresh_from_db()
    assert student.blood_group == ""
    done = client.post(
        url, {"religion": "islam", "blood_group": "O", "nationality": "ไทย", "disability": "autism"}
    )
    assert done.status_code == 302
    page = client.get(reverse("people:student", args=[student.uuid])).content.decode()
    assert "อิสลาม" in page and "ออทิสติก" in page
    # Another school's admin and a teacher cannot.
    client.force_login(world.admin2)
    assert client.get(url).status_code == 404
    assert client.post(url, {"religion": "christian"}).status_code == 404
    client.force_login(world.teacher1)
    assert client.post(url, {"religion": "christian"}).status_code == 404
    student.refresh_from_db()
    assert student.religion == "islam"


def test_the_census_service_names_a_bad_value_in_thai_and_english(world):
    from khru.core.errors import KhruError

    with pytest.raises(KhruError) as refused:
        services.save_census_facts(
            actor=world.admin1, person=world.student1, values={"disadvantage": "rich", "ethnicity": "x" * 60}
        )
    problems = {p.field: p for p in refused.value.problems}
    assert set(problems) == {"disadvantage", "ethnicity"}
    assert problems["disadvantage"].field_th == "ความด้อยโอกาส" and "ยากจน" in problems["disadvantage"].th


def test_the_census_takes_the_terms_latest_measurement_even_after_the_census_day(world):
    """10 June census; ป.4/1 was measured on 15 June: the census shows that weight, not a blank (the rule:
    the latest measurement of the term that holds the census day)."""
    import datetime as dt
    from decimal import Decimal

    from khru.health.models import Measurement

    Measurement.objects.create(
        person=world.student1, school=world.school1, academic_year=world.class1.academic_year,
        classroom=world.class1, measured_on=dt.date(2026, 6, 15), weight_kg=Decimal("31.40"),
        height_cm=Decimal("132.5"), age_months=Decimal("110"),
    )  # fmt: skip
    report, params = report_selectors.params_for(
        actor=world.admin1, code="dmc", school_code=world.school1.code, on=dt.date(2026, 6, 10)
    )
    out = io.BytesIO()
    report_services.generate(actor=world.admin1, report=report, params=params, fmt="csv", out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    mine = next(r for r in rows if r["ชื่อ"] == world.student1.first_name_th)
    assert (mine["น้ำหนัก (กก.)"], mine["ส่วนสูง (ซม.)"]) == ("31.40", "132.5")


def test_the_census_gives_birth_dates_in_the_buddhist_era_in_xlsx_as_in_csv(world):
    import datetime as dt

    from python_calamine import CalamineWorkbook

    Person.objects.filter(pk=world.student1.pk).update(birth_date=dt.date(2016, 8, 9))
    report, params = report_selectors.params_for(
        actor=world.admin1, code="dmc", school_code=world.school1.code
    )
    out = io.BytesIO()
    report_services.generate(actor=world.admin1, report=report, params=params, fmt="xlsx", out=out)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0).to_python()
    column = sheet[0].index("วันเกิด")
    assert "09/08/2559" in [row[column] for row in sheet[1:]]
    assert "09/08/2559" in [row["วันเกิด"] for row in dmc_rows(world.admin1, world.school1)]  # the same text
