"""The REST API: bearer tokens carry the user's scope; keyset paging; OpenAPI published."""

from django.core.management import call_command

from khru.exchange.services import issue_token
from tests import factories as f


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=user)}"}


def test_openapi_is_published(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/v1/students" in spec["paths"]


def test_no_token_no_data(client, world):
    assert client.get("/api/v1/schools").status_code == 401
    assert client.get("/api/v1/schools", HTTP_AUTHORIZATION="Bearer khru_wrong").status_code == 401


def test_schools_with_student_counts_within_scope(client, world):
    body = client.get("/api/v1/schools", **bearer(world.teacher1)).json()
    assert [(s["code"], s["student_count"]) for s in body] == [(world.school1.code, 1)]
    everything = client.get("/api/v1/schools", **bearer(world.sysadmin)).json()
    assert {s["code"] for s in everything} == {world.school1.code, world.school2.code}


def test_a_teacher_of_school_1_gets_nothing_of_school_2(client, world):
    response = client.get(f"/api/v1/students?school={world.school2.code}", **bearer(world.teacher1))
    assert response.status_code == 404
    assert world.student2.first_name_th not in response.content.decode()
    mine = client.get(f"/api/v1/students?school={world.school1.code}", **bearer(world.teacher1)).json()
    assert [s["uuid"] for s in mine["items"]] == [str(world.student1.uuid)]


def test_students_are_paged_by_keyset(client, world):
    for _ in range(7):
        f.EnrolmentFactory(classroom=world.class1)
    headers = bearer(world.admin1)
    seen, after, pages = [], "", 0
    while True:
        url = f"/api/v1/students?school={world.school1.code}&limit=3" + (f"&after={after}" if after else "")
        page = client.get(url, **headers).json()
        seen += [s["uuid"] for s in page["items"]]
        pages += 1
        if not page["next"]:
            break
        after = page["next"]
    assert pages == 3 and len(seen) == len(set(seen)) == 8
    assert client.get(f"/api/v1/students?school={world.school1.code}&after=%%%", **headers).status_code in (
        400,
        422,
    )


def test_issue_token_command_prints_a_working_token(client, world, capsys):
    call_command("issue_token", world.teacher1.username)
    token = capsys.readouterr().out.strip()
    assert client.get("/api/v1/schools", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_the_students_page_is_one_query_of_rows_whatever_its_size_and_each_page_is_audited(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from khru.core.models import AuditEvent

    headers = bearer(world.admin1)
    url = f"/api/v1/students?school={world.school1.code}&limit=100"
    client.get(url, **headers)  # the token and its memberships are looked up once, then remembered briefly
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url, **headers).json()["items"]) == 1
    assert not any("exchange_apitoken" in q["sql"] for q in few.captured_queries)
    assert not any('"org_membership"' in q["sql"] for q in few.captured_queries)
    for _ in range(40):
        f.EnrolmentFactory(classroom=world.class1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, **headers).json()
    assert len(page["items"]) == 41
    first = next(s for s in page["items"] if s["uuid"] == str(world.student1.uuid))
    assert (first["first_name_th"], first["classroom"], first["grade"]) == (
        world.student1.first_name_th,
        "ป.4/1",
        "P4",
    )
    reads = AuditEvent.objects.filter(action="read", object_type="people.person", actor=world.admin1)
    assert reads.count() == 3 and reads.last().changes["count"] == 41


def test_malformed_input_names_the_row_and_field_in_thai_and_english(client, world):
    body = {"classroom": str(world.class1.uuid), "date": "2026-06-15", "marks": [{"student": "not-a-uuid"}]}
    response = client.post(
        "/api/v1/attendance/registers", body, content_type="application/json", **bearer(world.teacher1)
    )
    assert response.status_code == 422 and response.json()["detail"] == "malformed"
    problems = {(p["field"], p["row"]): p for p in response.json()["problems"]}
    assert problems[("marks.student", 1)]["th"] == "ต้องเป็นรหัส UUID"
    assert problems[("marks.code", 1)]["th"] == "ต้องระบุ" and problems[("marks.code", 1)]["en"]


def test_every_operation_documents_its_refusals_with_one_problem_schema(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "ProblemOut" in spec["components"]["schemas"]
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status in ("400", "404", "422") + (("401",) if "security" in operation else ()):
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ProblemOut"}, (method, path, status)


def test_a_save_naming_a_child_of_another_class_cannot_tell_whether_the_child_exists(client, world):
    """A child of another school, a child who transferred out (in the class on the day, but the school's reach
    ended with the enrolment) and a UUID nobody has get the same refusal, and nothing is saved."""
    import datetime as dt
    import uuid

    from khru.attendance.models import Register
    from khru.health.models import Measurement
    from khru.people.services import transfer_student

    left = f.EnrolmentFactory(classroom=world.class1).person
    transfer_student(
        actor=world.admin2, person=left, to_school=world.school2, grade="P4", room=1, on=dt.date(2026, 11, 2)
    )

    def save(path: str, row: dict) -> dict:
        response = client.post(path, row, content_type="application/json", **bearer(world.teacher1))
        assert response.status_code == 400
        return response.json()["problems"]

    answers = []
    for student in (str(world.student2.uuid), str(left.uuid), str(uuid.uuid4())):
        register = {"classroom": str(world.class1.uuid), "date": "2026-06-15", "marks": []}
        register["marks"] = [{"student": student, "code": "absent"}]
        first = save("/api/v1/attendance/registers", register)
        row = {"student": student, "weight_kg": "30.0", "height_cm": "135.0"}
        body = {"classroom": str(world.class1.uuid), "measured_on": "2026-06-15", "rows": [row]}
        second = save("/api/v1/health/measurements", body)
        answers.append([(p["field"], p["th"]) for p in first + second])
    expected = [("marks", "ไม่พบนักเรียนในห้องนี้"), ("student", "ไม่พบนักเรียนในห้องนี้")]
    assert answers[0] == answers[1] == answers[2] == expected
    assert not Register.objects.exists() and not Measurement.objects.exists()
