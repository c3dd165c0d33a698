"""The burden ledger's field registry: every field Khru captures, who enters it and how often, and who reads it.

Reports register the fields they read from their declarations (catalog.register); dashboards and rules call
`register_reader(kind, name, fields)`. A field nobody reads is a burden to remove; a report column that no
field feeds is typed by hand for that report.
"""

from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class CapturedField:
    id: str  # app.model.field
    th: str
    en: str
    entered_by_th: str
    entered_by_en: str
    how_often_th: str
    how_often_en: str


_REGISTRAR = ("เจ้าหน้าที่ทะเบียน", "registrar")
_HOMEROOM = ("ครูประจำชั้น", "homeroom teacher")
_SUBJECT = ("ครูประจำวิชา", "subject teacher")
_ONCE = ("ครั้งเดียว เมื่อรับเข้า (แก้ไขเมื่อเปลี่ยน)", "once, at enrolment (corrected when it changes)")
_YEARLY = ("ปีละครั้ง", "once a year")
_DAILY = ("ทุกวันเรียน", "every school day")
_TERMLY = ("ภาคเรียนละครั้ง", "once a term")
_PER_TASK = ("ทุกชิ้นงาน/การสอบ", "each assessment")
_TWICE_A_YEAR = ("อย่างน้อยปีละ 2 ครั้ง", "at least twice a year")


def _f(id: str, th: str, en: str, who: tuple[str, str], often: tuple[str, str]) -> CapturedField:
    return CapturedField(id, th, en, who[0], who[1], often[0], often[1])


