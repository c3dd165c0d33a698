"""khru.health.growth against WHO's method, computed here independently from the package's LMS rows.

The oracle below reads the tab-separated tables itself (no csv module, no code from growth.py) and
applies the READMEs' rules: WHO 2006 by whole day below 60 months, WHO 2007 interpolated by month from 60
to 228 months (weight-for-age to 120), z = ((X/M)^L − 1)/(L·S), restricted beyond ±3 SD for the
weight-based indicators.
"""

import functools
import inspect
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from khru.health import growth
from khru.health.growth import (
    HEIGHT_BANDS,
    SHAPE_BANDS,
    WHO,
    BandScale,
    HeightBand,
    Indicator,
    ReferenceName,
    ShapeBand,
    assess,
    load_lms_table,
    who_table,
)

REFERENCE = Path(growth.__file__).resolve().parent / "reference"
BIRTH = date(2010, 1, 1)
TOLERANCE = 0.01  # WHO reports z to 2 decimals

# --- oracle -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    l: float  # noqa: E741 (WHO's own name)
    m: float
    s: float
    flag: str = ""  # loh / lorh column where present

    def z(self, x: float) -> float:
        return ((x / self.m) ** self.l - 1) / (self.l * self.s)

    def sd(self, k: float) -> float:
        return self.m * (1 + self.l * self.s * k) ** (1 / self.l)

    def restricted_z(self, x: float) -> float:
        z = self.z(x)
        if z > 3:
            return 3 + (x - self.sd(3)) / (self.sd(3) - self.sd(2))
        if z < -3:
            return -3 + (x - self.sd(-3)) / (self.sd(-2) - self.sd(-3))
        return z


@functools.cache
def table(edition: str, filename: str) -> dict[tuple[str, int], Row]:
    """Rows keyed by (sex "M"/"F", age in days or months, or length/height in millimetres)."""
    text = (REFERENCE / edition / filename).read_text(encoding="utf-8")
    header, *lines = text.splitlines()
    by_cm = header.split("\t")[1] in ("length", "height")
    rows = {}
    for line in lines:
        sex, key, l_, m, s, *flag = line.split("\t")
        grid_key = round(float(key) * 10) if by_cm else int(key)
        rows[({"1": "M", "2": "F"}[sex], grid_key)] = Row(float(l_), float(m), float(s), *flag)
    return rows


def between(low: Row, high: Row, fraction: float) -> Row:
    return Row(
        low.l + fraction * (high.l - low.l),
        low.m + fraction * (high.m - low.m),
        low.s + fraction * (high.s - low.s),
    )


WHO2006_FILES = {"hfa": "lenanthro.txt", "wfa": "weianthro.txt", "bfa": "bmianthro.txt"}
WHO2007_FILES = {
    "hfa": ("hfawho2007.txt", 228),
    "wfa": ("wfawho2007.txt", 120),
    "bfa": ("bfawho2007.txt", 228),
}


def row_by_age(indicator: str, sex: str, age_days: int) -> Row | None:
    months = age_days / 30.4375
    if months < 60:
        return table("who2006", WHO2006_FILES[indicator])[(sex, age_days)]
    filename, last_month = WHO2007_FILES[indicator]
    rows = table("who2007", filename)
    if months > last_month:  # WHO's nearest month at the end of the table
        return rows[(sex, last_month)] if months < last_month + 0.5 else None
    low = math.floor(months)
    return between(rows[(sex, low)], rows[(sex, low + 1)], months - low)


def row_by_height(sex: str, age_days: int, height_cm: float) -> Row | None:
    if age_days / 30.4375 >= 60:
        return None
    filename, low_cm, high_cm = ("wflanthro.txt", 45, 110) if age_days < 731 else ("wfhanthro.txt", 65, 120)
    if not low_cm <= height_cm <= high_cm:
        return None
    millimetres = height_cm * 10
    low = math.floor(millimetres + 1e-9)
    rows = table("who2006", filename)
    if millimetres - low < 1e-9:
        return rows[(sex, low)]
    return between(rows[(sex, low)], rows[(sex, low + 1)], millimetres - low)


