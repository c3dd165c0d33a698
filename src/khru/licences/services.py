"""Every licence write: record a licence or permit, request a renewal, approve or return it; test registration
and results import. Each refuses bad input in Thai and English and writes nothing half-way."""

import csv
import datetime as dt
import io
import re
from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from khru.core import audit, files
from khru.core.dates import be_year, format_be
from khru.core.errors import KhruError, NotAllowed, Problem, problem
from khru.licences import tallies
from khru.licences.models import (
    Licence,
    LicenceTier,
    LicenceType,
    Registration,
    RenewalRequest,
    TestCentre,
    TestResult,
    TestRound,
)
from khru.org import scope
from khru.org.roles import Perm
from khru.people.models import Person, StaffPost
from khru.teachers.models import DevelopmentActivity

NUMBER_PATTERN = re.compile(r"^[A-Z0-9-]{4,20}$")


def normalise_number(text: str) -> str:
    return (text or "").strip().upper()


def is_council(actor: Any) -> bool:
    return scope.holds(actor, Perm.MANAGE_LICENCES)


def require_council(actor: Any) -> None:
    if not is_council(actor):
        raise NotAllowed()


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def duration_years(licence_type: LicenceType, tier: LicenceTier | None) -> int:
    return tier.years if tier is not None else licence_type.years


def affiliation(person: Person, on: dt.date) -> dict[str, Any]:
    """The school, area, agency and province of the person's current post (empty when they have none)."""
    post = (
        StaffPost.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on), person=person, starts_on__lte=on
        )
        .select_related("school__area", "school__subdistrict__district")
        .order_by("-starts_on")
        .first()
    )
    if post is None:
        return {"school": None, "area": None, "agency_id": None, "province_id": None}
    school = post.school
    province_id = school.area.province_id or (
        school.subdistrict.district.province_id if school.subdistrict else None
    )
    return {
        "school": school,
        "area": school.area,
        "agency_id": school.area.agency_id,
        "province_id": province_id,
    }


def next_number(licence_type: LicenceType, on: dt.date) -> str:
    """Prefix, two digits of the BE year, a running number: T69-0000042."""
    stem = f"{licence_type.number_prefix}{be_year(on.year) % 100:02d}-"
    running = Licence.objects.filter(number__startswith=stem).count() + 1
    while Licence.objects.filter(number=f"{stem}{running:07d}").exists():
        running += 1
    return f"{stem}{running:07d}"


def _check_permit_limit(person: Person, licence_type: LicenceType) -> None:
    """At most `max_in_a_row` permits in a row: permits since the person's last licence count."""
    if not licence_type.is_permit or not licence_type.max_in_a_row:
        return
    last_licence = (
        Licence.objects.filter(person=person, licence_type__is_permit=False).order_by("-issued_on").first()
    )
    permits = Licence.objects.filter(person=person, licence_type=licence_type)
    if last_licence is not None:
        permits = permits.filter(issued_on__gt=last_licence.issued_on)
    if permits.count() >= licence_type.max_in_a_row:
        raise problem(
            "licence_type",
            f"ได้รับหนังสืออนุญาตชั่วคราวติดต่อกันครบ {licence_type.max_in_a_row} ครั้งแล้ว ต้องมีใบอนุญาตประกอบวิชาชีพ",
            f"already had {licence_type.max_in_a_row} temporary permits in a row: a licence is needed now",
            field_th="ประเภท",
        )


