"""Refusals, access (PDPA), audited reads, pages, the API, a school's own form, and a constant query count."""

import pytest
from django.test import Client
from django.urls import reverse

from khru.care import selectors, services
from khru.care.models import Answer, Questionnaire, Response, Screening
from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.exchange.services import issue_token
from tests import factories as f
from tests.care.helpers import DAY, answers_for, record, sdq


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_answer_outside_the_scale_refuses_the_whole_response(world):
    answers = answers_for(10)
    answers[7] = 3
    with pytest.raises(KhruError) as refused:
        record(world, answers)
    assert [p.field for p in refused.value.problems] == ["item 7"]
    assert "ข้อ 7" in refused.value.problems[0].th and "item 7" in refused.value.problems[0].en
    assert Response.objects.count() == 0 and Answer.objects.count() == 0 and Screening.objects.count() == 0


def test_missing_and_unknown_items_are_named(world):
    answers = answers_for(10)
    del answers[12]
    answers[26] = 1
    with pytest.raises(KhruError) as refused:
        record(world, answers)
    assert {p.field for p in refused.value.problems} == {"item 12", "item 26"}
    assert Response.objects.count() == 0


def test_another_schools_teacher_gets_nothing(world, client):
    record(world, answers_for(10))
    with pytest.raises(NotAllowed):
        record(world, answers_for(10), actor=world.teacher2)
    with pytest.raises(NotAllowed):
        services.record_screening(actor=world.teacher2, person=world.student1, area="family", status="normal")
    with pytest.raises(NotAllowed):
        selectors.get_child(actor=world.teacher2, uuid=str(world.student1.uuid))
    other = login(world.teacher2)
    response = Response.objects.get()
    assert other.get(reverse("care:student", args=[world.student1.uuid])).status_code == 404
    assert other.get(reverse("care:response", args=[response.uuid])).status_code == 404
    assert other.get(reverse("care:classroom", args=[world.class1.uuid])).status_code == 404
    assert other.get(reverse("care:respond", args=[world.student1.uuid, sdq().uuid])).status_code == 404
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher2)}"}
    assert client.get(f"/api/v1/care/students/{world.student1.uuid}/screenings", **headers).status_code == 404
    body = {
        "student": str(world.student1.uuid),
        "respondent": "teacher",
        "answered_on": str(DAY),
        "answers": {},
    }
    posted = client.post("/api/v1/care/responses", body, content_type="application/json", **headers)
    assert posted.status_code == 404 and Response.objects.count() == 1


def test_a_subject_teacher_cannot_read_responses(world):
    record(world, answers_for(10))
    subject = f.MembershipFactory(role="subject", classroom=world.class1).user
    with pytest.raises(NotAllowed):
        selectors.get_child(actor=subject, uuid=str(world.student1.uuid))
    with pytest.raises(NotAllowed):
        selectors.get_response(actor=subject, uuid=str(Response.objects.get().uuid))
    with pytest.raises(NotAllowed):
        record(world, answers_for(10), actor=subject)
    assert selectors.responses_for(actor=subject, person=world.student1) == []
    assert login(subject).get(reverse("care:classroom", args=[world.class1.uuid])).status_code == 404


def test_the_school_office_may_record_and_reads_are_audited(world):
    record(world, answers_for(16), actor=world.admin1)
    reads = AuditEvent.objects.filter(action="read")
    assert reads.count() == 0
    found = selectors.responses_for(actor=world.principal1, person=world.student1)
    assert [r.total_band for r in found] == ["risk"]
    page = login(world.teacher1).get(reverse("care:student", args=[world.student1.uuid]))
    assert page.status_code == 200 and "SDQ" in page.content.decode()
    assert set(reads.values_list("actor_id", flat=True)) == {world.principal1.pk, world.teacher1.pk}
    # screening history, responses, notes, interventions
    assert reads.filter(actor=world.teacher1, object_type="people.person").count() == 4


def test_screening_history_keeps_every_row_and_the_latest_is_current(world, client):
    services.record_screening(actor=world.teacher1, person=world.student1, area="family", status="normal")
    with pytest.raises(KhruError) as refused:
        services.record_screening(actor=world.teacher1, person=world.student1, area="family", status="risk")
    assert refused.value.problems[0].field == "reason"
    services.record_screening(
        actor=world.teacher1, person=world.student1, area="family", status="risk", reason="พ่อแม่แยกทาง"
    )
    assert Screening.objects.count() == 2
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher1)}"}
    rows = client.get(f"/api/v1/care/students/{world.student1.uuid}/screenings", **headers).json()
    assert [(r["status"], r["current"]) for r in rows] == [("risk", True), ("normal", False)]
    grid = selectors.class_grid(actor=world.teacher1, classroom=world.class1)
    assert grid.rows[0].current["family"].status == "risk"


