"""Approval and lock (issue 17, point 4): closing a term approves it; a teacher's edit is refused; a
reopening is asked for with a reason, granted or refused by the principal, recorded; the area sees it."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from khru.assessment import services
from khru.attendance import services as attendance
from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.org.models import Term, TermLock, UnlockRequest

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 8, 4)  # a Tuesday of term 1


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_locked_term_refuses_a_teachers_edit_and_accepts_it_audited_after_a_granted_reopening(world):
    term = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    services.lock_term(actor=world.admin1, school=world.school1, term=term)
    absent = {world.student1.pk: "absent"}
    with pytest.raises(KhruError) as refused:
        attendance.record_register(actor=world.teacher1, classroom=world.class1, date=DAY, marks=absent)
    assert "ภาคเรียนนี้ปิดแล้ว" in str(refused.value)

    url = reverse("assessment:terms", args=[world.school1.code])
    registrar = _client(world.admin1)
    assert (
        registrar.post(url, {"term": term.pk, "action": "request_unlock", "reason": " "}).status_code == 302
    )
    assert not UnlockRequest.objects.exists()  # no reason, no request
    registrar.post(url, {"term": term.pk, "action": "request_unlock", "reason": "แก้การเช็กชื่อวันที่ 4 ส.ค."})
    asked = UnlockRequest.objects.get()
    assert asked.granted is None and asked.requested_by == world.admin1
    with pytest.raises(KhruError):  # one waiting request per term
        services.request_unlock(actor=world.admin1, school=world.school1, term=term, reason="อีกครั้ง")
    with pytest.raises(NotAllowed):  # the registrar cannot grant it
        services.decide_unlock(actor=world.admin1, asked=asked, grant=True)
    page = _client(world.principal1).get(url).content.decode()
    assert "แก้การเช็กชื่อวันที่ 4 ส.ค." in page and "อนุมัติ" in page

    _client(world.principal1).post(url, {"term": term.pk, "action": "grant"})
    asked.refresh_from_db()
    assert (asked.granted, asked.decided_by) == (True, world.principal1)
    assert not TermLock.objects.filter(school=world.school1, term=term).exists()
    saved = attendance.record_register(actor=world.teacher1, classroom=world.class1, date=DAY, marks=absent)
    assert saved.changed == 1
    summaries = list(AuditEvent.objects.filter(school_id=world.school1.pk).values_list("summary", flat=True))
    assert any("asked" in s for s in summaries) and any("granted" in s for s in summaries)
    assert any("unlocked" in s for s in summaries)


def test_a_refused_reopening_keeps_the_term_closed_and_the_area_sees_what_is_approved(world):
    term = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    services.lock_term(actor=world.principal1, school=world.school1, term=term)
    asked = services.request_unlock(actor=world.admin1, school=world.school1, term=term, reason="แก้คะแนน")
    area_url = reverse("assessment:area_terms", args=[world.school1.area.code])
    page = _client(world.officer).get(area_url).content.decode()
    assert world.school1.name_th in page and "รับรองแล้ว" in page and "แก้คะแนน" in page
    services.decide_unlock(actor=world.principal1, asked=asked, grant=False)
    assert TermLock.objects.filter(school=world.school1, term=term).exists()
    with pytest.raises(KhruError):
        services.decide_unlock(actor=world.principal1, asked=asked, grant=True)
    assert "แก้คะแนน" not in _client(world.officer).get(area_url).content.decode()
    for outsider in (world.teacher1, world.principal1):
        assert _client(outsider).get(area_url).status_code == 404
