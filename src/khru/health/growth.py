"""Growth z-scores (WHO) and the Thai report bands (รูปร่าง, ส่วนสูง), as a pure function: `assess`.

The LMS tables are package data in `reference/who2006` and `reference/who2007`; the READMEs beside them
are authoritative and give the rules followed here:

- Under 60 months (age in days / 30.4375 < 60, i.e. days 0–1826): WHO Child Growth Standards 2006, one
  row per day of age, no interpolation (Khru's age in completed days is already whole). Length-for-age
  below 731 days, height-for-age from 731 days (the table switches itself: rows 0–730 are length).
  Weight-for-length (45–110 cm) below 731 days, weight-for-height (65–120 cm) from 731 days; L, M and S
  are interpolated between the neighbouring rows of the 0.1 cm grid.
- 60 to 228 months: WHO Growth Reference 2007, one row per month; L, M and S are interpolated linearly
  between the whole months around the fractional age. Weight-for-age stops at 120 months.
- At the end of a 2007 table WHO's own software (AnthroPlus) takes the age to the nearest month, so an
  age that rounds to the last month (120.3 months for weight-for-age, 228.3 for height and BMI) still
  uses the last row; from half a month beyond it there are no WHO values. The z-scores and bands are
  then None (BMI is still given) rather than an error, so that a class list with a 19-year-old still
  reports everyone else.

A national reference published as SD cut-offs (the Thai Department of Health's, 2021) plugs in as a
`CutOffReference` (docs/growth-reference.md gives its CSV format); `reference_for` in
khru.health.references says which reference a school's agency uses.

Khru records height_cm as recumbent length below 731 days and standing height from 731 days, which is
what the tables expect, so the README's ±0.7 cm adjustment never applies.

z-scores are rounded to 2 decimals, as WHO's anthro and anthroplus report them, and the bands are read
from the rounded value, so the z a teacher sees and the band next to it always agree.
"""

import csv
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from pathlib import Path
from typing import Generic, Literal, Protocol, TypeVar

Sex = Literal["M", "F"]

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
DAYS_PER_MONTH = 30.4375  # WHO: 365.25 / 12
Z_DECIMALS = 2

# Plausible measurements for a school child; anything outside is a typing error, not a child.
HEIGHT_LIMITS_CM = (35.0, 250.0)
WEIGHT_LIMITS_KG = (1.0, 300.0)

# Limits from the READMEs in reference/who2006 and reference/who2007.
WHO2006_BEFORE_MONTH = 60  # anthro computes z only while the unrounded age in months is below 60
WHO2006_STANDING_FROM_DAY = 731  # recumbent length before, standing height from
WHO2006_LENGTH_RANGE_CM = (45.0, 110.0)  # weight-for-length
WHO2006_HEIGHT_RANGE_CM = (65.0, 120.0)  # weight-for-height
WHO2007_FIRST_MONTH = 60
WHO2007_LAST_MONTH = 228  # inclusive
WHO2007_WEIGHT_LAST_MONTH = 120  # inclusive; WHO publishes no weight-for-age beyond 10 years

_SEX_CODES: dict[str, Sex] = {"1": "M", "2": "F"}


# --- LMS method -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LMS:
    """One reference row: Box-Cox power L, median M, coefficient of variation S."""

    L: float
    M: float
    S: float

    def z(self, value: float) -> float:
        """z = ((X/M)^L − 1) / (L·S); the L → 0 limit is ln(X/M) / S."""
        if self.L == 0:
            return math.log(value / self.M) / self.S
        return ((value / self.M) ** self.L - 1) / (self.L * self.S)

    def value_at(self, z: float) -> float:
        """The measurement at z SD (WHO's SDk): M·(1 + L·S·z)^(1/L)."""
        if self.L == 0:
            return self.M * math.exp(self.S * z)
        return self.M * (1 + self.L * self.S * z) ** (1 / self.L)

    def restricted_z(self, value: float) -> float:
        """WHO's restricted application for weight-based indicators.

        The skewed LMS curves stretch far out in the tails, so beyond ±3 SD the distance is counted in
        units of the gap between the 2 and 3 SD curves on that side.
        """
        z = self.z(value)
        if z > 3:
            sd3 = self.value_at(3)
            return 3 + (value - sd3) / (sd3 - self.value_at(2))
        if z < -3:
            sd3 = self.value_at(-3)
            return -3 + (value - sd3) / (self.value_at(-2) - sd3)
        return z

    def toward(self, other: "LMS", fraction: float) -> "LMS":
        """Linear interpolation of L, M and S, `fraction` of the way from self to other."""
        return LMS(
            self.L + fraction * (other.L - self.L),
            self.M + fraction * (other.M - self.M),
            self.S + fraction * (other.S - self.S),
        )


