"""The school calendar: holidays and closures are not school days; the 80% rule and registers follow it."""

import datetime as dt

import pytest
from django.urls import reverse

from khru.attendance import selectors as attendance
from khru.attendance import services as attendance_services
from khru.attendance.models import Register
from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.org import calendar, services
from khru.org.models import CalendarDay
from khru.org.roles import Role
from tests import factories as f

KING_BIRTHDAY = dt.date(2026, 7, 28)  # a Tuesday in term 1 of 2569 (16 May – 11 Oct 2026)


def term1(world):
    return world.class1.academic_year.terms.get(number=1)


def agency_officer(world):
    return f.MembershipFactory(role=Role.AGENCY_ANALYST, agency=world.school1.area.agency).user


def test_term_1_of_2569_has_105_weekdays_and_the_public_holidays_take_6(world):
    term = term1(world)
    # 16 May 2026 is a Saturday, 11 Oct a Sunday: 21 whole weeks of 5 weekdays.
    assert attendance.school_days(school=world.school1, term=term) == 105
    added = services.load_public_holidays(actor=agency_officer(world), year=world.class1.academic_year)
    names = dict(CalendarDay.objects.filter(agency=world.school1.area.agency).values_list("date", "name_th"))
    assert added == len(names) and added > 15
    # The lunar Buddhist days come from the package: Visakha Bucha, Asarnha Bucha and Khao Phansa 2569.
    assert names[dt.date(2026, 5, 31)] == "วันวิสาขบูชา"
    assert names[dt.date(2026, 7, 29)] == "วันอาสาฬหบูชา"
    assert names[dt.date(2026, 7, 30)] == "วันเข้าพรรษา"
    # Weekday holidays in the term: 1 Jun (Visakha's substitute), 3 Jun, 28, 29, 30 Jul, 12 Aug.
    assert attendance.school_days(school=world.school1, term=term) == 105 - 6
    # A second load adds nothing and keeps what the agency edited.
    services.set_calendar_day(
        actor=agency_officer(world),
        agency=world.school1.area.agency,
        date=KING_BIRTHDAY,
        kind=CalendarDay.Kind.HOLIDAY,
        name_th="วันเฉลิมฯ (แก้ไข)",
    )
    assert services.load_public_holidays(actor=agency_officer(world), year=world.class1.academic_year) == 0
    assert CalendarDay.objects.get(agency__isnull=False, date=KING_BIRTHDAY).name_th == "วันเฉลิมฯ (แก้ไข)"
    # The other agency's school keeps its own calendar.
    assert calendar.closure(school=world.school2, day=KING_BIRTHDAY) is None


def test_a_school_closure_and_a_make_up_day_change_only_that_school(world):
    term = term1(world)
    services.set_calendar_day(
        actor=world.admin1, school=world.school1, date=dt.date(2026, 6, 19), kind="closure", name_th="กีฬาสี"
    )
    saturday = dt.date(2026, 6, 20)
    services.set_calendar_day(
        actor=world.admin1, school=world.school1, date=saturday, kind="makeup", name_th="เรียนชดเชย"
    )
    assert attendance.school_days(school=world.school1, term=term) == 105  # one closed, one Saturday opened
    assert calendar.closure(school=world.school1, day=saturday) is None
    assert calendar.closure(school=world.school1, day=dt.date(2026, 6, 19)).name_th == "กีฬาสี"
    other = f.SchoolFactory(area=world.school1.area)
    assert calendar.closure(school=other, day=dt.date(2026, 6, 19)) is None
    # A school's make-up day overrides its agency's holiday for that school only.
    services.set_calendar_day(
        actor=agency_officer(world), agency=world.school1.area.agency, date=KING_BIRTHDAY, kind="holiday",
        name_th="วันเฉลิมพระชนมพรรษา",
    )  # fmt: skip
    services.set_calendar_day(
        actor=world.admin1, school=world.school1, date=KING_BIRTHDAY, kind="makeup", name_th="เปิดเรียน"
    )
    assert calendar.closure(school=world.school1, day=KING_BIRTHDAY) is None
    assert calendar.closure(school=other, day=KING_BIRTHDAY).name_th == "วันเฉลิมพระชนมพรรษา"


def test_a_holiday_turns_a_child_at_the_limit_into_ms(world):
    """Hand count: 105 school days, 80% = 84, so 21 may be missed; the child missed 21 and may still sit the
    final. With 28 July a holiday: 104 days, 80% = 83.2 → 84 needed, so 20 may be missed: the child is มส."""
    term = term1(world)
    days = calendar.school_days(school=world.school1, start=term.starts_on, end=term.ends_on)[:21]
    for day in days:
        attendance_services.record_register(
            actor=world.teacher1, classroom=world.class1, date=day, marks={world.student1.pk: "absent"}
        )
    tally = attendance.tallies_for(actor=world.teacher1, term=term, classroom=world.class1)[world.student1.pk]
    assert tally.absent == 21
    assert tally.can_still_miss(attendance.school_days(school=world.school1, term=term)) == 0
    services.set_calendar_day(
        actor=agency_officer(world), agency=world.school1.area.agency, date=KING_BIRTHDAY, kind="holiday",
        name_th="วันเฉลิมพระชนมพรรษา", name_en="King's birthday",
    )  # fmt: skip
    assert attendance.school_days(school=world.school1, term=term) == 104
    assert tally.can_still_miss(attendance.school_days(school=world.school1, term=term)) == -1


