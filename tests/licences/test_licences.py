"""Recording licences and permits, renewal end to end, and who sees what."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.licences import selectors, services
from khru.licences.models import Licence, LicenceType, RenewalRequest
from khru.people.models import Person
from tests.licences.conftest import activities, make_licence, teacher_type, tier, today
from tests.pdftext import pdf_text

PASSWORD = "khru-test-pass"


def _fields(error: pytest.ExceptionInfo[KhruError]) -> set[str]:
    return {p.field for p in error.value.problems}


# Recording (the Teachers Council) ---------------------------------------------------------------------


def test_council_records_a_licence_with_the_tier_duration(holders):
    licence = services.record_licence(
        actor=holders.council,
        person=holders.teacher1,
        licence_type=teacher_type(),
        tier=tier("A"),
        issued_on=dt.date(2024, 2, 29),
    )
    assert licence.expires_on == dt.date(2031, 2, 28)  # advanced tier: 7 years
    assert licence.number.startswith("T67-")
    assert licence.school_id == holders.teacher1.staff_posts.get().school_id  # affiliation for the dashboard
    assert AuditEvent.objects.filter(object_type="licences.licence", object_id=str(licence.pk)).exists()


def test_expiry_before_issue_is_refused_and_nothing_saved(holders):
    before = Licence.objects.count()
    with pytest.raises(KhruError) as error:
        services.record_licence(
            actor=holders.council,
            person=holders.teacher1,
            licence_type=teacher_type(),
            tier=tier("B"),
            number="T69-1234567",
            issued_on=dt.date(2026, 5, 1),
            expires_on=dt.date(2026, 4, 30),
        )
    assert _fields(error) == {"expires_on"}
    assert "วันหมดอายุ" in str(error.value) and "after the issue date" in str(error.value)
    assert Licence.objects.count() == before


def test_duplicate_licence_number_is_refused(holders):
    with pytest.raises(KhruError) as error:
        services.record_licence(
            actor=holders.council,
            person=holders.teacher2,
            licence_type=teacher_type(),
            tier=tier("B"),
            number=" t64-0000001 ",  # the same number, typed loosely
            issued_on=dt.date(2025, 1, 1),
        )
    assert _fields(error) == {"number"}
    assert "T64-0000001" in str(error.value) and "already exists" in str(error.value)


def test_database_keeps_numbers_unique_and_dates_in_order(holders):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_licence(holders.teacher2, "T64-0000001", expires_in=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Licence.objects.create(
            person=holders.teacher2,
            number="T64-9999999",
            licence_type=teacher_type(),
            issued_on=dt.date(2025, 1, 1),
            expires_on=dt.date(2025, 1, 1),
        )


def test_teacher_licence_needs_a_tier_and_a_teacher_cannot_record(holders, world):
    with pytest.raises(KhruError) as error:
        services.record_licence(
            actor=holders.council, person=holders.teacher1, licence_type=teacher_type(), issued_on=today()
        )
    assert _fields(error) == {"tier"}
    with pytest.raises(NotAllowed):
        services.record_licence(
            actor=world.principal1,
            person=holders.teacher1,
            licence_type=teacher_type(),
            tier=tier("P"),
            issued_on=today(),
        )


def test_at_most_three_temporary_permits_in_a_row(holders, world):
    permit = LicenceType.objects.get(code="permit")
    person = holders.teacher2
    Licence.objects.filter(person=person).delete()
    for year in (2020, 2022, 2024):
        issued = services.record_licence(
            actor=holders.council, person=person, licence_type=permit, issued_on=dt.date(year, 6, 1)
        )
        assert issued.expires_on == dt.date(year + 2, 6, 1)
    with pytest.raises(KhruError) as error:
        services.record_licence(
            actor=holders.council, person=person, licence_type=permit, issued_on=dt.date(2026, 6, 1)
        )
    assert "3" in str(error.value) and "in a row" in str(error.value)
    assert Licence.objects.filter(person=person).count() == 3


# Renewal ------------------------------------------------------------------------------------------------


def test_renewal_end_to_end_issues_a_new_licence_and_a_pdf(holders, world, client):
    licence = holders.licence1
    chosen = activities(holders.teacher1, 3, since=licence.issued_on)
    client.force_login(world.teacher1)
    page = client.get(f"/licences/{licence.uuid}/renew")
    assert page.status_code == 200
    assert "อบรมการสอนอ่าน 0" in page.content.decode()
    response = client.post(f"/licences/{licence.uuid}/renew", {"activity": [a.pk for a in chosen]})
    assert response.status_code == 302
    renewal = RenewalRequest.objects.get(licence=licence)
    assert renewal.status == "submitted" and renewal.channel == "self"
    assert set(renewal.activities.values_list("pk", flat=True)) == {a.pk for a in chosen}

    client.force_login(holders.council)
    queue = client.get("/licences/council/renewals/").content.decode()
    assert "มาลี" in queue and "อบรมการสอนอ่าน 2" in queue
    assert (
        client.post(f"/licences/council/renewals/{renewal.uuid}/decide", {"decision": "approve"}).status_code
        == 302
    )
    renewal.refresh_from_db()
    licence.refresh_from_db()
    new = renewal.new_licence
    assert renewal.status == "approved" and renewal.decided_at is not None
    assert licence.status == "renewed"
    assert new.expires_on == licence.expires_on.replace(year=licence.expires_on.year + 5)
    assert (new.tier, new.person, new.renews) == (licence.tier, licence.person, licence)

    client.force_login(world.teacher1)
    mine = client.get("/licences/").content.decode()
    assert new.number in mine and "อนุมัติ" in mine
    pdf = client.get(f"/licences/{new.uuid}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert new.number in text and "Teacher licence" in text
    assert f"/verify/licence/{new.number}" in text.replace("\n", "")  # the URL wraps under the QR code
    assert new.person.full_name in text and "ใบอนุญาตประกอบวิชาชีพครู" in text
    assert f"{new.expires_on.day} " in text and str(new.expires_on.year + 543) in text

    client.force_login(holders.council)
    dashboard = selectors.council_dashboard(actor=holders.council)
    assert dashboard.decided_renewals == 1 and dashboard.median_processing_days is not None


def test_return_needs_a_reason_and_the_holder_may_ask_again(holders):
    licence = holders.licence1
    chosen = activities(holders.teacher1, 3, since=licence.issued_on)
    ids = [a.pk for a in chosen]
    renewal = services.request_renewal(actor=holders.teacher1.user, licence=licence, activity_ids=ids)
    with pytest.raises(KhruError) as error:
        services.return_renewal(actor=holders.council, renewal=renewal, reason="  ")
    assert _fields(error) == {"reason"}
    services.return_renewal(actor=holders.council, renewal=renewal, reason="หลักฐานการอบรมไม่ชัด")
    renewal.refresh_from_db()
    assert renewal.status == "returned" and renewal.reason == "หลักฐานการอบรมไม่ชัด"
    again = services.request_renewal(actor=holders.teacher1.user, licence=licence, activity_ids=ids)
    assert again.status == "submitted"
    with pytest.raises(KhruError):  # a second open request for the same licence
        services.request_renewal(actor=holders.teacher1.user, licence=licence, activity_ids=ids)


def test_renewal_outside_the_window_is_refused_with_the_dates(holders):
    licence = make_licence(holders.teacher2, "T64-0000003", expires_in=400)
    ids = [a.pk for a in activities(holders.teacher2, 3, since=licence.issued_on)]
    with pytest.raises(KhruError) as error:
        services.request_renewal(actor=holders.teacher2.user, licence=licence, activity_ids=ids)
    opens = licence.expires_on - dt.timedelta(days=180)
    assert opens.isoformat() in str(error.value) and "ยื่นต่ออายุได้ตั้งแต่" in str(error.value)
    expired = make_licence(holders.teacher2, "T64-0000004", expires_in=-1)
    with pytest.raises(KhruError):
        services.request_renewal(actor=holders.teacher2.user, licence=expired, activity_ids=ids)
    assert not RenewalRequest.objects.exists()


def test_too_few_activities_names_how_many_are_missing(holders, world, client):
    licence = holders.licence1
    chosen = activities(holders.teacher1, 1, since=licence.issued_on)
    before_period = activities(holders.teacher1, 1, since=licence.issued_on - dt.timedelta(days=3000))
    with pytest.raises(KhruError) as error:
        services.request_renewal(actor=world.teacher1, licence=licence, activity_ids=[chosen[0].pk])
    assert "ขาดอีก 2 รายการ" in str(error.value) and "2 more needed" in str(error.value)
    with pytest.raises(KhruError) as error:
        services.request_renewal(
            actor=world.teacher1, licence=licence, activity_ids=[chosen[0].pk, before_period[0].pk]
        )
    assert "outside the licence period" in str(error.value)
    client.force_login(world.teacher1)
    page = client.post(f"/licences/{licence.uuid}/renew", {"activity": [chosen[0].pk]})
    assert page.status_code == 400 and "ขาดอีก 2 รายการ" in page.content.decode()
    assert not RenewalRequest.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.docx", b"PK\x03\x04 a word file", "not a PDF or an image"),
        ("scan.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_an_attachment_must_be_a_small_pdf_or_image(holders, name, content, expected):
    licence = holders.licence1
    ids = [a.pk for a in activities(holders.teacher1, 3, since=licence.issued_on)]
    with pytest.raises(KhruError) as error:
        services.request_renewal(
            actor=holders.teacher1.user,
            licence=licence,
            activity_ids=ids,
            attachment=SimpleUploadedFile(name, content),
        )
    assert expected in str(error.value) and _fields(error) == {"attachment"}
    assert not RenewalRequest.objects.exists()


def test_a_pdf_attachment_is_kept(holders, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    licence = holders.licence1
    ids = [a.pk for a in activities(holders.teacher1, 3, since=licence.issued_on)]
    renewal = services.request_renewal(
        actor=holders.teacher1.user,
        licence=licence,
        activity_ids=ids,
        attachment=SimpleUploadedFile("name-change.pdf", b"%PDF-1.4 small"),
    )
    assert renewal.attachment.name.endswith(".pdf")


def test_the_school_office_may_request_for_its_staff(holders, world):
    licence = holders.licence1
    ids = [a.pk for a in activities(holders.teacher1, 3, since=licence.issued_on)]
    renewal = services.request_renewal(actor=world.admin1, licence=licence, activity_ids=ids)
    assert renewal.channel == "school"
    with pytest.raises(NotAllowed):
        services.request_renewal(actor=world.admin2, licence=holders.licence1, activity_ids=ids)


# Scope --------------------------------------------------------------------------------------------------


def test_a_teacher_sees_only_their_own_licences(holders, world, client):
    assert [lic.number for lic in selectors.my_licences(actor=world.teacher1)] == ["T64-0000001"]
    with pytest.raises(NotAllowed):
        selectors.get_licence(actor=world.teacher1, uuid=str(holders.licence2.uuid))
    client.force_login(world.teacher1)
    assert client.get(f"/licences/{holders.licence2.uuid}/renew").status_code == 404
    assert client.get(f"/licences/{holders.licence2.uuid}/pdf").status_code == 404
    assert client.get(f"/licences/schools/{world.school1.code}/").status_code == 404
    assert client.get("/licences/council").status_code == 404
    assert client.get("/licences/council/renewals/").status_code == 404
    ids = [a.pk for a in activities(holders.teacher2, 3, since=holders.licence2.issued_on)]
    with pytest.raises(NotAllowed):
        services.request_renewal(actor=world.teacher1, licence=holders.licence2, activity_ids=ids)
    api = client.get("/api/v1/licences/mine").json()
    assert [row["number"] for row in api] == ["T64-0000001"]


def test_principal_sees_their_staff_only_and_the_council_everything(holders, world, client):
    client.force_login(world.principal1)
    page = client.get(f"/licences/schools/{world.school1.code}/")
    assert page.status_code == 200 and "T64-0000001" in page.content.decode()
    assert client.get(f"/licences/schools/{world.school2.code}/").status_code == 404
    assert client.get("/licences/council").status_code == 404
    with pytest.raises(NotAllowed):
        selectors.get_licence(actor=world.principal1, uuid=str(holders.licence2.uuid))
    client.force_login(world.officer)  # the area officer over school 1's area
    assert client.get(f"/licences/schools/{world.school1.code}/").status_code == 200
    assert client.get(f"/licences/schools/{world.school2.code}/").status_code == 404
    council = selectors.get_licence(actor=holders.council, uuid=str(holders.licence2.uuid))
    assert council == holders.licence2


def test_school_view_flags_teaching_without_a_licence_and_alerts(holders, world, client):
    from tests.licences.conftest import staff

    no_licence = staff(None, world.school1, first_name_th="ไร้ใบ", last_name_th="อนุญาต")
    expired = staff(None, world.school1, first_name_th="หมดอายุ", last_name_th="แล้ว")
    make_licence(expired, "T60-0000009", expires_in=-3)
    soon = staff(None, world.school1, first_name_th="ใกล้", last_name_th="หมด")
    make_licence(soon, "T60-0000010", expires_in=20)
    on_permit = staff(None, world.school1, first_name_th="ถือ", last_name_th="หนังสืออนุญาต")
    make_licence(
        on_permit,
        "W68-0000001",
        expires_in=300,
        years=2,
        licence_type=LicenceType.objects.get(code="permit"),
        tier=None,
    )
    office = staff(None, world.school1, position="officer", first_name_th="ธุรการ", last_name_th="ดี")
    rows = {r.post.person_id: r for r in selectors.school_staff(actor=world.principal1, school=world.school1)}
    assert rows[no_licence.pk].flagged and rows[expired.pk].flagged
    assert rows[expired.pk].alert == "expired"
    assert rows[soon.pk].alert == "30" and not rows[soon.pk].flagged
    assert rows[holders.teacher1.pk].alert == "90"
    assert not rows[on_permit.pk].flagged  # a temporary permit is enough to teach
    assert not rows[office.pk].flagged
    client.force_login(world.principal1)
    page = client.get(f"/licences/schools/{world.school1.code}/").content.decode()
    assert "ไร้ใบ" in page and "flagged" in page


def test_area_officer_sees_a_summary_of_their_schools_only(holders, world, client):
    from tests.licences.conftest import staff

    staff(None, world.school1, first_name_th="ไร้ใบ", last_name_th="อนุญาต")
    summaries = {s.school: s for s in selectors.staff_summary(actor=world.officer)}
    assert list(summaries) == [world.school1]
    assert (summaries[world.school1].teaching, summaries[world.school1].unlicensed) == (2, 1)
    assert summaries[world.school1].expiring_90 == 1  # teacher 1's licence ends in 60 days
    client.force_login(world.officer)
    page = client.get("/licences/schools/").content.decode()
    assert world.school1.name_th in page and world.school2.name_th not in page
    client.force_login(world.teacher1)
    assert world.school1.name_th not in client.get("/licences/schools/").content.decode()


def test_the_council_does_not_request_renewals_for_holders(holders):
    ids = [a.pk for a in activities(holders.teacher1, 3, since=holders.licence1.issued_on)]
    with pytest.raises(NotAllowed):
        services.request_renewal(actor=holders.council, licence=holders.licence1, activity_ids=ids)


def test_school_view_queries_do_not_grow_with_staff(holders, world, django_assert_max_num_queries):
    from tests.licences.conftest import staff

    for n in range(15):
        make_licence(staff(None, world.school1), f"T61-00005{n:02d}", expires_in=30 * n)
    selectors.school_staff(actor=world.principal1, school=world.school1)  # memberships read and cached
    with django_assert_max_num_queries(3):
        rows = selectors.school_staff(actor=world.principal1, school=world.school1)
    assert len(rows) == 16


def test_council_opens_the_evidence_and_document_of_a_request_others_do_not(
    holders, world, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    licence = holders.licence1
    chosen = activities(holders.teacher1, 3, since=licence.issued_on)
    chosen[0].evidence.save("certificate.png", SimpleUploadedFile("c.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20))
    renewal = services.request_renewal(
        actor=holders.teacher1.user,
        licence=licence,
        activity_ids=[a.pk for a in chosen],
        attachment=SimpleUploadedFile("name-change.pdf", b"%PDF-1.4 small"),
    )
    client.force_login(holders.council)
    queue = client.get("/licences/council/renewals/").content.decode()
    evidence_url = f"/licences/renewals/{renewal.uuid}/files/{chosen[0].uuid}"
    assert evidence_url in queue
    evidence = client.get(evidence_url)
    assert evidence.status_code == 200 and evidence["Content-Type"] == "image/png"
    assert evidence["X-Content-Type-Options"] == "nosniff"
    document = client.get(f"/licences/renewals/{renewal.uuid}/files/attachment")
    assert document["Content-Type"] == "application/pdf"
    assert client.get(f"/licences/renewals/{renewal.uuid}/files/{chosen[1].uuid}").status_code == 404  # none
    client.force_login(world.teacher2)
    assert client.get(evidence_url).status_code == 404
    client.force_login(world.principal1)  # the holder's school may see its request
    assert client.get(evidence_url).status_code == 200


def test_the_record_page_finds_the_holder_by_citizen_id_or_says_nobody_has_it(holders, client):
    client.force_login(holders.council)
    form = {"licence_type": teacher_type().pk, "tier": tier("B").pk, "issued_on": "01/06/2569"}
    assert not Person.objects.filter(citizen_id="1234567890121").exists()
    unknown = client.post("/licences/council/record", {**form, "citizen_id": "1234567890121"})
    assert unknown.status_code == 400 and "ไม่พบบุคคลที่มีเลขประจำตัวนี้" in unknown.content.decode()
    assert not Licence.objects.filter(person=holders.teacher1, issued_on=dt.date(2026, 6, 1)).exists()
    known = client.post(
        "/licences/council/record", {**form, "citizen_id": f" {holders.teacher1.citizen_id} "}
    )
    assert known.status_code == 302
    assert Licence.objects.filter(person=holders.teacher1, issued_on=dt.date(2026, 6, 1)).exists()