@transaction.atomic
def record_licence(
    *,
    actor: Any,
    person: Person,
    licence_type: LicenceType,
    tier: LicenceTier | None = None,
    number: str = "",
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    channel: str = Licence.Channel.COUNCIL,
    renews: Licence | None = None,
) -> Licence:
    """Record a licence or temporary permit (Teachers Council). Without a number one is given; without an
    expiry the type's or tier's duration is used."""
    require_council(actor)
    problems: list[Problem] = []
    number = normalise_number(number) or next_number(licence_type, issued_on)
    if not NUMBER_PATTERN.match(number):
        problems.append(
            Problem("number", "เลขที่ใบอนุญาตใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข และ - (4–20 ตัว)",
                    "a licence number has 4–20 letters, digits or dashes", field_th="เลขที่ใบอนุญาต")
        )  # fmt: skip
    elif Licence.objects.filter(number=number).exists():
        problems.append(
            Problem("number", f"เลขที่ใบอนุญาต {number} มีอยู่แล้ว", f"licence number {number} already exists",
                    field_th="เลขที่ใบอนุญาต")
        )  # fmt: skip
    tiers = list(licence_type.tiers.all())
    if tiers and tier is None:
        problems.append(Problem("tier", "ต้องระบุระดับใบอนุญาต", "choose the tier", field_th="ระดับ"))
    if tier is not None and tier.licence_type_id != licence_type.pk:
        problems.append(
            Problem(
                "tier", "ระดับนี้ไม่ใช่ของใบอนุญาตประเภทนี้", "this tier is not of this licence type", field_th="ระดับ"
            )
        )
    if expires_on is None:
        expires_on = add_years(issued_on, duration_years(licence_type, tier if tiers else None))
    if expires_on <= issued_on:
        problems.append(
            Problem("expires_on", "วันหมดอายุต้องอยู่หลังวันออกใบอนุญาต", "the expiry date must be after the issue date",
                    field_th="วันหมดอายุ")
        )  # fmt: skip
    if problems:
        raise KhruError(*problems)
    _check_permit_limit(person, licence_type)
    try:
        with transaction.atomic():
            licence = Licence.objects.create(
                number=number,
                person=person,
                licence_type=licence_type,
                tier=tier if tiers else None,
                issued_on=issued_on,
                expires_on=expires_on,
                channel=channel,
                renews=renews,
                recorded_by=actor,
                **affiliation(person, issued_on),
            )
    except IntegrityError as error:  # a number taken by a concurrent save
        raise problem(
            "number", f"เลขที่ใบอนุญาต {number} มีอยู่แล้ว", f"licence number {number} already exists",
            field_th="เลขที่ใบอนุญาต",
        ) from error  # fmt: skip
    tallies.count(licence, +1)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=licence,
        school_id=licence.school_id,
        summary=f"licence {number} ({licence_type.code}{' ' + tier.code if tier else ''})",
    )
    return licence


def check_attachment(attachment: UploadedFile | None) -> None:
    """A PDF or image (by its first bytes) of at most 5 MB."""
    if attachment is None:
        return
    if attachment.size and attachment.size > files.ATTACHMENT_MAX_BYTES:
        raise files.too_big(
            files.ATTACHMENT_MAX_BYTES, field="attachment", field_th="เอกสารแนบ", name=attachment.name or ""
        )
    attachment.seek(0)
    head = attachment.read(files.HEAD_BYTES)
    attachment.seek(0)
    if files.sniff(head, files.DOCUMENTS_AND_WEBP) is None:
        raise problem(
            "attachment",
            f"ไฟล์ {attachment.name} ไม่ใช่ PDF หรือรูปภาพ (PNG, JPEG, WebP)",
            f"the file {attachment.name} is not a PDF or an image (PNG, JPEG, WebP)",
            field_th="เอกสารแนบ",
        )


def renewal_window(licence: Licence) -> tuple[dt.date, dt.date]:
    """The first and last day a renewal may be requested."""
    opens = licence.expires_on - dt.timedelta(days=licence.licence_type.renewal_window_days)
    return opens, licence.expires_on


def eligible_activities(*, actor: Any, licence: Licence, today: dt.date) -> list[DevelopmentActivity]:
    """The holder's development activities within the licence period that the actor may see in the record
    book (the holder, or their school's staff office)."""
    return list(
        DevelopmentActivity.objects.filter(
            scope.visible(actor, DevelopmentActivity, Perm.VIEW_STAFF),
            person_id=licence.person_id,
            started_on__gte=licence.issued_on,
            ended_on__lte=today,
        ).order_by("-started_on")
    )