@dataclass(frozen=True)
class Expected:
    height_for_age_z: float | None
    weight_for_age_z: float | None
    bmi_for_age_z: float | None
    weight_for_height_z: float | None


def expected(sex: str, age_days: int, weight_kg: float, height_cm: float) -> Expected:
    bmi = weight_kg / (height_cm / 100) ** 2
    hfa, wfa, bfa = (row_by_age(name, sex, age_days) for name in ("hfa", "wfa", "bfa"))
    wfh = row_by_height(sex, age_days, height_cm)
    return Expected(
        height_for_age_z=None if hfa is None else hfa.z(height_cm),
        weight_for_age_z=None if wfa is None else wfa.restricted_z(weight_kg),
        bmi_for_age_z=None if bfa is None else bfa.restricted_z(bmi),
        weight_for_height_z=None if wfh is None else wfh.restricted_z(weight_kg),
    )


def assess_at(sex: str, age_days: int, weight_kg: float | None, height_cm: float | None):
    return assess(
        sex=sex,
        birth_date=BIRTH,
        measured_on=BIRTH + timedelta(days=age_days),
        weight_kg=weight_kg,
        height_cm=height_cm,
        reference=WHO,
    )


def assert_agrees(sex: str, age_days: int, weight_kg: float, height_cm: float) -> None:
    result = assess_at(sex, age_days, weight_kg, height_cm)
    wanted = expected(sex, age_days, weight_kg, height_cm)
    for field in ("height_for_age_z", "weight_for_age_z", "bmi_for_age_z", "weight_for_height_z"):
        got, want = getattr(result, field), getattr(wanted, field)
        context = f"{field} sex={sex} age_days={age_days} weight={weight_kg} height={height_cm}"
        if want is None:
            assert got is None, context
        else:
            assert got is not None, context
            assert got == pytest.approx(want, abs=TOLERANCE), context


# --- package data -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edition", "filename", "rows"),
    [
        ("who2006", "weianthro.txt", 3654),
        ("who2006", "lenanthro.txt", 3654),
        ("who2006", "bmianthro.txt", 3654),
        ("who2006", "hcanthro.txt", 3654),
        ("who2006", "wflanthro.txt", 1302),
        ("who2006", "wfhanthro.txt", 1102),
        ("who2007", "hfawho2007.txt", 340),
        ("who2007", "bfawho2007.txt", 340),
        ("who2007", "wfawho2007.txt", 124),
    ],
)
def test_package_tables_are_the_readme_files_unchanged(edition, filename, rows):
    raw = (REFERENCE / edition / filename).read_bytes()
    assert raw.count(b"\r\n") == rows + 1  # header + rows, CRLF kept as in WHO's repositories
    assert (REFERENCE / edition / "README.md").is_file()


def test_length_table_switches_from_length_to_height_at_731_days():
    lengths = table("who2006", "lenanthro.txt")
    assert lengths[("M", 730)].flag == "L"
    assert lengths[("M", 731)].flag == "H"


def test_tables_are_parsed_once():
    assert who_table("who2007", "hfawho2007.txt") is who_table("who2007", "hfawho2007.txt")


