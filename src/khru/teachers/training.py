"""Completions of online courses from training providers, by file (CSV/XLSX) or by API.

Every row is checked first (the preview names each bad row in Thai and English); then all rows are applied
in one transaction or none. A completion already in the record (same provider and certificate reference)
is counted, not added again, so re-importing a file or re-sending a batch adds nothing.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from khru.core import audit
from khru.core.errors import KhruError, NotAllowed, Problem
from khru.core.identity import identifier_problem, normalise_identifier
from khru.org import scope
from khru.org.roles import Perm
from khru.people.models import Person, StaffPost
from khru.people.roster import _chunks, _date, _text, find_columns, read_table
from khru.teachers.models import CompletionImport, DevelopmentActivity, TrainingCourse, TrainingProvider
from khru.teachers.services import check_hours

MAX_ROWS = 50_000
COLUMNS = {
    "citizen_id": ["เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "citizen_id"],
    "course_code": ["รหัสหลักสูตร", "course_code", "course"],
    "completed_on": ["วันที่สำเร็จ", "วันที่ผ่านการอบรม", "completed_on"],
    "certificate_ref": ["เลขที่วุฒิบัตร", "เลขที่ใบประกาศ", "certificate_ref", "certificate"],
}
FIELD_TH = {
    "citizen_id": "เลขประจำตัวประชาชน",
    "course_code": "รหัสหลักสูตร",
    "completed_on": "วันที่สำเร็จ",
    "certificate_ref": "เลขที่วุฒิบัตร",
    "file": "ไฟล์",
    "header": "หัวตาราง",
}


def _problem(name: str, th: str, en: str, row: int | None = None) -> Problem:
    return Problem(field=name, th=th, en=en, row=row, field_th=FIELD_TH.get(name, name))


@dataclass
class Completion:
    row: int  # as the sender sees it: the file's row (header is 1) or the batch's item (from 1)
    citizen_id: str
    course_code: str
    completed_on: Any  # a date once checked; the raw value until then
    certificate_ref: str


@dataclass
class Plan:
    activities: list[DevelopmentActivity] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already: int = 0
    rows: int = 0

    def summary(self) -> dict[str, int]:
        return {"rows": self.rows, "new": len(self.activities), "already": self.already}


def parse_table(table: list[list[Any]]) -> tuple[list[Completion], list[Problem]]:
    if not table:
        return [], [_problem("file", "ไฟล์ว่าง", "the file is empty")]
    where = find_columns(table[0], COLUMNS)
    missing = [name for name in COLUMNS if name not in where]
    if missing:
        return [], [
            _problem(
                "header",
                "ไม่พบคอลัมน์ " + ", ".join(FIELD_TH[m] for m in missing),
                "missing columns: " + ", ".join(missing),
            )
        ]
    if len(table) - 1 > MAX_ROWS:
        return [], [_problem("file", f"เกิน {MAX_ROWS:,} แถว", f"more than {MAX_ROWS:,} rows")]
    rows = []
    for number, cells in enumerate(table[1:], start=2):

        def cell(name: str, cells: list[Any] = cells) -> Any:
            index = where[name]
            return cells[index] if index < len(cells) else None

        rows.append(
            Completion(
                row=number,
                citizen_id=_text(cell("citizen_id")),
                course_code=_text(cell("course_code")),
                completed_on=cell("completed_on"),
                certificate_ref=_text(cell("certificate_ref")),
            )
        )
    return rows, []


def plan(*, provider: TrainingProvider, completions: list[Completion]) -> Plan:
    """Check every row and build the activities to add, touching nothing."""
    result = Plan(rows=len(completions))
    courses = {c.code: c for c in TrainingCourse.objects.filter(provider=provider)}
    today = timezone.localdate()
    refs = Counter(c.certificate_ref for c in completions if c.certificate_ref)
    identifiers = sorted({normalise_identifier(c.citizen_id) for c in completions})
    staff: dict[str, int] = {}
    for chunk in _chunks(identifiers):
        staff.update(
            (citizen_id or "", pk)
            for citizen_id, pk in Person.objects.filter(
                citizen_id__in=chunk, pk__in=StaffPost.objects.values("person_id")
            ).values_list("citizen_id", "pk")
        )
    known_refs: set[str] = set()
    for chunk in _chunks(sorted(refs)):
        known_refs.update(
            DevelopmentActivity.objects.filter(provider=provider.name_th, external_ref__in=chunk).values_list(
                "external_ref", flat=True
            )
        )
    problems = result.problems
    for c in completions:
        row_problems: list[Problem] = []
        citizen_id = normalise_identifier(c.citizen_id)
        bad_id = identifier_problem(citizen_id)
        if bad_id:
            row_problems.append(_problem("citizen_id", bad_id[0], bad_id[1], c.row))
        elif citizen_id not in staff:
            row_problems.append(
                _problem("citizen_id", "ไม่พบครูหรือบุคลากรที่มีเลขนี้", "no member of staff has this ID", c.row)
            )
        course = courses.get(c.course_code)
        if course is None:
            row_problems.append(
                _problem(
                    "course_code",
                    f"ไม่มีหลักสูตรรหัส '{c.course_code}' ของ{provider.name_th}",
                    f"{provider.code} has no course '{c.course_code}'",
                    c.row,
                )
            )
        try:
            completed_on = _date(c.completed_on)
            if completed_on > today:
                row_problems.append(
                    _problem("completed_on", "ยังไม่ถึงวันที่นี้", "this date is in the future", c.row)
                )
        except (ValueError, TypeError) as error:
            completed_on = None
            row_problems.append(
                _problem("completed_on", "วันที่ไม่ถูกต้อง (วว/ดด/ปปปป พ.ศ.)", f"not a date ({error})", c.row)
            )
        if not c.certificate_ref:
            row_problems.append(
                _problem("certificate_ref", "ต้องมีเลขที่วุฒิบัตร", "the certificate reference is missing", c.row)
            )
        elif len(c.certificate_ref) > 100:
            row_problems.append(
                _problem("certificate_ref", "ยาวเกิน 100 ตัวอักษร", "longer than 100 characters", c.row)
            )
        elif refs[c.certificate_ref] > 1:
            row_problems.append(
                _problem(
                    "certificate_ref", "เลขที่วุฒิบัตรซ้ำกับแถวอื่น", "the same certificate is on another row", c.row
                )
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        if c.certificate_ref in known_refs:
            result.already += 1
            continue
        assert course is not None and completed_on is not None
        result.activities.append(
            DevelopmentActivity(
                person_id=staff[citizen_id],
                kind=course.kind,
                title=course.title,
                provider=provider.name_th,
                started_on=completed_on,
                ended_on=completed_on,
                hours=course.hours,
                source=DevelopmentActivity.Source.IMPORT,
                external_ref=c.certificate_ref,
            )
        )
    return result


def _apply(*, actor: Any, provider: TrainingProvider, result: Plan, summary: str) -> None:
    for activity in result.activities:
        activity.recorded_by = actor
    created = DevelopmentActivity.objects.bulk_create(result.activities, batch_size=1000)
    audit.record_many(
        actor=actor, action=audit.Action.IMPORT, objects=created, school_id=None, summary=summary
    )


def preview_file(
    *, actor: Any, provider: TrainingProvider, file_name: str, content: bytes
) -> CompletionImport:
    """Check a provider's completion file and keep it with its problems or its summary; nothing else changes."""
    scope.require(actor, Perm.IMPORT_TRAINING, provider)
    completions, problems = parse_table(read_table(content, MAX_ROWS))
    result = plan(provider=provider, completions=completions) if not problems else Plan(problems=problems)
    return CompletionImport.objects.create(
        provider=provider,
        file_name=file_name[:200],
        content=b"" if result.problems else content,  # kept only to be applied
        status=CompletionImport.Status.REJECTED if result.problems else CompletionImport.Status.PREVIEWED,
        row_count=len(completions),
        problems=[p.__dict__ for p in result.problems[:1000]],
        summary=result.summary() | {"problem_count": len(result.problems)},
        uploaded_by=actor,
    )


