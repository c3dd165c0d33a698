"""The curriculum's grading rules, without the database: bands, percentage, ร/มส/ผ/มผ, GPA, pasted columns."""

from decimal import Decimal

import pytest

from khru.assessment.grading import (
    Credited,
    ItemScore,
    band,
    decide,
    grade_point_average,
    parse_column,
    percentage,
)
from khru.assessment.rules import DEFAULT_LIMITS, RemedialLimits, above_floor, capped, next_step


@pytest.mark.parametrize(
    ("percent", "grade"),
    [
        ("100", "4"), ("80", "4"), ("79.5", "4"), ("79.49", "3.5"), ("75", "3.5"), ("74.49", "3"),
        ("70", "3"), ("69", "2.5"), ("65", "2.5"), ("64", "2"), ("60", "2"), ("59", "1.5"),
        ("55", "1.5"), ("54", "1"), ("50", "1"), ("49.5", "1"), ("49.49", "0"), ("0", "0"),
    ],
)  # fmt: skip
def test_grade_bands_at_each_boundary_round_half_up(percent, grade):
    assert band(Decimal(percent)) == grade


def test_percentage_scales_each_part_to_its_share():
    items = [
        ItemScore("coursework", Decimal(20), Decimal(10)),
        ItemScore("coursework", Decimal(30), Decimal(30)),  # coursework 40/50 = 80% of 70 = 56
        ItemScore("final", Decimal(40), Decimal(20)),  # final 20/40 = 50% of 30 = 15
    ]
    assert percentage(items, 70, 30) == Decimal("71.00")
    only_coursework = [ItemScore("coursework", Decimal(10), Decimal(7))]
    assert percentage(only_coursework, 70, 30) == Decimal("70.00")  # the empty part gives its share away
    assert percentage([], 70, 30) is None


def test_barred_before_pending_before_the_band():
    assert decide(is_activity=False, percent=Decimal(90), work_missing=True, barred=True) == "มส"
    assert decide(is_activity=False, percent=Decimal(90), work_missing=True, barred=False) == "ร"
    assert decide(is_activity=False, percent=Decimal(90), work_missing=False, barred=False) == "4"


def test_activities_pass_with_attendance_and_half_marks():
    assert decide(is_activity=True, percent=None, work_missing=False, barred=False) == "ผ"
    assert decide(is_activity=True, percent=Decimal(50), work_missing=False, barred=False) == "ผ"
    assert decide(is_activity=True, percent=Decimal("49.4"), work_missing=False, barred=False) == "มผ"
    assert decide(is_activity=True, percent=Decimal(90), work_missing=False, barred=True) == "มผ"


def test_a_retest_is_capped_at_the_agency_cap():
    assert capped("4", DEFAULT_LIMITS) == "1" and capped("1", DEFAULT_LIMITS) == "1"
    assert capped("0", DEFAULT_LIMITS) == "0" and capped("4", RemedialLimits(remedial_cap="2")) == "2"


def test_the_sixty_percent_floor_is_exact():
    assert above_floor(missed=4, planned=10, limits=DEFAULT_LIMITS)  # 60% exactly
    assert not above_floor(missed=5, planned=12, limits=DEFAULT_LIMITS)  # 7/12 = 58.3%


@pytest.mark.parametrize(
    ("grade", "retests", "missed", "step"),
    [("ร", 0, 0, "work_in"), ("0", 0, 0, "retest"), ("0", 1, 0, "retest"), ("0", 2, 0, "decision"),
     ("มส", 0, 3, "extra_work"), ("มส", 0, 5, "decision"), ("1", 0, 0, ""), ("4", 0, 0, "")],
)  # fmt: skip
def test_the_next_remedial_step(grade, retests, missed, step):
    assert next_step(grade=grade, decided=False, retests=retests, missed=missed, planned=10,
                     limits=DEFAULT_LIMITS) == step  # fmt: skip


def test_gpa_is_credit_weighted_cut_to_two_decimals_with_r_and_ms_as_zero():
    results = [
        Credited("4", Decimal("1.5"), 60),
        Credited("3", Decimal("1.0"), 40),
        Credited("2.5", Decimal("0.5"), 20),
    ]
    assert grade_point_average(results) == Decimal("3.41")  # (6 + 3 + 1.25) / 3 = 3.4166…
    assert grade_point_average([Credited("4", Decimal(1), 40), Credited("ร", Decimal(1), 40)]) == Decimal(
        "2.00"
    )
    assert grade_point_average([Credited("4", Decimal(1), 40), Credited("ผ", Decimal(0), 40)]) == Decimal(
        "4.00"
    )
    assert grade_point_average([Credited("ผ", Decimal(0), 40)]) is None
    # A primary course has no credits and weighs by its hours: (4 × 80 + 2 × 40) / 120 = 3.33
    assert grade_point_average([Credited("4", Decimal(0), 80), Credited("2", Decimal(0), 40)]) == Decimal(
        "3.33"
    )


def test_pasted_column_reads_thai_digits_commas_and_blanks():
    values, problems = parse_column("๑๘\n7,5\n\n  12.25 \t x\n", 5)
    assert problems == []
    assert values == [Decimal(18), Decimal("7.5"), None, Decimal("12.25"), None]
    values, problems = parse_column("10\nabc\n3\n4", 3)
    assert [(p.row, p.field) for p in problems] == [(2, "paste"), (None, "paste")]