@transaction.atomic
def request_renewal(
    *,
    actor: Any,
    licence: Licence,
    activity_ids: Collection[int],
    attachment: UploadedFile | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> RenewalRequest:
    """The holder (KSP Self-service) or their school's office (KSP School) asks to renew a licence, attaching
    development activities already in the record book."""
    scope.require(actor, Perm.VIEW_STAFF, licence)
    if licence.person.user_id == getattr(actor, "pk", None):
        channel = Licence.Channel.SELF
    else:
        scope.require(actor, Perm.MANAGE_STAFF_RECORDS, licence)
        channel = Licence.Channel.SCHOOL
    today = today or timezone.localdate()
    licence_type = licence.licence_type
    if not licence_type.renewable:
        raise problem(
            "licence", "หนังสืออนุญาตชั่วคราวต่ออายุไม่ได้ ต้องขอใหม่", "a temporary permit is not renewed: apply for a new one",
            field_th="ใบอนุญาต",
        )  # fmt: skip
    if licence.status != Licence.Status.ACTIVE:
        raise problem(
            "licence", f"ใบอนุญาตนี้มีสถานะ {licence.get_status_display()} ต่ออายุไม่ได้",
            f"this licence is {licence.status}: it cannot be renewed", field_th="ใบอนุญาต",
        )  # fmt: skip
    opens, closes = renewal_window(licence)
    if not opens <= today <= closes:
        raise problem(
            "licence",
            f"ยื่นต่ออายุได้ตั้งแต่ {format_be(opens)} ถึง {format_be(closes)} เท่านั้น",
            f"a renewal may be requested from {opens.isoformat()} to {closes.isoformat()} only",
            field_th="ช่วงเวลายื่นต่ออายุ",
        )
    if RenewalRequest.objects.filter(licence=licence, status=RenewalRequest.Status.SUBMITTED).exists():
        raise problem(
            "licence", "มีคำขอต่ออายุที่รอพิจารณาอยู่แล้ว", "a renewal request is already waiting for review",
            field_th="ใบอนุญาต",
        )  # fmt: skip
    allowed = {a.pk: a for a in eligible_activities(actor=actor, licence=licence, today=today)}
    chosen = set(activity_ids)
    stray = chosen - set(allowed)
    if stray:
        raise problem(
            "activities",
            "กิจกรรมที่เลือกบางรายการไม่ใช่ของผู้ถือใบอนุญาตหรืออยู่นอกช่วงอายุใบอนุญาต",
            "some chosen activities are not the holder's or fall outside the licence period",
            field_th="กิจกรรมพัฒนา",
        )
    missing = licence_type.min_activities - len(chosen)
    if missing > 0:
        raise problem(
            "activities",
            f"ต้องแนบกิจกรรมพัฒนาอย่างน้อย {licence_type.min_activities} รายการในช่วงอายุใบอนุญาต ขาดอีก {missing} รายการ",
            f"attach at least {licence_type.min_activities} development activities from the licence period: "
            f"{missing} more needed",
            field_th="กิจกรรมพัฒนา",
        )
    check_attachment(attachment)
    renewal = RenewalRequest.objects.create(
        licence=licence,
        channel=channel,
        note=note[:500],
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    renewal.activities.set([allowed[pk] for pk in chosen])
    if attachment is not None:
        renewal.attachment.save(attachment.name or "attachment", attachment, save=True)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=renewal,
        school_id=licence.school_id,
        person=licence.person,
        summary=f"renewal of {licence.number} with {len(chosen)} activities",
    )
    return renewal


def _open_renewal(renewal: RenewalRequest) -> RenewalRequest:
    locked = RenewalRequest.objects.select_for_update(of=("self",)).select_related(
        "licence__licence_type", "licence__tier"
    )
    renewal = locked.get(pk=renewal.pk)
    if renewal.status != RenewalRequest.Status.SUBMITTED:
        raise problem(
            "renewal", "คำขอนี้พิจารณาไปแล้ว", "this request has already been decided", field_th="คำขอต่ออายุ"
        )
    return renewal


@transaction.atomic
def approve_renewal(*, actor: Any, renewal: RenewalRequest, today: dt.date | None = None) -> Licence:
    """Issue the renewed licence: a new number, the same type and tier, valid for the tier's duration from
    the old expiry; the old one is marked renewed."""
    require_council(actor)
    renewal = _open_renewal(renewal)
    old = renewal.licence
    today = today or timezone.localdate()
    years = duration_years(old.licence_type, old.tier)
    new = record_licence(
        actor=actor,
        person=old.person,
        licence_type=old.licence_type,
        tier=old.tier,
        issued_on=today,
        expires_on=add_years(max(old.expires_on, today), years),
        channel=renewal.channel,
        renews=old,
    )
    old.status = Licence.Status.RENEWED
    old.save(update_fields=["status"])
    tallies.count(old, -1)
    renewal.status = RenewalRequest.Status.APPROVED
    renewal.decided_by = actor
    renewal.decided_at = timezone.now()
    renewal.new_licence = new
    renewal.save(update_fields=["status", "decided_by", "decided_at", "new_licence"])
    audit.record(
        actor=actor, action=audit.Action.UPDATE, obj=renewal, school_id=old.school_id, person=old.person,
        summary=f"approved: {old.number} → {new.number}",
    )  # fmt: skip
    return new


@transaction.atomic
def return_renewal(*, actor: Any, renewal: RenewalRequest, reason: str) -> RenewalRequest:
    """Send a request back to the holder with a reason; they may ask again."""
    require_council(actor)
    reason = (reason or "").strip()
    if not reason:
        raise problem("reason", "ต้องระบุเหตุผลที่ส่งกลับ", "give the reason for returning it", field_th="เหตุผล")
    renewal = _open_renewal(renewal)
    renewal.status = RenewalRequest.Status.RETURNED
    renewal.decided_by = actor
    renewal.decided_at = timezone.now()
    renewal.reason = reason[:500]
    renewal.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.record(
        actor=actor, action=audit.Action.UPDATE, obj=renewal, school_id=renewal.licence.school_id,
        person=renewal.licence.person,
        summary=f"returned: {reason[:200]}",
    )  # fmt: skip
    return renewal


# Competency tests ------------------------------------------------------------------------------------


@transaction.atomic
def register_candidate(
    *, actor: Any, person: Person, centre: TestCentre, today: dt.date | None = None
) -> Registration:
    """A candidate (their own login) or the council registers for a round at a centre with seats left."""
    if person.user_id != getattr(actor, "pk", None):
        require_council(actor)
    today = today or timezone.localdate()
    centre = TestCentre.objects.select_for_update(of=("self",)).select_related("round").get(pk=centre.pk)
    test_round = centre.round
    if not test_round.registration_opens <= today <= test_round.registration_closes:
        raise problem(
            "round",
            f"เปิดรับสมัครตั้งแต่ {format_be(test_round.registration_opens)} ถึง {format_be(test_round.registration_closes)}",
            f"registration is open from {test_round.registration_opens} to {test_round.registration_closes}",
            field_th="รอบการทดสอบ",
        )
    if Registration.objects.filter(round=test_round, person=person).exists():
        raise problem("round", "สมัครรอบนี้ไว้แล้ว", "already registered for this round", field_th="รอบการทดสอบ")
    if Registration.objects.filter(centre=centre).count() >= centre.capacity:
        raise problem(
            "centre", f"ศูนย์สอบ {centre.name_th} เต็มแล้ว ({centre.capacity} ที่นั่ง)",
            f"the test centre {centre.name_th} is full ({centre.capacity} seats)", field_th="ศูนย์สอบ",
        )  # fmt: skip
    registration = Registration.objects.create(
        round=test_round, centre=centre, person=person, registered_by=actor
    )
    audit.record(actor=actor, action=audit.Action.CREATE, obj=registration, summary=f"test {test_round.code}")
    return registration


RESULT_COLUMNS = ("citizen_id", "subject", "score")


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise problem(
            "file", "ไฟล์ต้องเป็น CSV แบบ UTF-8", "the file must be a UTF-8 CSV", field_th="ไฟล์"
        ) from error


@transaction.atomic
def import_results(*, actor: Any, test_round: TestRound, content: bytes) -> int:
    """Results by subject from a CSV (citizen_id, subject, score): all rows or none. Returns rows saved."""
    require_council(actor)
    if len(content) > files.TABLE_MAX_BYTES:
        raise files.too_big(files.TABLE_MAX_BYTES, field="file", field_th="ไฟล์")
    reader = csv.DictReader(io.StringIO(_decode(content)))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in RESULT_COLUMNS if name not in header]
    if missing:
        raise problem(
            "file",
            f"ไม่มีคอลัมน์ {', '.join(missing)}",
            f"missing column(s) {', '.join(missing)}",
            field_th="ไฟล์",
        )
    subjects = {s.code: s for s in test_round.subjects.all()}
    registrations = dict(
        Registration.objects.filter(round=test_round).values_list("person__citizen_id", "pk")
    )
    problems: list[Problem] = []
    rows: dict[tuple[int, int], tuple[Decimal, bool]] = {}
    for row_number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        registration_id = registrations.get(row["citizen_id"])
        subject = subjects.get(row["subject"])
        if registration_id is None:
            problems.append(
                Problem("citizen_id", f"ผู้เข้าสอบ {row['citizen_id'] or '(ว่าง)'} ไม่ได้สมัครรอบนี้",
                        f"candidate {row['citizen_id'] or '(blank)'} is not registered for this round",
                        row=row_number, field_th="เลขประจำตัวประชาชน")
            )  # fmt: skip
        if subject is None:
            problems.append(
                Problem("subject", f"ไม่มีวิชารหัส {row['subject'] or '(ว่าง)'} ในรอบนี้",
                        f"no subject {row['subject'] or '(blank)'} in this round", row=row_number, field_th="วิชา")
            )  # fmt: skip
        try:
            score = Decimal(row["score"])
        except InvalidOperation:
            score = Decimal("NaN")
        if not score.is_finite() or score < 0 or (subject is not None and score > subject.max_score):
            top = subject.max_score if subject else "?"
            problems.append(
                Problem("score", f"คะแนน '{row['score']}' ต้องเป็นตัวเลข 0–{top}",
                        f"score '{row['score']}' must be a number from 0 to {top}", row=row_number, field_th="คะแนน")
            )  # fmt: skip
            continue
        if registration_id is not None and subject is not None:
            if (registration_id, subject.pk) in rows:
                problems.append(
                    Problem("subject", "ผลวิชานี้ของผู้เข้าสอบคนนี้ซ้ำในไฟล์", "this candidate's subject appears twice",
                            row=row_number, field_th="วิชา")
                )  # fmt: skip
            rows[(registration_id, subject.pk)] = (score, score >= subject.pass_score)
    if problems:
        raise KhruError(*problems)
    if not rows:
        raise problem("file", "ไม่มีแถวข้อมูล", "the file has no rows", field_th="ไฟล์")
    existing = {
        (r.registration_id, r.subject_id): r
        for r in TestResult.objects.filter(registration__round=test_round)
    }
    new, changed = [], []
    for (registration_id, subject_id), (score, passed) in rows.items():
        result = existing.get((registration_id, subject_id))
        if result is None:
            new.append(
                TestResult(registration_id=registration_id, subject_id=subject_id, score=score, passed=passed)
            )
        else:
            result.score, result.passed = score, passed
            changed.append(result)
    TestResult.objects.bulk_create(new, batch_size=1000)
    TestResult.objects.bulk_update(changed, ["score", "passed"], batch_size=1000)
    audit.record(
        actor=actor, action=audit.Action.IMPORT,
        obj=test_round, summary=f"{len(rows)} results imported",
    )  # fmt: skip
    return len(rows)
