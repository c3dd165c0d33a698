"""Every write to a teacher's record: development activities (by the teacher), career rows (by the school office)."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from khru.core import audit
from khru.core.dates import format_be
from khru.core.errors import KhruError, NotAllowed, Problem, problem
from khru.org import scope
from khru.org.models import Agency, School
from khru.org.roles import Perm
from khru.people.models import Person, StaffPost
from khru.teachers import evidence
from khru.teachers.models import (
    ActivityKind,
    Appointment,
    Award,
    DevelopmentActivity,
    DisciplineLevel,
    DisciplineRecord,
    PAAssessment,
    PerformanceAgreement,
    Position,
    Standing,
    StandingRecord,
)


def require_over(*, actor: Any, perm: Perm, person: Person) -> int:
    """Refuse unless the person works (or worked) at a school where the actor holds perm.

    Returns the id of that school (the latest such post), for the audit trail.
    """
    post = (
        StaffPost.objects.filter(scope.school_filter(actor, perm, "school__"), person=person)
        .order_by("-starts_on")
        .values_list("school_id", flat=True)
        .first()
    )
    if post is None:
        raise NotAllowed()
    return post


def _owner_or_office(*, actor: Any, person: Person) -> int | None:
    """A teacher writes their own development record; the school office writes its staff's."""
    if person.user_id is not None and person.user_id == getattr(actor, "pk", None):
        return (
            StaffPost.objects.filter(person=person)
            .order_by("-starts_on")
            .values_list("school_id", flat=True)
            .first()
        )
    return require_over(actor=actor, perm=Perm.MANAGE_STAFF_RECORDS, person=person)


def _lock(person: Person) -> None:
    """Serialise writes to one person's career rows (checks for overlaps read, then write)."""
    Person.objects.select_for_update().filter(pk=person.pk).first()


def check_hours(value: Any, problems: list[Problem]) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        hours = Decimal(0)
    if not Decimal(0) < hours <= Decimal(2000):
        problems.append(
            Problem(
                "hours",
                "จำนวนชั่วโมงต้องมากกว่า 0 และไม่เกิน 2000",
                "hours must be above 0, at most 2000",
                field_th="ชั่วโมง",
            )
        )
    return hours


@transaction.atomic
def add_activity(
    *,
    actor: Any,
    person: Person,
    kind: str,
    title: str,
    provider: str = "",
    started_on: dt.date,
    ended_on: dt.date,
    hours: Any,
    evidence_name: str = "",
    evidence_content: bytes | None = None,
) -> DevelopmentActivity:
    """A training, course, seminar … with its hours and, if any, an evidence file; all or nothing."""
    school_id = _owner_or_office(actor=actor, person=person)
    problems: list[Problem] = []
    title = title.strip()
    if kind not in ActivityKind.values:
        problems.append(Problem("kind", "ไม่รู้จักประเภทกิจกรรมนี้", f"unknown kind '{kind}'", field_th="ประเภท"))
    if not title:
        problems.append(Problem("title", "ต้องระบุชื่อกิจกรรม", "give the activity's title", field_th="ชื่อกิจกรรม"))
    if ended_on < started_on:
        problems.append(
            Problem("ended_on", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม", "the end is before the start", field_th="วันสิ้นสุด")
        )
    if ended_on > timezone.localdate():
        problems.append(Problem("ended_on", "ยังไม่ถึงวันที่นี้", "this date is in the future", field_th="วันสิ้นสุด"))
    value = check_hours(hours, problems)
    file_kind = None
    if evidence_content is not None:
        try:
            file_kind = evidence.check(evidence_content)
        except KhruError as error:
            problems.extend(error.problems)
    if problems:
        raise KhruError(*problems)
    activity = DevelopmentActivity.objects.create(
        person=person,
        kind=kind,
        title=title[:300],
        provider=provider.strip()[:200],
        started_on=started_on,
        ended_on=ended_on,
        hours=value,
        source=DevelopmentActivity.Source.TEACHER
        if person.user_id == getattr(actor, "pk", None)
        else DevelopmentActivity.Source.SCHOOL,
        recorded_by=actor,
    )
    if evidence_content is not None and file_kind is not None:
        # The name on disk is ours (uuid + sniffed type), never the uploaded one.
        activity.evidence.save(f"{activity.uuid}.{file_kind[1]}", ContentFile(evidence_content), save=True)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=activity,
        school_id=school_id,
        summary=f"{title[:200]} ({value} h)"
        + (f" evidence {evidence_name[:60]}" if evidence_content else ""),
    )
    return activity


