"""Which growth reference a school uses (its agency's choice, WHO when none), and the CSV of a cut-off
reference an agency loads (docs/growth-reference.md describes the format; CSV_FORMAT below is its summary).
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from khru.core.errors import KhruError, Problem
from khru.health.growth import (
    AGE_INDICATORS,
    CUT_OFF_INDICATORS,
    WHO,
    CutOffReference,
    CutOffRow,
    CutOffTable,
    GrowthReference,
    Indicator,
    ReferenceName,
    Sex,
)
from khru.health.models import GrowthReferenceChoice, GrowthReferenceRow

VALUE_COLUMNS = ("sd_minus_2", "sd_minus_1_5", "median", "sd_plus_1_5", "sd_plus_2", "sd_plus_3")
COLUMNS = ("indicator", "sex", "key", *VALUE_COLUMNS)
AGE_KEY_MONTHS = (0, 240)  # whole months
HEIGHT_KEY_CM = (40, 200)
# An age that rounds to a table's first or last month uses that row (WHO's nearest-month rule).
AGE_END_TOLERANCE_MONTHS = 0.5

CSV_FORMAT = (
    "UTF-8 CSV with the header "
    + ",".join(COLUMNS)
    + ". One row per indicator, sex and key. indicator: weight_for_age or height_for_age (key = age in whole "
    "months) or weight_for_height (key = height in cm, one decimal). sex: M or F (ชาย/หญิง). The other "
    "columns: the weight (kg) or height (cm) at -2, -1.5, 0 (median), +1.5, +2 and +3 SD, ascending; "
    "sd_plus_3 is required for weight_for_height and may be empty otherwise. Every indicator needs at "
    "least two rows for each sex. Lines starting with # are comments."
)

_SEXES: dict[str, Sex] = {"M": "M", "F": "F", "ชาย": "M", "หญิง": "F"}


def reference_for(*, school_id: int) -> GrowthReference:
    """The growth reference of the school's agency: the one function every assessment of a child asks."""
    choice = GrowthReferenceChoice.objects.filter(agency__areas__schools=school_id).first()
    if choice is None or choice.reference == ReferenceName.WHO.code:
        return WHO
    return cut_off_reference(
        [
            (Indicator(row.indicator), _SEXES[row.sex], row.key, _row_values(row))
            for row in GrowthReferenceRow.objects.filter(choice=choice).order_by("key")
        ]
    )


def _row_values(row: GrowthReferenceRow) -> tuple[Decimal | None, ...]:
    return tuple(getattr(row, column) for column in VALUE_COLUMNS)


def cut_off_reference(
    rows: list[tuple[Indicator, Sex, Decimal, tuple[Decimal | None, ...]]],
) -> CutOffReference:
    by_table: dict[Indicator, dict[Sex, list[CutOffRow]]] = defaultdict(lambda: {"M": [], "F": []})
    for indicator, sex, key, values in sorted(rows, key=lambda row: row[2]):
        floats = tuple(None if v is None else float(v) for v in values)
        by_table[indicator][sex].append(CutOffRow(float(key), floats))
    return CutOffReference(
        tables={
            indicator: CutOffTable(
                rows={sex: tuple(found) for sex, found in by_sex.items()},
                end_tolerance=AGE_END_TOLERANCE_MONTHS if indicator in AGE_INDICATORS else 0.0,
            )
            for indicator, by_sex in by_table.items()
        }
    )


@dataclass(frozen=True)
class ParsedRow:
    indicator: Indicator
    sex: Sex
    key: Decimal
    values: tuple[Decimal | None, ...]