@dataclass(frozen=True, slots=True)
class LmsTable:
    """LMS rows per sex on an even grid of keys: age in days or months, or length/height in cm."""

    first_key: float
    steps_per_unit: int  # 1 for days and months, 10 for the 0.1 cm grid
    rows: Mapping[Sex, tuple[LMS, ...]]

    def at(self, sex: Sex, key: float) -> LMS | None:
        """L, M and S at `key`, interpolated linearly between grid rows; None outside the table."""
        rows = self.rows[sex]
        position = (key - self.first_key) * self.steps_per_unit
        nearest = round(position)
        # A key on the grid (allowing for float noise such as 70.3 * 10 = 702.999…) takes its own row,
        # so the last row of a table is usable without a row after it.
        if abs(position - nearest) < 1e-6:
            return rows[nearest] if 0 <= nearest < len(rows) else None
        lower = math.floor(position)
        if lower < 0 or lower + 1 >= len(rows):
            return None
        return rows[lower].toward(rows[lower + 1], position - lower)


def load_lms_table(path: Path, key_column: str, steps_per_unit: int = 1) -> LmsTable:
    """Read a tab-separated LMS file with columns sex (1 male, 2 female), `key_column`, l, m, s.

    Both sexes must cover the same unbroken grid of keys; anything else is refused, since a missing
    row would silently shift every later lookup.
    """
    keyed: dict[Sex, list[tuple[int, LMS]]] = {"M": [], "F": []}
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            sex = _SEX_CODES[record["sex"].strip()]
            grid_key = round(float(record[key_column]) * steps_per_unit)
            keyed[sex].append((grid_key, LMS(float(record["l"]), float(record["m"]), float(record["s"]))))
    first_keys = {rows[0][0] for rows in keyed.values() if rows}
    if len(first_keys) != 1:
        raise ValueError(f"{path.name}: both sexes must start at the same {key_column}")
    first = first_keys.pop()
    for sex, rows in keyed.items():
        rows.sort(key=lambda row: row[0])
        if [key for key, _ in rows] != list(range(first, first + len(rows))):
            raise ValueError(f"{path.name}: the {key_column} rows for sex {sex} have gaps or repeats")
    return LmsTable(
        first_key=first / steps_per_unit,
        steps_per_unit=steps_per_unit,
        rows={sex: tuple(lms for _, lms in rows) for sex, rows in keyed.items()},
    )


@functools.cache
def who_table(edition: str, filename: str, key_column: str = "age", steps_per_unit: int = 1) -> LmsTable:
    """A WHO table from the package data, parsed once per process."""
    return load_lms_table(REFERENCE_DIR / edition / filename, key_column, steps_per_unit)


# --- References -----------------------------------------------------------------------------------


class Indicator(StrEnum):
    HEIGHT_FOR_AGE = "height_for_age"  # length-for-age below 731 days
    WEIGHT_FOR_AGE = "weight_for_age"
    BMI_FOR_AGE = "bmi_for_age"
    WEIGHT_FOR_HEIGHT = "weight_for_height"  # weight-for-length below 731 days


class _Band(Enum):
    """A report band (or a reference's name) with a stable code, for storage and exports, and its Thai and
    English labels."""

    def __init__(self, code: str, label_th: str, label_en: str) -> None:
        self.code = code
        self.label_th = label_th
        self.label_en = label_en


class ReferenceName(_Band):
    """The references Khru knows: the code is stored on each measurement."""

    WHO = ("who", "WHO 2006/2007", "WHO 2006/2007")
    DOH_2021 = ("doh2021", "กรมอนามัย 2564", "Department of Health 2021")

    @classmethod
    def of(cls, code: str) -> "ReferenceName | None":
        return next((name for name in cls if name.code == code), None)


