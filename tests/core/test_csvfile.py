"""The one CSV writer: text a spreadsheet would run gets a quote; numbers stay numbers."""

import csv
import io
from decimal import Decimal

from khru.core import csvfile

HOSTILE = '=HYPERLINK("http://x","y")'


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def assert_no_formula(cells: list[str]) -> None:
    """No text cell a spreadsheet would run: = + @ tab CR never lead; - only leads a number."""
    for cell in cells:
        if cell[:1] in ("=", "+", "@", "\t", "\r"):
            raise AssertionError(f"formula-like cell {cell!r}")
        if cell.startswith("-"):
            float(cell)  # a negative number, not text


def test_text_that_would_run_gets_a_quote_and_numbers_stay_numbers():
    rows = [[HOSTILE, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", -2, Decimal("-1.5"), 0.5, "<5", "ก-ข"]]
    response = csvfile.response("x.csv", rows)
    assert response.content.startswith("\ufeff".encode())
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert csv_cells(response.content) == [
        "'" + HOSTILE, "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-2", "-1.5", "0.5", "<5", "ก-ข",
    ]  # fmt: skip
