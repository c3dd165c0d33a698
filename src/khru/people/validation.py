"""Checks of a person's fields, shared by the forms, the API and the roster import (one set of rules)."""

import datetime as dt
from dataclasses import dataclass, field

from khru.core.errors import Problem
from khru.core.identity import identifier_problem, normalise_identifier
from khru.core.models import Subdistrict
from khru.people.models import IdKind, Sex

FIELD_TH = {
    "citizen_id": "เลขประจำตัวประชาชน",
    "prefix": "คำนำหน้า",
    "first_name_th": "ชื่อ",
    "last_name_th": "นามสกุล",
    "first_name_en": "ชื่อ (อังกฤษ)",
    "last_name_en": "นามสกุล (อังกฤษ)",
    "birth_date": "วันเกิด",
    "sex": "เพศ",
    "subdistrict": "รหัสตำบล",
    "postal_code": "รหัสไปรษณีย์",
    "grade": "ชั้น",
    "room": "ห้อง",
    "student_number": "เลขประจำตัวนักเรียน",
    "house_no": "บ้านเลขที่",
}


@dataclass
class PersonData:
    citizen_id: str
    prefix: str
    first_name_th: str
    last_name_th: str
    sex: str
    birth_date: dt.date | None = None
    first_name_en: str = ""
    last_name_en: str = ""
    house_no: str = ""
    subdistrict_code: str = ""
    postal_code: str = ""
    phone: str = ""
    occupation: str = ""
    problems: list[Problem] = field(default_factory=list)

    def model_values(self) -> dict[str, object]:
        """Field values as the Person model stores them."""
        identifier = normalise_identifier(self.citizen_id) or None
        return {
            "citizen_id": identifier,
            "id_kind": IdKind.G_CODE if identifier and identifier.startswith("G") else IdKind.CITIZEN,
            "prefix": self.prefix.strip(),
            "first_name_th": self.first_name_th.strip(),
            "last_name_th": self.last_name_th.strip(),
            "first_name_en": self.first_name_en.strip(),
            "last_name_en": self.last_name_en.strip(),
            "birth_date": self.birth_date,
            "sex": self.sex,
            "house_no": self.house_no.strip(),
            "subdistrict_id": self.subdistrict_code or None,
            "postal_code": self.postal_code.strip(),
            "phone": self.phone.strip(),
            "occupation": self.occupation.strip(),
        }


def _problem(name: str, th: str, en: str, row: int | None) -> Problem:
    return Problem(field=name, th=th, en=en, row=row, field_th=FIELD_TH.get(name, name))


def check_person(
    data: PersonData,
    *,
    row: int | None = None,
    require_id: bool = True,
    today: dt.date | None = None,
    known_subdistricts: set[str] | None = None,
) -> list[Problem]:
    """Every problem with the fields, each naming the row and field. Empty when all is well."""
    today = today or dt.date.today()
    found = list(data.problems)
    if data.citizen_id or require_id:
        bad = identifier_problem(data.citizen_id)
        if bad:
            found.append(_problem("citizen_id", *bad, row))
    for name in ("prefix", "first_name_th", "last_name_th"):
        if not getattr(data, name).strip():
            found.append(_problem(name, "ต้องกรอก", "is required", row))
    if data.sex not in Sex.values:
        found.append(_problem("sex", "ต้องเป็น ชาย หรือ หญิง", "must be male (M) or female (F)", row))
    if data.birth_date is not None:
        if data.birth_date > today:
            found.append(_problem("birth_date", "วันเกิดอยู่ในอนาคต", "birth date is in the future", row))
        elif data.birth_date.year < 1900:
            found.append(_problem("birth_date", "ปีเกิดไม่น่าเป็นไปได้", "birth year is implausible", row))
    if data.subdistrict_code:
        exists = (
            data.subdistrict_code in known_subdistricts
            if known_subdistricts is not None
            else Subdistrict.objects.filter(code=data.subdistrict_code).exists()
        )
        if not exists:
            found.append(_problem("subdistrict", "ไม่พบรหัสตำบลนี้", "unknown subdistrict code", row))
    if data.postal_code and not (data.postal_code.isdigit() and len(data.postal_code) == 5):
        found.append(_problem("postal_code", "รหัสไปรษณีย์ต้องมี 5 หลัก", "postcode has 5 digits", row))
    return found


SEX_WORDS = {
    "ชาย": "M",
    "ช": "M",
    "m": "M",
    "male": "M",
    "1": "M",
    "หญิง": "F",
    "ญ": "F",
    "f": "F",
    "female": "F",
    "2": "F",
}


def parse_sex(text: str) -> str:
    return SEX_WORDS.get((text or "").strip().lower(), (text or "").strip())
