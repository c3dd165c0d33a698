import datetime as dt

import pytest

from khru.core.dates import format_be, parse_be_date
from khru.core.identity import citizen_id_check_digit, identifier_problem
from khru.org import grades


def test_valid_citizen_id_and_g_code_pass():
    first = "110170012345"
    assert identifier_problem(first + citizen_id_check_digit(first)) is None
    assert identifier_problem("1-1017-00123-45-" + citizen_id_check_digit(first)) is None
    assert identifier_problem("G644200000001") is None


@pytest.mark.parametrize(
    ("value", "english"),
    [
        ("1234567890120", "check digit"),
        ("123456789012", "13 digits"),
        ("G64420000001", "G followed by 12 digits"),
        ("abc", "13 digits"),
    ],
)
def test_bad_identifiers_are_named_in_thai_and_english(value, english):
    th, en = identifier_problem(value)
    assert english in en and th


def test_be_dates_show_and_parse():
    day = dt.date(2026, 11, 25)
    assert format_be(day) == "25 พ.ย. 2569"
    assert format_be(day, style="long") == "25 พฤศจิกายน 2569"
    assert format_be(day, style="numeric") == "25/11/2569"
    assert parse_be_date("25/11/2569") == day
    assert parse_be_date("2026-11-25") == day
    with pytest.raises(ValueError):
        parse_be_date("31/02/2560")
    with pytest.raises(ValueError, match="Buddhist Era"):
        parse_be_date("25/11/2026")


def test_grade_labels_are_read_in_every_spelling():
    assert grades.from_label("ป.4") == "P4"
    assert grades.from_label("ป4") == "P4"
    assert grades.from_label("P4") == "P4"
    assert grades.from_label("ประถมศึกษาปีที่ 4") == "P4"
    assert grades.from_label("ม.7") is None
    assert grades.next_grade("P6") == "M1"
