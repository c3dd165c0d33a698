"""Pages and API answers that may show a person are not kept by browsers or proxies; public pages may be."""

from django.test import Client
from django.urls import reverse

from khru.exchange.services import issue_token


def test_a_signed_in_page_showing_a_child_is_not_stored(world):
    client = Client()
    client.force_login(world.teacher1)
    page = client.get(reverse("people:student", args=[world.student1.uuid]))
    assert page.status_code == 200 and world.student1.first_name_th in page.content.decode()
    assert page["Cache-Control"] == "no-store"


def test_every_api_answer_is_not_stored(client, world):
    token = issue_token(actor=world.teacher1)
    found = client.get(f"/api/v1/students?school={world.school1.code}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert found.status_code == 200 and found["Cache-Control"] == "no-store"
    refused = client.get("/api/v1/students?school=1", HTTP_AUTHORIZATION="Bearer khru_wrong")
    assert refused.status_code == 401 and refused["Cache-Control"] == "no-store"


def test_public_pages_stay_cacheable(client, world):
    for url in (reverse("verify_licence", args=["T00-0000000"]), reverse("verify", args=["NOSUCHCODE"])):
        assert "no-store" not in client.get(url).get("Cache-Control", ""), url
