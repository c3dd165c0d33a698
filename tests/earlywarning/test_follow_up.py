"""Follow-up cases: opened from a flag with its reasons, one per child, holding the child's interventions;
overdue actions on the teacher's and principal's home pages; closed with an outcome; the monthly list."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from khru.care import services as care
from khru.care.models import Case, Intervention
from khru.core.errors import KhruError
from khru.core.models import AuditEvent
from khru.people.models import EndReason
from tests.earlywarning.test_flags import START, _registers, _school_days
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def flagged(world, monkeypatch):
    """student1 missed every day of four weeks; the pages' today is the day after."""
    days = _school_days(START, 20)
    _registers(world, days, {world.student1.pk: "absent"})
    today = days[-1] + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)  # django's module: every caller
    return today


def _open(world, user=None):
    url = reverse("earlywarning:follow_up", args=[world.class1.uuid, world.student1.uuid])
    return _client(user or world.teacher1).post(url)


def test_a_flagged_child_is_followed_up_with_the_reasons_shown_and_never_twice(world, flagged):
    answer = _open(world)
    assert answer.status_code == 302 and answer["Location"].endswith("#case")
    case = Case.objects.get(person=world.student1)
    assert "มาเรียน 0 วันจาก 20 วันในภาคนี้ (0.0%)" in case.reasons
    assert (case.responsible, case.opened_on, case.school) == (world.teacher1, flagged, world.school1)
    assert _open(world, world.principal1).status_code == 302
    assert Case.objects.filter(person=world.student1).count() == 1  # the open case, not a second
    assert AuditEvent.objects.filter(object_type="care.case", action="create").count() == 1
    page = _client(world.teacher1).get(answer["Location"]).content.decode()
    assert "ติดตามตั้งแต่" in page and "มาเรียน 0 วันจาก 20 วัน" in page


def test_outsiders_cannot_open_a_follow_up(world, flagged):
    for outsider in (world.teacher2, world.officer, world.admin1):
        assert _open(world, outsider).status_code == 404
    assert not Case.objects.exists()


def test_help_recorded_while_open_belongs_to_the_case_and_overdue_help_reaches_the_home_pages(
    world, flagged, monkeypatch
):
    _open(world)
    case = Case.objects.get()
    visit = care.add_intervention(
        actor=world.teacher1,
        person=world.student1,
        kind=Intervention.Kind.HOME_VISIT,
        description="เยี่ยมบ้านพูดคุยกับผู้ปกครอง",
        started_on=flagged,
        follow_up_on=flagged + dt.timedelta(days=3),
    )
    assert visit.case == case
    for reader in (world.teacher1, world.principal1):
        home = _client(reader).get("/").content.decode()
        assert "การติดตามที่เลยกำหนด" not in home  # not due yet
    monkeypatch.setattr(timezone, "localdate", lambda *args: flagged + dt.timedelta(days=10))
    for reader in (world.teacher1, world.principal1):
        home = _client(reader).get("/").content.decode()
        assert "การติดตามที่เลยกำหนด" in home and world.student1.first_name_th in home
    assert world.student1.first_name_th not in _client(world.teacher2).get("/").content.decode()
    # The child transfers out: the old school's teacher no longer follows her help.
    enrolment = world.student1.enrolments.get(ends_on__isnull=True)
    enrolment.ends_on, enrolment.end_reason = flagged + dt.timedelta(days=5), EndReason.TRANSFERRED
    enrolment.save()
    home = _client(world.teacher1).get("/").content.decode()
    assert "การติดตามที่เลยกำหนด" not in home


def test_closing_records_the_outcome_and_a_missing_one_is_named(world, flagged):
    _open(world)
    case = Case.objects.get()
    page = reverse("care:student", args=[world.student1.uuid])
    refused = _client(world.teacher1).post(page, {"action": "case_close", "case": case.uuid, "outcome": ""})
    assert refused.status_code == 400 and "โปรดเลือกผลการติดตาม" in refused.content.decode()
    assert Case.objects.get().closed_on is None
    done = _client(world.teacher1).post(
        page,
        {"action": "case_close", "case": case.uuid, "outcome": "back_in_class", "outcome_note": "มาเรียนทุกวัน"},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.outcome, case.closed_on, case.outcome_note) == ("back_in_class", flagged, "มาเรียนทุกวัน")
    with pytest.raises(KhruError):
        care.close_case(actor=world.teacher1, case=case, outcome="improved")
    assert "กลับมาเรียนตามปกติ" in _client(world.teacher1).get(page).content.decode()


def test_the_monthly_follow_up_list_is_the_schools_and_shows_what_is_overdue(world, flagged):
    _open(world)
    care.add_intervention(
        actor=world.teacher1,
        person=world.student1,
        kind=Intervention.Kind.PARENT_MEETING,
        description="นัดผู้ปกครอง",
        started_on=flagged,
        follow_up_on=flagged,
    )
    url = reverse("care:follow_up", args=[world.school1.code]) + f"?month={flagged:%Y-%m}"
    page = _client(world.principal1).get(url).content.decode()
    assert world.student1.first_name_th in page and "พบผู้ปกครอง" in page and "เลยกำหนด 1 รายการ" in page
    pdf = pdf_text(_client(world.principal1).get(url + "&format=pdf").content)
    assert "รายงานการติดตามนักเรียนประจำเดือน" in pdf and world.student1.first_name_th in pdf
    assert "พบผู้ปกครอง" in pdf and "ผู้อำนวยการสถานศึกษา" in pdf
    for outsider in (world.teacher2, world.officer):
        assert _client(outsider).get(url).status_code == 404
        assert _client(outsider).get(url + "&format=pdf").status_code == 404
