"""Attendance's entries in the report catalog: the principal's monthly report and the municipality's
monthly comparison of its schools (every count leaving a school passes through small-cell suppression)."""

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from khru.assessment import selectors as assessment
from khru.attendance import selectors
from khru.attendance.codes import DEFAULT_CODES
from khru.core.suppression import HIDDEN, suppress_counts
from khru.health import selectors as health
from khru.org import calendar
from khru.org import selectors as org
from khru.org.grades import ORDER
from khru.org.roles import Perm
from khru.people import selectors as people
from khru.reports.catalog import Due, Kind, Level, Params, Report, Section, register
from khru.reports.common import NAME, class_name, col, full_name, grade_value

MARK = ("attendance.mark.code",)
CODE_LABELS = {code: label for code, label, *_ in DEFAULT_CODES}


def _month(params: Params) -> tuple[dt.date, dt.date]:
    """The month of `on`, up to `on` (a month in progress counts its days so far)."""
    return params.on.replace(day=1), params.on


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _school_ids(params: Params) -> list[int]:
    if params.school is not None:
        return [params.school.pk]
    return list(_area_schools(params))


def _area_schools(params: Params) -> dict[int, str]:
    """The area's schools the actor sees aggregates of: {id: Thai name}, in code order."""
    found = (
        org.schools(actor=params.actor, perm=Perm.VIEW_AGGREGATES).filter(area=params.area).order_by("code")
    )
    return dict(found.values_list("pk", "name_th"))


BY_CLASS = (
    col("class", "ชั้น", "class", Kind.TEXT, "people.enrolment.classroom"),
    col("students", "นักเรียน", "students", Kind.INT, "people.enrolment.classroom"),
    col("days", "วันเรียน", "school days", Kind.INT),
    col("taken", "เช็กชื่อแล้ว (วัน)", "registers taken", Kind.INT, *MARK),
    col("rate", "มาเรียน (%)", "attendance (%)", Kind.DECIMAL, *MARK),
    *(col(code, label, code, Kind.INT, *MARK) for code, label in CODE_LABELS.items()),
    col("measured", "ชั่ง/วัดภาคนี้ (%)", "measured this term (%)", Kind.DECIMAL, "health.measurement.weight_kg"),
)
BY_REASON = (
    col("reason", "เหตุ", "reason", Kind.TEXT, *MARK),
    col("count", "ครั้ง", "times", Kind.INT, *MARK),
)
AT_RISK = (
    col("class", "ชั้น", "class", Kind.TEXT, "people.enrolment.classroom"),
    col("name", "ชื่อ-สกุล", "name", Kind.TEXT, *NAME),
    col("course", "รหัสวิชา", "course", Kind.TEXT, "assessment.course.code"),
    col("course_name", "รายวิชา", "course name", Kind.TEXT, "assessment.course.code"),
    col("grade", "ผลการเรียน", "grade", Kind.TEXT, "assessment.score.score", *MARK),
)


def _class_figures(params: Params) -> list[dict[str, Any]]:
    start, end = _month(params)
    school_ids = _school_ids(params)
    counts = people.counts_by_classroom(actor=params.actor, school_ids=school_ids, on=end)
    figures = selectors.month_figures(actor=params.actor, school_ids=school_ids, start=start, end=end)
    since = params.term.starts_on if params.term else params.year.starts_on
    measured = health.measured_counts(actor=params.actor, school_ids=school_ids, since=since, until=end)
    days = calendar.count_by_school(school_ids=school_ids, start=start, end=end)
    rows = []
    for classroom_id, (school_id, grade, room, students) in counts.items():
        f = figures.get(classroom_id, selectors.MonthFigures())
        expected = students * f.registers
        rows.append(
            {
                "school_id": school_id,
                "grade": grade,
                "room": room,
                "students": students,
                "days": days.get(school_id, 0),
                "taken": f.registers,
                "attended": expected - f.missed,
                "expected": expected,
                "marks": f.marks,
                "measured": measured.get(classroom_id, 0),
            }
        )
    return sorted(rows, key=lambda r: (r["school_id"], ORDER.index(r["grade"]), r["room"]))


def class_rows(params: Params) -> Iterator[list[Any]]:
    for r in _class_figures(params):
        yield [
            class_name({"grade": r["grade"], "classroom__room": r["room"]}),
            r["students"],
            r["days"],
            r["taken"],
            _percent(r["attended"], r["expected"]),
            *(r["marks"].get(code, 0) for code in CODE_LABELS),
            _percent(r["measured"], r["students"]),
        ]
        params.tick()


def reason_rows(params: Params) -> Iterator[list[Any]]:
    totals: dict[str, int] = {}
    for r in _class_figures(params):
        for code, n in r["marks"].items():
            totals[code] = totals.get(code, 0) + n
    for code, label in CODE_LABELS.items():
        yield [label, totals.get(code, 0)]
    for code, n in totals.items():
        if code not in CODE_LABELS:
            yield [code, n]


def risk_rows(params: Params) -> Iterator[list[Any]]:
    if params.term is None:
        return
    results = (
        assessment.results_at_risk(actor=params.actor, term=params.term, schools=_school_ids(params))
        .order_by(
            "course__classroom__grade", "course__classroom__room", "person__first_name_th", "course__code"
        )
        .values(
            "course__classroom__grade",
            "course__classroom__room",
            "person__prefix",
            "person__first_name_th",
            "person__last_name_th",
            "course__code",
            "course__name_th",
            "grade",
        )
        .iterator(chunk_size=2000)
    )
    for r in results:
        yield [
            class_name(
                {"grade": r["course__classroom__grade"], "classroom__room": r["course__classroom__room"]}
            ),
            full_name(dict(r)),
            r["course__code"],
            r["course__name_th"],
            grade_value(r["grade"]),
        ]


