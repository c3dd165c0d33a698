"""Completeness and timeliness of the daily register (issue 17): expected from the calendar, received and on
time from the registers, per class, school and area; and who may see which."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from khru.attendance import selectors, services
from khru.attendance.models import Register
from khru.core.rates import rate
from khru.org.models import CalendarDay
from khru.org.roles import Role
from tests import factories as f

BANGKOK = ZoneInfo("Asia/Bangkok")
START, END = dt.date(2026, 6, 15), dt.date(2026, 6, 26)  # two weeks of term 1 (Monday to Friday)
CLOSED = dt.date(2026, 6, 17)  # the school's own closure: no register expected
LATE_BY = {dt.date(2026, 6, 18): 2, dt.date(2026, 6, 23): 1}  # taken that many days after the date
MISSING = {dt.date(2026, 6, 19), dt.date(2026, 6, 25)}


def take(world, classroom, day, actor, days_late=0):
    """Save a register as the teacher would: on the day itself, or `days_late` days after it."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(15, 30), BANGKOK) + dt.timedelta(days_late)):
        services.record_register(actor=actor, classroom=classroom, date=day, marks={})


@pytest.fixture
def fixture(world):
    """class1 with missing and late registers around a closure; a second class of school 1, complete."""
    CalendarDay.objects.create(
        school=world.school1, date=CLOSED, kind=CalendarDay.Kind.CLOSURE, name_th="ปิดกรณีพิเศษ"
    )
    other = f.ClassroomFactory(school=world.school1, academic_year=world.class1.academic_year, grade="P5")
    other_teacher = f.MembershipFactory(role=Role.HOMEROOM_TEACHER, classroom=other).user
    weekdays = [START + dt.timedelta(n) for n in range(12) if (START + dt.timedelta(n)).weekday() < 5]
    for day in weekdays:
        if day != CLOSED:
            take(world, other, day, other_teacher)
            if day not in MISSING:
                take(world, world.class1, day, world.teacher1, LATE_BY.get(day, 0))
    f.TermFactory(academic_year=world.class2.academic_year, number=1)
    take(world, world.class2, START, world.teacher2)  # another school's register
    return other


def raw_counts(classroom, grace_days=0):
    """The figures counted straight from the register rows, by hand."""
    rows = Register.objects.filter(classroom=classroom, period=0, date__gte=START, date__lte=END)
    on_time = [r for r in rows if timezone.localdate(r.taken_at) <= r.date + dt.timedelta(grace_days)]
    return rows.count(), len(on_time)


def test_rates_equal_the_counts_of_the_raw_registers(world, fixture):
    rows = selectors.register_reporting(
        actor=world.principal1, classes=Q(school=world.school1), start=START, end=END
    )
    by_class = {row.classroom: row.reporting for row in rows}
    assert set(by_class) == {world.class1, fixture}
    mine = by_class[world.class1]
    actual, on_time = raw_counts(world.class1)
    assert (mine.expected, mine.actual, mine.on_time) == (9, actual, on_time) == (9, 7, 5)
    assert mine.reporting_rate == rate(actual, 9) == 77.8
    assert mine.on_time_rate == rate(on_time, 9) == 55.6
    assert mine.missing == sorted(MISSING)
    ((school, total),) = selectors.reporting_by_school(rows)
    assert school == world.school1
    assert (total.expected, total.actual, total.on_time) == (18, 7 + 9, 5 + 9)


def test_timely_days_are_the_agencys_and_a_later_edit_keeps_the_first_save(world, fixture):
    agency = world.school1.area.agency
    agency.register_timely_days = 1
    agency.save()
    take(world, world.class1, START, world.teacher1, days_late=5)  # edited a week later: still on time
    (row,) = selectors.register_reporting(
        actor=world.teacher1, classes=Q(pk=world.class1.pk), start=START, end=END
    )
    assert (row.reporting.actual, row.reporting.on_time) == (7, raw_counts(world.class1, 1)[1]) == (7, 6)


