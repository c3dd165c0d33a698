"""The gradebook's entries in the report catalog: ปพ.1 transcript, ปพ.5 class record, ปพ.6 term report."""

from collections.abc import Iterator
from decimal import Decimal
from itertools import groupby
from typing import Any

from khru.assessment import rules, selectors
from khru.assessment.grading import gpa_of, total_units_text, units_text
from khru.assessment.models import Rating
from khru.attendance import selectors as attendance
from khru.health import selectors as health
from khru.health.growth import ShapeBand
from khru.org import selectors as org
from khru.org.roles import Perm
from khru.people import selectors as people
from khru.reports.catalog import Due, Kind, Level, Params, Report, Section, register
from khru.reports.common import NAME, SEX_TH, be, chunks, class_name, col, full_name, grade_value
from khru.reports.render import table

RATINGS = dict(Rating.choices)
# A form shows one unit a course: credits in secondary, hours in primary (the exports keep both as numbers).
UNITS = col(
    "units",
    "หน่วยกิต/ชั่วโมง",
    "credits or hours",
    Kind.TEXT,
    "assessment.course.credits",
    "assessment.course.hours",
)
HOURS = col("hours", "เวลาเรียน (ชม.)", "hours", Kind.INT, "assessment.course.hours")
RESULT_READS = ("assessment.score.score", "attendance.mark.code", "assessment.course.hours")
# A year result is entered by the homeroom teacher or rolled up from the course ratings (selectors.year_ratings).
YEAR_READS = (
    "assessment.yearrating.rating",
    "assessment.result.reading_rating",
    "assessment.result.character_rating",
)
YEAR_COLUMNS = (
    col("aspect", "ด้านที่ประเมิน", "aspect", Kind.TEXT),
    col("result", "ผลการประเมิน", "result", Kind.TEXT, *YEAR_READS),
)


def _students(params: Params, perm: Perm = Perm.VIEW_STUDENTS) -> Iterator[dict[str, Any]]:
    return people.report_students(
        actor=params.actor, on=params.on, school=params.school, classroom=params.classroom, perm=perm
    )


def _count(params: Params) -> int:
    return people.count_students(
        actor=params.actor, on=params.on, school=params.school, classroom=params.classroom
    )


def _gpa(results: list[dict[str, Any]]) -> Decimal | None:
    return gpa_of((r["grade"], r["course__credits"], r["course__hours"]) for r in results)


def _units(row: dict[str, Any]) -> str:
    return units_text(row["course__credits"], row["course__hours"])


def _total(rows: list[dict[str, Any]]) -> str:
    return total_units_text((r["course__credits"], r["course__hours"]) for r in rows)


