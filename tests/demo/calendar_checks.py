"""The demo keeps the school calendar (no register on a public holiday or a school's closure), and its school
1 promotes into the next year: the year and its terms come from the calendar, every class moves.

Checked on the demo `test_load_demo` loads once (a load costs about a minute: not paid twice)."""

from django.test import Client
from django.urls import reverse

from khru.assessment.models import Course, CurriculumTemplate
from khru.attendance.models import Register
from khru.org import calendar
from khru.org.models import AcademicYear, CalendarDay, Classroom, School, User
from khru.people.models import EndReason, Enrolment


def check_the_calendar_and_promote_school_1() -> None:
    assert Register.objects.exists()
    # The lunar holidays and the King's birthday are in the demo's calendar (the examples).
    holidays = set(CalendarDay.objects.filter(agency__isnull=False).values_list("date", flat=True))
    assert {"2026-07-28", "2026-08-12", "2025-12-05", "2026-01-01", "2026-07-29"} <= {
        day.isoformat() for day in holidays
    }
    for school in School.objects.all():
        dates = set(Register.objects.filter(school=school).values_list("date", flat=True))
        closed = {
            found.date for found in calendar.closed_days(school=school, start=min(dates), end=max(dates))
        }
        assert dates and not dates & closed, school.code
    assert not Register.objects.filter(date__in=holidays).exists()
    assert not Register.objects.filter(school__code="1083010001", date="2026-11-20").exists()  # sports day

    school = School.objects.get(code="1083010001")
    year = AcademicYear.objects.get(agency=school.area.agency, year_be=2569)
    classes = set(Classroom.objects.filter(school=school, academic_year=year).values_list("grade", "room"))
    open_now = list(Enrolment.objects.filter(school=school, academic_year=year, ends_on__isnull=True))
    assert open_now and not AcademicYear.objects.filter(agency=school.area.agency, year_be=2570).exists()
    client = Client()
    client.force_login(User.objects.get(username="registrar-1"))
    url = reverse("people:promote", args=[school.code])
    assert "ยังไม่ได้ตั้งค่าปีการศึกษาถัดไป" in client.get(url).content.decode()
    assert client.post(url, {"open_year": "1"}).status_code == 302
    following = AcademicYear.objects.get(agency=school.area.agency, year_be=2570)
    assert (following.starts_on.isoformat(), following.ends_on.isoformat()) == ("2027-05-16", "2028-05-15")
    assert list(following.terms.values_list("number", "starts_on")) == [
        (1, following.starts_on),
        (2, following.starts_on.replace(month=11, day=1)),
    ]
    assert CalendarDay.objects.filter(agency=school.area.agency, date="2027-07-28").exists()
    page = client.get(url).content.decode()
    assert "ยังไม่ได้ตั้งค่าปีการศึกษาถัดไป" not in page and "2570" in page
    answer = client.post(url, {"repeaters": ""})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert not Enrolment.objects.filter(school=school, academic_year=year, ends_on__isnull=True).exists()
    moved = Enrolment.objects.filter(school=school, academic_year=following)
    promoted = {e.person_id for e in open_now if e.grade != school.highest_grade}
    assert set(moved.values_list("person_id", flat=True)) == promoted
    assert {e.end_reason for e in Enrolment.objects.filter(pk__in=[e.pk for e in open_now])} == {
        EndReason.PROMOTED,
        EndReason.GRADUATED,
    }
    # Every class has its room next year, and every promoted class moved up into it.
    assert classes <= set(
        Classroom.objects.filter(school=school, academic_year=following).values_list("grade", "room")
    )
    assert all(e.classroom and e.classroom.academic_year_id == following.pk for e in moved if e.classroom_id)
    # ... and studies next year's courses from the curriculum template, set up by the same action.
    template_size = {
        t.grade: t.courses.count() for t in CurriculumTemplate.objects.filter(agency=school.area.agency)
    }
    for classroom in Classroom.objects.filter(school=school, academic_year=following):
        for term in following.terms.all():
            assert (
                Course.objects.filter(classroom=classroom, term=term).count()
                == template_size.get(classroom.grade, 0)  # kindergarten has no template
            )