def test_a_teacher_sees_only_their_class_a_principal_only_their_school(world, fixture):
    school1 = Q(school=world.school1)
    seen = selectors.register_reporting(actor=world.teacher1, classes=school1, start=START, end=END)
    assert [row.classroom for row in seen] == [world.class1]
    everywhere = Q(pk__in=[world.class1.pk, fixture.pk, world.class2.pk])
    seen = selectors.register_reporting(actor=world.principal1, classes=everywhere, start=START, end=END)
    assert {row.classroom for row in seen} == {world.class1, fixture}
    assert selectors.register_reporting(actor=world.teacher2, classes=school1, start=START, end=END) == []


def test_the_teacher_sees_this_weeks_missing_days_each_a_link_to_its_register(world):
    f.TermFactory(
        academic_year=world.class1.academic_year,
        number=2,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2027, 3, 31),
    )
    monday, wednesday = dt.date(2026, 11, 30), dt.date(2026, 12, 2)  # the clock stands on Thursday 3 December
    for day in (monday, wednesday):
        services.record_register(actor=world.teacher1, classroom=world.class1, date=day, marks={})
    client = Client()
    client.force_login(world.teacher1)
    page = client.get(reverse("attendance:overview", args=[world.class1.uuid]))
    text = page.content.decode()
    assert "ยังไม่ได้เช็คชื่อ 2 วันในสัปดาห์นี้" in text
    register = reverse("attendance:register", args=[world.class1.uuid])
    assert page.context["missing_this_week"] == [dt.date(2026, 12, 1), dt.date(2026, 12, 3)]
    for day in page.context["missing_this_week"]:
        link = f"{register}?date={day.isoformat()}"
        assert f'href="{link}"' in text
        opened = client.get(link)
        assert opened.status_code == 200
        assert (opened.context["sheet"].classroom, opened.context["sheet"].date) == (world.class1, day)
        assert opened.context["sheet"].register is None
    other = client.get(reverse("attendance:overview", args=[world.class2.uuid]))
    assert other.status_code == 404


def test_the_principals_follow_up_and_the_areas_rates(world, fixture):
    client = Client()
    client.force_login(world.principal1)
    page = client.get(reverse("insights:school_registers", args=[world.school1.code]), {"month": "2026-06"})
    assert page.status_code == 200
    rows = {row.classroom: row.reporting for row in page.context["rows"]}
    # June from the 16th (term 1 begins 16 May; the world has registers only in the two weeks): class1 misses
    # every school day of June but the seven it took.
    june = rows[world.class1]
    assert june.actual == 7 and june.on_time == 5 and june.expected == len(june.missing) + 7
    assert "19 มิ.ย. 2569" in page.content.decode()
    refused = client.get(reverse("insights:school_registers", args=[world.school2.code]))
    assert refused.status_code == 404
    teacher = Client()
    teacher.force_login(world.teacher1)
    assert teacher.get(reverse("insights:school_registers", args=[world.school1.code])).status_code == 404
    officer = Client()
    officer.force_login(world.officer)
    area = officer.get(reverse("insights:area", args=[world.school1.area.code]), {"month": "2026-06"})
    ((school, total),) = area.context["reporting"]
    assert school == world.school1
    assert (total.actual, total.on_time) == (7 + 9, 5 + 9)
    assert f"{total.reporting_rate}%" in area.content.decode()


def test_more_classes_and_days_cost_no_more_queries(world, fixture):
    def count(end):
        with CaptureQueriesContext(connection) as queries:
            selectors.register_reporting(
                actor=world.principal1, classes=Q(school=world.school1), start=START, end=end
            )
        return len(queries)

    count(END)  # the principal's memberships are read once, then kept on the user
    few = count(START)
    for room in range(2, 5):
        classroom = f.ClassroomFactory(
            school=world.school1, academic_year=world.class1.academic_year, room=room
        )
        take(world, classroom, START, world.principal1)
    assert count(END) == few == 5