def parse_cut_off_csv(text: str) -> list[ParsedRow]:
    """Every row of a cut-off reference CSV, or KhruError naming each bad row and column. Nothing is
    partly accepted."""
    # Lines starting with "#" are comments (a file can say where its numbers come from); numbering counts
    # every line, so the row named in an error is the one a spreadsheet shows.
    numbered = [
        (number, cells)
        for number, cells in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1)
        if any(cell.strip() for cell in cells) and not cells[0].lstrip().startswith("#")
    ]
    if not numbered:
        raise KhruError(Problem("file", "ไฟล์ไม่มีข้อมูล", "the file is empty", field_th="ไฟล์"))
    header_row, header_cells = numbered[0]
    header = [name.strip() for name in header_cells]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise KhruError(
            *(
                Problem(column, "ไม่มีคอลัมน์นี้ในแถวหัวตาราง", "the header has no such column", row=header_row)
                for column in missing
            )
        )
    problems: list[Problem] = []
    parsed: list[ParsedRow] = []
    seen: dict[tuple[str, str, Decimal], int] = {}
    for number, cells in numbered[1:]:
        record = {name: (cells[n].strip() if n < len(cells) else "") for n, name in enumerate(header)}
        row_problems: list[Problem] = []

        def bad(
            column: str, th: str, en: str, number: int = number, found: list[Problem] = row_problems
        ) -> None:
            found.append(Problem(column, th, en, row=number))

        indicator = next((i for i in CUT_OFF_INDICATORS if i.value == record["indicator"]), None)
        if indicator is None:
            bad(
                "indicator",
                f"ต้องเป็น weight_for_age, height_for_age หรือ weight_for_height (ได้ {record['indicator']!r})",
                f"must be weight_for_age, height_for_age or weight_for_height (got {record['indicator']!r})",
            )
        sex = _SEXES.get(record["sex"])
        if sex is None:
            bad("sex", f"ต้องเป็น M หรือ F (ได้ {record['sex']!r})", f"must be M or F (got {record['sex']!r})")
        key = _number(record["key"])
        if key is None:
            bad("key", f"ต้องเป็นตัวเลข (ได้ {record['key']!r})", f"must be a number (got {record['key']!r})")
        elif indicator in AGE_INDICATORS and (key != key.to_integral() or not _within(key, AGE_KEY_MONTHS)):
            low, high = AGE_KEY_MONTHS
            bad(
                "key",
                f"อายุเป็นเดือนเต็ม {low}–{high} (ได้ {key})",
                f"age in whole months {low}–{high} (got {key})",
            )
        elif indicator is Indicator.WEIGHT_FOR_HEIGHT and (
            key != key.quantize(Decimal("0.1")) or not _within(key, HEIGHT_KEY_CM)
        ):
            low, high = HEIGHT_KEY_CM
            bad(
                "key",
                f"ส่วนสูง {low}–{high} ซม. ทศนิยม 1 ตำแหน่ง (ได้ {key})",
                f"height {low}–{high} cm, one decimal (got {key})",
            )
        values: list[Decimal | None] = []
        for column in VALUE_COLUMNS:
            value = _number(record[column])
            if value is None and (record[column] or column != "sd_plus_3"):
                bad(
                    column,
                    f"ต้องเป็นตัวเลข (ได้ {record[column]!r})",
                    f"must be a number (got {record[column]!r})",
                )
            elif value is not None and value <= 0:
                bad(column, f"ต้องมากกว่า 0 (ได้ {value})", f"must be above 0 (got {value})")
            values.append(value)
        if indicator is Indicator.WEIGHT_FOR_HEIGHT and not record["sd_plus_3"]:
            bad("sd_plus_3", "น้ำหนักตามส่วนสูงต้องมีค่าที่ +3 SD (เกณฑ์อ้วน)", "weight-for-height needs +3 SD (obese)")
        given = [
            (column, v) for column, v in zip(VALUE_COLUMNS, values, strict=True) if v is not None and v > 0
        ]
        for (before, lower), (column, higher) in zip(given, given[1:], strict=False):
            if not higher > lower:
                bad(
                    column,
                    f"ต้องมากกว่าค่าใน {before} ({higher} ≤ {lower})",
                    f"must be above {before} ({higher} ≤ {lower})",
                )
        if not row_problems and indicator is not None and sex is not None and key is not None:
            earlier = seen.setdefault((indicator.value, sex, key), number)
            if earlier != number:
                bad("key", f"ซ้ำกับแถว {earlier}", f"repeats row {earlier}")
            else:
                parsed.append(ParsedRow(indicator, sex, key, tuple(values)))
        problems += row_problems
    if problems:
        raise KhruError(*problems)
    for indicator in CUT_OFF_INDICATORS:
        for sex in ("M", "F"):
            if sum(1 for row in parsed if row.indicator is indicator and row.sex == sex) < 2:
                problems.append(
                    Problem(
                        "indicator",
                        f"ตาราง {indicator.value} เพศ {sex} ต้องมีอย่างน้อย 2 แถว",
                        f"the {indicator.value} table for sex {sex} needs at least 2 rows",
                    )
                )
    if problems:
        raise KhruError(*problems)
    return parsed


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _within(value: Decimal, limits: tuple[int, int]) -> bool:
    low, high = limits
    return low <= value <= high
