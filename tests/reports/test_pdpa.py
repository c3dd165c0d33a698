"""A PDPA access request: every row about the person, a Thai PDF summary, audited; the page only for someone
who may see the person's sensitive data."""

import datetime as dt
import io
import json
import zipfile

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from khru.core.models import AuditEvent
from khru.health import services as health
from tests.pdftext import pdf_text


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _measure(world):
    health.record_measurements(
        actor=world.teacher1, classroom=world.class1, measured_on=dt.date(2026, 6, 15),
        rows={world.student1.pk: ("32.5", "138.2")},
    )  # fmt: skip


def test_the_command_writes_every_row_and_a_thai_summary(world, tmp_path, capsys):
    _measure(world)
    out = tmp_path / "child.zip"
    call_command("export_person", world.student1.citizen_id, "--output", str(out))
    with zipfile.ZipFile(out) as bundle:
        document = json.loads(bundle.read("person.json"))
        summary = pdf_text(bundle.read("summary.pdf"))
    tables = document["tables"]
    assert tables["people.person"][0]["citizen_id"] == world.student1.citizen_id
    assert [e["school"] for e in tables["people.enrolment"]] == [world.school1.pk]
    assert [m["weight_kg"] for m in tables["health.measurement"]] == ["32.50"]
    assert "student2" not in json.dumps(tables) and world.student2.citizen_id not in json.dumps(tables)
    assert "ข้อมูลส่วนบุคคลที่ระบบ Khru เก็บไว้" in summary and world.student1.first_name_th in summary
    assert world.school1.name_th in summary
    event = AuditEvent.objects.get(action="export", person_id=world.student1.pk)
    assert event.school_id == world.school1.pk and "PDPA export" in event.summary


def test_the_command_names_an_unknown_citizen_id(world, tmp_path):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ไม่พบบุคคล"):
        call_command("export_person", "1111111111119", "--output", str(tmp_path / "x.zip"))


def test_the_page_is_for_those_who_may_see_sensitive_data(world):
    url = reverse("reports:person_export", args=[world.student1.uuid])
    detail = signed_in(world.admin1).get(reverse("people:student", args=[world.student1.uuid]))
    assert url in detail.content.decode()
    assert signed_in(world.admin1).get(url).status_code == 200
    response = signed_in(world.admin1).post(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        assert json.loads(bundle.read("person.json"))["person"] == str(world.student1.uuid)
    assert (
        AuditEvent.objects.filter(actor=world.admin1, action="export", person_id=world.student1.pk).count()
        == 1
    )
    for outsider in (world.admin2, world.officer):
        assert signed_in(outsider).get(url).status_code == 404
        assert signed_in(outsider).post(url).status_code == 404
