"""Career rows and development activities: overlaps, evidence files, scope, the PDF."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.test import Client

from khru.core.errors import KhruError, NotAllowed
from khru.core.files import EVIDENCE_MAX_BYTES as MAX_BYTES
from khru.org.roles import Role
from khru.teachers import services
from khru.teachers.models import Appointment, DevelopmentActivity
from tests import factories as f
from tests.conftest import World
from tests.pdftext import pdf_text
from tests.teachers.conftest import Staff, give_good_record

PASSWORD = "khru-test-pass"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_overlapping_appointment_is_refused_and_nothing_saved(world: World, staff: Staff) -> None:
    services.add_appointment(
        actor=world.admin1,
        person=staff.teacher1,
        school=world.school1,
        position="teacher",
        started_on=dt.date(2015, 5, 16),
        ended_on=dt.date(2020, 5, 15),
    )
    services.add_appointment(
        actor=world.admin1,
        person=staff.teacher1,
        school=world.school1,
        position="teacher",
        started_on=dt.date(2020, 5, 16),
    )
    with pytest.raises(KhruError) as refused:
        services.add_appointment(
            actor=world.admin1,
            person=staff.teacher1,
            school=world.school2,
            position="deputy",
            started_on=dt.date(2019, 1, 1),
            ended_on=dt.date(2019, 12, 31),
        )
    [problem] = refused.value.problems
    assert problem.field == "started_on"
    assert "ซ้อน" in problem.th and "overlaps" in problem.en and "16/05/2558" in problem.th
    assert Appointment.objects.filter(person=staff.teacher1).count() == 2


def test_only_the_school_office_writes_appointments(world: World, staff: Staff) -> None:
    for actor in (world.teacher1, world.admin2, world.officer):
        with pytest.raises(NotAllowed):
            services.add_appointment(
                actor=actor,
                person=staff.teacher1,
                school=world.school1,
                position="teacher",
                started_on=dt.date(2015, 5, 16),
            )
    assert not Appointment.objects.exists()


def test_teacher_adds_an_activity_with_a_pdf_and_reads_it_back(world: World, staff: Staff) -> None:
    activity = services.add_activity(
        actor=world.teacher1,
        person=staff.teacher1,
        kind="training",
        title="อบรมการสอนอ่าน",
        started_on=dt.date(2026, 6, 1),
        ended_on=dt.date(2026, 6, 2),
        hours="12",
        evidence_name="cert.pdf",
        evidence_content=PDF,
    )
    assert activity.source == DevelopmentActivity.Source.TEACHER
    response = client_for(world.teacher1).get(f"/teachers/activities/{activity.uuid}/evidence/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    # Another school's staff cannot fetch it; a colleague without staff rights cannot either.
    assert client_for(world.admin2).get(f"/teachers/activities/{activity.uuid}/evidence/").status_code == 404
    assert (
        client_for(world.principal1).get(f"/teachers/activities/{activity.uuid}/evidence/").status_code == 200
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html><script>alert(1)</script></html>", "PDF, JPEG"),
        (b"MZ\x90\x00 an exe renamed to .pdf", "PDF, JPEG"),
        (b"%PDF-1.4" + b"0" * MAX_BYTES, "10 MB"),
    ],
)
def test_evidence_of_the_wrong_type_or_too_big_is_refused(
    world: World, staff: Staff, media: Path, content: bytes, words: str
) -> None:
    with pytest.raises(KhruError) as refused:
        services.add_activity(
            actor=world.teacher1,
            person=staff.teacher1,
            kind="training",
            title="อบรม",
            started_on=dt.date(2026, 6, 1),
            ended_on=dt.date(2026, 6, 1),
            hours=3,
            evidence_name="cert.pdf",
            evidence_content=content,
        )
    assert any(p.field == "evidence" and words in p.en + p.th for p in refused.value.problems)
    assert not DevelopmentActivity.objects.exists()
    assert not any(media.rglob("*.*"))


def test_the_page_refuses_a_bad_file_and_keeps_what_was_typed(world: World, staff: Staff) -> None:
    upload = io.BytesIO(b"just text")
    upload.name = "evidence.png"
    response = client_for(world.teacher1).post(
        "/teachers/me/",
        {
            "kind": "seminar",
            "title": "สัมมนาวิชาการ",
            "started_on": "01/06/2569",
            "ended_on": "01/06/2569",
            "hours": "6",
            "evidence": upload,
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "ไฟล์หลักฐานต้องเป็น PDF, JPEG หรือ PNG" in text
    assert "สัมมนาวิชาการ" in text
    assert not DevelopmentActivity.objects.exists()


def test_my_page_adds_an_activity_and_shows_the_pa_check(world: World, staff: Staff) -> None:
    give_good_record(staff.teacher1, since=dt.date(2018, 1, 1), years=[2567, 2568])
    upload = io.BytesIO(PNG)
    upload.name = "photo.png"
    client = client_for(world.teacher1)
    response = client.post(
        "/teachers/me/",
        {
            "kind": "online",
            "title": "หลักสูตรออนไลน์ Coding",
            "started_on": "01/06/2569",
            "ended_on": "03/06/2569",
            "hours": "20",
            "evidence": upload,
        },
        follow=True,
    )
    text = response.content.decode()
    assert "หลักสูตรออนไลน์ Coding" in text
    assert "ปีงบประมาณ 2569: 20.0" in text or "2569" in text
    assert "ยังไม่มีผลประเมิน PA ปีงบประมาณ 2569" in text
    assert DevelopmentActivity.objects.get().evidence.name.endswith(".png")


def test_scope_of_record_pages(world: World, staff: Staff) -> None:
    principal2 = f.MembershipFactory(role=Role.PRINCIPAL, school=world.school2).user
    own, other = staff.teacher1.uuid, staff.teacher2.uuid
    assert client_for(world.teacher1).get(f"/teachers/staff/{own}/").status_code == 200
    assert client_for(world.teacher1).get(f"/teachers/staff/{other}/").status_code == 404
    assert client_for(world.teacher1).get(f"/teachers/{other}/record.pdf").status_code == 404
    # A teacher without staff rights does not see a colleague at the same school either.
    assert client_for(world.teacher1).get(f"/teachers/staff/{staff.principal1.uuid}/").status_code == 404
    assert client_for(principal2).get(f"/teachers/staff/{own}/").status_code == 404
    assert client_for(principal2).get(f"/teachers/staff/?school={world.school1.code}").status_code == 404
    assert client_for(principal2).get(f"/teachers/staff/{other}/").status_code == 200
    staff_page = client_for(world.principal1).get("/teachers/staff/").content.decode()
    assert staff.teacher1.full_name in staff_page and staff.teacher2.full_name not in staff_page


def test_area_officer_reads_but_does_not_write(world: World, staff: Staff) -> None:
    client = client_for(world.officer)
    page = client.get(f"/teachers/staff/{staff.teacher1.uuid}/")
    assert page.status_code == 200
    assert "school office" not in page.content.decode().lower()
    response = client.post(
        f"/teachers/staff/{staff.teacher1.uuid}/standing/", {"standing": "senior", "since": "01/01/2565"}
    )
    assert response.status_code == 404
    assert client.get(f"/teachers/staff/{staff.teacher2.uuid}/").status_code == 404


def test_office_adds_standing_and_pa_through_the_page(world: World, staff: Staff) -> None:
    client = client_for(world.admin1)
    url = f"/teachers/staff/{staff.teacher1.uuid}/"
    assert client.post(url + "standing/", {"standing": "senior", "since": "01/04/2562"}).status_code == 302
    response = client.post(
        url + "pa/",
        {"fiscal_year_be": "2569", "agreed_on": "15/10/2568", "assessor_1": "ผอ.สมชาย", "score_1": "150"},
    )
    assert response.status_code == 400
    assert "คะแนนต้องเป็นร้อยละ 0–100" in response.content.decode()
    assert not staff.teacher1.performance_agreements.exists()
    client.post(
        url + "pa/",
        {"fiscal_year_be": "2569", "agreed_on": "15/10/2568", "assessor_1": "ผอ.สมชาย", "score_1": "88"},
    )
    page = client.get(url).content.decode()
    assert "ชำนาญการ" in page and "ผอ.สมชาย <b>88%</b>" in page


def test_record_pdf_has_thai_names_and_be_dates(world: World, staff: Staff) -> None:
    give_good_record(staff.teacher1, since=dt.date(2018, 1, 1), years=[2567, 2568, 2569])
    services.add_activity(
        actor=world.teacher1,
        person=staff.teacher1,
        kind="training",
        title="อบรมการสอนคณิตศาสตร์",
        started_on=dt.date(2026, 6, 1),
        ended_on=dt.date(2026, 6, 2),
        hours=12,
    )
    response = client_for(world.principal1).get(f"/teachers/{staff.teacher1.uuid}/record.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "ทะเบียนประวัติครู" in text
    assert staff.teacher1.full_name in text
    assert "1 ม.ค. 2561" in text  # the standing's date, in BE
    assert "อบรมการสอนคณิตศาสตร์" in text


def test_staff_list_queries_do_not_grow_with_the_staff(world: World, staff: Staff) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.principal1)
    url = f"/teachers/staff/?school={world.school1.code}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(8):
        person = f.PersonFactory()
        give_good_record(person, since=dt.date(2015, 1, 1), years=[2568, 2569])
        person.staff_posts.create(school=world.school1, position="teacher", starts_on=dt.date(2015, 1, 1))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(re.findall(r'href="/teachers/staff/[0-9a-f-]{36}/"', page.content.decode())) == 10
    assert len(many) == len(few)


def test_subjects_and_hours_come_from_the_gradebook(world: World, staff: Staff) -> None:
    from decimal import Decimal

    from khru.assessment import services as assessment
    from khru.org.models import Term

    term = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    assessment.create_course(
        actor=world.teacher1, classroom=world.class1, term=term, code="ท14101", name_th="ภาษาไทย",
        credits=Decimal("1.5"), hours=60, teacher=world.teacher1,
    )  # fmt: skip
    page = client_for(world.principal1).get(f"/teachers/staff/{staff.teacher1.uuid}/").content.decode()
    assert "ท14101 ภาษาไทย · ป.4/1" in page
    assert "60 ชั่วโมง ประมาณ 2.9 ชั่วโมงต่อสัปดาห์" in page  # 16 May – 11 Oct: 21 weeks
    assert "ครูประจำชั้น" in page


def test_deleting_an_activity_is_audited_and_imported_ones_stay(world: World, staff: Staff) -> None:
    from khru.core.models import AuditEvent

    typed = services.add_activity(
        actor=world.teacher1, person=staff.teacher1, kind="plc", title="PLC คณิต",
        started_on=dt.date(2026, 6, 1), ended_on=dt.date(2026, 6, 1), hours=2, evidence_content=PDF,
    )  # fmt: skip
    imported = DevelopmentActivity.objects.create(
        person=staff.teacher1, kind="online", title="หลักสูตร", provider="TEPE", started_on=dt.date(2026, 6, 1),
        ended_on=dt.date(2026, 6, 1), hours=6, source="import", external_ref="T-1",
    )  # fmt: skip
    client = client_for(world.teacher1)
    assert client.post(f"/teachers/activities/{typed.uuid}/delete/").status_code == 302
    assert client_for(world.teacher2).post(f"/teachers/activities/{imported.uuid}/delete/").status_code == 404
    client.post(f"/teachers/activities/{imported.uuid}/delete/")
    assert list(DevelopmentActivity.objects.values_list("title", flat=True)) == ["หลักสูตร"]
    assert AuditEvent.objects.filter(action="delete", object_type="teachers.developmentactivity").count() == 1


def test_area_officer_sees_counts_by_standing_with_small_cells_hidden(world: World, staff: Staff) -> None:
    from khru.teachers.models import StandingRecord

    second = f.SchoolFactory(area=world.school1.area)
    for n in range(7):
        person = f.PersonFactory()
        person.staff_posts.create(
            school=second if n < 6 else world.school1, position="teacher", starts_on=dt.date(2015, 1, 1)
        )
        StandingRecord.objects.create(person=person, standing="senior", since=dt.date(2020, 1, 1))
    StandingRecord.objects.create(person=staff.teacher1, standing="special", since=dt.date(2020, 1, 1))
    page = client_for(world.officer).get("/teachers/staff/").content.decode()
    assert "ครูจำแนกตามวิทยฐานะ" in page
    assert "&lt;5" in page and ">6<" in page  # school 1's 1 + 1 hidden; the second school's 6 shown
    assert staff.teacher1.full_name not in page


def test_a_move_ends_the_current_appointment_through_the_page(world: World, staff: Staff) -> None:
    client = client_for(world.admin1)
    url = f"/teachers/staff/{staff.teacher1.uuid}/appointment/"
    first = {"position": "teacher", "school_code": world.school1.code, "started_on": "16/05/2558"}
    assert client.post(url, first).status_code == 302
    move = {"position": "deputy", "school_code": world.school2.code, "started_on": "01/10/2568"}
    refused = client.post(url, move)
    assert refused.status_code == 400 and "ซ้อน" in refused.content.decode()
    assert client.post(url, move | {"end_current": "on"}).status_code == 302
    posts = list(Appointment.objects.filter(person=staff.teacher1).values_list("position", "ended_on"))
    assert posts == [("teacher", dt.date(2025, 9, 30)), ("deputy", None)]
    unknown = client.post(url, {"position": "teacher", "school_code": "nope", "started_on": "01/01/2569"})
    assert "ไม่พบรหัสสถานศึกษานี้" in unknown.content.decode()