def _text(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _identity(student: dict[str, Any]) -> list[list[str]]:
    return [
        ["ชื่อ-สกุล", full_name(student)],
        ["เลขประจำตัวนักเรียน", student["student_number"] or "-"],
        ["เลขประจำตัวประชาชน", student["person__citizen_id"] or "-"],
        ["ชั้น", class_name(student)],
        ["วันเกิด", be(student["person__birth_date"], "long") or "-"],
        ["เพศ", SEX_TH.get(student["person__sex"], "-")],
    ]


# ---- ปพ.6: the term report to parents ----------------------------------------------------------------------

PP6_COURSES = (
    col("number", "เลขประจำตัว", "student number", Kind.TEXT, "people.enrolment.student_number"),
    col("name", "ชื่อ-สกุล", "name", Kind.TEXT, *NAME),
    col("course", "รหัสวิชา", "course code", Kind.TEXT, "assessment.course.code"),
    col("course_name", "รายวิชา", "course", Kind.TEXT, "assessment.course.code"),
    col("credits", "หน่วยกิต", "credits", Kind.DECIMAL, "assessment.course.credits"),
    col("percent", "ร้อยละ", "percent", Kind.DECIMAL, "assessment.score.score"),
    col("grade", "ผลการเรียน", "grade", Kind.DECIMAL, *RESULT_READS),
    col(
        "reading",
        "อ่าน คิดวิเคราะห์ เขียน",
        "reading, thinking, writing",
        Kind.TEXT,
        "assessment.result.reading_rating",
    ),
    col("character", "คุณลักษณะฯ", "characteristics", Kind.TEXT, "assessment.result.character_rating"),
    HOURS,
)
PP6_STUDENTS = (
    col("number", "เลขประจำตัว", "student number", Kind.TEXT, "people.enrolment.student_number"),
    col("name", "ชื่อ-สกุล", "name", Kind.TEXT, *NAME),
    col("gpa", "ผลการเรียนเฉลี่ย", "GPA", Kind.DECIMAL, "assessment.score.score", "assessment.course.credits"),
    col("days", "วันเรียน", "school days", Kind.INT, "attendance.mark.code"),
    col("present", "มาเรียน", "present", Kind.INT, "attendance.mark.code"),
    col("absent", "ขาด", "absent", Kind.INT, "attendance.mark.code"),
    col("leave", "ลา", "leave", Kind.INT, "attendance.mark.code"),
    col("late", "สาย", "late", Kind.INT, "attendance.mark.code"),
    col("weight", "น้ำหนัก (กก.)", "weight (kg)", Kind.DECIMAL, "health.measurement.weight_kg"),
    col("height", "ส่วนสูง (ซม.)", "height (cm)", Kind.DECIMAL, "health.measurement.height_cm"),
    col("shape", "รูปร่าง", "shape", Kind.TEXT, "health.measurement.weight_kg", "health.measurement.height_cm"),
    col("note", "ความเห็นของครูประจำชั้น", "teacher's note", Kind.TEXT, typed=True),
)


def _pp6_chunks(
    params: Params,
) -> Iterator[
    tuple[
        list[dict[str, Any]],
        dict[int, list[dict[str, Any]]],
        dict[int, attendance.Tally],
        dict[int, dict[str, Any]],
        dict[int, selectors.YearResult],
    ]
]:
    """Students class by class with their results, attendance, latest measurement and year results so far: a
    fixed number of reads per class, and only one class in memory at a time."""
    assert params.term is not None
    students = _students(params)
    for _classroom_id, group in groupby(students, key=lambda s: s["classroom_id"]):
        batch = list(group)
        ids = [s["person_id"] for s in batch]
        tallies: dict[int, attendance.Tally] = {}
        years: dict[int, selectors.YearResult] = {}
        if batch[0]["classroom__uuid"] is not None:  # a child enrolled without a class has no register
            classroom = params.classroom or org.get_classroom(
                actor=params.actor, uuid=batch[0]["classroom__uuid"]
            )
            tallies = attendance.tallies_for(actor=params.actor, term=params.term, classroom=classroom)
            years = selectors.year_results_at(
                actor=params.actor, person_ids=ids, academic_year=params.term.academic_year,
                school=classroom.school,
            )  # fmt: skip
        results = selectors.term_results(actor=params.actor, person_ids=ids, term=params.term)
        growth = health.latest_values(actor=params.actor, person_ids=ids, on=params.on)
        yield batch, results, tallies, growth, years


def _shape(code: str) -> str:
    return next((band.label_th for band in ShapeBand if band.code == code), "-")


def pp6_course_rows(params: Params) -> Iterator[list[Any]]:
    for batch, results, _, _, _ in _pp6_chunks(params):
        for s in batch:
            for r in results.get(s["person_id"], []):
                yield [
                    s["student_number"],
                    full_name(s),
                    r["course__code"],
                    r["course__name_th"],
                    r["course__credits"],
                    r["percentage"],
                    grade_value(r["grade"]),
                    RATINGS.get(r["reading_rating"], ""),
                    RATINGS.get(r["character_rating"], ""),
                    r["course__hours"],
                ]


def pp6_student_rows(params: Params) -> Iterator[list[Any]]:
    for batch, results, tallies, growth, _ in _pp6_chunks(params):
        for s in batch:
            t = tallies.get(s["person_id"], attendance.Tally())
            m = growth.get(s["person_id"]) or {}
            yield [
                s["student_number"],
                full_name(s),
                _gpa(results.get(s["person_id"], [])),
                t.sessions,
                t.attended,
                t.absent,
                t.leave,
                t.late,
                m.get("weight_kg"),
                m.get("height_cm"),
                _shape(m["shape_band"]) if m else None,
                None,
            ]
            params.tick()


def pp6_documents(params: Params) -> Iterator[dict[str, Any]]:
    course_columns = (
        PP6_COURSES[2],
        PP6_COURSES[3],
        UNITS,
        PP6_COURSES[5],
        PP6_COURSES[6],
        PP6_COURSES[7],
        PP6_COURSES[8],
    )
    attendance_columns = PP6_STUDENTS[3:8]
    growth_columns = (
        col("on", "วันที่ชั่ง/วัด", "measured on", Kind.DATE),
        *PP6_STUDENTS[8:11],
    )
    for batch, results, tallies, growth, years in _pp6_chunks(params):
        for s in batch:
            year = years.get(s["person_id"])
            mine = results.get(s["person_id"], [])
            t = tallies.get(s["person_id"], attendance.Tally())
            m = growth.get(s["person_id"])
            yield {
                "identity": _identity(s),
                "sections": [
                    table(
                        "ผลการเรียน",
                        course_columns,
                        [
                            [
                                r["course__code"],
                                r["course__name_th"],
                                _units(r),
                                r["percentage"],
                                r["grade"],
                                RATINGS.get(r["reading_rating"], ""),
                                RATINGS.get(r["character_rating"], ""),
                            ]
                            for r in mine
                        ],
                    ),
                    table(
                        "ผลการประเมินประจำปี: การอ่าน คิดวิเคราะห์ และเขียน คุณลักษณะอันพึงประสงค์ สมรรถนะสำคัญ",
                        YEAR_COLUMNS,
                        [
                            [aspect.th, (year.value(aspect.code).label if year else "") or "-"]
                            for aspect in rules.YEAR_ASPECTS
                        ],
                    ),
                    table(
                        "เวลาเรียน", attendance_columns, [[t.sessions, t.attended, t.absent, t.leave, t.late]]
                    ),
                    table(
                        "น้ำหนักและส่วนสูง",
                        growth_columns,
                        [[m["measured_on"], m["weight_kg"], m["height_cm"], _shape(m["shape_band"])]]
                        if m
                        else [],
                    ),
                ],
                "summary": [["รวม", _total(mine)], ["ผลการเรียนเฉลี่ย (GPA)", _text(_gpa(mine))]],
                "note_title": "ความเห็นของครูประจำชั้น",
                "note_lines": 3,
            }
            params.tick()


PP6 = register(
    Report(
        code="pp6",
        th="แบบรายงานประจำตัวนักเรียน (ผลการเรียนรายภาค)",
        en="Term report to parents (ปพ.6)",
        purpose_th="แจ้งผลการเรียน เวลาเรียน และการเจริญเติบโตของนักเรียนแต่ละคนให้ผู้ปกครองทราบ",
        purpose_en="Each child's grades, attendance and growth for the term, for the parents.",
        recipients_th="ผู้ปกครอง",
        recipients_en="Parents",
        level=Level.CLASSROOM,
        perm=Perm.VIEW_SENSITIVE,
        due=Due("เมื่อสิ้นภาคเรียน", "at the end of each term", term_end=True),
        sections=(
            Section("courses", "ผลการเรียนรายวิชา", "Results by course", PP6_COURSES, pp6_course_rows),
            Section("students", "สรุปรายบุคคล", "Per student", PP6_STUDENTS, pp6_student_rows),
        ),
        count=_count,
        documents=pp6_documents,
        form_th="ปพ.6",
        signatures=("ครูประจำชั้น", "ผู้อำนวยการสถานศึกษา", "ผู้ปกครอง"),
        reads=(
            "people.person.citizen_id",
            "people.person.birth_date",
            "people.person.sex",
            "people.enrolment.classroom",
            *YEAR_READS,
        ),
    )
)


# ---- ปพ.1: the transcript ----------------------------------------------------------------------------------

PP1_COLUMNS = (
    col("number", "เลขประจำตัว", "student number", Kind.TEXT, "people.enrolment.student_number"),
    col("name", "ชื่อ-สกุล", "name", Kind.TEXT, *NAME),
    col("year", "ปีการศึกษา", "year", Kind.INT),
    col("term", "ภาคเรียน", "term", Kind.INT),
    col("school", "โรงเรียน", "school", Kind.TEXT, "people.enrolment.classroom"),
    col("course", "รหัสวิชา", "course code", Kind.TEXT, "assessment.course.code"),
    col("course_name", "รายวิชา", "course", Kind.TEXT, "assessment.course.code"),
    col("credits", "หน่วยกิต", "credits", Kind.DECIMAL, "assessment.course.credits"),
    col("grade", "ผลการเรียน", "grade", Kind.DECIMAL, *RESULT_READS),
    HOURS,
)


PP1_YEAR_COLUMNS = (
    col("year", "ปีการศึกษา", "year", Kind.INT),
    col("school", "โรงเรียน", "school", Kind.TEXT, "people.enrolment.classroom"),
    col("reading", "การอ่าน คิดวิเคราะห์ และเขียน", "reading, thinking, writing", Kind.TEXT, *YEAR_READS),
    col("character", "คุณลักษณะอันพึงประสงค์", "desirable characteristics", Kind.TEXT, *YEAR_READS),
)


def _pp1_chunks(
    params: Params,
) -> Iterator[
    tuple[
        list[dict[str, Any]],
        dict[int, list[dict[str, Any]]],
        dict[int, list[str]],
        dict[int, list[selectors.YearResult]],
    ]
]:
    for batch in chunks(_students(params), 200):
        ids = [s["person_id"] for s in batch]
        yield (
            batch,
            selectors.transcript_results(actor=params.actor, person_ids=ids),
            people.schools_attended(actor=params.actor, person_ids=ids),
            selectors.year_ratings(actor=params.actor, person_ids=ids),
        )


def pp1_rows(params: Params) -> Iterator[list[Any]]:
    for batch, results, _, _ in _pp1_chunks(params):
        for s in batch:
            for r in results.get(s["person_id"], []):
                yield [
                    s["student_number"],
                    full_name(s),
                    r["course__term__academic_year__year_be"],
                    r["course__term__number"],
                    r["course__school__name_th"],
                    r["course__code"],
                    r["course__name_th"],
                    r["course__credits"],
                    grade_value(r["grade"]),
                    r["course__hours"],
                ]
            params.tick()


def pp1_documents(params: Params) -> Iterator[dict[str, Any]]:
    course_columns = (PP1_COLUMNS[5], PP1_COLUMNS[6], UNITS, PP1_COLUMNS[8])
    for batch, results, schools, years in _pp1_chunks(params):
        for s in batch:
            mine = results.get(s["person_id"], [])
            terms: dict[tuple[int, int, str], list[dict[str, Any]]] = {}
            for r in mine:
                key = (
                    r["course__term__academic_year__year_be"],
                    r["course__term__number"],
                    r["course__school__name_th"],
                )
                terms.setdefault(key, []).append(r)
            sections = [
                table(
                    f"ปีการศึกษา {year} ภาคเรียนที่ {number} · {school} · GPA {_text(_gpa(rows))}",
                    course_columns,
                    [[r["course__code"], r["course__name_th"], _units(r), r["grade"]] for r in rows],
                )
                for (year, number, school), rows in terms.items()
            ]
            sections.append(
                table(
                    "ผลการประเมินการอ่าน คิดวิเคราะห์ และเขียน และคุณลักษณะอันพึงประสงค์ รายปี",
                    PP1_YEAR_COLUMNS,
                    [
                        [
                            y.year_be,
                            y.school_name,
                            y.value("reading").label or "-",
                            y.value("character").label or "-",
                        ]
                        for y in years.get(s["person_id"], [])
                    ],
                )
            )
            yield {
                "identity": [*_identity(s), ["สถานศึกษาที่เคยเรียน", ", ".join(schools.get(s["person_id"], []))]],
                "sections": sections,
                "summary": [["รวม", _total(mine)], ["ผลการเรียนเฉลี่ยสะสม (GPAX)", _text(_gpa(mine))]],
            }
            params.tick()


PP1 = register(
    Report(
        code="pp1",
        th="ระเบียนแสดงผลการเรียน",
        en="Transcript (ปพ.1)",
        purpose_th="ผลการเรียนทุกภาคเรียนทุกสถานศึกษาที่เคยเรียน พร้อม GPA และ GPAX",
        purpose_en="Results of every term at every school attended, with GPA and GPAX.",
        recipients_th="นักเรียน ผู้ปกครอง สถานศึกษาที่รับย้าย",
        recipients_en="The student, parents, a receiving school",
        level=Level.CLASSROOM,
        perm=Perm.VIEW_STUDENTS,
        due=Due("เมื่อจบการศึกษาหรือย้ายสถานศึกษา", "on graduation or transfer", days=((3, 31),)),
        sections=(Section("results", "ผลการเรียน", "Results", PP1_COLUMNS, pp1_rows),),
        per_term=False,
        count=_count,
        documents=pp1_documents,
        form_th="ปพ.1",
        signatures=("นายทะเบียน", "ผู้อำนวยการสถานศึกษา"),
        reads=("people.person.citizen_id", "people.person.birth_date", "people.person.sex", *YEAR_READS),
    )
)


# ---- ปพ.5: the class record of results per course ---------------------------------------------------------

PP5_COLUMNS = (
    col("class", "ชั้น", "class", Kind.TEXT, "people.enrolment.classroom"),
    col("course", "รหัสวิชา", "course code", Kind.TEXT, "assessment.course.code"),
    col("course_name", "รายวิชา", "course", Kind.TEXT, "assessment.course.code"),
    col("name", "ชื่อ-สกุล", "name", Kind.TEXT, *NAME),
    col("hours", "เวลาเรียน (ชม.)", "hours", Kind.INT, "assessment.course.hours"),
    col("sessions", "เรียนแล้ว", "sessions held", Kind.INT, "attendance.mark.code"),
    col("missed", "ขาด/ลา", "missed", Kind.INT, "attendance.mark.code"),
    col("percent", "ร้อยละ", "percent", Kind.DECIMAL, "assessment.score.score"),
    col("grade", "ผลการเรียน", "grade", Kind.DECIMAL, *RESULT_READS),
    col("reading", "อ่าน คิดวิเคราะห์ เขียน", "reading", Kind.TEXT, "assessment.result.reading_rating"),
    col("character", "คุณลักษณะฯ", "characteristics", Kind.TEXT, "assessment.result.character_rating"),
)


def pp5_rows(params: Params) -> Iterator[list[Any]]:
    assert params.term is not None and params.school is not None
    for r in selectors.course_results(
        actor=params.actor, term=params.term, school=params.school, classroom=params.classroom
    ):
        yield [
            class_name(
                {"grade": r["course__classroom__grade"], "classroom__room": r["course__classroom__room"]}
            ),
            r["course__code"],
            r["course__name_th"],
            full_name(r),
            r["course__hours"],
            r["sessions"],
            r["missed"],
            r["percentage"],
            grade_value(r["grade"]),
            RATINGS.get(r["reading_rating"], ""),
            RATINGS.get(r["character_rating"], ""),
        ]
        params.tick()


PP5 = register(
    Report(
        code="pp5",
        th="แบบบันทึกผลการพัฒนาคุณภาพผู้เรียน",
        en="Class record of results per course (ปพ.5)",
        purpose_th="ผลการเรียน เวลาเรียน และผลการประเมินของนักเรียนทุกคนในแต่ละรายวิชา",
        purpose_en="Every child's result, attendance and ratings in each course.",
        recipients_th="ผู้อำนวยการสถานศึกษา (อนุมัติผลการเรียน)",
        recipients_en="The principal (approves the results)",
        level=Level.CLASSROOM,
        perm=Perm.VIEW_STUDENTS,
        due=Due("เมื่อสิ้นภาคเรียน", "at the end of each term", term_end=True),
        sections=(Section("results", "ผลการเรียนรายวิชา", "Results by course", PP5_COLUMNS, pp5_rows),),
        count=_count,
        form_th="ปพ.5",
        signatures=("ครูผู้สอน", "หัวหน้างานวัดผล", "ผู้อำนวยการสถานศึกษา"),
        landscape=True,
    )
)

REPORTS = [PP6, PP1, PP5]
