"""The demo's organisation: a municipality with seven schools, one OBEC school outside it, three years, classes."""

import datetime as dt
import random
import uuid

from khru.core.models import Province, Subdistrict
from khru.demo.context import (
    MUNICIPALITY_CODE,
    OBEC_AREA_CODE,
    YEARS,
    DemoContext,
    SchoolPlan,
    academic_year_dates,
    term_dates,
)
from khru.org import calendar, grades
from khru.org.models import AcademicYear, Agency, Area, CalendarDay, Classroom, School, Term

MUNICIPALITY = {
    "code": MUNICIPALITY_CODE,
    "name_th": "เทศบาลนครตัวอย่าง (สาธิต)",
    "name_en": "Demo City Municipality",
}
OBEC_AREA = {
    "code": OBEC_AREA_CODE,
    "name_th": "สพป.ภูเก็ต (สาธิต)",
    "name_en": "Phuket Primary Educational Service Area Office (demo)",
}
PHUKET = "83"

# Rooms per grade are never fewer in a later stage, so a promoted class always finds its room number.
# At the default scale the seven schools hold about 9,500 students in 2569 (Phuket's real figure).
SCHOOLS = [
    SchoolPlan(
        "1083010001", "โรงเรียนเทศบาลตลาดใหญ่", "Talat Yai Municipal School",
        "88 ถนนถลาง", "830101", "K1", "M3", rooms_k=3, rooms_p=4, rooms_m=4,
    ),
    SchoolPlan(
        "1083010002", "โรงเรียนเทศบาลนครตัวอย่างวิทยาคม", "Demo City Municipal Wittayakhom School",
        "12 ถนนเยาวราช", "830102", "K1", "M6", rooms_k=2, rooms_p=3, rooms_m=4, rooms_u=4,
    ),
    SchoolPlan(
        "1083010003", "โรงเรียนเทศบาลบ้านเกาะแก้ว", "Ban Ko Kaeo Municipal School",
        "45 หมู่ 2", "830103", "K1", "P6", rooms_k=2, rooms_p=3,
    ),
    SchoolPlan(
        "1083010004", "โรงเรียนเทศบาลรัษฎาพัฒนา", "Ratsada Phatthana Municipal School",
        "7 ถนนรัษฎา", "830104", "K1", "M3", rooms_k=3, rooms_p=3, rooms_m=3,
    ),
    SchoolPlan(
        "1083010005", "โรงเรียนเทศบาลวิชิตสงครามศึกษา", "Wichit Songkhram Suksa Municipal School",
        "150 ถนนวิชิตสงคราม", "830105", "K1", "M6", rooms_k=3, rooms_p=4, rooms_m=4, rooms_u=4,
    ),
    SchoolPlan(
        "1083010006", "โรงเรียนเทศบาลบ้านฉลอง", "Ban Chalong Municipal School",
        "21 หมู่ 9", "830106", "K1", "P6", rooms_k=2, rooms_p=3,
    ),
    SchoolPlan(
        "1083010007", "โรงเรียนเทศบาลบ้านราไวย์", "Ban Rawai Municipal School",
        "60 หมู่ 6", "830107", "K1", "M3", rooms_k=2, rooms_p=3, rooms_m=3,
    ),
]  # fmt: skip
# A small OBEC "extended opportunity" school in Karon, outside the city: transfers go both ways.
OBEC_SCHOOL = SchoolPlan(
    "1083200001", "โรงเรียนบ้านกะรน", "Ban Karon School", "3 หมู่ 1", "830108", "K1", "M3", 1, 1, 1
)

# School 1's own closed days (its sports day), beside the public holidays every school keeps.
SCHOOL_CLOSURES = [
    (dt.date(2025, 12, 19), "วันกีฬาสีของโรงเรียน", "School sports day"),
    (dt.date(2026, 11, 20), "วันกีฬาสีของโรงเรียน", "School sports day"),
]


def seeded_uuid(rng: random.Random) -> uuid.UUID:
    """A UUID from the demo's Random, so links to demo rows are the same on every machine."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def build(ctx: DemoContext) -> None:
    lao = Agency.objects.get(code="LAO")
    obec = Agency.objects.get(code="OBEC")
    phuket = Province.objects.get(code=PHUKET)
    ctx.municipality = Area.objects.create(agency=lao, province=phuket, **MUNICIPALITY)
    ctx.obec_area = Area.objects.create(agency=obec, province=phuket, **OBEC_AREA)

    plans = [*SCHOOLS, OBEC_SCHOOL]
    subdistricts = Subdistrict.objects.in_bulk([plan.subdistrict_code for plan in plans])
    schools = School.objects.bulk_create(
        [
            School(
                uuid=seeded_uuid(ctx.rng),
                code=plan.code,
                area=ctx.obec_area if plan is OBEC_SCHOOL else ctx.municipality,
                name_th=plan.name_th,
                name_en=plan.name_en,
                address=plan.address,
                subdistrict=subdistricts[plan.subdistrict_code],
                postal_code=subdistricts[plan.subdistrict_code].postal_code,
                lowest_grade=plan.lowest_grade,
                highest_grade=plan.highest_grade,
            )
            for plan in plans
        ]
    )
    ctx.schools, ctx.obec_school = schools[:-1], schools[-1]
    ctx.plans = {plan.code: plan for plan in plans}
    ctx.counts["schools"] = len(schools)

    # Years may exist already (entered by hand, or by another loader): reuse them rather than clash.
    for agency in (lao, obec):
        for year_be in YEARS:
            starts_on, ends_on = academic_year_dates(year_be)
            year, _ = AcademicYear.objects.get_or_create(
                agency=agency, year_be=year_be, defaults={"starts_on": starts_on, "ends_on": ends_on}
            )
            ctx.years[(agency.pk, year_be)] = year
            for number, term_starts, term_ends in term_dates(year_be):
                Term.objects.get_or_create(
                    academic_year=year,
                    number=number,
                    defaults={"starts_on": term_starts, "ends_on": term_ends},
                )

    # Thailand's public holidays for every demo year (the lunar Buddhist days included), and one school
    # closure of its own, so no register is held on a closed day.
    CalendarDay.objects.bulk_create(
        [row for year in ctx.years.values() for row in calendar.holiday_rows(year)], batch_size=500
    )
    for day, name_th, name_en in SCHOOL_CLOSURES:
        CalendarDay.objects.create(
            school=ctx.schools[0], date=day, kind=CalendarDay.Kind.CLOSURE, name_th=name_th, name_en=name_en
        )
    ctx.counts["calendar_days"] = CalendarDay.objects.count()

    classrooms = [
        Classroom(
            uuid=seeded_uuid(ctx.rng),
            school=school,
            academic_year=ctx.year(school, year_be),
            grade=grade,
            room=room,
        )
        for school in ctx.all_schools
        for year_be in YEARS
        for grade in grades.between(school.lowest_grade, school.highest_grade)
        for room in range(1, ctx.plans[school.code].rooms(grade) + 1)
    ]
    for classroom in Classroom.objects.bulk_create(classrooms, batch_size=500):
        ctx.classrooms[
            (classroom.school.pk, classroom.academic_year.year_be, classroom.grade, classroom.room)
        ] = classroom
    ctx.counts["classrooms"] = len(classrooms)