def test_a_register_on_a_holiday_is_refused_but_the_office_may_record_an_activity_day(world):
    services.set_calendar_day(
        actor=agency_officer(world), agency=world.school1.area.agency, date=KING_BIRTHDAY, kind="holiday",
        name_th="วันเฉลิมพระชนมพรรษา", name_en="King's birthday",
    )  # fmt: skip
    with pytest.raises(KhruError) as refused:
        attendance_services.record_register(
            actor=world.teacher1, classroom=world.class1, date=KING_BIRTHDAY, marks={}
        )
    problem = refused.value.problems[0]
    assert problem.field == "date" and "วันเฉลิมพระชนมพรรษา" in problem.th and "King's birthday" in problem.en
    with pytest.raises(KhruError, match="Saturday"):
        attendance_services.record_register(
            actor=world.teacher1, classroom=world.class1, date=dt.date(2026, 7, 25), marks={}
        )
    assert not Register.objects.exists()
    saved = attendance_services.record_register(
        actor=world.admin1, classroom=world.class1, date=KING_BIRTHDAY, marks={}
    )
    assert saved.register.date == KING_BIRTHDAY
    assert "activity day" in AuditEvent.objects.get(object_type="attendance.register").summary


def test_only_the_school_office_and_its_agency_change_the_calendar_and_every_change_is_audited(world):
    day = dt.date(2026, 6, 19)
    for outsider in (world.teacher1, world.admin2, world.officer):
        with pytest.raises(NotAllowed):
            services.set_calendar_day(
                actor=outsider, school=world.school1, date=day, kind="closure", name_th="x"
            )
    with pytest.raises(NotAllowed):
        services.set_calendar_day(
            actor=world.admin1, agency=world.school1.area.agency, date=day, kind="closure", name_th="x"
        )
    with pytest.raises(KhruError, match="name"):
        services.set_calendar_day(
            actor=world.admin1, school=world.school1, date=day, kind="closure", name_th=" "
        )
    with pytest.raises(KhruError, match="kind"):
        services.set_calendar_day(
            actor=world.admin1, school=world.school1, date=day, kind="party", name_th="x"
        )
    assert not CalendarDay.objects.exists()
    row = services.set_calendar_day(
        actor=world.admin1, school=world.school1, date=day, kind="closure", name_th="กีฬาสี"
    )
    row = services.set_calendar_day(
        actor=world.admin1, school=world.school1, date=day, kind="closure", name_th="กีฬาสีสี"
    )
    services.remove_calendar_day(actor=world.admin1, day=row)
    events = list(AuditEvent.objects.filter(object_type="org.calendarday").order_by("pk"))
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert events[1].changes == {"name_th": ["กีฬาสี", "กีฬาสีสี"]}
    assert events[2].changes["name_th"] == "กีฬาสีสี"
    assert not CalendarDay.objects.exists()


def test_the_school_office_adds_and_removes_a_closure_on_the_calendar_page(client, world):
    services.set_calendar_day(
        actor=agency_officer(world), agency=world.school1.area.agency, date=KING_BIRTHDAY, kind="holiday",
        name_th="วันเฉลิมพระชนมพรรษา",
    )  # fmt: skip
    url = reverse("org:school_calendar", args=[world.school1.code]) + "?year=2569"
    client.force_login(world.admin1)
    page = client.get(url)
    assert "วันเฉลิมพระชนมพรรษา" in page.content.decode() and "104" in page.content.decode()
    refused = client.post(url, {"date": "31/02/2569", "kind": "closure", "name_th": "กีฬาสี"})
    assert refused.status_code == 400 and not CalendarDay.objects.filter(school=world.school1).exists()
    saved = client.post(url, {"date": "19/06/2569", "kind": "closure", "name_th": "กีฬาสี"})
    assert saved.status_code == 302
    row = CalendarDay.objects.get(school=world.school1)
    assert row.date == dt.date(2026, 6, 19) and row.recorded_by == world.admin1
    assert "103" in client.get(url).content.decode()
    # A teacher reads the calendar but has no form and may not remove a day.
    client.force_login(world.teacher1)
    assert "กีฬาสี" in client.get(url).content.decode()
    assert client.post(url, {"date": "22/06/2569", "kind": "closure", "name_th": "x"}).status_code == 404
    assert client.post(reverse("org:calendar_day_remove", args=[row.pk])).status_code == 404
    client.force_login(world.admin1)
    assert client.post(reverse("org:calendar_day_remove", args=[row.pk]), {"year": "2569"}).status_code == 302
    assert not CalendarDay.objects.filter(school=world.school1).exists()


def test_the_agency_loads_the_public_holidays_from_its_calendar_page(client, world):
    client.force_login(agency_officer(world))
    url = reverse("org:agency_calendar", args=[world.school1.area.agency.code]) + "?year=2569"
    assert client.post(url, {"load": "1"}).status_code == 302
    assert "วันอาสาฬหบูชา" in client.get(url).content.decode()
    client.force_login(world.admin1)  # a school office reads it, and may not load
    assert "วันอาสาฬหบูชา" in client.get(url).content.decode()
    assert client.post(url, {"load": "1"}).status_code == 404