class GrowthReference(Protocol):
    """A growth reference: raw (unrounded) z-scores, None where it has no values for that age or size.

    WHO (`WHO`) serves every agency that has not loaded the Thai Department of Health's tables, which
    become a `CutOffReference`.
    """

    @property
    def name(self) -> ReferenceName: ...

    def for_age(self, age_days: int) -> "GrowthReference":
        """The reference that answers at this age: itself, or the one it defers to outside its tables."""
        ...

    def height_for_age_z(self, sex: Sex, age_days: int, height_cm: float) -> float | None: ...

    def weight_for_age_z(self, sex: Sex, age_days: int, weight_kg: float) -> float | None: ...

    def bmi_for_age_z(self, sex: Sex, age_days: int, bmi: float) -> float | None: ...

    def weight_for_height_z(
        self, sex: Sex, age_days: int, height_cm: float, weight_kg: float
    ) -> float | None: ...

    def shape_indicators(self, age_days: int) -> tuple[Indicator, ...]:
        """The indicators whose z-score decides the shape band, in order of preference."""
        ...


class WhoReference:
    """WHO Child Growth Standards 2006 below 60 months, WHO Growth Reference 2007 from 60 to 228 months."""

    name = ReferenceName.WHO

    def for_age(self, age_days: int) -> GrowthReference:
        return self

    def height_for_age_z(self, sex: Sex, age_days: int, height_cm: float) -> float | None:
        lms = self._by_age(sex, age_days, "lenanthro.txt", "hfawho2007.txt", WHO2007_LAST_MONTH)
        return None if lms is None else lms.z(height_cm)

    def weight_for_age_z(self, sex: Sex, age_days: int, weight_kg: float) -> float | None:
        lms = self._by_age(sex, age_days, "weianthro.txt", "wfawho2007.txt", WHO2007_WEIGHT_LAST_MONTH)
        return None if lms is None else lms.restricted_z(weight_kg)

    def bmi_for_age_z(self, sex: Sex, age_days: int, bmi: float) -> float | None:
        lms = self._by_age(sex, age_days, "bmianthro.txt", "bfawho2007.txt", WHO2007_LAST_MONTH)
        return None if lms is None else lms.restricted_z(bmi)

    def weight_for_height_z(
        self, sex: Sex, age_days: int, height_cm: float, weight_kg: float
    ) -> float | None:
        if not _under_five(age_days):
            return None
        if age_days < WHO2006_STANDING_FROM_DAY:
            (low, high), table = WHO2006_LENGTH_RANGE_CM, who_table("who2006", "wflanthro.txt", "length", 10)
        else:
            (low, high), table = WHO2006_HEIGHT_RANGE_CM, who_table("who2006", "wfhanthro.txt", "height", 10)
        if not low <= height_cm <= high:
            return None
        lms = table.at(sex, height_cm)
        return None if lms is None else lms.restricted_z(weight_kg)

    def shape_indicators(self, age_days: int) -> tuple[Indicator, ...]:
        # Under five WHO judges wasting/overweight by weight-for-length/height; BMI-for-age covers a
        # child whose length/height is outside that table (e.g. a 4-year-old taller than 120 cm).
        if _under_five(age_days):
            return (Indicator.WEIGHT_FOR_HEIGHT, Indicator.BMI_FOR_AGE)
        return (Indicator.BMI_FOR_AGE,)

    @staticmethod
    def _by_age(sex: Sex, age_days: int, who2006_file: str, who2007_file: str, last_month: int) -> LMS | None:
        if _under_five(age_days):
            return who_table("who2006", who2006_file).at(sex, age_days)
        age_months = age_days / DAYS_PER_MONTH
        if WHO2007_FIRST_MONTH <= age_months <= last_month:
            return who_table("who2007", who2007_file).at(sex, age_months)
        if age_months < last_month + 0.5:  # rounds (half up) to the last month: WHO's nearest-month rule
            return who_table("who2007", who2007_file).at(sex, last_month)
        return None


def _under_five(age_days: int) -> bool:
    return age_days / DAYS_PER_MONTH < WHO2006_BEFORE_MONTH


WHO = WhoReference()


# --- A reference published as SD cut-offs (Department of Health 2021) -------------------------------

# The SD points a cut-off table gives the measurement at, in the order of a row's `values`.
SD_POINTS = (-2.0, -1.5, 0.0, 1.5, 2.0, 3.0)
CUT_OFF_INDICATORS = (Indicator.WEIGHT_FOR_AGE, Indicator.HEIGHT_FOR_AGE, Indicator.WEIGHT_FOR_HEIGHT)
AGE_INDICATORS = (Indicator.WEIGHT_FOR_AGE, Indicator.HEIGHT_FOR_AGE)


