"""Health's entry in the report catalog: the term nutrition report (counts per band, children to follow)."""

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from khru.health import selectors
from khru.health.growth import TALL_PROPORTIONATE_TH, HeightBand, ShapeBand, WeightBand
from khru.org.grades import ORDER
from khru.org.roles import Perm
from khru.people import selectors as people
from khru.reports.catalog import Due, Kind, Level, Params, Report, Section, register
from khru.reports.common import NAME, SEX_TH, chunks, class_name, col, full_name

MEASURED = ("health.measurement.weight_kg", "health.measurement.height_cm", "people.person.birth_date")
SEX = ("people.person.sex",)
# Children to follow up: thin, overweight or obese, or short for their age.
FOLLOW_SHAPES = {ShapeBand.THIN.code, ShapeBand.OVERWEIGHT.code, ShapeBand.OBESE.code}
FOLLOW_HEIGHTS = {HeightBand.SHORT.code}

COUNT_COLUMNS = (
    col("grade", "ชั้น", "grade", Kind.TEXT, "people.enrolment.classroom"),
    col("sex", "เพศ", "sex", Kind.TEXT, *SEX),
    col("students", "นักเรียน", "students", Kind.INT, "people.enrolment.classroom"),
    col("measured", "ชั่ง/วัดแล้ว", "measured", Kind.INT, *MEASURED),
    *(
        col(f"shape_{b.code}", f"รูปร่าง{b.label_th}", f"shape: {b.label_en}", Kind.INT, *MEASURED)
        for b in ShapeBand
    ),
    *(col(f"height_{b.code}", b.label_th, f"height: {b.label_en}", Kind.INT, *MEASURED) for b in HeightBand),
    *(
        col(f"weight_{b.code}", b.label_th, f"weight for age: {b.label_en}", Kind.INT, *MEASURED)
        for b in WeightBand
    ),
    col("tall_proportionate", TALL_PROPORTIONATE_TH, "tall and proportionate", Kind.INT, *MEASURED),
    col(
        "tall_proportionate_percent",
        f"ร้อยละ{TALL_PROPORTIONATE_TH}",
        "% tall and proportionate (of those measured)",
        Kind.DECIMAL,
        *MEASURED,
    ),
)
# Paper is landscape A4: the weight-for-age counts go to the spreadsheet and CSV only.
COUNT_PDF_KEYS = tuple(c.key for c in COUNT_COLUMNS if not c.key.startswith("weight_"))
FOLLOW_COLUMNS = (
    col("class", "ชั้น", "class", Kind.TEXT, "people.enrolment.classroom"),
    col("number", "เลขประจำตัว", "student number", Kind.TEXT, "people.enrolment.student_number"),
    col("name", "ชื่อ-สกุล", "name", Kind.TEXT, *NAME),
    col("sex", "เพศ", "sex", Kind.TEXT, *SEX),
    col("on", "วันที่ชั่ง/วัด", "measured on", Kind.DATE, *MEASURED),
    col("weight", "น้ำหนัก (กก.)", "weight (kg)", Kind.DECIMAL, "health.measurement.weight_kg"),
    col("height", "ส่วนสูง (ซม.)", "height (cm)", Kind.DECIMAL, "health.measurement.height_cm"),
    col("shape", "รูปร่าง", "shape", Kind.TEXT, *MEASURED),
    col("height_band", "ส่วนสูงตามเกณฑ์อายุ", "height for age", Kind.TEXT, *MEASURED),
    col("weight_band", "น้ำหนักตามเกณฑ์อายุ", "weight for age", Kind.TEXT, *MEASURED),
)
SHAPES = {b.code: b.label_th for b in ShapeBand}
HEIGHTS = {b.code: b.label_th for b in HeightBand}
WEIGHTS = {b.code: b.label_th for b in WeightBand}


