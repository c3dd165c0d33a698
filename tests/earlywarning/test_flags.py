"""Early-warning flags: as of a date from facts known that day, the ABC rule and its preview, who sees them."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from khru.assessment.models import Course, Result
from khru.attendance import services as attendance
from khru.attendance.models import Register
from khru.care.models import Screening
from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.earlywarning import selectors, services
from khru.earlywarning.models import AbcRule
from khru.org.models import Term
from khru.org.roles import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

START = dt.date(2026, 8, 3)  # a Monday in the world fixture's term 1 of 2569


def _school_days(start: dt.date, count: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _registers(world, days: list[dt.date], absent: dict[int, str], *, arrived: dt.date | None = None) -> None:
    """The class's registers for those days, each taken on its own day (or all on `arrived`)."""
    for day in days:
        saved = attendance.record_register(
            actor=world.teacher1, classroom=world.class1, date=day, marks=absent
        )
        taken = dt.datetime.combine(arrived or day, dt.time(8, 30), tzinfo=dt.UTC)
        Register.objects.filter(pk=saved.register.pk).update(taken_at=taken)


def _flag(world, as_of: dt.date, actor=None) -> selectors.Flag:
    board = selectors.class_flags(actor=actor or world.teacher1, classroom=world.class1, as_of=as_of)
    return next(flag for flag in board.flags if flag.person == world.student1)


def test_a_child_whose_attendance_collapses_is_flagged_the_day_after_with_that_reason(world):
    present = _school_days(START, 20)
    _registers(world, present, {})
    assert not _flag(world, present[-1] + dt.timedelta(days=1)).flagged
    collapse = _school_days(present[-1] + dt.timedelta(days=1), 8)
    # The week's registers reach the school on the last day of the collapse.
    _registers(world, collapse, {world.student1.pk: "absent"}, arrived=collapse[-1])
    assert not _flag(world, collapse[-1] - dt.timedelta(days=1)).flagged  # not yet known the day before
    flag = _flag(world, collapse[-1] + dt.timedelta(days=1))
    assert flag.flagged
    assert [sign.text_th for sign in flag.signs] == ["มาเรียน 20 วันจาก 28 วันในภาคนี้ (71.4%)"]
    assert flag.readings["recent_absences"].text_th == "ขาดเรียน 8 วันจาก 20 วันล่าสุด"
    assert flag.readings["longest_absence_run"].value == 8
    # A classmate who came every day is not flagged.
    classmate = f.EnrolmentFactory(classroom=world.class1).person
    board = selectors.class_flags(actor=world.teacher1, classroom=world.class1, as_of=collapse[-1])
    assert [flag.person for flag in board.flagged] == [world.student1]
    assert classmate in [flag.person for flag in board.flags]


def test_no_indicator_uses_a_fact_dated_after_its_as_of_date(world):
    days = _school_days(START, 10)
    _registers(world, days, {})
    as_of = days[-1]
    # Planted future facts: a late register dated before as_of but taken after it, a behaviour screening
    # and a failed Thai course recorded after it, and absences dated after it.
    late = _school_days(START - dt.timedelta(days=14), 1)
    _registers(world, late, {world.student1.pk: "absent"}, arrived=as_of + dt.timedelta(days=3))
    term = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    screening = Screening.objects.create(
        person=world.student1,
        school=world.school1,
        academic_year=world.class1.academic_year,
        term=term,
        area="behaviour",
        status="problem",
    )
    course = Course.objects.create(
        school=world.school1,
        academic_year=world.class1.academic_year,
        term=term,
        classroom=world.class1,
        code="ท14101",
        name_th="ภาษาไทย",
        credits=2,
        hours=80,
    )
    result = Result.objects.create(course=course, person=world.student1, grade="0")
    later = dt.datetime.combine(as_of + dt.timedelta(days=2), dt.time(12), tzinfo=dt.UTC)
    Screening.objects.filter(pk=screening.pk).update(recorded_at=later)
    Result.objects.filter(pk=result.pk).update(recorded_at=later)
    _registers(world, _school_days(as_of + dt.timedelta(days=1), 5), {world.student1.pk: "absent"})

    before = _flag(world, as_of)
    assert not before.flagged
    assert before.readings["attendance_rate_term"].value == 100.0
    assert "behaviour_screening" not in before.readings
    assert "failed_core_courses" not in before.readings
    # Once those facts are known they count: the same child, a week later.
    after = _flag(world, as_of + dt.timedelta(days=7))
    assert {sign.indicator for sign in after.signs} == {
        "attendance_rate_term",
        "behaviour_screening",
        "failed_core_courses",
    }
    assert "ได้ 0 วิชาภาษาไทยภาคนี้" in [sign.text_th for sign in after.signs]


