"""Reports as a user meets them: the forms' text, spreadsheet types, scope, freshness, verification, runs."""

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from khru.assessment import services as assessment
from khru.core.errors import NotAllowed
from khru.reports import selectors, services, tasks
from khru.reports.models import IssuedDocument, ReportRun
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def _make(actor, code, fmt="pdf", **where):
    report, params = selectors.params_for(actor=actor, code=code, **where)
    out = io.BytesIO()
    document = services.generate(actor=actor, report=report, params=params, fmt=fmt, out=out)
    return out.getvalue(), document


def test_pp6_pdf_has_the_childs_name_grade_and_be_dates(world, graded):
    pdf, document = _make(
        world.teacher1, "pp6", school_code=world.school1.code, classroom_uuid=str(world.class1.uuid)
    )
    text = pdf_text(pdf)
    assert "เด็กหญิงมานี มีนา" in text
    assert "ท14101" in text and "ภาษาไทย" in text
    assert "3.5" in text  # 40/50 × 70 + 37.5/50 × 30 = 78.5 → 79 → 3.5
    assert "14 มีนาคม 2559" in text  # birth date in BE
    assert document is not None and document.code in text
    assert f"/verify/{document.code}" in text
    assert world.school1.name_th in text


def test_a_changed_score_appears_in_the_next_report(world, graded):
    first, _ = _make(
        world.teacher1, "pp6", "csv", school_code=world.school1.code, classroom_uuid=str(world.class1.uuid)
    )
    assert ",3.5," in first.decode("utf-8-sig")
    assessment.record_scores(
        actor=world.teacher1, item=graded["final"], scores={world.student1.pk: Decimal(50)}
    )
    second, _ = _make(
        world.teacher1, "pp6", "csv", school_code=world.school1.code, classroom_uuid=str(world.class1.uuid)
    )
    assert ",4," in second.decode("utf-8-sig")  # 56 + 30 = 86 → 4


def test_xlsx_numbers_are_numbers_and_headers_thai(world, graded):
    content, _ = _make(world.principal1, "pp6", "xlsx", school_code=world.school1.code)
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["ผลการเรียนรายวิชา"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["เลขประจำตัว", "ชื่อ-สกุล", "รหัสวิชา"]
    row = [cell.value for cell in sheet[2]]
    assert row[1] == "เด็กหญิงมานี มีนา"
    assert isinstance(row[4], float) and row[4] == 1.5  # credits
    assert isinstance(row[5], float) and row[5] == 78.5  # percent
    assert row[6] == 3.5  # the grade, a number
    students = book["สรุปรายบุคคล"]
    assert isinstance(students.cell(2, 4).value, int)  # school days


def test_csv_is_utf8_with_bom(world, graded):
    content, _ = _make(world.principal1, "dmc", "csv", school_code=world.school1.code)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "เลขประจำตัวประชาชน" in text.splitlines()[0]
    assert world.student1.citizen_id in text
    assert world.student2.citizen_id not in text  # another school's child


def test_dmc_xlsx_carries_the_census_facts_and_is_fully_computed(world):
    from khru.people.models import Person
    from khru.reports.catalog import get

    Person.objects.filter(pk=world.student1.pk).update(religion="islam", blood_group="AB", nationality="ไทย")
    content, _ = _make(world.principal1, "dmc", "xlsx", school_code=world.school1.code)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = dict(zip(headers, [cell.value for cell in sheet[2]], strict=True))
    assert (row["ศาสนา"], row["หมู่เลือด"], row["สัญชาติ"]) == ("อิสลาม", "AB", "ไทย")
    dmc = get("dmc")
    assert dmc is not None and dmc.typed_columns == [] and dmc.computed_percent == 100


def test_a_principal_cannot_generate_another_schools_forms(world, client):
    with pytest.raises(NotAllowed):
        selectors.params_for(actor=world.principal1, code="pp6", school_code=world.school2.code)
    with pytest.raises(NotAllowed):
        selectors.params_for(
            actor=world.teacher1, code="pp6", school_code=world.school1.code
        )  # school-wide: no
    client.force_login(world.principal1)
    response = client.post(
        reverse("reports:generate", args=["dmc"]), {"school": world.school2.code, "format": "csv"}
    )
    assert response.status_code == 404
    assert not IssuedDocument.objects.exists()


def test_an_area_officer_gets_the_municipality_comparison_only_for_their_area(world):
    content, _ = _make(world.officer, "municipality-monthly", "csv", area_code=world.school1.area.code)
    assert world.school1.name_th in content.decode("utf-8-sig")
    with pytest.raises(NotAllowed):
        selectors.params_for(
            actor=world.officer, code="municipality-monthly", area_code=world.school2.area.code
        )


def test_verify_page_confirms_issue_and_detects_alteration(world, graded, client):
    pdf, document = _make(
        world.teacher1, "pp6", school_code=world.school1.code, classroom_uuid=str(world.class1.uuid)
    )
    page = client.get(reverse("verify", args=[document.code]))  # no login
    assert page.status_code == 200 and world.school1.name_th in page.content.decode()
    same = client.post(reverse("verify", args=[document.code]), {"file": io.BytesIO(pdf)})
    assert b'id="unaltered"' in same.content
    changed = client.post(reverse("verify", args=[document.code]), {"file": io.BytesIO(pdf + b"%")})
    assert b'id="altered"' in changed.content
    unknown = client.get(reverse("verify", args=["NOSUCHCODE"]))
    assert unknown.status_code == 404 and world.school1.name_th not in unknown.content.decode()


def test_background_run_finishes_once_and_only_its_owner_downloads(world, graded, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.principal1)
    response = client.post(
        reverse("reports:generate", args=["pp6"]),
        {"school": world.school1.code, "format": "pdf", "background": "1"},
    )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:run", args=[run.uuid])
    assert run.status == "done"
    page = client.get(reverse("reports:run", args=[run.uuid]), headers={"HX-Request": "true"})
    assert b"100" in page.content and reverse("reports:download", args=[run.uuid]).encode() in page.content
    file = client.get(reverse("reports:download", args=[run.uuid]))
    assert file["Content-Disposition"].endswith('pp6.zip"')
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(file.streaming_content)))
    assert bundle.namelist() == ["pp6-P4-1.pdf"]  # one PDF per class
    class_pdf = bundle.read("pp6-P4-1.pdf")
    assert "เด็กหญิงมานี มีนา" in pdf_text(class_pdf)
    issued = IssuedDocument.objects.get(report_code="pp6")
    assert f"http://testserver/verify/{issued.code}" in pdf_text(class_pdf)  # each class PDF: its own code
    client.force_login(world.admin2)
    assert client.get(reverse("reports:download", args=[run.uuid])).status_code == 404


