"""People's entries in the report catalog: the OBEC DMC census and ปพ.8, the cumulative individual record."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from khru.assessment import selectors as assessment
from khru.assessment.grading import Credited, gpa_of, grade_point_average
from khru.health import selectors as health
from khru.org.roles import Perm
from khru.org.selectors import current_term
from khru.people import selectors
from khru.people.models import BloodGroup, Disability, Disadvantage, Guardianship, Religion
from khru.reports.catalog import Due, Kind, Level, Params, Report, Section, register
from khru.reports.common import NAME, SEX_TH, be, chunks, class_name, col, full_name
from khru.reports.render import table
from khru.welfare import selectors as welfare

RELATIONS = dict(Guardianship.Relation.choices)
BLOOD = dict(BloodGroup.choices)
RELIGION = dict(Religion.choices)
DISABILITY = dict(Disability.choices)
DISADVANTAGE = dict(Disadvantage.choices)
GUARDIAN = ("people.guardianship.relation", "people.person.first_name_th", "people.person.last_name_th")


def _guardian(found: list[dict[str, Any]], relation: str) -> dict[str, Any] | None:
    return next((g for g in found if g["relation"] == relation), None)


def _name(g: dict[str, Any] | None) -> str:
    return f"{g['guardian__prefix']}{g['guardian__first_name_th']} {g['guardian__last_name_th']}" if g else ""


# "poor" is derived from the poverty screening (these household fields) when the registrar left it blank.
POVERTY = ("welfare.householdmember.income", "welfare.householdmember.person", "welfare.household.factors")

DMC_COLUMNS = (
    col("school_code", "รหัสโรงเรียน", "school code", Kind.TEXT),
    col("school", "ชื่อโรงเรียน", "school", Kind.TEXT),
    col("class", "ชั้น", "grade", Kind.TEXT, "people.enrolment.classroom"),
    col("room", "ห้อง", "room", Kind.INT, "people.enrolment.classroom"),
    col("number", "เลขประจำตัวนักเรียน", "student number", Kind.TEXT, "people.enrolment.student_number"),
    col("citizen_id", "เลขประจำตัวประชาชน", "citizen ID", Kind.TEXT, "people.person.citizen_id"),
    col("sex", "เพศ", "sex", Kind.TEXT, "people.person.sex"),
    col("prefix", "คำนำหน้า", "title", Kind.TEXT, "people.person.prefix"),
    col("first_name", "ชื่อ", "first name", Kind.TEXT, "people.person.first_name_th"),
    col("last_name", "นามสกุล", "last name", Kind.TEXT, "people.person.last_name_th"),
    col("birth_date", "วันเกิด", "birth date", Kind.DATE, "people.person.birth_date"),
    col("weight", "น้ำหนัก (กก.)", "weight (kg)", Kind.DECIMAL, "health.measurement.weight_kg"),
    col("height", "ส่วนสูง (ซม.)", "height (cm)", Kind.DECIMAL, "health.measurement.height_cm"),
    col("blood_group", "หมู่เลือด", "blood group", Kind.TEXT, "people.person.blood_group"),
    col("religion", "ศาสนา", "religion", Kind.TEXT, "people.person.religion"),
    col("ethnicity", "เชื้อชาติ", "ethnicity", Kind.TEXT, "people.person.ethnicity"),
    col("nationality", "สัญชาติ", "nationality", Kind.TEXT, "people.person.nationality"),
    col("house_no", "บ้านเลขที่", "house number", Kind.TEXT, "people.person.house_no"),
    col("subdistrict", "ตำบล", "subdistrict", Kind.TEXT, "people.person.subdistrict"),
    col("district", "อำเภอ", "district", Kind.TEXT, "people.person.subdistrict"),
    col("province", "จังหวัด", "province", Kind.TEXT, "people.person.subdistrict"),
    col("postal_code", "รหัสไปรษณีย์", "postal code", Kind.TEXT, "people.person.postal_code"),
    col("father", "ชื่อบิดา", "father", Kind.TEXT, *GUARDIAN),
    col("father_job", "อาชีพบิดา", "father's occupation", Kind.TEXT, "people.person.occupation"),
    col("mother", "ชื่อมารดา", "mother", Kind.TEXT, *GUARDIAN),
    col("mother_job", "อาชีพมารดา", "mother's occupation", Kind.TEXT, "people.person.occupation"),
    col("guardian", "ชื่อผู้ปกครอง", "guardian", Kind.TEXT, *GUARDIAN),
    col("guardian_relation", "ความเกี่ยวข้อง", "relation", Kind.TEXT, "people.guardianship.relation"),
    col("guardian_job", "อาชีพผู้ปกครอง", "guardian's occupation", Kind.TEXT, "people.person.occupation"),
    col("disadvantage", "ความด้อยโอกาส", "disadvantage", Kind.TEXT, "people.person.disadvantage", *POVERTY),
    col("disability", "ความพิการ", "disability", Kind.TEXT, "people.person.disability"),
    col(
        "distance",
        "ระยะทางจากบ้าน (กม.)",
        "distance from home (km)",
        Kind.DECIMAL,
        "welfare.household.distance_km",
    ),
)


def _unit(params: Params) -> dict[str, Any]:
    return {"school": params.school, "classroom": params.classroom, "area": params.area}


def census_window(params: Params) -> tuple[dt.date | None, dt.date]:
    """The census rule for weight and height: the latest measurement of the term that holds the census day,
    up to today (a class measured on 15 June still counts for the 10 June census); outside any term, the
    latest on or before the census day."""
    term = current_term(year=params.year, on=params.on)
    if term is None or term.ends_on < params.on:
        return None, params.on
    return term.starts_on, max(params.on, min(term.ends_on, timezone.localdate()))


def dmc_rows(params: Params) -> Iterator[list[Any]]:
    students = selectors.report_students(
        actor=params.actor, on=params.on, perm=Perm.VIEW_SENSITIVE, **_unit(params)
    )
    since, until = census_window(params)
    for batch in chunks(students, 2000):
        ids = [s["person_id"] for s in batch]
        guardians = selectors.guardians_of(actor=params.actor, person_ids=ids)
        growth = health.latest_values(actor=params.actor, person_ids=ids, on=until, since=since)
        facts = welfare.census_facts(actor=params.actor, person_ids=ids, on=params.on)
        for s in batch:
            found = guardians.get(s["person_id"], [])
            home = facts.get(s["person_id"]) or {}
            disadvantage = s["person__disadvantage"] or ("poor" if home.get("poor") else "")
            father, mother = _guardian(found, "father"), _guardian(found, "mother")
            primary = next((g for g in found if g["is_primary"]), found[0] if found else None)
            m = growth.get(s["person_id"]) or {}
            yield [
                s["school__code"],
                s["school__name_th"],
                class_name({"grade": s["grade"]}),
                s["classroom__room"],
                s["student_number"],
                s["person__citizen_id"],
                SEX_TH.get(s["person__sex"], ""),
                s["person__prefix"],
                s["person__first_name_th"],
                s["person__last_name_th"],
                s["person__birth_date"],
                m.get("weight_kg"),
                m.get("height_cm"),
                BLOOD.get(s["person__blood_group"], ""),
                RELIGION.get(s["person__religion"], ""),
                s["person__ethnicity"],
                s["person__nationality"],
                s["person__house_no"],
                s["person__subdistrict__name_th"],
                s["person__subdistrict__district__name_th"],
                s["person__subdistrict__district__province__name_th"],
                s["person__postal_code"],
                _name(father),
                father["guardian__occupation"] if father else "",
                _name(mother),
                mother["guardian__occupation"] if mother else "",
                _name(primary),
                RELATIONS.get(primary["relation"], "") if primary else "",
                primary["guardian__occupation"] if primary else "",
                DISADVANTAGE.get(disadvantage, ""),
                DISABILITY.get(s["person__disability"], ""),
                home.get("distance_km"),
            ]
        params.tick(len(batch))


def _count(params: Params) -> int:
    return selectors.count_students(
        actor=params.actor, on=params.on, perm=Perm.VIEW_SENSITIVE, **_unit(params)
    )


DMC = register(
    Report(
        code="dmc",
        th="ข้อมูลนักเรียนรายบุคคล (DMC)",
        en="OBEC DMC student census",
        purpose_th=(
            "ข้อมูลนักเรียนรายบุคคล ณ วันเก็บข้อมูล สำหรับระบบ DMC ของ สพฐ. (ใช้คำนวณงบประมาณรายหัว)"
            " น้ำหนักและส่วนสูงเป็นค่าที่ชั่งวัดล่าสุดในภาคเรียนของวันเก็บข้อมูล"
        ),
        purpose_en=(
            "Every student as on the census day, for OBEC's DMC system (per-head funding). Weight and height:"
            " the latest measurement of the term that holds the census day."
        ),
        recipients_th="สพฐ. / สำนักงานเขตพื้นที่ / เทศบาล",
        recipients_en="OBEC, the area office or municipality",
        level=Level.CLASSROOM,
        perm=Perm.VIEW_SENSITIVE,
        due=Due(
            "10 มิ.ย., 10 พ.ย. และสิ้นปีการศึกษา (30 เม.ย.)",
            "10 June, 10 November, end of year (30 April)",
            days=((6, 10), (11, 10), (4, 30)),
        ),
        sections=(
            Section(
                "students",
                "ข้อมูลนักเรียน",
                "Students",
                DMC_COLUMNS,
                dmc_rows,
                pdf_keys=(
                    "school_code",
                    "class",
                    "room",
                    "number",
                    "citizen_id",
                    "sex",
                    "prefix",
                    "first_name",
                    "last_name",
                    "birth_date",
                    "weight",
                    "height",
                    "guardian",
                    "guardian_job",
                ),
            ),
        ),
        count=_count,
        landscape=True,
        area_ok=True,
    )
)


# ---- ปพ.8: the cumulative individual record -------------------------------------------------------------

PP8_COLUMNS = (
    col("number", "เลขประจำตัว", "student number", Kind.TEXT, "people.enrolment.student_number"),
    col("name", "ชื่อ-สกุล", "name", Kind.TEXT, *NAME),
    col("citizen_id", "เลขประจำตัวประชาชน", "citizen ID", Kind.TEXT, "people.person.citizen_id"),
    col("birth_date", "วันเกิด", "birth date", Kind.DATE, "people.person.birth_date"),
    col("class", "ชั้น", "class", Kind.TEXT, "people.enrolment.classroom"),
    col("address", "ที่อยู่", "address", Kind.TEXT, "people.person.house_no", "people.person.subdistrict"),
    col("guardian", "ผู้ปกครอง", "guardian", Kind.TEXT, *GUARDIAN),
    col("guardian_job", "อาชีพผู้ปกครอง", "guardian's occupation", Kind.TEXT, "people.person.occupation"),
    col("phone", "โทรศัพท์ผู้ปกครอง", "guardian's phone", Kind.TEXT, "people.person.phone"),
    col(
        "gpax",
        "ผลการเรียนเฉลี่ยสะสม",
        "GPAX",
        Kind.DECIMAL,
        "assessment.score.score",
        "assessment.course.credits",
    ),
    col("weight", "น้ำหนัก (กก.)", "weight (kg)", Kind.DECIMAL, "health.measurement.weight_kg"),
    col("height", "ส่วนสูง (ซม.)", "height (cm)", Kind.DECIMAL, "health.measurement.height_cm"),
    col(
        "aptitude",
        "ความสามารถพิเศษ/ความถนัด",
        "aptitude and interests",
        Kind.TEXT,
        "welfare.aptitude.area",
        "welfare.aptitude.detail",
    ),
)


def _pp8_batches(params: Params) -> Iterator[tuple[dict[str, Any], list[Any], dict[str, Any]]]:
    students = selectors.report_students(
        actor=params.actor, on=params.on, perm=Perm.VIEW_SENSITIVE, **_unit(params)
    )
    for batch in chunks(students, 200):
        ids = [s["person_id"] for s in batch]
        guardians = selectors.guardians_of(actor=params.actor, person_ids=ids)
        growth = health.latest_values(actor=params.actor, person_ids=ids, on=params.on)
        results = assessment.transcript_results(actor=params.actor, person_ids=ids)
        schools = selectors.schools_attended(actor=params.actor, person_ids=ids)
        aptitudes = welfare.aptitude_summaries(actor=params.actor, person_ids=ids)
        for s in batch:
            found = guardians.get(s["person_id"], [])
            primary = next((g for g in found if g["is_primary"]), found[0] if found else None)
            m = growth.get(s["person_id"]) or {}
            mine = results.get(s["person_id"], [])
            gpax = gpa_of((r["grade"], r["course__credits"], r["course__hours"]) for r in mine)
            address = " ".join(
                part
                for part in (
                    s["person__house_no"],
                    s["person__subdistrict__name_th"] and f"ต.{s['person__subdistrict__name_th']}",
                    s["person__subdistrict__district__name_th"]
                    and f"อ.{s['person__subdistrict__district__name_th']}",
                    s["person__subdistrict__district__province__name_th"]
                    and f"จ.{s['person__subdistrict__district__province__name_th']}",
                    s["person__postal_code"],
                )
                if part
            )
            row = [
                s["student_number"],
                full_name(s),
                s["person__citizen_id"],
                s["person__birth_date"],
                class_name(s),
                address,
                _name(primary),
                primary["guardian__occupation"] if primary else "",
                primary["guardian__phone"] if primary else "",
                gpax,
                m.get("weight_kg"),
                m.get("height_cm"),
                aptitudes.get(s["person_id"], ""),
            ]
            extra = {
                "guardians": found,
                "schools": schools.get(s["person_id"], []),
                "results": mine,
                "growth": m,
            }
            yield s, row, extra
            params.tick()


def pp8_rows(params: Params) -> Iterator[list[Any]]:
    for _, row, _ in _pp8_batches(params):
        yield row


def pp8_documents(params: Params) -> Iterator[dict[str, Any]]:
    guardian_columns = (
        col("relation", "ความเกี่ยวข้อง", "relation", Kind.TEXT),
        col("name", "ชื่อ-สกุล", "name", Kind.TEXT),
        col("job", "อาชีพ", "occupation", Kind.TEXT),
        col("phone", "โทรศัพท์", "phone", Kind.TEXT),
    )
    term_columns = (
        col("year", "ปีการศึกษา", "year", Kind.INT),
        col("term", "ภาคเรียน", "term", Kind.INT),
        col("courses", "จำนวนวิชา", "courses", Kind.INT),
        col("gpa", "GPA", "GPA", Kind.DECIMAL),
    )
    for s, row, extra in _pp8_batches(params):
        terms: dict[tuple[int, int], list[Credited]] = {}
        for r in extra["results"]:
            key = (r["course__term__academic_year__year_be"], r["course__term__number"])
            terms.setdefault(key, []).append(
                Credited(grade=r["grade"], credits=r["course__credits"], hours=r["course__hours"])
            )
        gpax = row[9]
        yield {
            "identity": [
                ["ชื่อ-สกุล", row[1]],
                ["เลขประจำตัวนักเรียน", row[0] or "-"],
                ["เลขประจำตัวประชาชน", row[2] or "-"],
                ["วันเกิด", be(row[3], "long") or "-"],
                ["ชั้น", row[4]],
                ["เพศ", SEX_TH.get(s["person__sex"], "-")],
                ["ที่อยู่", row[5] or "-"],
                ["สถานศึกษาที่เคยเรียน", ", ".join(extra["schools"])],
            ],
            "sections": [
                table(
                    "ผู้ปกครอง",
                    guardian_columns,
                    [
                        [
                            RELATIONS.get(g["relation"], ""),
                            _name(g),
                            g["guardian__occupation"],
                            g["guardian__phone"],
                        ]
                        for g in extra["guardians"]
                    ],
                ),
                table(
                    "ผลการเรียนรายภาค",
                    term_columns,
                    [
                        [y, t, len(c), (gpa := grade_point_average(c)) and f"{gpa:.2f}"]
                        for (y, t), c in terms.items()
                    ],
                ),
            ],
            "summary": [
                ["ผลการเรียนเฉลี่ยสะสม (GPAX)", f"{gpax:.2f}" if gpax is not None else "-"],
                ["น้ำหนัก / ส่วนสูงล่าสุด", f"{row[10]} กก. / {row[11]} ซม." if row[10] else "-"],
                ["ความสามารถพิเศษ / ความสนใจ", row[12] or "-"],
            ],
            "note_title": "ข้อสังเกตของครู",
            "note_lines": 3,
        }


PP8 = register(
    Report(
        code="pp8",
        th="ระเบียนสะสม",
        en="Cumulative individual record (ปพ.8)",
        purpose_th="ข้อมูลสะสมของนักเรียนแต่ละคน: ครอบครัว ผลการเรียน การเจริญเติบโต",
        purpose_en="Each child's cumulative record: family, results, growth.",
        recipients_th="สถานศึกษา (เก็บประจำตัวนักเรียน) / สถานศึกษาที่รับย้าย",
        recipients_en="The school's file; a receiving school",
        level=Level.CLASSROOM,
        perm=Perm.VIEW_SENSITIVE,
        due=Due("สิ้นปีการศึกษา", "at the end of the school year", days=((3, 31),)),
        sections=(Section("students", "ระเบียนสะสม", "Cumulative record", PP8_COLUMNS, pp8_rows),),
        per_term=False,
        count=_count,
        documents=pp8_documents,
        form_th="ปพ.8",
        signatures=("ครูประจำชั้น", "ผู้อำนวยการสถานศึกษา"),
        reads=("people.person.sex",),
        landscape=True,
    )
)

REPORTS = [DMC, PP8]
