"""The demo keeps the school calendar: no register on a public holiday or a school's closure."""

import io
from typing import Any

from django.core.management import call_command

from khru.attendance.models import Register
from khru.org import calendar
from khru.org.models import CalendarDay, School
from tests.demo.test_load_demo import SCALE, SEED


def test_the_demo_holds_no_register_on_a_closed_day(db: Any) -> None:
    call_command("load_demo", seed=SEED, scale=SCALE, stdout=io.StringIO())
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