def test_the_same_request_in_flight_is_one_run(world):
    report, params = selectors.params_for(actor=world.principal1, code="dmc", school_code=world.school1.code)
    key = services.request_key(report=report, params=params, fmt="csv", actor=world.principal1)
    waiting = ReportRun.objects.create(
        request_key=key, report_code="dmc", format="csv", params=params.as_json()
    )
    again = tasks.request_run(actor=world.principal1, report=report, params=params, fmt="csv")
    assert again.pk == waiting.pk and ReportRun.objects.count() == 1


def test_command_lists_and_writes_as_the_system(world, graded, tmp_path, capsys):
    call_command("report", "--list")
    listing = capsys.readouterr().out
    for code in (
        "pp1",
        "pp5",
        "pp6",
        "pp8",
        "dmc",
        "nutrition",
        "cct",
        "principal-monthly",
        "municipality-monthly",
    ):
        assert f"{code}\t" in listing
    target = tmp_path / "pp1.pdf"
    call_command(
        "report", "pp1", "--school", world.school1.code, "--classroom", "ป.4/1", "--format", "pdf",
        "--output", str(target), "--base-url", "https://khru.example.go.th",
    )  # fmt: skip
    text = pdf_text(target.read_bytes())
    assert "เด็กหญิงมานี มีนา" in text and "GPAX" in text
    document = IssuedDocument.objects.get()
    assert f"https://khru.example.go.th/verify/{document.code}" in text
    assert document.issued_by.username == "khru-system"
    from khru.core.models import AuditEvent

    assert AuditEvent.objects.filter(actor__username="khru-system", action="export").exists()