@transaction.atomic
def apply_file(*, actor: Any, job: CompletionImport) -> dict[str, int]:
    """Apply every row or none; the plan is made again against today's data inside the transaction."""
    scope.require(actor, Perm.IMPORT_TRAINING, job.provider)
    if job.status != CompletionImport.Status.PREVIEWED:
        raise KhruError(
            _problem("file", "ไฟล์นี้นำเข้าไม่ได้ (มีข้อผิดพลาดหรือนำเข้าแล้ว)", "this file cannot be applied")
        )
    completions, problems = parse_table(read_table(bytes(job.content), MAX_ROWS))
    result = plan(provider=job.provider, completions=completions)
    if problems or result.problems:
        raise KhruError(*(problems or result.problems))
    _apply(actor=actor, provider=job.provider, result=result, summary=job.file_name)
    job.status = CompletionImport.Status.APPLIED
    job.applied_at = timezone.now()
    job.summary = result.summary()
    job.save(update_fields=["status", "applied_at", "summary"])
    audit.record(actor=actor, action=audit.Action.IMPORT, obj=job, summary=job.file_name, changes=job.summary)
    return job.summary


@transaction.atomic
def import_completions(
    *, actor: Any, provider: TrainingProvider, completions: list[Completion]
) -> dict[str, int]:
    """A provider's system sends a batch: all valid, all added; one bad item, nothing added."""
    scope.require(actor, Perm.IMPORT_TRAINING, provider)
    if len(completions) > MAX_ROWS:
        raise KhruError(_problem("file", f"เกิน {MAX_ROWS:,} รายการ", f"more than {MAX_ROWS:,} items"))
    result = plan(provider=provider, completions=completions)
    if result.problems:
        raise KhruError(*result.problems)
    _apply(actor=actor, provider=provider, result=result, summary=f"API {provider.code}")
    return result.summary()


