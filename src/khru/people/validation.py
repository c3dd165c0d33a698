"""Checks of a person's fields, shared by the forms, the API and the roster import (one set of rules)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from khru.core.errors import Problem
from khru.core.identity import identifier_problem, normalise_identifier
from khru.core.models import Subdistrict
from khru.people.models import BloodGroup, Disability, Disadvantage, IdKind, Person, Religion, Sex
from khru.people.prefixes import derived_prefix

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
    "blood_group": "หมู่เลือด",
    "religion": "ศาสนา",
    "ethnicity": "เชื้อชาติ",
    "nationality": "สัญชาติ",
    "disability": "ความพิการ",
    "disadvantage": "ความด้อยโอกาส",
}

# The DMC census facts: field → its choices (None = short free text). None in PersonData = "not given"
# (an API caller or a roster without the column leaves what the school already has).
CENSUS_CHOICES: dict[str, type[models.TextChoices] | None] = {
    "blood_group": BloodGroup,
    "religion": Religion,
    "ethnicity": None,
    "nationality": None,
    "disability": Disability,
    "disadvantage": Disadvantage,
}
CENSUS_EN = {
    "blood_group": "blood group",
    "religion": "religion",
    "ethnicity": "ethnicity",
    "nationality": "nationality",
    "disability": "disability",
    "disadvantage": "disadvantage",
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
    blood_group: str | None = None
    religion: str | None = None
    ethnicity: str | None = None
    nationality: str | None = None
    disability: str | None = None
    disadvantage: str | None = None
    problems: list[Problem] = field(default_factory=list)

    def model_values(self) -> dict[str, object]:
        """Field values as the Person model stores them (census facts only when given)."""
        identifier = normalise_identifier(self.citizen_id) or None
        census = {
            name: value.strip() for name in CENSUS_CHOICES if (value := getattr(self, name)) is not None
        }
        return census | {
            "citizen_id": identifier,
            "id_kind": IdKind.G_CODE if identifier and identifier.startswith("G") else IdKind.CITIZEN,
            "prefix": derived_prefix(
                sex=self.sex, birth_date=self.birth_date, on=timezone.localdate(), typed=self.prefix.strip()
            ),
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
    today = today or timezone.localdate()
    found = list(data.problems)
    if data.citizen_id or require_id:
        bad = identifier_problem(data.citizen_id)
        if bad:
            found.append(_problem("citizen_id", *bad, row))
    for name in ("prefix", "first_name_th", "last_name_th"):
        if not getattr(data, name).strip():
            found.append(_problem(name, "ต้องกรอก", "is required", row))
    for name in ("prefix", "first_name_th", "last_name_th", "first_name_en", "last_name_en"):
        most = getattr(Person._meta.get_field(name), "max_length", 0) or 0
        length = len(getattr(data, name).strip())
        if length > most:  # refused, never cut: a cut name no longer matches the civil registry's
            found.append(
                _problem(
                    name,
                    f"ยาว {length} ตัวอักษร เกิน {most} ตัวอักษร",
                    f"{length} characters, more than the {most} allowed",
                    row,
                )
            )
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
    found.extend(check_census(data, row=row))
    if data.postal_code and not (data.postal_code.isdigit() and len(data.postal_code) == 5):
        found.append(_problem("postal_code", "รหัสไปรษณีย์ต้องมี 5 หลัก", "postcode has 5 digits", row))
    return found


def check_census(data: PersonData, *, row: int | None = None) -> list[Problem]:
    """The census facts: a known choice (or blank), short free text for ethnicity and nationality."""
    found: list[Problem] = []
    for name, choices in CENSUS_CHOICES.items():
        value = getattr(data, name)
        if not value:
            continue
        if choices is None:
            if len(value.strip()) > 50:
                found.append(_problem(name, "ยาวเกิน 50 ตัวอักษร", "longer than 50 characters", row))
        elif value not in choices.values:
            allowed = ", ".join(str(label) for label in choices.labels)
            found.append(
                _problem(
                    name,
                    f"ไม่รู้จัก '{value}' (ใช้: {allowed} หรือเว้นว่าง)",
                    f"unknown {CENSUS_EN[name]} '{value}' (use: {', '.join(choices.values)} or leave blank)",
                    row,
                )
            )
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


def parse_choice(choices: type[models.TextChoices], text: str) -> str:
    """A census value from what a person typed: the code or the Thai label (disability also without
    "บกพร่องทาง"). Unknown text comes back unchanged, for check_person to name."""
    text = (text or "").strip()
    if not text or text in ("-", "ไม่มี", "none"):
        return ""
    wanted = text.lower().replace(" ", "")
    for value, label in choices.choices:
        label = str(label)
        forms = {
            value.lower(),
            label.lower().replace(" ", ""),
            label.removeprefix("บกพร่องทาง").replace(" ", ""),
        }
        if wanted in forms:
            return value
    return text