def test_scores_and_reasons_are_only_for_the_childs_own_teachers_care_team_and_principal(world):
    day = _school_days(START, 1)[0]
    _registers(world, [day], {world.student1.pk: "absent"})
    care = f.MembershipFactory(role=Role.CARE_TEAM, school=world.school1).user
    for reader in (world.teacher1, world.principal1, care):
        assert _flag(world, day, actor=reader).flagged
    for outsider in (world.teacher2, world.officer, world.admin1):  # admin1: the registrar's office
        with pytest.raises(NotAllowed):
            selectors.class_flags(actor=outsider, classroom=world.class1, as_of=day)
    other_class = f.ClassroomFactory(school=world.school1, academic_year=world.class1.academic_year, room=2)
    other_teacher = f.MembershipFactory(role=Role.HOMEROOM_TEACHER, classroom=other_class).user
    with pytest.raises(NotAllowed):
        selectors.class_flags(actor=other_teacher, classroom=world.class1, as_of=day)
    # Every read of the flags is audited.
    assert AuditEvent.objects.filter(
        actor=care, action="read", changes__filters__earlywarning="class_flags"
    ).exists()


def test_changing_an_abc_threshold_changes_the_flags_as_the_preview_said(world):
    """Six children at 85% attendance, six at 93%: the published rule flags six; raising the threshold to
    95% flags twelve, as the preview says, and so do the class's flags once saved."""
    low = [f.EnrolmentFactory(classroom=world.class1).person for _ in range(6)]
    mid = [f.EnrolmentFactory(classroom=world.class1).person for _ in range(6)]
    days = _school_days(START, 40)
    for i, day in enumerate(days):
        absent = {p.pk: "absent" for p in low if i % 7 == 0} | {p.pk: "absent" for p in mid if i % 14 == 0}
        _registers(world, [day], absent)
    as_of = days[-1] + dt.timedelta(days=1)
    area = world.school1.area
    stricter = services.parse_rule(
        area=area, attendance_below="95", behaviour_from="risk", failed_core_courses="1"
    )
    preview = selectors.preview_rule(actor=world.officer, area=area, proposed=stricter, as_of=as_of)
    assert (preview.now, preview.proposed) == (6, 12)
    assert [(row.school, row.now, row.proposed) for row in preview.rows] == [(world.school1, 6, 12)]
    assert (
        len(selectors.class_flags(actor=world.principal1, classroom=world.class1, as_of=as_of).flagged) == 6
    )

    services.set_abc_rule(actor=world.officer, area=area, proposed=stricter)
    board = selectors.class_flags(actor=world.principal1, classroom=world.class1, as_of=as_of)
    assert len(board.flagged) == preview.proposed
    assert set(flag.person for flag in board.flagged) == set(low + mid)
    event = AuditEvent.objects.get(object_type="earlywarning.abcrule")
    assert event.changes == {"attendance_below": ["90.0", "95.0"]}


def test_a_bad_threshold_names_the_field_and_changes_nothing(world):
    area = world.school1.area
    with pytest.raises(KhruError) as refused:
        services.parse_rule(area=area, attendance_below="120", behaviour_from="risk", failed_core_courses="0")
    assert [p.field for p in refused.value.problems] == ["attendance_below", "failed_core_courses"]
    assert "ร้อยละ 0–100" in str(refused.value)
    assert not AbcRule.objects.exists()


def test_only_the_areas_office_may_change_or_preview_its_rule(world):
    area = world.school1.area
    rule = AbcRule(area=area, attendance_below=95)
    for outsider in (world.principal1, world.teacher1, world.admin2):
        with pytest.raises(NotAllowed):
            services.set_abc_rule(actor=outsider, area=area, proposed=rule)
        with pytest.raises(NotAllowed):
            selectors.preview_rule(actor=outsider, area=area, proposed=rule)
    assert not AbcRule.objects.exists()


def test_the_pages_show_reasons_in_thai_and_preview_before_saving(world, monkeypatch):
    day = _school_days(START, 1)[0]
    _registers(world, [day], {world.student1.pk: "absent"})
    monkeypatch.setattr(selectors.timezone, "localdate", lambda *args: day + dt.timedelta(days=1))
    teacher = Client()
    teacher.force_login(world.teacher1)
    page = teacher.get(reverse("earlywarning:class", args=[world.class1.uuid])).content.decode()
    assert "มาเรียน 0 วันจาก 1 วันในภาคนี้ (0.0%)" in page
    office = Client()
    office.force_login(world.officer)
    url = reverse("earlywarning:rule", args=[world.school1.area.code])
    form = {"attendance_below": "95", "behaviour_from": "risk", "failed_core_courses": "1"}
    preview = office.post(url, form | {"action": "preview"}).content.decode()
    assert "เกณฑ์ที่เสนอ" in preview and not AbcRule.objects.exists()
    refused = office.post(url, form | {"attendance_below": "abc", "action": "save"}).content.decode()
    assert "เกณฑ์การมาเรียน" in refused and not AbcRule.objects.exists()
    assert office.post(url, form | {"action": "save"}).status_code == 302
    assert AbcRule.objects.get(area=world.school1.area).attendance_below == 95