@dataclass(frozen=True, slots=True)
class CutOffRow:
    """The measurement at each of SD_POINTS for one key (age in months, or height in cm); None where the
    table gives no value (+3 SD is published for weight-for-height only)."""

    key: float
    values: tuple[float | None, ...]


def z_from_cut_offs(points: Sequence[tuple[float, float]], value: float) -> float:
    """z by straight lines between the published SD points (z, measurement; both ascending), the end
    segments extended past the ends.

    On a cut-off the z is exactly that SD, so a value's band is the table's band; between cut-offs the z
    is an approximation, good enough for the plausibility check, the only other use of it.
    """
    segment = 0
    while segment < len(points) - 2 and value > points[segment + 1][1]:
        segment += 1
    (z_low, low), (z_high, high) = points[segment], points[segment + 1]
    return z_low + (value - low) / (high - low) * (z_high - z_low)


@dataclass(frozen=True, slots=True)
class CutOffTable:
    """Cut-off rows per sex, ascending by key; values are interpolated linearly between neighbouring keys."""

    rows: Mapping[Sex, tuple[CutOffRow, ...]]
    end_tolerance: float = 0.0  # a key this close beyond either end takes the end row (nearest month)

    def points(self, sex: Sex, key: float) -> list[tuple[float, float]] | None:
        """(SD, measurement) at `key`, interpolated between the neighbouring rows; None outside the table."""
        rows = self.rows[sex]
        first, last = rows[0].key, rows[-1].key
        if not (first <= key <= last or first - self.end_tolerance <= key < last + self.end_tolerance):
            return None
        key = min(max(key, first), last)
        upper = next(n for n, row in enumerate(rows) if row.key >= key)
        low, high = rows[max(upper - 1, 0)], rows[upper]
        fraction = 0.0 if high.key == low.key else (key - low.key) / (high.key - low.key)
        return [
            (sd, a + fraction * (b - a))
            for sd, a, b in zip(SD_POINTS, low.values, high.values, strict=True)
            if a is not None and b is not None
        ]

    def z(self, sex: Sex, key: float, value: float) -> float | None:
        points = self.points(sex, key)
        return None if points is None else z_from_cut_offs(points, value)


@dataclass(frozen=True)
class CutOffReference:
    """A national reference as SD cut-offs: weight-for-age and height-for-age by month of age,
    weight-for-height by centimetre, for the ages its age tables cover. A younger child is assessed
    with `younger` (WHO: the Department of Health uses the WHO standards below school age)."""

    tables: Mapping[Indicator, CutOffTable]
    name: ReferenceName = ReferenceName.DOH_2021
    younger: GrowthReference = WHO

    def for_age(self, age_days: int) -> GrowthReference:
        first = min(self.tables[i].rows[s][0].key for i in AGE_INDICATORS for s in ("M", "F"))
        tolerance = self.tables[AGE_INDICATORS[0]].end_tolerance
        return self if age_days / DAYS_PER_MONTH >= first - tolerance else self.younger

    def height_for_age_z(self, sex: Sex, age_days: int, height_cm: float) -> float | None:
        return self.tables[Indicator.HEIGHT_FOR_AGE].z(sex, age_days / DAYS_PER_MONTH, height_cm)

    def weight_for_age_z(self, sex: Sex, age_days: int, weight_kg: float) -> float | None:
        return self.tables[Indicator.WEIGHT_FOR_AGE].z(sex, age_days / DAYS_PER_MONTH, weight_kg)

    def bmi_for_age_z(self, sex: Sex, age_days: int, bmi: float) -> float | None:
        return None  # the Thai reference judges shape by weight-for-height

    def weight_for_height_z(
        self, sex: Sex, age_days: int, height_cm: float, weight_kg: float
    ) -> float | None:
        # Only for the ages the reference is for: its weight-for-height table does not say a child's age.
        if self.tables[Indicator.HEIGHT_FOR_AGE].points(sex, age_days / DAYS_PER_MONTH) is None:
            return None
        return self.tables[Indicator.WEIGHT_FOR_HEIGHT].z(sex, height_cm, weight_kg)

    def shape_indicators(self, age_days: int) -> tuple[Indicator, ...]:
        return (Indicator.WEIGHT_FOR_HEIGHT,)


# --- Thai report bands ----------------------------------------------------------------------------


