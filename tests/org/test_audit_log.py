"""Audit you can read: bulk reads leave one row, person events carry the school, the audit page and a child's
access log show each reader exactly their scope."""

import csv
import io

from django.test import Client
from django.urls import reverse

from khru.core import audit
from khru.core.models import AuditEvent
from khru.exchange.services import issue_token
from khru.org import scope
from khru.org.roles import Perm
from tests import factories as f


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_students_api_writes_one_row_per_page(client, world):
    token = issue_token(actor=world.admin1)
    before = AuditEvent.objects.filter(action="read", object_type="people.person").count()
    response = client.get(
        f"/api/v1/students?school={world.school1.code}&limit=50", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    rows = AuditEvent.objects.filter(action="read", object_type="people.person", actor=world.admin1)
    assert rows.count() == before + 1
    event = rows.get()
    assert event.school_id == world.school1.pk
    assert event.changes == {"filters": {"school": world.school1.code, "limit": 50}, "count": 1}


def test_class_list_and_search_are_audited_with_their_count(world):
    signed_in(world.teacher1).get(reverse("org:classroom", args=[world.class1.uuid]))
    signed_in(world.admin1).get(reverse("people:search"), {"q": world.student1.first_name_th})
    reads = AuditEvent.objects.filter(action="read", object_type="people.person").order_by("pk")
    assert [(e.actor, e.changes["count"], e.school_id) for e in reads] == [
        (world.teacher1, 1, world.school1.pk),
        (world.admin1, 1, world.school1.pk),
    ]
    assert reads[0].changes["filters"] == {"classroom": str(world.class1.uuid)}
    assert reads[1].changes["filters"] == {"q": world.student1.first_name_th}


def test_an_event_about_a_person_carries_the_person_and_their_school(world):
    event = audit.record(actor=world.admin1, action=audit.Action.READ, obj=world.student1, summary="x")
    assert (event.person_id, event.school_id) == (world.student1.pk, world.school1.pk)
    enrolment = world.student2.enrolments.get()
    event = audit.record(actor=world.admin2, action=audit.Action.UPDATE, obj=enrolment)
    assert (event.person_id, event.school_id) == (world.student2.pk, world.school2.pk)
    # A principal can now see reads of their school's children, which had no school before.
    assert AuditEvent.objects.filter(scope.visible(world.principal1, AuditEvent), person_id=world.student1.pk)


def test_the_audit_rule_answers_view_audit_only_and_reaches_the_officers_area(world):
    audit.record(actor=world.admin1, action=audit.Action.READ, obj=world.student1)
    audit.record(actor=world.admin2, action=audit.Action.READ, obj=world.student2)
    seen = AuditEvent.objects.filter(scope.visible(world.officer, AuditEvent))
    assert set(seen.values_list("school_id", flat=True)) == {world.school1.pk}
    assert not AuditEvent.objects.filter(
        scope.visible(world.principal1, AuditEvent, Perm.VIEW_STUDENTS)
    ).exists()
    assert AuditEvent.objects.filter(scope.visible(world.sysadmin, AuditEvent)).count() == 2


def test_the_audit_page_shows_each_reader_their_scope_with_filters(world):
    audit.record(actor=world.admin1, action=audit.Action.READ, obj=world.student1, summary="read one")
    audit.record(actor=world.admin2, action=audit.Action.UPDATE, obj=world.student2, summary="changed two")
    page = signed_in(world.principal1).get(reverse("org:audit"))
    text = page.content.decode()
    assert page.status_code == 200 and "read one" in text and "changed two" not in text
    assert "ประวัติการใช้ข้อมูล" in text  # the Thai nav label and heading
    everything = signed_in(world.sysadmin).get(reverse("org:audit")).content.decode()
    assert "read one" in everything and "changed two" in everything
    by_person = signed_in(world.sysadmin).get(reverse("org:audit"), {"person": world.student2.citizen_id})
    assert "changed two" in by_person.content.decode() and "read one" not in by_person.content.decode()
    by_user = signed_in(world.sysadmin).get(
        reverse("org:audit"), {"user": world.admin1.username, "action": "read"}
    )
    assert "read one" in by_user.content.decode() and "changed two" not in by_user.content.decode()
    officer = signed_in(world.officer).get(reverse("org:audit")).content.decode()
    assert "read one" in officer and "changed two" not in officer
    assert signed_in(world.teacher1).get(reverse("org:audit")).status_code == 404
    bad = signed_in(world.principal1).get(reverse("org:audit"), {"date_from": "not a date"})
    assert bad.status_code == 400 and "read one" not in bad.content.decode()
    # Dates are typed in the Buddhist Era, as everywhere else (no CE date picker).
    since = {"date_from": "01/01/2600", "user": world.admin1.username}
    assert "read one" not in signed_in(world.sysadmin).get(reverse("org:audit"), since).content.decode()
    until = {"date_to": "01/01/2600", "user": world.admin1.username}
    page = signed_in(world.sysadmin).get(reverse("org:audit"), until).content.decode()
    assert "read one" in page and 'type="date"' not in page


def test_the_audit_csv_lists_the_filtered_events_and_is_audited(world):
    audit.record(actor=world.admin1, action=audit.Action.READ, obj=world.student1, summary="read one")
    audit.record(actor=world.admin1, action=audit.Action.UPDATE, obj=world.student1, summary="changed one")
    response = signed_in(world.principal1).get(reverse("org:audit"), {"action": "update", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["at", "user", "action"]
    assert [(r[1], r[2], r[7]) for r in rows[1:]] == [(world.admin1.username, "update", "changed one")]
    assert AuditEvent.objects.filter(actor=world.principal1, object_type="core.auditevent").count() == 1


def test_the_audit_page_is_paged(world):
    for n in range(55):
        audit.record(actor=world.admin1, action=audit.Action.READ, obj=world.student1, summary=f"read {n}")
    first = signed_in(world.principal1).get(reverse("org:audit")).content.decode()
    second = signed_in(world.principal1).get(reverse("org:audit"), {"page": 2}).content.decode()
    assert "read 54" in first and "read 0<" not in first
    assert "read 0<" in second and "read 54" not in second


def test_a_childs_access_log_for_the_registrar_and_principal_only(world):
    signed_in(world.teacher1).get(reverse("people:student", args=[world.student1.uuid]))  # an audited read
    url = reverse("people:access_log", args=[world.student1.uuid])
    for reader in (world.admin1, world.principal1):
        page = signed_in(reader).get(url)
        assert page.status_code == 200
        assert world.teacher1.username in page.content.decode()  # a login with no person: its username
    f.PersonFactory(user=world.teacher1, prefix="นาย", first_name_th="สมปอง", last_name_th="ครูดี")
    for page in (signed_in(world.principal1).get(url), signed_in(world.principal1).get(reverse("org:audit"))):
        shown = page.content.decode().split("<main")[1]
        assert "นายสมปอง ครูดี" in shown and f">{world.teacher1.username}<" not in shown
    for outsider in (world.teacher1, world.admin2, world.officer):
        assert signed_in(outsider).get(url).status_code == 404
    detail = signed_in(world.admin1).get(reverse("people:student", args=[world.student1.uuid]))
    assert url in detail.content.decode()


def test_a_hostile_name_and_summary_are_text_in_the_audit_csv(world):
    from khru.people.models import Person

    hostile = '=HYPERLINK("http://x","y")'
    Person.objects.filter(pk=world.student1.pk).update(first_name_th=hostile)
    audit.record(actor=world.admin1, action=audit.Action.UPDATE, obj=world.student1, summary=hostile)
    response = signed_in(world.principal1).get(reverse("org:audit"), {"action": "update", "format": "csv"})
    [row] = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert row[6].startswith("'=HYPERLINK") and row[7] == "'" + hostile