def completions_from_items(items: list[tuple[str, str, dt.date | str, str]]) -> list[Completion]:
    return [
        Completion(row=number, citizen_id=i[0], course_code=i[1], completed_on=i[2], certificate_ref=i[3])
        for number, i in enumerate(items, start=1)
    ]


@transaction.atomic
def add_provider(*, actor: Any, code: str, name_th: str, name_en: str = "") -> TrainingProvider:
    if not scope.is_system_admin(actor):
        raise NotAllowed()
    code = code.strip().upper()
    if not code or not name_th.strip():
        raise KhruError(_problem("code", "ต้องมีรหัสและชื่อผู้จัดอบรม", "a code and a name are needed"))
    if TrainingProvider.objects.filter(code=code).exists():
        raise KhruError(_problem("code", "รหัสนี้มีอยู่แล้ว", f"the code {code} is already used"))
    provider = TrainingProvider.objects.create(code=code, name_th=name_th.strip(), name_en=name_en.strip())
    audit.record(actor=actor, action=audit.Action.CREATE, obj=provider, summary=str(provider))
    return provider


@transaction.atomic
def add_course(
    *, actor: Any, provider: TrainingProvider, code: str, title: str, hours: Any
) -> TrainingCourse:
    scope.require(actor, Perm.IMPORT_TRAINING, provider)
    problems: list[Problem] = []
    value = check_hours(hours, problems)
    if not code.strip() or not title.strip():
        problems.append(_problem("course_code", "ต้องมีรหัสและชื่อหลักสูตร", "a code and a title are needed"))
    elif TrainingCourse.objects.filter(provider=provider, code=code.strip()).exists():
        problems.append(_problem("course_code", "รหัสหลักสูตรนี้มีอยู่แล้ว", "this course code is already used"))
    if problems:
        raise KhruError(*problems)
    course = TrainingCourse.objects.create(
        provider=provider, code=code.strip(), title=title.strip(), hours=value
    )
    audit.record(actor=actor, action=audit.Action.CREATE, obj=course, summary=str(course))
    return course