class ShapeBand(_Band):
    """รูปร่าง, lowest first."""

    THIN = ("thin", "ผอม", "thin")
    RATHER_THIN = ("rather_thin", "ค่อนข้างผอม", "rather thin")
    PROPORTIONATE = ("proportionate", "สมส่วน", "proportionate")
    PLUMP = ("plump", "ท้วม", "plump")
    OVERWEIGHT = ("overweight", "เริ่มอ้วน", "overweight")
    OBESE = ("obese", "อ้วน", "obese")


class HeightBand(_Band):
    """ส่วนสูงตามเกณฑ์อายุ, lowest first."""

    SHORT = ("short", "เตี้ย", "short")
    RATHER_SHORT = ("rather_short", "ค่อนข้างเตี้ย", "rather short")
    NORMAL = ("normal", "สูงตามเกณฑ์", "normal height")
    RATHER_TALL = ("rather_tall", "ค่อนข้างสูง", "rather tall")
    TALL = ("tall", "สูง", "tall")


class WeightBand(_Band):
    """น้ำหนักตามเกณฑ์อายุ, lowest first (the same cut-offs as height-for-age)."""

    LOW = ("low", "น้ำหนักน้อยกว่าเกณฑ์", "underweight")
    RATHER_LOW = ("rather_low", "น้ำหนักค่อนข้างน้อย", "rather underweight")
    NORMAL = ("normal", "น้ำหนักตามเกณฑ์", "normal weight")
    RATHER_HIGH = ("rather_high", "น้ำหนักค่อนข้างมาก", "rather heavy")
    HIGH = ("high", "น้ำหนักมากกว่าเกณฑ์", "heavy")


# สูงดีสมส่วน: at least สูงตามเกณฑ์ for age and สมส่วน in shape.
GOOD_HEIGHTS = frozenset({HeightBand.NORMAL, HeightBand.RATHER_TALL, HeightBand.TALL})
TALL_PROPORTIONATE_TH = "สูงดีสมส่วน"

BandT = TypeVar("BandT", bound=_Band)


@dataclass(frozen=True, slots=True)
class BandScale(Generic[BandT]):
    """Bands from the lowest z up, split at ascending cut-offs (in SD of the reference).

    Boundaries: a z exactly on a cut-off belongs to the band nearer the median. So +2.00 is ท้วม (not
    เริ่มอ้วน), +3.00 is เริ่มอ้วน, +1.50 and −1.50 are สมส่วน, −2.00 is ค่อนข้างผอม (not ผอม). This keeps the
    strict "> +3" and "< −2" of the Thai bands and WHO's "> +2 SD" / "< −2 SD" definitions of
    overweight, stunting and thinness.
    """

    cut_offs: tuple[float, ...]
    bands: tuple[BandT, ...]

    def __post_init__(self) -> None:
        if len(self.bands) != len(self.cut_offs) + 1 or list(self.cut_offs) != sorted(set(self.cut_offs)):
            raise ValueError("a band scale needs ascending cut-offs and one band more than cut-offs")

    def classify(self, z: float) -> BandT:
        passed = sum(1 for cut in self.cut_offs if (z > cut if cut >= 0 else z >= cut))
        return self.bands[passed]


SHAPE_BANDS: BandScale[ShapeBand] = BandScale(cut_offs=(-2.0, -1.5, 1.5, 2.0, 3.0), bands=tuple(ShapeBand))
HEIGHT_BANDS: BandScale[HeightBand] = BandScale(cut_offs=(-2.0, -1.5, 1.5, 2.0), bands=tuple(HeightBand))
WEIGHT_BANDS: BandScale[WeightBand] = BandScale(cut_offs=(-2.0, -1.5, 1.5, 2.0), bands=tuple(WeightBand))


def is_tall_proportionate(height: HeightBand | None, shape: ShapeBand | None) -> bool | None:
    """สูงดีสมส่วน; None when either band is unknown (not measured, or outside the reference)."""
    if height is None or shape is None:
        return None
    return height in GOOD_HEIGHTS and shape is ShapeBand.PROPORTIONATE


# --- Assessment -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GrowthAssessment:
    age_days: int
    age_months: float  # age_days / 30.4375
    bmi: float | None  # kg/m², unrounded
    height_for_age_z: float | None
    weight_for_age_z: float | None
    bmi_for_age_z: float | None
    weight_for_height_z: float | None
    shape_band: ShapeBand | None
    shape_indicator: Indicator | None  # which z-score decided shape_band
    height_band: HeightBand | None
    weight_band: WeightBand | None
    tall_proportionate: bool | None  # สูงดีสมส่วน
    reference: ReferenceName  # the reference that gave the z-scores at this age


