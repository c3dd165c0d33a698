"""Notes and interventions on a child: add, correct with history, soft audited delete, scope, bad input,
the care page, the x-ray page and the API."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from khru.care import selectors, services
from khru.care.models import CareNote, CareNoteVersion, Intervention, InterventionChange
from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.exchange.services import issue_token
from tests import factories as f

DAY = dt.date(2026, 6, 15)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_note(world, text="ไม่ค่อยพูดกับเพื่อน", actor=None, **kw):
    return services.add_note(actor=actor or world.teacher1, person=world.student1, text=text, **kw)


def add_intervention(world, actor=None, **kw):
    values = {"kind": "counselling", "description": "พูดคุยรายสัปดาห์", "started_on": DAY} | kw
    return services.add_intervention(actor=actor or world.teacher1, person=world.student1, **values)


def test_a_teacher_adds_a_note_and_it_is_audited(world):
    note = add_note(world, area="behaviour", noted_on=DAY)
    assert note.school == world.school1 and note.version == 1
    assert AuditEvent.objects.filter(action="create", object_type="care.carenote").count() == 1
    found = selectors.notes_for(actor=world.teacher1, person=world.student1)
    assert [n.text for n in found] == ["ไม่ค่อยพูดกับเพื่อน"]
    assert AuditEvent.objects.filter(action="read", summary__startswith="care notes").exists()


def test_an_edit_keeps_the_earlier_wording(world):
    note = add_note(world, noted_on=DAY)
    services.edit_note(actor=world.principal1, note=note, text="ไม่ค่อยพูดกับเพื่อน ช่วงสอบ")
    note.refresh_from_db()
    assert note.text == "ไม่ค่อยพูดกับเพื่อน ช่วงสอบ" and note.version == 2
    old = CareNoteVersion.objects.get()
    assert old.version == 1 and old.text == "ไม่ค่อยพูดกับเพื่อน" and old.replaced_by == world.principal1
    event = AuditEvent.objects.get(action="update", object_type="care.carenote")
    assert event.changes["text"] == ["ไม่ค่อยพูดกับเพื่อน", "ไม่ค่อยพูดกับเพื่อน ช่วงสอบ"]


def test_a_delete_is_soft_and_audited(world):
    note = add_note(world)
    services.delete_note(actor=world.teacher1, note=note)
    assert CareNote.objects.filter(pk=note.pk, deleted_at__isnull=False).exists()
    assert selectors.notes_for(actor=world.teacher1, person=world.student1) == []
    assert AuditEvent.objects.filter(
        action="delete", object_type="care.carenote", object_id=str(note.pk)
    ).exists()
    with pytest.raises(NotAllowed):
        services.edit_note(actor=world.teacher1, note=note, text="อีกครั้ง")


def test_an_empty_note_and_a_follow_up_before_the_start_are_named_in_thai_and_english(world):
    with pytest.raises(KhruError) as refused:
        add_note(world, text="   ")
    [p] = refused.value.problems
    assert p.field == "text" and p.field_th == "บันทึก" and "โปรดเขียนบันทึก" in p.th and "write the note" in p.en
    with pytest.raises(KhruError) as refused:
        add_intervention(world, description="", follow_up_on=DAY - dt.timedelta(days=1))
    by_field = {p.field: p for p in refused.value.problems}
    assert set(by_field) == {"description", "follow_up_on"}
    assert "ก่อนวันที่เริ่ม" in by_field["follow_up_on"].th and "before the start" in by_field["follow_up_on"].en
    with pytest.raises(KhruError) as refused:
        add_intervention(world, status="referred")
    assert [p.field for p in refused.value.problems] == ["referred_to"]
    assert CareNote.objects.count() == 0 and Intervention.objects.count() == 0


def test_an_intervention_update_keeps_a_change_row(world):
    found = add_intervention(world, follow_up_on=DAY + dt.timedelta(days=14))
    services.update_intervention(
        actor=world.teacher1, intervention=found, status="referred", referred_to="รพ.สต.บ้านใหม่"
    )
    found.refresh_from_db()
    assert found.status == "referred" and found.referred_to == "รพ.สต.บ้านใหม่"
    change = InterventionChange.objects.get()
    assert change.changes["status"] == ["planned", "referred"] and change.changed_by == world.teacher1
    assert AuditEvent.objects.filter(action="update", object_type="care.intervention").count() == 1
    with pytest.raises(KhruError) as refused:
        services.update_intervention(
            actor=world.teacher1, intervention=found, follow_up_on=DAY - dt.timedelta(1)
        )
    assert [p.field for p in refused.value.problems] == ["follow_up_on"]
    assert InterventionChange.objects.count() == 1


def test_another_school_or_class_is_refused_and_sees_nothing(world, client):
    note = add_note(world)
    found = add_intervention(world)
    subject = f.MembershipFactory(role="subject", classroom=world.class1).user
    for outsider in (world.teacher2, subject):
        with pytest.raises(NotAllowed):
            add_note(world, actor=outsider)
        with pytest.raises(NotAllowed):
            services.edit_note(actor=outsider, note=note, text="x")
        with pytest.raises(NotAllowed):
            services.delete_note(actor=outsider, note=note)
        with pytest.raises(NotAllowed):
            services.update_intervention(actor=outsider, intervention=found, status="done")
        assert selectors.notes_for(actor=outsider, person=world.student1) == []
        assert selectors.interventions_for(actor=outsider, person=world.student1) == []
    assert login(world.teacher2).get(reverse("care:student", args=[world.student1.uuid])).status_code == 404
    other = login(world.teacher2)
    posted = other.post(
        reverse("care:student", args=[world.student1.uuid]), {"action": "note", "note-text": "x"}
    )
    assert posted.status_code == 404
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher2)}"}
    url = f"/api/v1/care/students/{world.student1.uuid}/notes"
    assert client.get(url, **headers).status_code == 404
    assert client.post(url, {"text": "x"}, content_type="application/json", **headers).status_code == 404
    assert CareNote.objects.count() == 1 and CareNote.objects.get().text != "x"


def test_the_care_page_adds_corrects_deletes_and_updates(world):
    page = login(world.teacher1)
    url = reverse("care:student", args=[world.student1.uuid])
    response = page.post(
        url,
        {"action": "note", "note-text": "มาสายบ่อย", "note-area": "learning", "note-noted_on": "15/06/2569"},
    )
    assert response.status_code == 302
    note = CareNote.objects.get()
    assert note.noted_on == DAY and note.area == "learning"
    page.post(url, {"action": "note_edit", "note": str(note.uuid), "note-text": "มาสายบ่อย ช่วงหน้าฝน"})
    response = page.post(
        url,
        {
            "action": "intervention",
            "iv-kind": "parent_meeting",
            "iv-description": "นัดผู้ปกครองคุยเรื่องการมาสาย",
            "iv-status": "planned",
            "iv-started_on": "16/06/2569",
            "iv-follow_up_on": "30/06/2569",
            "iv-responsible": "ครูประจำชั้น",
        },
    )
    assert response.status_code == 302
    found = Intervention.objects.get()
    page.post(
        url,
        {
            "action": "intervention_update",
            "intervention": str(found.uuid),
            "ivu-status": "done",
            "ivu-outcome": "ผู้ปกครองมาส่งเช้าขึ้น",
            "ivu-follow_up_on": "30/06/2569",
        },
    )
    found.refresh_from_db()
    assert found.status == "done" and found.outcome == "ผู้ปกครองมาส่งเช้าขึ้น"
    f.PersonFactory(user=world.teacher1, prefix="นางสาว", first_name_th="สมศรี", last_name_th="ครูดี")
    shown = page.get(url).content.decode()
    assert "มาสายบ่อย ช่วงหน้าฝน" in shown and "นัดผู้ปกครองคุยเรื่องการมาสาย" in shown
    assert "ผู้ปกครองมาส่งเช้าขึ้น" in shown
    # The note and its earlier wording name the teacher as people know her, never the login
    assert shown.count("นางสาวสมศรี ครูดี") >= 2 and world.teacher1.username not in shown.split("<main")[1]
    page.post(url, {"action": "note_delete", "note": str(note.uuid)})
    assert "มาสายบ่อย ช่วงหน้าฝน" not in page.get(url).content.decode()


def test_bad_input_on_the_page_is_shown_and_nothing_is_saved(world):
    page = login(world.teacher1)
    url = reverse("care:student", args=[world.student1.uuid])
    response = page.post(
        url,
        {
            "action": "intervention",
            "iv-kind": "remedial",
            "iv-description": "สอนเสริมคณิต",
            "iv-status": "planned",
            "iv-started_on": "16/06/2569",
            "iv-follow_up_on": "01/06/2569",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "วันติดตามผลต้องไม่ก่อนวันที่เริ่ม" in text and "before the start date" not in text  # Thai page: Thai
    assert 'value="สอนเสริมคณิต"' in text or "สอนเสริมคณิต" in text  # what was typed is kept
    response = page.post(url, {"action": "note", "note-text": ""})
    assert response.status_code == 400 and "โปรดเขียนบันทึก" in response.content.decode()
    assert Intervention.objects.count() == 0 and CareNote.objects.count() == 0


def test_notes_and_interventions_show_on_the_xray_page_newest_first(world):
    add_note(world, text="บันทึกเก่า", noted_on=DAY - dt.timedelta(days=30))
    add_note(world, text="บันทึกใหม่", noted_on=DAY)
    add_intervention(
        world,
        description="ส่งต่อโรงพยาบาล",
        kind="health_referral",
        status="referred",
        referred_to="โรงพยาบาลอำเภอ",
    )
    shown = login(world.teacher1).get(reverse("insights:student", args=[world.student1.uuid]))
    text = shown.content.decode()
    assert shown.status_code == 200
    assert text.index("บันทึกใหม่") < text.index("บันทึกเก่า")
    assert "ส่งต่อโรงพยาบาล" in text and "โรงพยาบาลอำเภอ" in text
    assert reverse("care:student", args=[world.student1.uuid]) in text


def test_the_api_lists_and_adds(world, client):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher1)}"}
    base = f"/api/v1/care/students/{world.student1.uuid}"
    posted = client.post(
        f"{base}/notes",
        {"text": "ขาดเรียนวันจันทร์", "area": "family"},
        content_type="application/json",
        **headers,
    )
    assert posted.status_code == 200 and posted.json()["version"] == 1
    body = {
        "kind": "scholarship",
        "description": "ทุนอาหารกลางวัน",
        "started_on": str(DAY),
        "follow_up_on": str(DAY - dt.timedelta(days=3)),
    }
    refused = client.post(f"{base}/interventions", body, content_type="application/json", **headers)
    assert refused.status_code == 400 and "follow_up_on" in refused.content.decode()
    body["follow_up_on"] = str(DAY + dt.timedelta(days=30))
    posted = client.post(f"{base}/interventions", body, content_type="application/json", **headers)
    assert posted.status_code == 200 and posted.json()["status"] == "planned"
    assert [n["text"] for n in client.get(f"{base}/notes", **headers).json()] == ["ขาดเรียนวันจันทร์"]
    assert [i["kind"] for i in client.get(f"{base}/interventions", **headers).json()] == ["scholarship"]
