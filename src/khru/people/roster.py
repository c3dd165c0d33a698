"""Roster import: a school's student list from CSV or XLSX (DMC-like columns), previewed, then applied
whole or not at all. Re-importing the same file changes nothing.
"""

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from python_calamine import CalamineWorkbook

from khru.core import audit, files
from khru.core.dates import parse_be_date
from khru.core.errors import KhruError, Problem
from khru.core.identity import normalise_identifier
from khru.core.models import Subdistrict
from khru.org import grades, scope
from khru.org.models import AcademicYear, Classroom, School
from khru.org.roles import Perm
from khru.org.selectors import current_year
from khru.people.models import EndReason, Enrolment, Guardianship, IdKind, Person, RosterImport
from khru.people.validation import CENSUS_CHOICES, FIELD_TH, PersonData, check_person, parse_choice, parse_sex

MAX_ROWS = 20_000
APPLY_BATCH = 2_000
T = TypeVar("T")

# Header → field. Thai headers as DMC exports write them, and English ones for other systems.
COLUMNS = {
    "citizen_id": ["เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "citizen_id", "id"],
    "student_number": ["เลขประจำตัวนักเรียน", "รหัสนักเรียน", "student_number"],
    "prefix": ["คำนำหน้า", "คำนำหน้าชื่อ", "prefix", "title"],
    "first_name_th": ["ชื่อ", "first_name", "first_name_th"],
    "last_name_th": ["นามสกุล", "last_name", "last_name_th"],
    "first_name_en": ["ชื่อ (อังกฤษ)", "ชื่ออังกฤษ", "first_name_en"],
    "last_name_en": ["นามสกุล (อังกฤษ)", "นามสกุลอังกฤษ", "last_name_en"],
    "birth_date": ["วันเกิด", "วันเดือนปีเกิด", "birth_date"],
    "sex": ["เพศ", "sex"],
    "grade": ["ชั้น", "ระดับชั้น", "grade"],
    "room": ["ห้อง", "room"],
    "house_no": ["บ้านเลขที่", "ที่อยู่", "address", "house_no"],
    "subdistrict": ["รหัสตำบล", "subdistrict_code", "subdistrict"],
    "postal_code": ["รหัสไปรษณีย์", "postal_code", "postcode"],
    "father_id": ["เลขประจำตัวประชาชนบิดา", "father_citizen_id"],
    "father_first": ["ชื่อบิดา", "father_first_name"],
    "father_last": ["นามสกุลบิดา", "father_last_name"],
    "father_occupation": ["อาชีพบิดา", "father_occupation"],
    "mother_id": ["เลขประจำตัวประชาชนมารดา", "mother_citizen_id"],
    "mother_first": ["ชื่อมารดา", "mother_first_name"],
    "mother_last": ["นามสกุลมารดา", "mother_last_name"],
    "mother_occupation": ["อาชีพมารดา", "mother_occupation"],
    "guardian_id": ["เลขประจำตัวประชาชนผู้ปกครอง", "guardian_citizen_id"],
    "guardian_first": ["ชื่อผู้ปกครอง", "guardian_first_name"],
    "guardian_last": ["นามสกุลผู้ปกครอง", "guardian_last_name"],
    "guardian_relation": ["ความสัมพันธ์กับผู้ปกครอง", "ความสัมพันธ์ผู้ปกครอง", "guardian_relation"],
    "guardian_phone": ["โทรศัพท์ผู้ปกครอง", "guardian_phone"],
    "blood_group": ["หมู่เลือด", "กรุ๊ปเลือด", "blood_group"],
    "religion": ["ศาสนา", "religion"],
    "ethnicity": ["เชื้อชาติ", "ethnicity"],
    "nationality": ["สัญชาติ", "nationality"],
    "disability": ["ความพิการ", "ประเภทความพิการ", "disability"],
    "disadvantage": ["ความด้อยโอกาส", "ความขาดแคลน", "disadvantage"],
}
_HINT = re.compile(r"\s*[(\[].*[)\]]\s*$")  # a trailing "(...)" or "[...]" after a column's name
REQUIRED = ["citizen_id", "prefix", "first_name_th", "last_name_th", "birth_date", "sex", "grade"]
RELATION_WORDS = {
    "บิดา": "father", "พ่อ": "father", "father": "father",
    "มารดา": "mother", "แม่": "mother", "mother": "mother",
    "ปู่": "grandparent", "ย่า": "grandparent", "ตา": "grandparent", "ยาย": "grandparent", "grandparent": "grandparent",
    "ญาติ": "relative", "ลุง": "relative", "ป้า": "relative", "น้า": "relative", "อา": "relative", "relative": "relative",
    "ผู้ปกครอง": "guardian", "guardian": "guardian", "": "guardian",
}  # fmt: skip
FIELD_TH_EXTRA = {"file": "ไฟล์", "header": "หัวตาราง", "guardian": "ผู้ปกครอง"}


@dataclass
class GuardianRow:
    relation: str
    citizen_id: str
    first_name: str
    last_name: str
    occupation: str = ""
    phone: str = ""


@dataclass
class RosterRow:
    number: int  # row number as the user sees it in the file (header is row 1)
    person: PersonData
    grade: str
    room: int | None
    student_number: str
    guardians: list[GuardianRow] = field(default_factory=list)


def _problem(name: str, th: str, en: str, row: int | None = None) -> Problem:
    return Problem(
        field=name, th=th, en=en, row=row, field_th=FIELD_TH.get(name, FIELD_TH_EXTRA.get(name, name))
    )


def read_table(content: bytes, max_rows: int = MAX_ROWS) -> list[list[Any]]:
    """Rows of the first sheet (XLSX) or of the CSV, decoded as UTF-8 or, failing that, TIS-620/cp874.

    A file over the size limit, an XLSX that unpacks too big (a zip bomb) and a file of more than
    ``max_rows`` rows are refused before they are parsed; a CSV is read as a stream, never decoded whole."""
    if len(content) > files.TABLE_MAX_BYTES:
        raise files.too_big(files.TABLE_MAX_BYTES, field="file", field_th=FIELD_TH_EXTRA["file"])
    if content[:4] == b"PK\x03\x04":
        _check_xlsx(content, max_rows)
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
            return [list(r) for r in workbook.get_sheet_by_index(0).to_python(skip_empty_area=True)]
        except Exception as error:  # calamine raises its own error types for damaged files
            raise KhruError(
                _problem("file", "อ่านไฟล์ Excel ไม่ได้", f"cannot read the Excel file ({error})")
            ) from error
    encoding = next((e for e in ("utf-8-sig", "cp874") if _decodes(content, e)), None)
    if encoding is None:
        raise KhruError(
            _problem("file", "ไฟล์ไม่ใช่ CSV แบบ UTF-8 หรือ TIS-620", "the file is not UTF-8 or TIS-620 CSV")
        )
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    try:
        dialect: Any = csv.Sniffer().sniff(text.read(4096), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    text.seek(0)
    rows = []
    reader = csv.reader(text, dialect)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                if len(rows) > max_rows + 1:  # the header and max_rows rows
                    raise _too_many_rows(max_rows)
    except csv.Error as error:
        raise KhruError(
            _problem("file", "อ่านไฟล์ CSV ไม่ได้", f"cannot read the CSV file ({error})", row=reader.line_num)
        ) from error
    return rows


def _too_many_rows(max_rows: int) -> KhruError:
    return KhruError(_problem("file", f"ไฟล์มีเกิน {max_rows:,} แถว", f"more than {max_rows:,} rows"))


_CHUNK = 1024 * 1024
# A row element of a worksheet's XML, with or without a namespace prefix (<row ...>, <x:row ...>).
_ROW_TAG = re.compile(rb"<(?:\w{1,10}:)?row[\s>/]")


def _check_xlsx(content: bytes, max_rows: int) -> None:
    """Refuse an XLSX that unpacks to more than the limit (as its zip directory says, and as it really
    unpacks: a lying directory fails the zip's own checks) or whose sheets hold more than ``max_rows`` rows;
    unpacked a chunk at a time and thrown away, so the check itself holds little memory."""
    limit = files.XLSX_MAX_UNPACKED_BYTES
    refusal = _problem(
        "file",
        f"ไฟล์ Excel เมื่อแตกออกใหญ่เกิน {limit // files.MB} MB",
        f"the Excel file unpacks to more than {limit // files.MB} MB",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > limit:
                raise KhruError(refusal)
            unpacked = 0
            for member in members:
                is_sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
                rows, tail = 0, b""
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise KhruError(refusal)
                        if is_sheet:
                            data = tail + chunk  # a tag cut by the chunk boundary is counted once
                            rows += sum(1 for m in _ROW_TAG.finditer(data) if m.end() > len(tail))
                            tail = data[-16:]
                if rows > max_rows + 1:
                    raise _too_many_rows(max_rows)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise KhruError(
            _problem("file", "อ่านไฟล์ Excel ไม่ได้", f"cannot read the Excel file ({error})")
        ) from error


def _decodes(content: bytes, encoding: str) -> bool:
    """Whether the whole of ``content`` is text in ``encoding``, checked a chunk at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for start in range(0, len(view), _CHUNK):
            decoder.decode(view[start : start + _CHUNK], final=start + _CHUNK >= len(view))
    except UnicodeDecodeError:
        return False
    return True


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> dt.date:
    """Excel date cells hold real (CE) dates; typed text is dd/mm/yyyy in BE."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_be_date(_text(value))


def find_columns(header_row: list[Any], columns: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Where each column is in a file's header row, found by any of its names (Thai or English, any case)."""
    header = [_text(h).lower() for h in header_row]
    where: dict[str, int] = {}
    for name, aliases in columns.items():
        found = next((alias.lower() for alias in aliases if alias.lower() in header), None)
        if found is not None:
            where[name] = header.index(found)
    # Then a header with a hint after the name, as the README writes it: "วันเกิด (dd/mm/yyyy พ.ศ.)".
    used = set(where.values())
    plain = [_HINT.sub("", h).strip() for h in header]
    for name, aliases in columns.items():
        if name in where:
            continue
        wanted = {alias.lower() for alias in aliases}
        index = next((i for i, h in enumerate(plain) if i not in used and h in wanted), None)
        if index is not None:
            where[name] = index
            used.add(index)
    return where


def parse_rows(table: list[list[Any]]) -> tuple[list[RosterRow], list[Problem]]:
    if not table:
        return [], [_problem("file", "ไฟล์ว่าง", "the file is empty")]
    where = find_columns(table[0], COLUMNS)
    missing = [name for name in REQUIRED if name not in where]
    if missing:
        names = ", ".join(COLUMNS[m][0] for m in missing)
        return [], [_problem("header", f"ไม่พบคอลัมน์: {names}", f"missing columns: {', '.join(missing)}", 1)]
    if len(table) - 1 > MAX_ROWS:
        return [], list(_too_many_rows(MAX_ROWS).problems)

    rows: list[RosterRow] = []
    problems: list[Problem] = []
    for offset, raw in enumerate(table[1:], start=2):

        def cell(name: str, raw: list[Any] = raw) -> Any:
            index = where.get(name)
            return raw[index] if index is not None and index < len(raw) else None

        row_problems: list[Problem] = []
        birth_date = None
        try:
            birth_date = _date(cell("birth_date"))
        except ValueError as error:
            row_problems.append(
                _problem("birth_date", "วันที่ไม่ถูกต้อง (วว/ดด/ปปปป พ.ศ.)", f"impossible date: {error}", offset)
            )
        grade = grades.from_label(_text(cell("grade")))
        if grade is None:
            row_problems.append(
                _problem("grade", f"ไม่รู้จักชั้น '{_text(cell('grade'))}'", "unknown grade", offset)
            )
        room_text = _text(cell("room"))
        room = int(room_text) if room_text.isdigit() and int(room_text) > 0 else None
        if room_text and room is None:
            row_problems.append(_problem("room", "ห้องต้องเป็นตัวเลข", "room must be a number", offset))
        person = PersonData(
            citizen_id=normalise_identifier(_text(cell("citizen_id"))),
            prefix=_text(cell("prefix")),
            first_name_th=_text(cell("first_name_th")),
            last_name_th=_text(cell("last_name_th")),
            first_name_en=_text(cell("first_name_en")),
            last_name_en=_text(cell("last_name_en")),
            sex=parse_sex(_text(cell("sex"))),
            birth_date=birth_date,
            house_no=_text(cell("house_no")),
            subdistrict_code=_text(cell("subdistrict")),
            postal_code=_text(cell("postal_code")),
            problems=row_problems,
        )
        for name, choices in CENSUS_CHOICES.items():
            if name in where:  # a column the file does not have leaves the school's value alone
                text = _text(cell(name))
                setattr(person, name, parse_choice(choices, text) if choices else text)
        guardians = []
        for relation in ("father", "mother", "guardian"):
            first, last = _text(cell(f"{relation}_first")), _text(cell(f"{relation}_last"))
            if not first:
                continue
            kind = (
                relation
                if relation != "guardian"
                else RELATION_WORDS.get(_text(cell("guardian_relation")), "other")
            )
            guardians.append(
                GuardianRow(
                    relation=kind,
                    citizen_id=normalise_identifier(_text(cell(f"{relation}_id"))),
                    first_name=first,
                    last_name=last,
                    occupation=_text(cell(f"{relation}_occupation")),
                    phone=_text(cell(f"{relation}_phone")),
                )
            )
        rows.append(RosterRow(offset, person, grade or "", room, _text(cell("student_number")), guardians))
    return rows, problems


@dataclass
class Plan:
    rows: list[RosterRow]
    problems: list[Problem]
    new_people: int = 0
    updated_people: int = 0
    new_enrolments: int = 0
    moved: int = 0
    transfers_in: int = 0
    unchanged: int = 0

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "new_people": self.new_people,
            "updated_people": self.updated_people,
            "new_enrolments": self.new_enrolments,
            "moved": self.moved,
            "transfers_in": self.transfers_in,
            "unchanged": self.unchanged,
        }


def _chunks(values: list[T], size: int = 900) -> list[list[T]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _people_by_id(identifiers: list[str]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for chunk in _chunks(identifiers):
        found.update({p.citizen_id or "": p for p in Person.objects.filter(citizen_id__in=chunk)})
    return found


def _open_enrolments(person_ids: list[int]) -> dict[int, Enrolment]:
    found: dict[int, Enrolment] = {}
    for chunk in _chunks(person_ids):
        rows = Enrolment.objects.filter(person_id__in=chunk, ends_on__isnull=True).select_related("classroom")
        found.update({e.person_id: e for e in rows})
    return found


def plan(*, school: School, year: AcademicYear, content: bytes) -> Plan:
    """Validate every row and work out what applying would change, touching nothing."""
    rows, problems = parse_rows(read_table(content))
    known = set(Subdistrict.objects.values_list("code", flat=True))
    taught = set(grades.between(school.lowest_grade, school.highest_grade))
    today = timezone.localdate()
    seen = Counter(r.person.citizen_id for r in rows if r.person.citizen_id)
    for row in rows:
        problems.extend(check_person(row.person, row=row.number, today=today, known_subdistricts=known))
        if row.grade and row.grade not in taught:
            problems.append(
                _problem("grade", "โรงเรียนไม่ได้เปิดสอนชั้นนี้", "the school does not teach this grade", row.number)
            )
        if seen[row.person.citizen_id] > 1:
            problems.append(
                _problem("citizen_id", "เลขซ้ำกับแถวอื่นในไฟล์", "duplicate ID in the file", row.number)
            )
        for guardian in row.guardians:
            if guardian.citizen_id:
                bad = check_person(
                    PersonData(guardian.citizen_id, "-", guardian.first_name, guardian.last_name, "M"),
                    row=row.number,
                )
                problems.extend(
                    _problem(f"{guardian.relation}_id", p.th, p.en, row.number)
                    for p in bad
                    if p.field == "citizen_id"
                )
    result = Plan(rows=rows, problems=problems)
    if problems:
        return result
    people = _people_by_id([r.person.citizen_id for r in rows])
    open_enrolments = _open_enrolments([p.pk for p in people.values()])
    for row in rows:
        person = people.get(row.person.citizen_id)
        if person is None:
            result.new_people += 1
            result.new_enrolments += 1
            continue
        if audit.diff(person, _comparable(row.person)):
            result.updated_people += 1
        current = open_enrolments.get(person.pk)
        if current is None:
            result.new_enrolments += 1
        elif current.school_id != school.pk:
            result.transfers_in += 1
        elif (
            current.grade != row.grade or (current.classroom.room if current.classroom else None) != row.room
        ):
            result.moved += 1
        elif not audit.diff(person, _comparable(row.person)):
            result.unchanged += 1
    return result


def _comparable(data: PersonData) -> dict[str, Any]:
    """Fields a roster may correct. Fields left empty in the file never erase what the school already has."""
    values = data.model_values()
    return {k: v for k, v in values.items() if v not in ("", None) and k != "id_kind"}


def preview_roster(*, actor: Any, school: School, file_name: str, content: bytes) -> RosterImport:
    scope.require(actor, Perm.MANAGE_ENROLMENT, school)
    year = current_year(school=school)
    if year is None:
        raise KhruError(_problem("file", "ยังไม่มีปีการศึกษาของหน่วยงานนี้", "no academic year is set up"))
    result = plan(school=school, year=year, content=content)
    job = RosterImport.objects.create(
        school=school,
        academic_year=year,
        file_name=file_name[:200],
        content=b"" if result.problems else content,  # kept only to be applied after the preview
        sha256=hashlib.sha256(content).hexdigest(),
        status=RosterImport.Status.REJECTED if result.problems else RosterImport.Status.PREVIEWED,
        row_count=len(result.rows),
        problems=[p.__dict__ for p in result.problems[:1000]],
        summary=result.summary() | {"problem_count": len(result.problems)},
        uploaded_by=actor,
    )
    return job


@transaction.atomic
def apply_roster(*, actor: Any, job: RosterImport) -> dict[str, int]:
    """Apply every row or none: the plan is recomputed against today's data inside one transaction."""
    school = job.school
    scope.require(actor, Perm.MANAGE_ENROLMENT, school)
    if job.status != RosterImport.Status.PREVIEWED:
        raise KhruError(
            _problem("file", "ไฟล์นี้นำเข้าไม่ได้ (มีข้อผิดพลาดหรือนำเข้าแล้ว)", "this file cannot be applied")
        )
    year = job.academic_year
    result = plan(school=school, year=year, content=bytes(job.content))
    if result.problems:
        raise KhruError(*result.problems)
    # A batch at a time, so the objects written are only one batch's (the transaction stays one).
    for batch in _chunks(result.rows, APPLY_BATCH):
        apply_rows(actor=actor, school=school, year=year, rows=batch)
    job.status = RosterImport.Status.APPLIED
    job.applied_at = timezone.now()
    job.summary = result.summary()
    job.save(update_fields=["status", "applied_at", "summary"])
    audit.record(
        actor=actor,
        action=audit.Action.IMPORT,
        obj=job,
        school_id=school.pk,
        summary=job.file_name,
        changes=job.summary,
    )
    return job.summary


def apply_rows(*, actor: Any, school: School, year: AcademicYear, rows: list[RosterRow]) -> None:
    """Write validated rows in bulk: persons, classrooms, enrolments, guardians, and their audit events."""
    starts_on = max(year.starts_on, min(timezone.localdate(), year.ends_on))
    people = _people_by_id([r.person.citizen_id for r in rows])
    created = Person.objects.bulk_create(
        [Person(**r.person.model_values()) for r in rows if r.person.citizen_id not in people], batch_size=500
    )
    audit.record_many(
        actor=actor, action=audit.Action.CREATE, objects=created, school_id=school.pk, summary="roster"
    )
    people.update({p.citizen_id or "": p for p in created})

    created_ids = {p.pk for p in created}
    changed_people = []
    for row in rows:
        person = people[row.person.citizen_id]
        values = _comparable(row.person)
        changes = audit.diff(person, values)
        if changes and person.pk not in created_ids:
            for name in changes:
                setattr(person, name, values[name])
            changed_people.append(person)
            audit.record(
                actor=actor, action=audit.Action.UPDATE, obj=person, school_id=school.pk, changes=changes
            )
    if changed_people:
        fields = sorted({f for r in rows for f in _comparable(r.person)} - {"citizen_id"})
        Person.objects.bulk_update(changed_people, fields, batch_size=500)

    rooms = {(c.grade, c.room): c for c in Classroom.objects.filter(school=school, academic_year=year)}
    for row in rows:
        if row.room is not None and (row.grade, row.room) not in rooms:
            rooms[(row.grade, row.room)] = Classroom.objects.create(
                school=school, academic_year=year, grade=row.grade, room=row.room
            )
    open_enrolments = _open_enrolments([p.pk for p in people.values()])
    closing, moving, opening = [], [], []
    for row in rows:
        person = people[row.person.citizen_id]
        classroom = rooms.get((row.grade, row.room)) if row.room else None
        current = open_enrolments.get(person.pk)
        if current is not None and current.school_id == school.pk and current.academic_year_id == year.pk:
            if (current.grade, current.classroom_id) != (row.grade, classroom.pk if classroom else None):
                current.grade, current.classroom = row.grade, classroom
                moving.append(current)
            continue
        if current is not None:
            current.ends_on = max(starts_on - dt.timedelta(days=1), current.starts_on)
            current.end_reason = (
                EndReason.TRANSFERRED if current.school_id != school.pk else EndReason.PROMOTED
            )
            current.to_school = school if current.school_id != school.pk else None
            closing.append(current)
        opening.append(
            Enrolment(
                person=person,
                school=school,
                academic_year=year,
                grade=row.grade,
                classroom=classroom,
                student_number=row.student_number,
                starts_on=starts_on,
                recorded_by=actor,
            )
        )
    Enrolment.objects.bulk_update(closing, ["ends_on", "end_reason", "to_school"], batch_size=500)
    Enrolment.objects.bulk_update(moving, ["grade", "classroom"], batch_size=500)
    opened = Enrolment.objects.bulk_create(opening, batch_size=500)
    for group, action in (
        (closing, audit.Action.UPDATE),
        (moving, audit.Action.UPDATE),
        (opened, audit.Action.CREATE),
    ):
        audit.record_many(actor=actor, action=action, objects=group, school_id=school.pk, summary="roster")
    _link_guardians(actor=actor, school=school, rows=rows, people=people)


def _link_guardians(*, actor: Any, school: School, rows: list[RosterRow], people: dict[str, Person]) -> None:
    """Guardians with an ID are one person everywhere; without one, they are matched by name per child."""
    with_id = _people_by_id(sorted({g.citizen_id for r in rows for g in r.guardians if g.citizen_id}))
    student_ids = [people[r.person.citizen_id].pk for r in rows]
    existing: dict[int, list[Guardianship]] = {}
    for chunk in _chunks(student_ids):
        for link in Guardianship.objects.filter(student_id__in=chunk).select_related("guardian"):
            existing.setdefault(link.student_id, []).append(link)
    # First find who exists; create the missing guardians in one statement; then link.
    pending: dict[object, Person] = {}
    wanted: list[tuple[Person, object, GuardianRow]] = []
    for row in rows:
        student = people[row.person.citizen_id]
        links = existing.get(student.pk, [])
        for g in row.guardians:
            guardian = with_id.get(g.citizen_id) if g.citizen_id else None
            guardian = guardian or next(
                (
                    link.guardian
                    for link in links
                    if (link.guardian.first_name_th, link.guardian.last_name_th)
                    == (g.first_name, g.last_name)
                ),
                None,
            )
            key: object = (
                guardian.pk if guardian else (g.citizen_id or (student.pk, g.first_name, g.last_name))
            )
            if guardian is None and key not in pending:
                pending[key] = Person(
                    citizen_id=g.citizen_id or None,
                    id_kind=IdKind.CITIZEN if g.citizen_id else IdKind.OTHER,
                    prefix="",  # never guessed: a mother may be นาง or นางสาว (or a rank); the school adds it
                    first_name_th=g.first_name,
                    last_name_th=g.last_name,
                    sex={"father": "M", "mother": "F"}.get(g.relation, ""),
                    occupation=g.occupation,
                    phone=g.phone,
                )
            wanted.append((student, guardian or key, g))
    created_guardians = Person.objects.bulk_create(list(pending.values()), batch_size=500)
    audit.record_many(
        actor=actor,
        action=audit.Action.CREATE,
        objects=created_guardians,
        school_id=school.pk,
        summary="roster",
    )
    new_links = []
    for student, found, g in wanted:
        guardian = found if isinstance(found, Person) else pending[found]
        links = existing.setdefault(student.pk, [])
        if not any(link.guardian_id == guardian.pk for link in links):
            link = Guardianship(student=student, guardian=guardian, relation=g.relation, is_primary=not links)
            links.append(link)
            new_links.append(link)
    created = Guardianship.objects.bulk_create(new_links, batch_size=500)
    audit.record_many(
        actor=actor, action=audit.Action.CREATE, objects=created, school_id=school.pk, summary="roster"
    )