def assess(
    *,
    sex: str,
    birth_date: date,
    measured_on: date,
    weight_kg: float | None,
    height_cm: float | None,
    reference: GrowthReference,
    shape_bands: BandScale[ShapeBand] = SHAPE_BANDS,
    height_bands: BandScale[HeightBand] = HEIGHT_BANDS,
    weight_bands: BandScale[WeightBand] = WEIGHT_BANDS,
) -> GrowthAssessment:
    """z-scores and Thai bands for one measurement (sex "M" or "F"; height_cm is recumbent length
    below 731 days of age and standing height from then on). The product's callers pass the school's
    agency's reference (khru.health.references.reference_for). Raises ValueError naming the field."""
    checked_sex = _checked_sex(sex)
    if birth_date > measured_on:
        raise ValueError("birth_date: วันเกิดอยู่หลังวันที่วัด / birth date is after the measurement date")
    _check_range("height_cm", "ส่วนสูง", "height", height_cm, HEIGHT_LIMITS_CM, "ซม.", "cm")
    _check_range("weight_kg", "น้ำหนัก", "weight", weight_kg, WEIGHT_LIMITS_KG, "กก.", "kg")

    age_days = (measured_on - birth_date).days
    reference = reference.for_age(age_days)
    bmi = None if weight_kg is None or height_cm is None else weight_kg / (height_cm / 100) ** 2

    height_z = weight_z = bmi_z = weight_for_height_z = None
    if height_cm is not None:
        height_z = _rounded(reference.height_for_age_z(checked_sex, age_days, height_cm))
    if weight_kg is not None:
        weight_z = _rounded(reference.weight_for_age_z(checked_sex, age_days, weight_kg))
    if bmi is not None and weight_kg is not None and height_cm is not None:
        bmi_z = _rounded(reference.bmi_for_age_z(checked_sex, age_days, bmi))
        weight_for_height_z = _rounded(
            reference.weight_for_height_z(checked_sex, age_days, height_cm, weight_kg)
        )

    by_indicator = {
        Indicator.HEIGHT_FOR_AGE: height_z,
        Indicator.WEIGHT_FOR_AGE: weight_z,
        Indicator.BMI_FOR_AGE: bmi_z,
        Indicator.WEIGHT_FOR_HEIGHT: weight_for_height_z,
    }
    shape_indicator = next(
        (
            indicator
            for indicator in reference.shape_indicators(age_days)
            if by_indicator[indicator] is not None
        ),
        None,
    )
    shape_z = None if shape_indicator is None else by_indicator[shape_indicator]
    shape_band = None if shape_z is None else shape_bands.classify(shape_z)
    height_band = None if height_z is None else height_bands.classify(height_z)

    return GrowthAssessment(
        age_days=age_days,
        age_months=age_days / DAYS_PER_MONTH,
        bmi=bmi,
        height_for_age_z=height_z,
        weight_for_age_z=weight_z,
        bmi_for_age_z=bmi_z,
        weight_for_height_z=weight_for_height_z,
        shape_band=shape_band,
        shape_indicator=shape_indicator,
        height_band=height_band,
        weight_band=None if weight_z is None else weight_bands.classify(weight_z),
        tall_proportionate=is_tall_proportionate(height_band, shape_band),
        reference=reference.name,
    )


def _checked_sex(sex: str) -> Sex:
    if sex == "M":
        return "M"
    if sex == "F":
        return "F"
    raise ValueError(f"sex: เพศต้องเป็น 'M' (ชาย) หรือ 'F' (หญิง) / sex must be 'M' or 'F' (got {sex!r})")


def _check_range(
    field: str,
    name_th: str,
    name_en: str,
    value: float | None,
    limits: tuple[float, float],
    unit_th: str,
    unit_en: str,
) -> None:
    low, high = limits
    # Written as "not inside" so that NaN is refused too.
    if value is not None and not low <= value <= high:
        raise ValueError(
            f"{field}: {name_th}ต้องอยู่ระหว่าง {low:g}–{high:g} {unit_th} (ได้ {value}) / "
            f"{name_en} must be between {low:g} and {high:g} {unit_en} (got {value})"
        )


def _rounded(z: float | None) -> float | None:
    # + 0.0 turns a rounded -0.0 into 0.0, which reads better on a report.
    return None if z is None else round(z, Z_DECIMALS) + 0.0
