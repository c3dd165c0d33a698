"""Every CSV Khru hands out: UTF-8 with a BOM (Excel reads Thai only with it), and no text cell that a
spreadsheet would run as a formula (OWASP's CSV injection rule: a text cell starting with = + - @ tab or
carriage return gets a leading single quote). Numbers are written as they are, so -2 stays a number.
"""

import csv
from collections.abc import Iterable
from typing import IO, Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value: Any) -> Any:
    """A text value a spreadsheet shows as text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose rows pass through ``safe_cell``."""

    def __init__(self, out: IO[str] | Any) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def response(filename: str, rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A CSV download of ``rows`` (the first being the header), with the BOM."""
    answer = HttpResponse(content_type=CONTENT_TYPE)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    answer.write(BOM)
    SafeWriter(answer).writerows(rows)
    return answer