def test_api_records_a_response(world, client):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher1)}"}
    body = {
        "student": str(world.student1.uuid),
        "respondent": "parent",
        "respondent_name": "มารดา",
        "answered_on": str(DAY),
        "answers": answers_for(17),
    }
    saved = client.post("/api/v1/care/responses", body, content_type="application/json", **headers)
    assert saved.status_code == 200 and (saved.json()["total"], saved.json()["band"]) == (17, "risk")
    bad = {**body, "answers": {**answers_for(17), "3": 5}}
    refused = client.post("/api/v1/care/responses", bad, content_type="application/json", **headers)
    assert refused.status_code == 400 and refused.json()["problems"][0]["field"] == "item 3"
    assert Response.objects.count() == 1


def test_sdq_page_keeps_answers_after_a_refusal_then_saves(world):
    teacher = login(world.teacher1)
    url = reverse("care:respond", args=[world.student1.uuid, sdq().uuid])
    page = teacher.get(url)
    assert page.status_code == 200 and page.content.decode().count('type="radio" name="item-') == 75
    form = {"respondent": "teacher", "answered_on": "15/06/2569"}
    form |= {f"item-{n}": v for n, v in answers_for(18).items() if n != 25}
    refused = teacher.post(url, form)
    html = refused.content.decode()
    assert refused.status_code == 400 and "ข้อ 25" in html
    assert 'name="item-3" value="2" checked' in html  # what was typed is still there
    saved = teacher.post(url, form | {"item-25": "2"})
    response = Response.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("care:response", args=[response.uuid])
    result = teacher.get(saved["Location"]).content.decode()
    assert "band-problem" in result and "18" in result


def test_a_school_made_questionnaire_works_end_to_end(world):
    office = login(world.admin1)
    url = reverse("care:school_forms", args=[world.school1.code])
    assert login(world.teacher1).get(url).status_code == 404  # a teacher does not build forms
    assert login(world.admin2).get(url).status_code == 404  # nor another school's office
    created = office.post(
        url,
        {
            "code": "bully",
            "name_th": "แบบคัดกรองการถูกรังแก",
            "scale": "0 ไม่เคย\n1 บางครั้ง\n2 บ่อย",
            "items": "ถูกล้อเลียน\nถูกทำร้ายร่างกาย\n*มีเพื่อนช่วยเหลือ\n",
            "normal_max": "1",
            "risk_max": "3",
        },
    )
    assert created.status_code == 302
    form = Questionnaire.objects.get(code="BULLY")
    assert form.school == world.school1 and list(form.items.values_list("reverse_scored", flat=True)) == [
        False,
        False,
        True,
    ]
    teacher = login(world.teacher1)
    assert form.name_th in teacher.get(reverse("care:student", args=[world.student1.uuid])).content.decode()
    entry = reverse("care:respond", args=[world.student1.uuid, form.uuid])
    saved = teacher.post(
        entry,
        {"respondent": "self", "answered_on": "15/06/2569", "item-1": "1", "item-2": "0", "item-3": "0"},
    )
    assert saved.status_code == 302
    response = Response.objects.get(questionnaire=form)
    assert (response.total, response.total_band) == (3, "risk")  # 1 + 0 + (2 − 0)
    assert (
        login(world.teacher2).get(reverse("care:respond", args=[world.student2.uuid, form.uuid])).status_code
        == 404
    )
    refused = office.post(
        url,
        {"code": "X", "name_th": "x", "scale": "0 ไม่\n1 ใช่", "items": "a", "normal_max": 1, "risk_max": 2},
    )
    assert refused.status_code == 400 and Questionnaire.objects.filter(code="X").count() == 0


def test_class_care_page_queries_do_not_grow_with_the_class(world, django_assert_max_num_queries):
    teacher = login(world.teacher1)
    url = reverse("care:classroom", args=[world.class1.uuid])
    record(world, answers_for(17))
    services.record_screening(actor=world.teacher1, person=world.student1, area="health", status="normal")
    teacher.get(url)
    with django_assert_max_num_queries(30) as few:
        assert teacher.get(url).status_code == 200
    for _ in range(29):
        child = f.EnrolmentFactory(classroom=world.class1).person
        record(world, answers_for(5), person=child)
        services.record_screening(actor=world.teacher1, person=child, area="learning", status="normal")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = teacher.get(url)
    html = page.content.decode()
    assert html.count(reverse("care:student", args=[world.student1.uuid])) == 1
    assert html.count("band band-risk") >= 2 and html.count('class="band band-normal"') >= 30


def test_classroom_detail_links_to_care(world):
    page = login(world.teacher1).get(reverse("org:classroom", args=[world.class1.uuid]))
    assert reverse("care:classroom", args=[world.class1.uuid]) in page.content.decode()