def _measured(params: Params) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Each child with their latest measurement of the term (None when not measured this term)."""
    since = params.term.starts_on if params.term else params.year.starts_on
    students = people.report_students(
        actor=params.actor,
        on=params.on,
        school=params.school,
        classroom=params.classroom,
        perm=Perm.VIEW_SENSITIVE,
    )
    for batch in chunks(students, 2000):
        latest = selectors.latest_values(
            actor=params.actor, person_ids=[s["person_id"] for s in batch], on=params.on
        )
        for s in batch:
            m = latest.get(s["person_id"])
            yield s, m if m and m["measured_on"] >= since else None


def count_rows(params: Params) -> Iterator[list[Any]]:
    counts: dict[tuple[str, str], Counter[str]] = {}
    for s, m in _measured(params):
        counter = counts.setdefault((s["grade"], s["person__sex"]), Counter())
        counter["students"] += 1
        if m is not None:
            counter["measured"] += 1
            counter[f"shape_{m['shape_band']}"] += 1
            counter[f"height_{m['height_band']}"] += 1
            counter[f"weight_{m['weight_band']}"] += 1
            counter["tall_proportionate"] += 1 if m["tall_proportionate"] else 0
        params.tick()
    for (grade, sex), counter in sorted(
        counts.items(), key=lambda item: (ORDER.index(item[0][0]), item[0][1])
    ):
        measured = counter["measured"]
        share = round(Decimal(100 * counter["tall_proportionate"]) / measured, 1) if measured else None
        yield [
            class_name({"grade": grade}),
            SEX_TH.get(sex, "-"),
            *(counter[c.key] for c in COUNT_COLUMNS[2:-1]),
            share,
        ]


def follow_rows(params: Params) -> Iterator[list[Any]]:
    for s, m in _measured(params):
        if m is not None and (m["shape_band"] in FOLLOW_SHAPES or m["height_band"] in FOLLOW_HEIGHTS):
            yield [
                class_name(s),
                s["student_number"],
                full_name(s),
                SEX_TH.get(s["person__sex"], "-"),
                m["measured_on"],
                m["weight_kg"],
                m["height_cm"],
                SHAPES.get(m["shape_band"], ""),
                HEIGHTS.get(m["height_band"], ""),
                WEIGHTS.get(m["weight_band"], ""),
            ]


def reference_note(params: Params) -> str:
    """ "เกณฑ์อ้างอิง: …": the references that produced the bands counted (each measurement keeps its own)."""
    if params.school is None:
        return ""
    names = selectors.references_used(
        actor=params.actor,
        school_id=params.school.pk,
        classroom_id=params.classroom.pk if params.classroom else None,
        since=params.term.starts_on if params.term else params.year.starts_on,
        until=params.on,
    )
    return "เกณฑ์อ้างอิง: " + ", ".join(name.label_th for name in names)


def _count(params: Params) -> int:
    return people.count_students(
        actor=params.actor, on=params.on, school=params.school, classroom=params.classroom
    )


NUTRITION = register(
    Report(
        code="nutrition",
        th="รายงานภาวะโภชนาการนักเรียน",
        en="Term nutrition report",
        purpose_th="จำนวนนักเรียนตามเกณฑ์รูปร่างและส่วนสูง แยกชั้นและเพศ และรายชื่อนักเรียนที่ต้องติดตาม",
        purpose_en="Children per growth band by grade and sex, and the list of children to follow up.",
        recipients_th="สาธารณสุขอำเภอ / หน่วยบริการสุขภาพ",
        recipients_en="The district health office",
        level=Level.CLASSROOM,
        perm=Perm.VIEW_SENSITIVE,
        due=Due("ภาคเรียนละครั้ง (ก.ค. และ ก.พ.)", "each term (July and February)", days=((7, 31), (2, 28))),
        sections=(
            Section(
                "counts",
                "จำนวนนักเรียนตามภาวะโภชนาการ",
                "Children per band",
                COUNT_COLUMNS,
                count_rows,
                pdf_keys=COUNT_PDF_KEYS,
            ),
            Section("follow", "นักเรียนที่ต้องติดตาม", "Children to follow up", FOLLOW_COLUMNS, follow_rows),
        ),
        count=_count,
        form_th="",
        signatures=("ครูอนามัยโรงเรียน", "ผู้อำนวยการสถานศึกษา"),
        landscape=True,
        note=reference_note,
    )
)

REPORTS = [NUTRITION]