def _school_count(params: Params) -> int:
    return len(_school_ids(params))


PRINCIPAL = register(
    Report(
        code="principal-monthly",
        th="รายงานประจำเดือนของผู้อำนวยการ",
        en="Principal's monthly report",
        purpose_th="การมาเรียนรายชั้น การขาดเรียนแยกตามเหตุ ผลการเรียนที่ต้องแก้ไข และความครบถ้วนของข้อมูล",
        purpose_en="Attendance by class, absences by reason, grades at risk and data completeness.",
        recipients_th="ผู้อำนวยการสถานศึกษา / ต้นสังกัด",
        recipients_en="The principal; the supervising office",
        level=Level.SCHOOL,
        perm=Perm.VIEW_AGGREGATES,
        due=Due("ทุกวันที่ 5 ของเดือนถัดไป", "the 5th of the next month", monthly_day=5),
        sections=(
            Section(
                "classes",
                "การมาเรียนและความครบถ้วนของข้อมูลรายชั้น",
                "Attendance and completeness by class",
                BY_CLASS,
                class_rows,
            ),
            Section("reasons", "การขาด ลา มาสาย แยกตามเหตุ", "Absences by reason", BY_REASON, reason_rows),
            Section("risks", "ผลการเรียนที่ต้องแก้ไข (0 ร มส)", "Grades at risk (0, ร, มส)", AT_RISK, risk_rows),
        ),
        count=lambda params: 1,
        landscape=True,
    )
)


BY_SCHOOL = (
    col("school", "โรงเรียน", "school", Kind.TEXT),
    col("students", "นักเรียน", "students", Kind.INT, "people.enrolment.classroom"),
    col("completeness", "เช็กชื่อครบ (%)", "registers taken (%)", Kind.DECIMAL, *MARK),
    col("rate", "มาเรียน (%)", "attendance (%)", Kind.DECIMAL, *MARK),
    col("absent", "ขาด (ครั้ง)", "absences", Kind.INT, *MARK),
    col("leave", "ลา (ครั้ง)", "leave", Kind.INT, *MARK),
    col("late", "มาสาย (ครั้ง)", "late", Kind.INT, *MARK),
    col("at_risk", "ผล 0 ร มส (รายการ)", "results at 0, ร, มส", Kind.INT, "assessment.score.score"),
    col("measured", "ชั่ง/วัดภาคนี้ (%)", "measured this term (%)", Kind.DECIMAL, "health.measurement.weight_kg"),
)


def school_rows(params: Params) -> Iterator[list[Any]]:
    schools = _area_schools(params)
    per: dict[int, dict[str, int]] = {pk: {} for pk in schools}
    for r in _class_figures(params):
        s = per[r["school_id"]]
        for key in ("students", "taken", "attended", "expected", "measured"):
            s[key] = s.get(key, 0) + r[key]
        s["possible"] = s.get("possible", 0) + r["days"]
        s["absent"] = s.get("absent", 0) + r["marks"].get("absent", 0)
        s["leave"] = s.get("leave", 0) + r["marks"].get("sick", 0) + r["marks"].get("personal", 0)
        s["late"] = s.get("late", 0) + r["marks"].get("late", 0)
    if params.term is not None:
        risky = assessment.at_risk_by_school(actor=params.actor, term=params.term, schools=list(schools))
        for school_id, n in risky.items():
            per[school_id]["at_risk"] = n
    # Counts leave the schools: small cells are hidden (and one more where a total would give them away).
    suppressed = {
        key: suppress_counts({pk: per[pk].get(key, 0) for pk in schools})
        for key in ("absent", "leave", "late", "at_risk")
    }
    for pk, name in sorted(schools.items(), key=lambda item: item[1]):
        s = per[pk]
        yield [
            name,
            s.get("students", 0),
            _percent(s.get("taken", 0), s.get("possible", 0)),
            _percent(s.get("attended", 0), s.get("expected", 0)),
            *(_shown(suppressed[key][pk]) for key in ("absent", "leave", "late", "at_risk")),
            _percent(s.get("measured", 0), s.get("students", 0)),
        ]
        params.tick()


def _shown(value: int | None) -> int | str:
    return HIDDEN if value is None else value


MUNICIPALITY = register(
    Report(
        code="municipality-monthly",
        th="รายงานเปรียบเทียบโรงเรียนในสังกัดประจำเดือน",
        en="Municipality's monthly comparison of its schools",
        purpose_th="ตัวเลขของแต่ละโรงเรียนเทียบกัน: การเช็กชื่อ การมาเรียน การขาด ลา สาย ผลการเรียนที่ต้องแก้ไข การชั่งวัด",
        purpose_en="Each school's figures side by side: registers, attendance, absences, grades at risk, measurement.",
        recipients_th="ผู้บริหารเทศบาล / กองการศึกษา",
        recipients_en="The municipality's education division",
        level=Level.AREA,
        perm=Perm.VIEW_AGGREGATES,
        due=Due("ทุกวันที่ 10 ของเดือนถัดไป", "the 10th of the next month", monthly_day=10),
        sections=(Section("schools", "ตัวเลขรายโรงเรียน", "Figures by school", BY_SCHOOL, school_rows),),
        count=_school_count,
        landscape=True,
    )
)

REPORTS = [PRINCIPAL, MUNICIPALITY]
