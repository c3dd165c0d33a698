"""The licences API: a renewal through KSP School / Self-service and the council's decision, in scope."""

import json

from khru.licences.models import Licence, RenewalRequest
from tests.licences.conftest import activities


def post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_renewal_requested_and_approved_through_the_api(holders, world, client):
    licence = holders.licence1
    chosen = activities(holders.teacher1, 3, since=licence.issued_on)
    client.force_login(world.admin1)  # the school's office: KSP School
    response = post(
        client, f"/api/v1/licences/{licence.uuid}/renewals", {"activities": [str(a.uuid) for a in chosen]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["channel"], body["licence"]) == ("submitted", "school", licence.number)

    assert client.get("/api/v1/licences/renewals/pending").status_code == 404  # not the council
    client.force_login(holders.council)
    pending = client.get("/api/v1/licences/renewals/pending").json()
    assert [r["uuid"] for r in pending] == [body["uuid"]]
    approved = post(client, f"/api/v1/licences/renewals/{body['uuid']}/approve").json()
    assert approved["status"] == "approved"
    assert Licence.objects.get(number=approved["new_licence"]).renews == licence


def test_api_refuses_unknown_activities_and_other_peoples_licences(holders, world, client):
    other = activities(holders.teacher2, 3, since=holders.licence1.issued_on)
    client.force_login(world.teacher1)
    response = post(
        client,
        f"/api/v1/licences/{holders.licence1.uuid}/renewals",
        {"activities": [str(a.uuid) for a in other]},
    )
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "activities"
    assert (
        post(client, f"/api/v1/licences/{holders.licence2.uuid}/renewals", {"activities": []}).status_code
        == 404
    )
    assert not RenewalRequest.objects.exists()


def test_return_through_the_api_needs_a_reason(holders, world, client):
    from khru.licences import services

    ids = [a.pk for a in activities(holders.teacher1, 3, since=holders.licence1.issued_on)]
    renewal = services.request_renewal(actor=world.teacher1, licence=holders.licence1, activity_ids=ids)
    client.force_login(holders.council)
    assert (
        post(client, f"/api/v1/licences/renewals/{renewal.uuid}/return", {"reason": " "}).status_code == 400
    )
    returned = post(
        client, f"/api/v1/licences/renewals/{renewal.uuid}/return", {"reason": "ขาดหลักฐาน"}
    ).json()
    assert (returned["status"], returned["reason"]) == ("returned", "ขาดหลักฐาน")