def test_catalog_and_ledger_pages(world, client):
    client.force_login(world.teacher1)
    page = client.get(reverse("reports:catalog")).content.decode()
    assert 'id="report-pp6"' in page and 'id="report-municipality-monthly"' not in page
    ledger = client.get(reverse("reports:ledger")).content.decode()
    unread = ledger.split('id="unread"')[1].split("</ul>")[0]
    assert '<li data-field="people.person.first_name_en">ชื่อ (อังกฤษ)</li>' in unread  # nothing reads it
    typed = ledger.split('id="typed"')[1].split("</ul>")[0]
    assert 'data-report="dmc"' not in typed  # every DMC column is computed from data already entered
    assert 'data-report="pp8"' not in typed  # aptitude comes from the welfare record
    assert '<li data-report="pp6"><b>ปพ.6</b>' in typed  # the teacher's note to parents is written for it
    # Staff read Thai labels: neither a field's code (app.model.field) nor a report's code is shown
    assert not re.search(r">[^<]*\b(people|attendance|assessment)\.[a-z_]+\.[a-z_]+", ledger)
    assert ">pp6<" not in ledger and "first name (English)" not in ledger


def _readable_text(content: bytes, fmt: str) -> str:
    """What a reader sees in the file: a PDF's text (each PDF of a zip of classes), a workbook's sheet names
    and cells, a CSV's text."""
    if fmt == "pdf":
        if not zipfile.is_zipfile(io.BytesIO(content)):
            return pdf_text(content)
        archive = zipfile.ZipFile(io.BytesIO(content))
        pdfs = [archive.read(name) for name in archive.namelist()]
        assert pdfs and all(pdf.startswith(b"%PDF") for pdf in pdfs)
        return "\n".join(pdf_text(pdf) for pdf in pdfs)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content))
        cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v]
        return "\n".join([*book.sheetnames, *cells])
    return content.decode("utf-8-sig")


def test_every_report_renders_every_format(world, graded):
    child, citizen_id = "เด็กหญิงมานี มีนา", world.student1.citizen_id
    expected = {
        "pp1": [child, "ท14101"],
        "pp5": [child, "ท14101", "ป.4/1"],
        "pp6": [child, "ท14101"],
        "pp8": [child, citizen_id],
        "dmc": ["มานี", "มีนา", citizen_id],  # first and last names are separate columns
        "nutrition": ["WHO 2006/2007", "ป.4"],  # counts by grade, under the reference used
        "principal-monthly": ["ป.4/1"],
        "cct": ["นักเรียนที่เข้าเกณฑ์"],
    }
    for code, needles in expected.items():
        for fmt in ("pdf", "xlsx", "csv"):
            content, _ = _make(world.principal1, code, fmt, school_code=world.school1.code)
            text = _readable_text(content, fmt)
            missing = [needle for needle in needles if needle not in text]
            assert not missing, (code, fmt, missing)
            if code == "cct":
                assert "มานี" not in text, fmt  # no household was screened, so no child qualifies


def test_bad_requests_name_the_field_in_thai_and_english(world, client):
    from khru.core.errors import KhruError

    with pytest.raises(KhruError) as unknown:
        selectors.params_for(actor=world.principal1, code="pp99", school_code=world.school1.code)
    assert unknown.value.problems[0].field == "report"
    with pytest.raises(KhruError) as no_year:
        selectors.params_for(actor=world.principal1, code="pp6", school_code=world.school1.code, year_be=2400)
    problem = no_year.value.problems[0]
    assert problem.field == "year" and "2400" in problem.th and "2400" in problem.en
    client.force_login(world.principal1)
    page = client.post(
        reverse("reports:generate", args=["pp6"]),
        {"school": world.school1.code, "year": "2400", "format": "pdf"},
    )
    assert page.status_code == 400 and "ไม่มีปีการศึกษา 2400" in page.content.decode()


def test_a_teacher_reaches_only_their_own_class(world):
    report, params = selectors.params_for(
        actor=world.teacher1,
        code="pp5",
        school_code=world.school1.code,
        classroom_uuid=str(world.class1.uuid),
    )
    assert params.classroom == world.class1
    with pytest.raises(NotAllowed):
        selectors.params_for(
            actor=world.teacher1,
            code="pp5",
            school_code=world.school2.code,
            classroom_uuid=str(world.class2.uuid),
        )
    with pytest.raises(NotAllowed):  # another school's class under my school's code
        selectors.params_for(
            actor=world.teacher1,
            code="pp5",
            school_code=world.school1.code,
            classroom_uuid=str(world.class2.uuid),
        )


def test_command_refuses_an_unknown_school(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "report", "dmc", "--school", "0000000000", "--format", "csv", "--output", str(tmp_path / "x")
        )


