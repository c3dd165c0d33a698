"""Buddhist Era dates: Thai users see and type BE years (BE = CE + 543)."""

import datetime as dt
import re

BE_OFFSET = 543
MONTHS_TH = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
MONTHS_TH_FULL = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def be_year(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def ce_year(year_be: int) -> int:
    return year_be - BE_OFFSET


def format_be(value: dt.date | dt.datetime | None, *, style: str = "short", language: str = "th") -> str:
    """'25 พ.ย. 2569' (short), '25 พฤศจิกายน 2569' (long), '25/11/2569' (numeric)."""
    if value is None:
        return ""
    year = be_year(value.year)
    if style == "numeric":
        return f"{value.day:02d}/{value.month:02d}/{year}"
    if language == "en":
        return f"{value.day} {MONTHS_EN[value.month - 1]} {year} BE"
    months = MONTHS_TH_FULL if style == "long" else MONTHS_TH
    return f"{value.day} {months[value.month - 1]} {year}"


def parse_be_date(text: str) -> dt.date:
    """Read dd/mm/yyyy with a BE year (as schools write dates), or an ISO CE date (yyyy-mm-dd).

    Raises ValueError with a message that names the problem.
    """
    match = _DMY.match(text or "")
    if match:
        day, month, year = (int(g) for g in match.groups())
        if year < 2400:
            raise ValueError(f"year {year} is not a Buddhist Era year (expected e.g. 25xx)")
        return dt.date(year - BE_OFFSET, month, day)
    match = _ISO.match(text or "")
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year - BE_OFFSET if year > 2400 else year, month, day)
    raise ValueError(f"'{text}' is not a date in the form dd/mm/yyyy")
