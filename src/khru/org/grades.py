"""Grade levels of Thai schooling, in order. Codes are stable; names are for people."""

from django.db import models
from django.db.models import Case, Value, When


class Grade(models.TextChoices):
    K1 = "K1", "อ.1"
    K2 = "K2", "อ.2"
    K3 = "K3", "อ.3"
    P1 = "P1", "ป.1"
    P2 = "P2", "ป.2"
    P3 = "P3", "ป.3"
    P4 = "P4", "ป.4"
    P5 = "P5", "ป.5"
    P6 = "P6", "ป.6"
    M1 = "M1", "ม.1"
    M2 = "M2", "ม.2"
    M3 = "M3", "ม.3"
    M4 = "M4", "ม.4"
    M5 = "M5", "ม.5"
    M6 = "M6", "ม.6"
    VC1 = "VC1", "ปวช.1"
    VC2 = "VC2", "ปวช.2"
    VC3 = "VC3", "ปวช.3"
    VH1 = "VH1", "ปวส.1"
    VH2 = "VH2", "ปวส.2"


ORDER = [g.value for g in Grade]
# Where a child leaves one stage for the next (graduates) rather than being promoted within a school.
STAGE_ENDS = {"K3", "P6", "M3", "M6", "VC3", "VH2"}
ENGLISH = {
    "K": "Kindergarten {n}",
    "P": "Primary {n}",
    "M": "Secondary {n}",
    "VC": "Vocational Cert. {n}",
    "VH": "Higher Voc. Cert. {n}",
}


def in_order(field: str = "grade") -> Case:
    """An ORDER BY that puts grades in school order (อ.1 … ป.6, ม.1 …), not alphabetical code order."""
    return Case(
        *(When(**{field: code}, then=Value(i)) for i, code in enumerate(ORDER)), default=Value(len(ORDER))
    )


def label(code: str) -> str:
    return Grade(code).label


def english(code: str) -> str:
    return ENGLISH[code.rstrip("0123456789")].format(n=code[-1])


def next_grade(code: str) -> str | None:
    index = ORDER.index(code)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def between(lowest: str, highest: str) -> list[str]:
    return ORDER[ORDER.index(lowest) : ORDER.index(highest) + 1]


def from_label(text: str) -> str | None:
    """'ป.4', 'ป4', 'P4', 'ประถมศึกษาปีที่ 4' → 'P4'; None when unknown."""
    cleaned = (text or "").replace(" ", "").replace(".", "").upper()
    for grade in Grade:
        if cleaned in {grade.value, grade.label.replace(".", "").upper()}:
            return grade.value
    long_forms = {"อนุบาล": "K", "ประถมศึกษาปีที่": "P", "มัธยมศึกษาปีที่": "M"}
    for prefix, letter in long_forms.items():
        if cleaned.startswith(prefix) and cleaned[len(prefix) :].isdigit():
            code = f"{letter}{cleaned[len(prefix) :]}"
            return code if code in ORDER else None
    return None
