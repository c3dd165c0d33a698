"""The Equitable Education Fund's poverty-screening list (cct, form นร.01 results), from the welfare screening."""

from collections.abc import Iterator
from typing import Any

from khru.org.grades import label
from khru.org.roles import Perm
from khru.people import selectors as people
from khru.reports.catalog import Due, Kind, Level, Params, Report, Section, register
from khru.reports.common import NAME, col
from khru.reports.fields import CapturedField, register_field
from khru.welfare import selectors as welfare

_CARE = ("ครูประจำชั้น (เยี่ยมบ้าน)", "homeroom teacher (home visit)")
_TERM = ("ภาคเรียนละครั้ง", "once a term")
for _id, _th, _en in (
    ("welfare.householdmember.income", "รายได้สมาชิกครัวเรือน", "household members' income"),
    ("welfare.household.factors", "สภาพครัวเรือน 8 ด้าน", "the eight household conditions"),
    ("welfare.householdmember.person", "สมาชิกครัวเรือน", "household members"),
):
    register_field(CapturedField(_id, _th, _en, _CARE[0], _CARE[1], _TERM[0], _TERM[1]))

SCREENING = ("welfare.householdmember.income", "welfare.householdmember.person", "welfare.household.factors")
LIST_COLUMNS = (
    col("class", "ชั้น", "class", Kind.TEXT, "people.enrolment.classroom"),
    col("citizen_id", "เลขประจำตัวประชาชน", "citizen ID", Kind.TEXT, "people.person.citizen_id"),
    col("name", "ชื่อ-สกุล", "name", Kind.TEXT, *NAME),
    col("members", "สมาชิกครัวเรือน (คน)", "household size", Kind.INT, "welfare.householdmember.person"),
    col(
        "income",
        "รายได้เฉลี่ยต่อคนต่อเดือน (บาท)",
        "income per person a month (baht)",
        Kind.DECIMAL,
        "welfare.householdmember.income",
    ),
    col(
        "factors",
        "สภาพครัวเรือนที่เข้าเกณฑ์ (ด้าน)",
        "household conditions met",
        Kind.INT,
        "welfare.household.factors",
    ),
    col("reasons", "เหตุผล", "reasons", Kind.TEXT, *SCREENING),
)
COUNT_COLUMNS = (
    col("grade", "ชั้น", "grade", Kind.TEXT, "people.enrolment.classroom"),
    col("screened", "คัดกรองแล้ว", "screened", Kind.INT, *SCREENING),
    col("eligible", "เข้าเกณฑ์", "eligible", Kind.INT, *SCREENING),
)


def list_rows(params: Params) -> Iterator[list[Any]]:
    assert params.school is not None and params.term is not None
    for row in welfare.eligible_children(actor=params.actor, school=params.school, term=params.term):
        person = row.person
        yield [
            row.classroom_label,
            person.citizen_id,
            person.full_name,
            row.household_size,
            row.income_per_person,
            len(row.factors_met),
            row.reasons,
        ]
        params.tick()


def count_rows(params: Params) -> Iterator[list[Any]]:
    assert params.school is not None and params.term is not None
    counts = welfare.poverty_counts(actor=params.actor, school=params.school, term=params.term)
    for grade in counts.rows:
        yield [grade.grade_label or label(grade.grade), grade.screened, grade.eligible]
    yield ["รวม", counts.screened, counts.eligible]


def _count(params: Params) -> int:
    return people.count_students(actor=params.actor, on=params.on, school=params.school)


CCT = register(
    Report(
        code="cct",
        th="รายชื่อนักเรียนยากจนเพื่อรับเงินอุดหนุนแบบมีเงื่อนไข",
        en="Poverty-screening list for the Equitable Education Fund",
        purpose_th="นักเรียนที่ผ่านเกณฑ์คัดกรองความยากจน (รายได้ไม่เกิน 3,000 บาทต่อคนต่อเดือน และสภาพครัวเรือน) และจำนวนรายชั้น",
        purpose_en="Children who pass the poverty screening (income and household conditions), and counts by grade.",
        recipients_th="กองทุนเพื่อความเสมอภาคทางการศึกษา (กสศ.)",
        recipients_en="The Equitable Education Fund (EEF)",
        level=Level.SCHOOL,
        perm=Perm.VIEW_SENSITIVE,
        due=Due("ภาคเรียนละครั้ง (ก.ค. และ ธ.ค.)", "each term (July and December)", days=((7, 15), (12, 15))),
        sections=(
            Section("eligible", "นักเรียนที่เข้าเกณฑ์", "Eligible children", LIST_COLUMNS, list_rows),
            Section("counts", "จำนวนรายชั้น", "Counts by grade", COUNT_COLUMNS, count_rows),
        ),
        count=_count,
        form_th="",
        signatures=("ครูผู้รับผิดชอบ", "ผู้อำนวยการสถานศึกษา"),
        landscape=True,
    )
)

REPORTS = [CCT]
