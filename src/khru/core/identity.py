"""Identity numbers: the 13-digit Thai citizen ID and the G code of students without one."""

import re

G_CODE = re.compile(r"^G\d{12}$")


def normalise_identifier(value: str) -> str:
    """Strip spaces and dashes; upper-case a G code."""
    return re.sub(r"[\s-]", "", value or "").upper()


def identifier_problem(value: str) -> tuple[str, str] | None:
    """None when the value is a valid citizen ID or G code, else (Thai, English) messages."""
    value = normalise_identifier(value)
    if value.startswith("G"):
        if G_CODE.match(value):
            return None
        return ("รหัส G ต้องเป็น G ตามด้วยตัวเลข 12 หลัก", "a G code is G followed by 12 digits")
    if not value.isdigit() or len(value) != 13:
        return ("เลขประจำตัวประชาชนต้องมี 13 หลัก", "a citizen ID has 13 digits")
    # The mod-11 check ourselves: python-stdnum refuses a leading 0, but 0-series IDs (people without Thai
    # nationality) are valid with the same check digit.
    if citizen_id_check_digit(value[:12]) != value[12]:
        return ("เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบผิด)", "citizen ID check digit is wrong")
    return None


def citizen_id_check_digit(first_twelve: str) -> str:
    total = sum(int(digit) * (13 - index) for index, digit in enumerate(first_twelve))
    return str((11 - total % 11) % 10)