def test_a_table_with_a_gap_is_refused(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text("sex\tage\tl\tm\ts\r\n1\t0\t1\t50\t0.04\r\n1\t2\t1\t51\t0.04\r\n2\t0\t1\t49\t0.04\r\n")
    with pytest.raises(ValueError, match="gaps"):
        load_lms_table(broken, "age")


# --- agreement with the method -------------------------------------------------------------------------

# Ages in days that land exactly on a whole month: 30.4375 × 16 = 487, so every 16th month.
WHOLE_MONTHS = {months: months * 487 // 16 for months in range(64, 228, 16)}


@pytest.mark.parametrize("sex", ["M", "F"])
@pytest.mark.parametrize("months", list(WHOLE_MONTHS))
def test_who2007_median_is_zero_and_sd2_is_two(sex, months):
    age_days = WHOLE_MONTHS[months]
    height_row = table("who2007", "hfawho2007.txt")[(sex, months)]
    bmi_row = table("who2007", "bfawho2007.txt")[(sex, months)]
    height = height_row.m
    at_median = assess_at(sex, age_days, bmi_row.m * (height / 100) ** 2, height)
    assert at_median.height_for_age_z == 0
    assert at_median.bmi_for_age_z == 0
    assert at_median.shape_band is ShapeBand.PROPORTIONATE
    assert at_median.height_band is HeightBand.NORMAL

    tall = bmi_row.sd(2) * (height_row.sd(2) / 100) ** 2
    at_sd2 = assess_at(sex, age_days, tall, height_row.sd(2))
    assert at_sd2.height_for_age_z == pytest.approx(2.0, abs=TOLERANCE)
    assert at_sd2.bmi_for_age_z == pytest.approx(2.0, abs=TOLERANCE)
    at_minus_sd2 = assess_at(sex, age_days, bmi_row.sd(-2) * (height / 100) ** 2, height)
    assert at_minus_sd2.bmi_for_age_z == pytest.approx(-2.0, abs=TOLERANCE)

    if months <= 120:
        weight_row = table("who2007", "wfawho2007.txt")[(sex, months)]
        for k in (-2, 0, 2):
            assert assess_at(sex, age_days, weight_row.sd(k), None).weight_for_age_z == pytest.approx(
                k, abs=TOLERANCE
            )


@pytest.mark.parametrize("sex", ["M", "F"])
@pytest.mark.parametrize("age_days", [0, 1, 365, 730, 731, 1000, 1825, 1826])
def test_who2006_rows_by_day(sex, age_days):
    lengths = table("who2006", "lenanthro.txt")[(sex, age_days)]
    weights = table("who2006", "weianthro.txt")[(sex, age_days)]
    at_median = assess_at(sex, age_days, weights.m, lengths.m)
    assert at_median.height_for_age_z == 0
    assert at_median.weight_for_age_z == 0
    for k in (-4.5, -3.2, -2.5, -1, 1.7, 2.5, 3.3, 4.5):
        assert_agrees(sex, age_days, max(1.0, weights.sd(k)), lengths.sd(k))


@pytest.mark.parametrize("sex", ["M", "F"])
def test_boundaries_between_tables(sex):
    for age_days in (0, 730, 731, 1826, 1827, 1856, 3652, 3653, 6939, 6940):
        for weight_kg, height_cm in ((3.3, 50.0), (12.0, 85.0), (17.0, 108.0), (30.0, 135.0), (55.0, 165.0)):
            assert_agrees(sex, age_days, weight_kg, height_cm)


def test_weight_for_length_before_731_days_and_for_height_from_731():
    # The same child size is judged on different tables either side of 731 days.
    below, above = assess_at("M", 730, 11.5, 85.0), assess_at("M", 731, 11.5, 85.0)
    assert below.weight_for_height_z == pytest.approx(
        table("who2006", "wflanthro.txt")[("M", 850)].z(11.5), abs=TOLERANCE
    )
    assert above.weight_for_height_z == pytest.approx(
        table("who2006", "wfhanthro.txt")[("M", 850)].z(11.5), abs=TOLERANCE
    )
    assert below.weight_for_height_z != above.weight_for_height_z


def test_who2006_stops_below_60_months_and_who2007_takes_over():
    last_day, first_day = assess_at("F", 1826, 17.0, 108.0), assess_at("F", 1827, 17.0, 108.0)
    assert last_day.age_months < 60 <= first_day.age_months
    assert last_day.weight_for_height_z is not None
    assert last_day.shape_indicator is Indicator.WEIGHT_FOR_HEIGHT
    assert first_day.weight_for_height_z is None
    assert first_day.shape_indicator is Indicator.BMI_FOR_AGE
    assert first_day.height_for_age_z is not None
    assert first_day.weight_for_age_z is not None


def days_at(months: float) -> int:
    return round(months * 30.4375)


def test_who2007_ends_take_the_age_to_the_nearest_month():
    # WHO AnthroPlus rounds the age to the nearest month: 120.3 is still 120, 120.6 is 121 (no table).
    assert assess_at("M", 3652, 30.0, 135.0).weight_for_age_z is not None  # 119.98 months
    at_120_3 = assess_at("M", days_at(120.3), 30.0, 135.0)
    assert round(at_120_3.age_months, 1) == 120.3
    last_row = table("who2007", "wfawho2007.txt")[("M", 120)]
    assert at_120_3.weight_for_age_z == round(
        ((30.0 / last_row.m) ** last_row.l - 1) / (last_row.l * last_row.s), 2
    )
    at_120_6 = assess_at("M", days_at(120.6), 30.0, 135.0)
    assert round(at_120_6.age_months, 1) == 120.6
    assert at_120_6.weight_for_age_z is None and at_120_6.weight_band is None
    assert at_120_6.bmi_for_age_z is not None
    at_228_3 = assess_at("F", days_at(228.3), 55.0, 160.0)
    assert round(at_228_3.age_months, 1) == 228.3
    assert at_228_3.height_for_age_z is not None and at_228_3.bmi_for_age_z is not None
    assert at_228_3.height_band is not None and at_228_3.shape_band is not None
    last = assess_at("F", 6939, 55.0, 160.0)  # 227.98 months
    assert last.height_for_age_z is not None and last.bmi_for_age_z is not None


def test_beyond_19_years_gives_bmi_but_no_z_scores_or_bands():
    result = assess_at("F", days_at(228.6), 55.0, 160.0)
    assert round(result.age_months, 1) == 228.6
    assert result.bmi == pytest.approx(55.0 / 1.6**2)
    assert result.height_for_age_z is None
    assert result.weight_for_age_z is None
    assert result.bmi_for_age_z is None
    assert result.weight_for_height_z is None
    assert result.shape_band is None and result.shape_indicator is None and result.height_band is None
    assert assess_at("M", 30 * 365, 70.0, 175.0).shape_band is None


def test_random_children_agree_with_the_method():
    rng = random.Random(20240601)
    for _ in range(600):
        sex = rng.choice("MF")
        age_days = rng.randint(0, 6939)
        length_row = row_by_age("hfa", sex, age_days)
        bmi_row = row_by_age("bfa", sex, age_days)
        assert length_row is not None and bmi_row is not None
        height = round(min(250.0, max(35.0, length_row.sd(rng.uniform(-4, 4)))), rng.choice([1, 1, 2]))
        # BMI within ±3 SD, then sometimes pushed 20–30 % off so the restricted tails are exercised too.
        weight = bmi_row.sd(rng.uniform(-3, 3)) * (height / 100) ** 2 * rng.choice([1.0, 1.0, 0.8, 1.3])
        assert_agrees(sex, age_days, round(min(300.0, max(1.0, weight)), 2), height)


# --- restricted application beyond ±3 SD, worked by hand ------------------------------------------------


def test_restricted_bmi_for_age_by_hand():
    # Boy, 64 months (1948 days exactly), bfawho2007 row: L −0.8089, M 15.2605, S 0.08464.
    # SD2 = 15.2605 × (1 − 0.8089 × 0.08464 × 2)^(−1/0.8089) = 18.3076, SD3 = 20.2772.
    # 30 kg / 1.10 m² = 24.7934 → LMS z 4.742, restricted 3 + (24.7934 − 20.2772)/(20.2772 − 18.3076) = 5.293.
    high = assess_at("M", 1948, 30.0, 110.0)
    assert high.bmi_for_age_z == pytest.approx(5.29, abs=0.005)
    assert high.shape_band is ShapeBand.OBESE
    # SD−2 = 13.0217, SD−3 = 12.1136; 13 kg / 1.10 m² = 10.7438 → −3 + (10.7438 − 12.1136)/(13.0217 − 12.1136) = −4.508.
    low = assess_at("M", 1948, 13.0, 110.0)
    assert low.bmi_for_age_z == pytest.approx(-4.51, abs=0.005)
    assert low.shape_band is ShapeBand.THIN


def test_restricted_formula_used_for_weight_indicators_only():
    row = table("who2006", "weianthro.txt")[("F", 1000)]
    heavy = row.sd(3) + 3 * (row.sd(3) - row.sd(2))  # restricted z is exactly 6
    result = assess_at("F", 1000, heavy, None)
    assert result.weight_for_age_z == pytest.approx(6.0, abs=TOLERANCE)
    assert abs(row.z(heavy) - 6.0) > 0.1  # the plain LMS z would differ
    # Length-for-age uses the plain formula (L = 1, where both coincide anyway).
    lengths = table("who2006", "lenanthro.txt")[("F", 1000)]
    assert assess_at("F", 1000, None, lengths.sd(5)).height_for_age_z == pytest.approx(5.0, abs=TOLERANCE)


# --- interpolation ---------------------------------------------------------------------------------------


def test_fractional_month_lies_between_whole_months():
    age_days = 3059  # 100.50 months
    months = age_days / 30.4375
    assert 100 < months < 101
    heights = table("who2007", "hfawho2007.txt")
    height = 135.0
    z_100, z_101 = heights[("M", 100)].z(height), heights[("M", 101)].z(height)
    result = assess_at("M", age_days, None, height)
    assert result.height_for_age_z is not None
    assert min(z_100, z_101) - 0.005 <= result.height_for_age_z <= max(z_100, z_101) + 0.005
    fraction = months - 100
    assert result.height_for_age_z == pytest.approx(
        between(heights[("M", 100)], heights[("M", 101)], fraction).z(height), abs=TOLERANCE
    )
    # The table itself: M at 100.5 months is the mean of the two rows.
    half = who_table("who2007", "hfawho2007.txt").at("M", 100.5)
    assert half is not None
    assert math.isclose(half.M, (heights[("M", 100)].m + heights[("M", 101)].m) / 2)


def test_height_between_grid_rows_interpolates():
    rows = table("who2006", "wfhanthro.txt")
    weight = 13.0
    result = assess_at("F", 1100, weight, 90.05)
    low, high = rows[("F", 900)].z(weight), rows[("F", 901)].z(weight)
    assert result.weight_for_height_z is not None
    assert min(low, high) <= result.weight_for_height_z <= max(low, high)
    assert result.weight_for_height_z == pytest.approx(
        between(rows[("F", 900)], rows[("F", 901)], 0.5).z(weight), abs=TOLERANCE
    )


@pytest.mark.parametrize(
    ("age_days", "height_cm"),
    [(10, 44.9), (700, 110.1), (800, 64.9), (1500, 120.1)],
)
def test_outside_weight_for_height_table_falls_back_to_bmi_for_age(age_days, height_cm):
    result = assess_at("M", age_days, 10.0, height_cm)
    assert result.weight_for_height_z is None
    assert result.bmi_for_age_z is not None
    assert result.shape_indicator is Indicator.BMI_FOR_AGE
    assert result.shape_band is SHAPE_BANDS.classify(result.bmi_for_age_z)


@pytest.mark.parametrize(("age_days", "height_cm"), [(10, 45.0), (700, 110.0), (800, 65.0), (1500, 120.0)])
def test_weight_for_height_table_ends_are_inclusive(age_days, height_cm):
    assert assess_at("M", age_days, 10.0, height_cm).weight_for_height_z is not None


# --- bands ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "band"),
    [
        (-4.0, ShapeBand.THIN),
        (-2.01, ShapeBand.THIN),
        (-2.0, ShapeBand.RATHER_THIN),
        (-1.51, ShapeBand.RATHER_THIN),
        (-1.5, ShapeBand.PROPORTIONATE),
        (0.0, ShapeBand.PROPORTIONATE),
        (1.5, ShapeBand.PROPORTIONATE),
        (1.51, ShapeBand.PLUMP),
        (2.0, ShapeBand.PLUMP),
        (2.01, ShapeBand.OVERWEIGHT),
        (3.0, ShapeBand.OVERWEIGHT),
        (3.01, ShapeBand.OBESE),
    ],
)
def test_shape_band_boundaries_go_to_the_band_nearer_the_median(z, band):
    assert SHAPE_BANDS.classify(z) is band


@pytest.mark.parametrize(
    ("z", "band"),
    [
        (-2.01, HeightBand.SHORT),
        (-2.0, HeightBand.RATHER_SHORT),
        (-1.51, HeightBand.RATHER_SHORT),
        (-1.5, HeightBand.NORMAL),
        (1.5, HeightBand.NORMAL),
        (1.51, HeightBand.RATHER_TALL),
        (2.0, HeightBand.RATHER_TALL),
        (2.01, HeightBand.TALL),
    ],
)
def test_height_band_boundaries(z, band):
    assert HEIGHT_BANDS.classify(z) is band


def test_bands_have_stable_codes_and_both_labels():
    assert [b.code for b in ShapeBand] == [
        "thin",
        "rather_thin",
        "proportionate",
        "plump",
        "overweight",
        "obese",
    ]
    assert [b.label_th for b in ShapeBand] == ["ผอม", "ค่อนข้างผอม", "สมส่วน", "ท้วม", "เริ่มอ้วน", "อ้วน"]
    assert [b.label_th for b in HeightBand] == ["เตี้ย", "ค่อนข้างเตี้ย", "สูงตามเกณฑ์", "ค่อนข้างสูง", "สูง"]
    assert all(b.label_en for b in [*ShapeBand, *HeightBand])


def test_under_five_shape_band_comes_from_weight_for_height():
    # Girl of 3 years, 90 cm, weighing 2.5 SD above the weight-for-height median.
    row = table("who2006", "wfhanthro.txt")[("F", 900)]
    result = assess_at("F", 1100, row.sd(2.5), 90.0)
    assert result.shape_indicator is Indicator.WEIGHT_FOR_HEIGHT
    assert result.weight_for_height_z == pytest.approx(2.5, abs=TOLERANCE)
    assert result.shape_band is ShapeBand.OVERWEIGHT
    assert result.bmi_for_age_z is not None  # given too, but not what decides the band


def test_band_is_read_from_the_rounded_z():
    # z of 2.004 is reported as 2.00 and so is ท้วม, not เริ่มอ้วน.
    row = table("who2007", "bfawho2007.txt")[("M", 64)]
    height = 110.0
    result = assess_at("M", 1948, row.sd(2.004) * (height / 100) ** 2, height)
    assert result.bmi_for_age_z == 2.0
    assert result.shape_band is ShapeBand.PLUMP


def test_band_scales_are_pluggable():
    strict = BandScale(cut_offs=(-2.0, -1.0, 1.0, 2.0), bands=tuple(HeightBand))
    result = assess(
        sex="M",
        birth_date=BIRTH,
        measured_on=BIRTH + timedelta(days=1948),
        weight_kg=None,
        height_cm=table("who2007", "hfawho2007.txt")[("M", 64)].sd(1.2),
        reference=WHO,
        height_bands=strict,
    )
    assert result.height_band is HeightBand.RATHER_TALL
    with pytest.raises(ValueError):
        BandScale(cut_offs=(1.0, -1.0), bands=(HeightBand.SHORT, HeightBand.NORMAL, HeightBand.TALL))


def test_reference_is_pluggable():
    class NationalStub:
        name = ReferenceName.DOH_2021

        def for_age(self, age_days):
            return self

        def height_for_age_z(self, sex, age_days, height_cm):
            return -1.7

        def weight_for_age_z(self, sex, age_days, weight_kg):
            return None

        def bmi_for_age_z(self, sex, age_days, bmi):
            return 0.0

        def weight_for_height_z(self, sex, age_days, height_cm, weight_kg):
            return 2.456

        def shape_indicators(self, age_days):
            return (Indicator.WEIGHT_FOR_HEIGHT,)

    result = assess(
        sex="F",
        birth_date=BIRTH,
        measured_on=date(2020, 6, 1),
        weight_kg=40.0,
        height_cm=140.0,
        reference=NationalStub(),
    )
    assert result.reference is ReferenceName.DOH_2021
    assert result.weight_for_height_z == 2.46
    assert result.shape_band is ShapeBand.OVERWEIGHT
    assert result.height_band is HeightBand.RATHER_SHORT
    assert result.weight_for_age_z is None


# --- inputs ----------------------------------------------------------------------------------------------


def test_missing_measurements_leave_their_indicators_empty():
    no_weight = assess_at("M", 2500, None, 120.0)
    assert no_weight.height_for_age_z is not None and no_weight.height_band is not None
    assert no_weight.bmi is None and no_weight.bmi_for_age_z is None and no_weight.shape_band is None
    assert no_weight.weight_for_age_z is None
    no_height = assess_at("M", 2500, 22.0, None)
    assert no_height.weight_for_age_z is not None
    assert no_height.height_for_age_z is None and no_height.height_band is None
    assert no_height.bmi is None and no_height.shape_band is None


def test_age_is_counted_in_days_and_months():
    result = assess(
        sex="F",
        birth_date=date(2020, 2, 29),
        measured_on=date(2020, 2, 29),
        weight_kg=3.2,
        height_cm=49.0,
        reference=WHO,
    )
    assert result.age_days == 0 and result.age_months == 0
    assert result.height_for_age_z is not None
    later = assess(
        sex="F",
        birth_date=date(2016, 1, 1),
        measured_on=date(2024, 1, 1),
        weight_kg=None,
        height_cm=None,
        reference=WHO,
    )
    assert later.age_days == 2922
    assert later.age_months == pytest.approx(2922 / 30.4375)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date": date(2024, 6, 2)}, "birth_date"),
        ({"sex": "m"}, "sex"),
        ({"sex": "X"}, "sex"),
        ({"sex": ""}, "sex"),
        ({"height_cm": 34.9}, "height_cm"),
        ({"height_cm": 250.1}, "height_cm"),
        ({"height_cm": math.nan}, "height_cm"),
        ({"weight_kg": 0.9}, "weight_kg"),
        ({"weight_kg": 300.5}, "weight_kg"),
        ({"weight_kg": math.nan}, "weight_kg"),
    ],
)
def test_bad_input_is_refused_naming_the_field_in_thai_and_english(changes, field):
    arguments = {
        "sex": "M",
        "birth_date": date(2015, 5, 1),
        "measured_on": date(2024, 6, 1),
        "weight_kg": 30.0,
        "height_cm": 135.0,
        "reference": WHO,
        **changes,
    }
    with pytest.raises(ValueError) as error:
        assess(**arguments)
    message = str(error.value)
    assert message.startswith(f"{field}: ")
    thai, english = message.split(" / ", 1)
    assert any("\u0e00" <= char <= "\u0e7f" for char in thai)
    assert english.isascii()


@pytest.mark.parametrize(("weight_kg", "height_cm", "outward"), [(1.0, 35.0, -0.1), (300.0, 250.0, 0.1)])
def test_measurement_limits_are_inclusive(weight_kg, height_cm, outward):
    measured = {"sex": "F", "birth_date": date(2015, 5, 1), "measured_on": date(2024, 6, 1), "reference": WHO}
    at_limit = assess(**measured, weight_kg=weight_kg, height_cm=height_cm)
    # Accepted and assessed from the very values given (not clamped, not dropped).
    assert at_limit.bmi == pytest.approx(weight_kg / (height_cm / 100) ** 2)
    assert at_limit.height_for_age_z is not None and at_limit.weight_for_age_z is not None
    # A tenth beyond either limit is refused.
    for weight, height in ((weight_kg + outward, height_cm), (weight_kg, height_cm + outward)):
        with pytest.raises(ValueError):
            assess(**measured, weight_kg=weight, height_cm=height)


def test_no_reference_is_assumed():
    # Every product call site passes the school's agency's reference (references.reference_for).
    assert inspect.signature(assess).parameters["reference"].default is inspect.Parameter.empty