@transaction.atomic
def delete_activity(*, actor: Any, activity: DevelopmentActivity) -> None:
    """The teacher (or the office) removes an activity typed by mistake; imported ones stay (the provider's)."""
    school_id = _owner_or_office(actor=actor, person=activity.person)
    if activity.source == DevelopmentActivity.Source.IMPORT:
        raise problem(
            "activity",
            "กิจกรรมที่นำเข้าจากผู้จัดอบรมลบไม่ได้",
            "an activity imported from a provider cannot be deleted",
            field_th="กิจกรรม",
        )
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        obj=activity,
        school_id=school_id,
        summary=f"{activity.title[:200]} ({activity.hours} h)",
    )
    stored, storage = activity.evidence.name, activity.evidence.storage
    try:
        with transaction.atomic():
            activity.delete()
    except ProtectedError as error:
        raise problem(
            "activity",
            "กิจกรรมนี้ถูกใช้อยู่ (เช่น ในคำขอต่ออายุใบอนุญาต) จึงลบไม่ได้",
            "this activity is in use (e.g. by a licence renewal) and cannot be deleted",
            field_th="กิจกรรม",
        ) from error
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def add_appointment(
    *,
    actor: Any,
    person: Person,
    position: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    school: School | None = None,
    agency: Agency | None = None,
    order_ref: str = "",
    end_current: bool = False,
) -> Appointment:
    """A post at a school or an agency office. Overlapping another of the person's posts is refused.

    With end_current, the post held now (begun before the new one) ends the day before: a move or promotion.
    """
    school_id = require_over(actor=actor, perm=Perm.MANAGE_STAFF_RECORDS, person=person)
    _lock(person)
    problems: list[Problem] = []
    if position not in Position.values:
        problems.append(
            Problem("position", "ไม่รู้จักตำแหน่งนี้", f"unknown position '{position}'", field_th="ตำแหน่ง")
        )
    if (school is None) == (agency is None):
        problems.append(
            Problem(
                "school", "ระบุสถานศึกษาหรือหน่วยงานอย่างใดอย่างหนึ่ง", "give a school or an agency", field_th="สถานที่"
            )
        )
    if ended_on is not None and ended_on < started_on:
        problems.append(
            Problem("ended_on", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม", "the end is before the start", field_th="วันสิ้นสุด")
        )
    if problems:
        raise KhruError(*problems)
    current = Appointment.objects.filter(
        person=person, ended_on__isnull=True, started_on__lt=started_on
    ).first()
    if end_current and current is not None:
        changes = audit.diff(current, {"ended_on": started_on - dt.timedelta(days=1)})
        current.ended_on = started_on - dt.timedelta(days=1)
        current.save(update_fields=["ended_on"])
        audit.record(
            actor=actor, action=audit.Action.UPDATE, obj=current, school_id=school_id, changes=changes
        )
    overlapping = Appointment.objects.filter(person=person, started_on__lte=ended_on or dt.date.max).exclude(
        ended_on__lt=started_on
    )
    clash = overlapping.select_related("school", "agency").first()
    if clash is not None:
        until_th = f"ถึง {format_be(clash.ended_on, style='numeric')}" if clash.ended_on else "ถึงปัจจุบัน"
        until_en = f"to {clash.ended_on.isoformat()}" if clash.ended_on else "to now"
        raise problem(
            "started_on",
            f"ช่วงเวลาซ้อนกับตำแหน่ง{clash.get_position_display()} {clash.place} "
            f"(ตั้งแต่ {format_be(clash.started_on, style='numeric')} {until_th})",
            f"overlaps the post {clash.get_position_display()} at {clash.place} "
            f"(from {clash.started_on.isoformat()} {until_en})",
            field_th="วันเริ่ม",
        )
    appointment = Appointment.objects.create(
        person=person,
        school=school,
        agency=agency,
        position=position,
        started_on=started_on,
        ended_on=ended_on,
        order_ref=order_ref.strip()[:100],
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=appointment,
        school_id=school_id,
        summary=str(appointment),
    )
    return appointment


@transaction.atomic
def record_standing(
    *, actor: Any, person: Person, standing: str, since: dt.date, order_ref: str = ""
) -> StandingRecord:
    school_id = require_over(actor=actor, perm=Perm.MANAGE_STAFF_RECORDS, person=person)
    if standing not in Standing.values:
        raise problem("standing", "ไม่รู้จักวิทยฐานะนี้", f"unknown standing '{standing}'", field_th="วิทยฐานะ")
    if since > timezone.localdate():
        raise problem("since", "ยังไม่ถึงวันที่นี้", "this date is in the future", field_th="ตั้งแต่วันที่")
    if StandingRecord.objects.filter(person=person, standing=standing).exists():
        raise problem(
            "standing", "มีวิทยฐานะนี้ในประวัติแล้ว", "this standing is already in the record", field_th="วิทยฐานะ"
        )
    record = StandingRecord.objects.create(
        person=person, standing=standing, since=since, order_ref=order_ref.strip()[:100], recorded_by=actor
    )
    audit.record(
        actor=actor, action=audit.Action.CREATE, obj=record, school_id=school_id, summary=str(record)
    )
    return record


@transaction.atomic
def record_pa(
    *,
    actor: Any,
    person: Person,
    fiscal_year_be: int,
    agreed_on: dt.date,
    assessments: Sequence[tuple[str, Any, dt.date]] = (),
) -> PerformanceAgreement:
    """A year's PA and (when assessed) one score per assessor; adding scores to an agreed PA keeps the rest."""
    school_id = require_over(actor=actor, perm=Perm.MANAGE_STAFF_RECORDS, person=person)
    problems: list[Problem] = []
    if not 2500 <= fiscal_year_be <= 2700:
        problems.append(
            Problem(
                "fiscal_year_be",
                "ปีงบประมาณต้องเป็นปี พ.ศ.",
                "the fiscal year is a BE year",
                field_th="ปีงบประมาณ",
            )
        )
    names = [name.strip() for name, _, _ in assessments]
    rows = []
    for number, (name, raw, on) in enumerate(assessments, start=1):
        try:
            score = Decimal(str(raw)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            score = Decimal(-1)
        if not name.strip():
            problems.append(
                Problem("assessor", "ต้องระบุผู้ประเมิน", "give the assessor", row=number, field_th="ผู้ประเมิน")
            )
        elif names.count(name.strip()) > 1:
            problems.append(
                Problem("assessor", "ผู้ประเมินซ้ำกัน", "the same assessor twice", row=number, field_th="ผู้ประเมิน")
            )
        if not Decimal(0) <= score <= Decimal(100):
            problems.append(
                Problem(
                    "score",
                    "คะแนนต้องเป็นร้อยละ 0–100",
                    "a score is a percentage 0–100",
                    row=number,
                    field_th="คะแนน",
                )
            )
        rows.append((name.strip(), score, on))
    if problems:
        raise KhruError(*problems)
    agreement, created = PerformanceAgreement.objects.get_or_create(
        person=person,
        fiscal_year_be=fiscal_year_be,
        defaults={"agreed_on": agreed_on, "school_id": school_id, "recorded_by": actor},
    )
    existing = set(agreement.assessments.values_list("assessor", flat=True))
    again = [name for name, _, _ in rows if name in existing]
    if again:
        raise problem(
            "assessor",
            f"{', '.join(again)} ประเมินปีนี้ไว้แล้ว",
            f"{', '.join(again)} already assessed this year",
            field_th="ผู้ประเมิน",
        )
    PAAssessment.objects.bulk_create(
        [
            PAAssessment(agreement=agreement, assessor=name, score=score, assessed_on=on, recorded_by=actor)
            for name, score, on in rows
        ]
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE if created else audit.Action.UPDATE,
        obj=agreement,
        school_id=school_id,
        summary=f"PA {fiscal_year_be}: " + ", ".join(f"{n} {s}" for n, s, _ in rows),
    )
    return agreement


@transaction.atomic
def add_award(
    *, actor: Any, person: Person, title: str, given_by: str, level: str, awarded_on: dt.date
) -> Award:
    school_id = _owner_or_office(actor=actor, person=person)
    if not title.strip() or level not in Award.Level.values:
        raise problem("title", "ต้องระบุชื่อรางวัลและระดับ", "give the award's title and level", field_th="รางวัล")
    award = Award.objects.create(
        person=person,
        title=title.strip()[:300],
        given_by=given_by.strip()[:200],
        level=level,
        awarded_on=awarded_on,
        recorded_by=actor,
    )
    audit.record(actor=actor, action=audit.Action.CREATE, obj=award, school_id=school_id, summary=award.title)
    return award


@transaction.atomic
def record_discipline(
    *, actor: Any, person: Person, level: int, decided_on: dt.date, order_ref: str = "", note: str = ""
) -> DisciplineRecord:
    school_id = require_over(actor=actor, perm=Perm.MANAGE_STAFF_RECORDS, person=person)
    if level not in DisciplineLevel.values:
        raise problem("level", "ไม่รู้จักโทษนี้", f"unknown penalty '{level}'", field_th="โทษ")
    record = DisciplineRecord.objects.create(
        person=person,
        level=level,
        decided_on=decided_on,
        order_ref=order_ref.strip()[:100],
        note=note.strip()[:300],
        recorded_by=actor,
    )
    audit.record(
        actor=actor, action=audit.Action.CREATE, obj=record, school_id=school_id, summary=str(record)
    )
    return record