def test_api_lists_the_catalog_and_runs_a_report(world, graded, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.principal1)
    listed = client.get("/api/v1/reports").json()
    codes = {entry["code"] for entry in listed}
    assert {"pp6", "dmc", "principal-monthly"} <= codes and "municipality-monthly" not in codes
    made = client.post(
        "/api/v1/reports/runs",
        {"report": "dmc", "format": "csv", "school": world.school1.code},
        "application/json",
    )
    assert made.status_code == 202
    status = client.get(f"/api/v1/reports/runs/{made.json()['uuid']}").json()
    assert status["status"] == "done" and status["done"] == status["total"] == 1
    refused = client.post(
        "/api/v1/reports/runs",
        {"report": "dmc", "format": "csv", "school": world.school2.code},
        "application/json",
    )
    assert refused.status_code in (403, 404)


def test_municipality_counts_leave_the_school_suppressed(world):
    import datetime as dt

    from khru.attendance import services as attendance

    day = dt.date(2026, 6, 15)
    attendance.record_register(
        actor=world.teacher1, classroom=world.class1, date=day, marks={world.student1.pk: "absent"}
    )
    content, _ = _make(
        world.officer, "municipality-monthly", "csv", area_code=world.school1.area.code, on=day
    )
    row = next(
        line for line in content.decode("utf-8-sig").splitlines() if line.startswith(world.school1.name_th)
    )
    assert row.split(",")[4] == "<5"  # one absence: a small cell, hidden
    principal, _ = _make(world.principal1, "principal-monthly", "csv", school_code=world.school1.code, on=day)
    assert "ขาด,1" in principal.decode("utf-8-sig")  # inside the school the principal sees the count


def test_nutrition_counts_bands_by_grade_and_sex_and_lists_children_to_follow(world, graded):
    import datetime as dt

    from khru.health import services as health

    health.record_measurements(
        actor=world.teacher1,
        classroom=world.class1,
        measured_on=dt.date(2026, 6, 15),
        rows={world.student1.pk: (Decimal("50"), Decimal("130"))},
        confirmed={world.student1.pk},
    )
    content, _ = _make(world.principal1, "nutrition", "xlsx", school_code=world.school1.code)
    book = openpyxl.load_workbook(io.BytesIO(content))
    counts = book["จำนวนนักเรียนตามภาวะโภชนาการ"]
    headers = [cell.value for cell in counts[1]]
    row = dict(zip(headers, [cell.value for cell in counts[2]], strict=True))
    assert row["ชั้น"] == "ป.4" and row["เพศ"] == "หญิง" and row["ชั่ง/วัดแล้ว"] == 1
    assert row["รูปร่างอ้วน"] == 1 and isinstance(row["รูปร่างอ้วน"], int)
    follow = book["นักเรียนที่ต้องติดตาม"]
    assert follow.cell(2, 3).value == "เด็กหญิงมานี มีนา" and follow.cell(2, 8).value == "อ้วน"


def test_pp8_reads_the_childs_aptitudes_from_the_welfare_record(world, graded):
    from khru.welfare import services as welfare

    welfare.record_aptitude(actor=world.teacher1, person=world.student1, area="music", detail="ขลุ่ยเพียงออ")
    content, _ = _make(
        world.teacher1, "pp8", "csv", school_code=world.school1.code, classroom_uuid=str(world.class1.uuid)
    )
    assert "ดนตรี/นาฏศิลป์: ขลุ่ยเพียงออ" in content.decode("utf-8-sig")
    pdf, _ = _make(
        world.teacher1, "pp8", school_code=world.school1.code, classroom_uuid=str(world.class1.uuid)
    )
    assert "ดนตรี/นาฏศิลป์: ขลุ่ยเพียงออ" in pdf_text(pdf).replace("\n", "")  # the cell may wrap


def test_verify_page_is_rate_limited_per_client(world, settings):
    settings.KHRU_VERIFY_PER_MINUTE = 3
    guesser = Client(REMOTE_ADDR="203.0.113.20")
    codes = [guesser.get(reverse("verify", args=[f"GUESS{n}"])).status_code for n in range(4)]
    assert codes == [404, 404, 404, 429]
    refused = guesser.get(reverse("verify", args=["GUESS9"])).content.decode()
    assert "ตรวจสอบบ่อยเกินไป" in refused and "Too many checks" in refused
    assert Client(REMOTE_ADDR="203.0.113.21").get(reverse("verify", args=["GUESS1"])).status_code == 404
