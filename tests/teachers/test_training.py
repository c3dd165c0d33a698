"""Completion imports: every bad row named, all or nothing, and importing twice adds nothing."""

import datetime as dt
import io

import pytest
from django.test import Client

from khru.exchange.services import issue_token
from khru.teachers import training
from khru.teachers.models import CompletionImport, DevelopmentActivity, TrainingProvider
from tests.conftest import World
from tests.teachers.conftest import Staff

HEADER = "เลขประจำตัวประชาชน,รหัสหลักสูตร,วันที่สำเร็จ,เลขที่วุฒิบัตร\n"


def _file(staff: Staff, *extra: str) -> bytes:
    rows = [
        f"{staff.teacher1.citizen_id},C101,01/06/2569,TEPE-0001",
        f"{staff.teacher2.citizen_id},C102,15/07/2569,TEPE-0002",
        *extra,
    ]
    return (HEADER + "\n".join(rows) + "\n").encode()


def test_bad_rows_are_named_and_nothing_is_imported(
    world: World, staff: Staff, provider: TrainingProvider
) -> None:
    content = _file(
        staff,
        "1234567890123,C101,01/06/2569,TEPE-0003",
        f"{staff.teacher1.citizen_id},NOPE,01/06/2569,TEPE-0004",
        f"{staff.teacher1.citizen_id},C101,01/06/2599,TEPE-0005",
        f"{staff.teacher1.citizen_id},C101,01/06/2569,TEPE-0001",
    )
    job = training.preview_file(actor=world.sysadmin, provider=provider, file_name="bad.csv", content=content)
    assert job.status == CompletionImport.Status.REJECTED
    named = {(p["row"], p["field"]) for p in job.problems}
    assert named == {
        (4, "citizen_id"),
        (5, "course_code"),
        (6, "completed_on"),
        (2, "certificate_ref"),
        (7, "certificate_ref"),
    }
    assert all(p["th"] and p["en"] for p in job.problems)
    with pytest.raises(training.KhruError):
        training.apply_file(actor=world.sysadmin, job=job)
    assert not DevelopmentActivity.objects.exists()


def test_import_lands_in_the_record_and_twice_adds_nothing(
    world: World, staff: Staff, provider: TrainingProvider
) -> None:
    job = training.preview_file(
        actor=world.sysadmin, provider=provider, file_name="ok.csv", content=_file(staff)
    )
    assert job.summary["new"] == 2
    assert training.apply_file(actor=world.sysadmin, job=job) == {"rows": 2, "new": 2, "already": 0}
    activity = DevelopmentActivity.objects.get(person=staff.teacher1)
    assert (activity.title, activity.hours, activity.source) == ("การจัดการเรียนรู้เชิงรุก", 12, "import")
    assert activity.ended_on == dt.date(2026, 6, 1)
    again = training.preview_file(
        actor=world.sysadmin, provider=provider, file_name="ok.csv", content=_file(staff)
    )
    assert again.summary["new"] == 0 and again.summary["already"] == 2
    training.apply_file(actor=world.sysadmin, job=again)
    assert DevelopmentActivity.objects.count() == 2


def test_only_the_system_admin_imports(world: World, staff: Staff, provider: TrainingProvider) -> None:
    for actor in (world.admin1, world.principal1, world.teacher1):
        with pytest.raises(training.NotAllowed):
            training.preview_file(actor=actor, provider=provider, file_name="ok.csv", content=_file(staff))
    client = Client()
    client.force_login(world.principal1)
    assert client.get("/teachers/training/").status_code == 404


def test_upload_page_preview_and_apply(world: World, staff: Staff, provider: TrainingProvider) -> None:
    client = Client()
    client.force_login(world.sysadmin)
    upload = io.BytesIO(_file(staff))
    upload.name = "tepe.csv"
    response = client.post("/teachers/training/", {"action": "upload", "provider": "TEPE", "file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "tepe.csv" in preview and "Import all rows" in preview or "นำเข้าทุกแถว" in preview
    client.post(response["Location"])
    assert DevelopmentActivity.objects.count() == 2


def test_api_batch_is_all_or_nothing_and_idempotent(
    world: World, staff: Staff, provider: TrainingProvider
) -> None:
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.sysadmin)}"}
    good = [
        {
            "citizen_id": staff.teacher1.citizen_id,
            "course_code": "C101",
            "completed_on": "2026-06-01",
            "certificate_ref": "A1",
        },
        {
            "citizen_id": staff.teacher2.citizen_id,
            "course_code": "C102",
            "completed_on": "2026-06-02",
            "certificate_ref": "A2",
        },
    ]
    bad = good + [
        {
            "citizen_id": staff.teacher1.citizen_id,
            "course_code": "X",
            "completed_on": "2026-06-01",
            "certificate_ref": "A3",
        }
    ]
    url = "/api/v1/teachers/completions"
    response = client.post(
        url, {"provider": "TEPE", "completions": bad}, content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response.json()["problems"][0]["row"] == 3
    assert not DevelopmentActivity.objects.exists()
    response = client.post(
        url, {"provider": "TEPE", "completions": good}, content_type="application/json", **headers
    )
    assert response.json() == {"rows": 2, "new": 2, "already": 0}
    response = client.post(
        url, {"provider": "TEPE", "completions": good}, content_type="application/json", **headers
    )
    assert response.json() == {"rows": 2, "new": 0, "already": 2}
    assert DevelopmentActivity.objects.count() == 2
    teacher = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher1)}"}
    response = client.post(
        url, {"provider": "TEPE", "completions": good}, content_type="application/json", **teacher
    )
    assert response.status_code == 404


def test_an_xlsx_file_with_excel_dates_imports(
    world: World, staff: Staff, provider: TrainingProvider
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["citizen_id", "course_code", "completed_on", "certificate_ref"])
    sheet.append([staff.teacher1.citizen_id, "C101", dt.datetime(2026, 6, 1), "X-1"])
    sheet.append([staff.teacher2.citizen_id, "C102", "15/07/2569", "X-2"])
    buffer = io.BytesIO()
    book.save(buffer)
    job = training.preview_file(
        actor=world.sysadmin, provider=provider, file_name="x.xlsx", content=buffer.getvalue()
    )
    assert job.status == CompletionImport.Status.PREVIEWED, job.problems
    training.apply_file(actor=world.sysadmin, job=job)
    assert sorted(DevelopmentActivity.objects.values_list("ended_on", flat=True)) == [
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 15),
    ]


def test_a_file_without_the_columns_names_them(world: World, provider: TrainingProvider) -> None:
    job = training.preview_file(
        actor=world.sysadmin, provider=provider, file_name="x.csv", content=b"a,b\n1,2\n"
    )
    [problem] = job.problems
    assert "เลขที่วุฒิบัตร" in problem["th"] and "certificate_ref" in problem["en"]