FIELDS: dict[str, CapturedField] = {
    field.id: field
    for field in (
        _f("people.person.citizen_id", "เลขประจำตัวประชาชน", "citizen ID", _REGISTRAR, _ONCE),
        _f("people.person.prefix", "คำนำหน้า", "title", _REGISTRAR, _ONCE),
        _f("people.person.first_name_th", "ชื่อ", "first name (Thai)", _REGISTRAR, _ONCE),
        _f("people.person.last_name_th", "นามสกุล", "last name (Thai)", _REGISTRAR, _ONCE),
        _f("people.person.first_name_en", "ชื่อ (อังกฤษ)", "first name (English)", _REGISTRAR, _ONCE),
        _f("people.person.last_name_en", "นามสกุล (อังกฤษ)", "last name (English)", _REGISTRAR, _ONCE),
        _f("people.person.birth_date", "วันเกิด", "birth date", _REGISTRAR, _ONCE),
        _f("people.person.sex", "เพศ", "sex", _REGISTRAR, _ONCE),
        _f("people.person.house_no", "บ้านเลขที่", "house number", _REGISTRAR, _ONCE),
        _f("people.person.subdistrict", "ตำบล/อำเภอ/จังหวัด", "subdistrict", _REGISTRAR, _ONCE),
        _f("people.person.postal_code", "รหัสไปรษณีย์", "postal code", _REGISTRAR, _ONCE),
        _f("people.person.phone", "โทรศัพท์", "phone", _REGISTRAR, _ONCE),
        _f("people.person.occupation", "อาชีพ (ผู้ปกครอง)", "occupation (guardian)", _REGISTRAR, _ONCE),
        _f("people.person.blood_group", "หมู่เลือด", "blood group", _REGISTRAR, _ONCE),
        _f("people.person.religion", "ศาสนา", "religion", _REGISTRAR, _ONCE),
        _f("people.person.ethnicity", "เชื้อชาติ", "ethnicity", _REGISTRAR, _ONCE),
        _f("people.person.nationality", "สัญชาติ", "nationality", _REGISTRAR, _ONCE),
        _f("people.person.disability", "ประเภทความพิการ", "type of disability", _REGISTRAR, _ONCE),
        _f("people.person.disadvantage", "ความด้อยโอกาส", "disadvantage", _REGISTRAR, _ONCE),
        _f(
            "welfare.household.distance_km",
            "ระยะทางจากบ้านถึงโรงเรียน",
            "distance from home to school",
            _HOMEROOM,
            ("เมื่อบันทึกข้อมูลครอบครัว (แก้ไขเมื่อย้ายบ้าน)", "with the household (corrected when the family moves)"),
        ),
        _f(
            "welfare.aptitude.area",
            "ด้านความสามารถพิเศษ/ความสนใจ",
            "area of talent or interest",
            _HOMEROOM,
            ("เมื่อพบ (ครูหรือนักเรียนบอก)", "when noticed (by a teacher or the child)"),
        ),
        _f(
            "welfare.aptitude.detail",
            "รายละเอียดความสามารถพิเศษ",
            "talent or interest, in words",
            _HOMEROOM,
            ("เมื่อพบ (ครูหรือนักเรียนบอก)", "when noticed (by a teacher or the child)"),
        ),
        _f("people.guardianship.relation", "ความเกี่ยวข้องกับนักเรียน", "relation to the child", _REGISTRAR, _ONCE),
        _f("people.enrolment.student_number", "เลขประจำตัวนักเรียน", "student number", _REGISTRAR, _ONCE),
        _f("people.enrolment.classroom", "ชั้น/ห้อง", "class and room", _REGISTRAR, _YEARLY),
        _f("people.enrolment.end_reason", "เหตุที่ออก", "reason for leaving", _REGISTRAR, _ONCE),
        _f("people.enrolment.dropout_reason", "สาเหตุออกกลางคัน", "drop-out reason", _REGISTRAR, _ONCE),
        _f("attendance.mark.code", "การมาเรียน (ขาด ลา สาย)", "attendance mark", _HOMEROOM, _DAILY),
        _f(
            "attendance.leaverequest.reason",
            "ใบลา",
            "leave request",
            _HOMEROOM,
            ("เมื่อมีการลา", "when a child is away"),
        ),
        _f("assessment.course.code", "รายวิชา", "course", ("ฝ่ายวิชาการ", "academic office"), _TERMLY),
        _f("assessment.course.credits", "หน่วยกิต", "credits", ("ฝ่ายวิชาการ", "academic office"), _TERMLY),
        _f("assessment.course.hours", "เวลาเรียน", "planned hours", ("ฝ่ายวิชาการ", "academic office"), _TERMLY),
        _f("assessment.score.score", "คะแนน", "score", _SUBJECT, _PER_TASK),
        _f(
            "assessment.result.reading_rating",
            "การอ่าน คิดวิเคราะห์ และเขียน",
            "reading, thinking, writing",
            _SUBJECT,
            _TERMLY,
        ),
        _f(
            "assessment.result.character_rating",
            "คุณลักษณะอันพึงประสงค์",
            "desirable characteristics",
            _SUBJECT,
            _TERMLY,
        ),
        _f(
            "assessment.yearrating.rating",
            "ผลประเมินประจำปี (คุณลักษณะ 8 ประการ สมรรถนะสำคัญ 5 ด้าน)",
            "year results (8 characteristics, 5 key competencies)",
            _HOMEROOM,
            _YEARLY,
        ),
        _f("health.measurement.weight_kg", "น้ำหนัก", "weight", _HOMEROOM, _TWICE_A_YEAR),
        _f("health.measurement.height_cm", "ส่วนสูง", "height", _HOMEROOM, _TWICE_A_YEAR),
        _f("care.answer.value", "คำตอบแบบประเมิน SDQ", "SDQ answers", _HOMEROOM, _YEARLY),
    )
}

_readers: dict[str, set[tuple[str, str]]] = defaultdict(set)


def register_field(field: CapturedField) -> None:
    """Another domain adds the fields it captures (welfare's screening, teachers' records …)."""
    FIELDS[field.id] = field


def register_reader(kind: str, name: str, fields: list[str] | tuple[str, ...] | set[str]) -> None:
    """kind: "report", "dashboard" or "rule"; name: what a person would call it."""
    for field_id in fields:
        _readers[field_id].add((kind, name))


def readers(field_id: str) -> list[tuple[str, str]]:
    return sorted(_readers.get(field_id, set()))


# The rules already running on captured data (they read fields to derive others).
register_reader("rule", "เกณฑ์เวลาเรียน 80% (มส)", ["attendance.mark.code", "assessment.course.hours"])
register_reader(
    "rule",
    "การตัดสินผลการเรียน",
    ["assessment.score.score", "assessment.course.credits", "assessment.course.code"],
)
register_reader(
    "rule",
    "ภาวะโภชนาการ (z-score)",
    [
        "health.measurement.weight_kg",
        "health.measurement.height_cm",
        "people.person.birth_date",
        "people.person.sex",
    ],
)
register_reader("rule", "คะแนน SDQ และการคัดกรอง", ["care.answer.value"])
