"""Pages: sign-in, language, scope on every way in, and what a failed save keeps."""

import pytest
from django.test import Client
from django.urls import reverse

from khru.core.models import AuditEvent
from khru.people.models import Enrolment


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_login_page_is_thai_first(client):
    page = client.get(reverse("web:login"))
    assert page.status_code == 200 and 'lang="th"' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert 'lang="en"' in client.get(reverse("web:login")).content.decode()


def test_sign_in_by_citizen_id(client, world):
    from khru.people.models import Person

    Person.objects.filter(pk=world.student1.pk).update(user=world.teacher1)  # any person row will do
    response = client.post(
        reverse("web:login"), {"username": world.student1.citizen_id, "password": "khru-test-pass"}
    )
    assert response.status_code == 302 and response.url == reverse("web:home")
    assert AuditEvent.objects.filter(actor=world.teacher1, action="login").exists()


def test_sign_out_is_audited_and_a_signed_out_visit_is_not(client, world):
    client.force_login(world.teacher1)
    assert client.post(reverse("web:logout")).status_code == 302
    assert list(AuditEvent.objects.filter(action="logout").values_list("actor", "object_id")) == [
        (world.teacher1.pk, str(world.teacher1.pk))
    ]
    client.post(reverse("web:logout"))  # no one is signed in now: nothing more to record
    assert AuditEvent.objects.filter(action="logout").count() == 1


def test_pages_need_sign_in(client, world):
    response = client.get(reverse("org:school", args=[world.school1.code]))
    assert response.status_code == 302 and reverse("web:login") in response.url


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("org:school", args=[w.school2.code]),
        lambda w: reverse("org:classroom", args=[w.class2.uuid]),
        lambda w: reverse("people:student", args=[w.student2.uuid]),
        lambda w: reverse("people:enrol", args=[w.school2.code]),
        lambda w: reverse("people:import", args=[w.school2.code]),
        lambda w: reverse("people:promote", args=[w.school2.code]),
        lambda w: reverse("people:transfer", args=[w.school2.code]),
        lambda w: reverse("people:exit", args=[Enrolment.objects.get(person=w.student2).pk]),
    ],
)
def test_teacher_of_school_1_gets_nothing_of_school_2(world, url):
    response = signed_in(world.teacher1).get(url(world))
    assert response.status_code == 404
    assert world.student2.first_name_th not in response.content.decode()


def test_search_page_finds_own_students_only(world):
    client = signed_in(world.teacher1)
    mine = client.get(reverse("people:search"), {"q": world.student1.first_name_th}).content.decode()
    theirs = client.get(reverse("people:search"), {"q": world.student2.first_name_th}).content.decode()
    assert world.student1.full_name in mine and world.student2.full_name not in theirs


def test_htmx_search_returns_only_the_results_partial(world):
    page = (
        signed_in(world.teacher1)
        .get(reverse("people:search"), {"q": world.student1.first_name_th}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert world.student1.full_name in page and "<html" not in page


def test_reading_a_student_record_is_audited(world):
    signed_in(world.teacher1).get(reverse("people:student", args=[world.student1.uuid]))
    assert AuditEvent.objects.filter(
        actor=world.teacher1, action="read", object_id=str(world.student1.pk)
    ).exists()


def test_failed_enrolment_keeps_what_was_typed(world):
    form = {
        "citizen_id": "1234567890120",
        "name_prefix": "เด็กหญิง",
        "first_name_th": "ปุณยวีร์",
        "last_name_th": "ทองดี",
        "sex": "F",
        "birth_date": "01/06/2559",
        "grade": "P4",
        "room": "1",
        "starts_on": "01/06/2569",
    }
    response = signed_in(world.admin1).post(reverse("people:enrol", args=[world.school1.code]), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "หลักตรวจสอบผิด" in page
    for typed in ("ปุณยวีร์", "ทองดี", "01/06/2559", "1234567890120"):
        assert f'value="{typed}"' in page


def test_classroom_page_takes_a_constant_number_of_queries(world, django_assert_max_num_queries):
    from tests import factories as f

    client = signed_in(world.teacher1)
    url = reverse("org:classroom", args=[world.class1.uuid])
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for _ in range(30):
        f.EnrolmentFactory(classroom=world.class1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
