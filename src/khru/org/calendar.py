"""The school calendar (DOMAIN.md, Attendance): a school day is a weekday that is neither a public holiday
nor a closure, or a make-up day. The one place that says which days are school days; the 80% rule, the
registers a class should have and every form's "days" count from here."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from khru.org.models import AcademicYear, CalendarDay, School, Term

WEEKEND = {5: ("วันเสาร์", "Saturday"), 6: ("วันอาทิตย์", "Sunday")}
HOLIDAYS_SOURCE = "holidays"  # the PyPI package whose Thai calendar (with the lunar Buddhist days) is loaded


@dataclass(frozen=True)
class Closed:
    """Why a day has no school: a weekend, or the calendar row that closes it."""

    date: dt.date
    name_th: str
    name_en: str
    row: CalendarDay | None = None


def rows_by_school(
    *, school_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, dict[dt.date, CalendarDay]]:
    """The calendar rows in force for each school between two days: its own, else its agency's. Two
    queries whatever the number of schools."""
    agency_of = dict(School.objects.filter(pk__in=list(school_ids)).values_list("pk", "area__agency_id"))
    by_agency: dict[int, dict[dt.date, CalendarDay]] = defaultdict(dict)
    by_school: dict[int, dict[dt.date, CalendarDay]] = defaultdict(dict)
    rows = CalendarDay.objects.filter(
        Q(school_id__in=list(agency_of)) | Q(agency_id__in=set(agency_of.values())),
        date__gte=start,
        date__lte=end,
    )
    for row in rows:
        if row.school_id is not None:
            by_school[row.school_id][row.date] = row
        else:
            by_agency[row.agency_id][row.date] = row  # type: ignore[index]
    return {pk: {**by_agency[agency_id], **by_school[pk]} for pk, agency_id in agency_of.items()}


def rows_between(*, school: School, start: dt.date, end: dt.date) -> dict[dt.date, CalendarDay]:
    return rows_by_school(school_ids=[school.pk], start=start, end=end).get(school.pk, {})


def _dates(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    return (start + dt.timedelta(days=n) for n in range(max((end - start).days + 1, 0)))


def _closed(day: dt.date, row: CalendarDay | None) -> Closed | None:
    if row is not None:
        return Closed(day, row.name_th, row.name_en or row.name_th, row) if row.closed else None
    if day.weekday() in WEEKEND:
        return Closed(day, *WEEKEND[day.weekday()])
    return None


def school_days(*, school: School, start: dt.date, end: dt.date) -> list[dt.date]:
    """The school's school days from start to end, both included (one query)."""
    rows = rows_between(school=school, start=start, end=end)
    return [day for day in _dates(start, end) if _closed(day, rows.get(day)) is None]


def count_school_days(*, school: School, start: dt.date, end: dt.date) -> int:
    return len(school_days(school=school, start=start, end=end))


def school_days_by_school(
    *, school_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, list[dt.date]]:
    """School days between two days for many schools at once (two queries)."""
    found = rows_by_school(school_ids=school_ids, start=start, end=end)
    return {
        pk: [day for day in _dates(start, end) if _closed(day, rows.get(day)) is None]
        for pk, rows in found.items()
    }


def count_by_school(*, school_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """School days between two days for many schools at once (an area's monthly report)."""
    found = school_days_by_school(school_ids=school_ids, start=start, end=end)
    return {pk: len(days) for pk, days in found.items()}


def in_terms(days: Iterable[dt.date], terms: Iterable[Term]) -> list[dt.date]:
    """The days that fall inside one of the terms: a school day of the break between terms has no class
    and expects no register."""
    spans = [(term.starts_on, term.ends_on) for term in terms]
    return [day for day in days if any(starts_on <= day <= ends_on for starts_on, ends_on in spans)]


def closure(*, school: School, day: dt.date) -> Closed | None:
    """None on a school day; else why the school is closed that day."""
    return _closed(day, rows_between(school=school, start=day, end=day).get(day))


def closed_days(*, school: School, start: dt.date, end: dt.date) -> list[Closed]:
    """Every day without school between two days, weekends included, with its reason."""
    rows = rows_between(school=school, start=start, end=end)
    return [found for day in _dates(start, end) if (found := _closed(day, rows.get(day))) is not None]


def public_holidays(year: AcademicYear) -> list[tuple[dt.date, str, str]]:
    """Thailand's public holidays within an academic year, Thai and English names, from the `holidays`
    package (it computes the lunar Buddhist days: Makha, Visakha and Asarnha Bucha, Khao Phansa)."""
    import holidays  # imported here: only the loader needs it

    years = range(year.starts_on.year, year.ends_on.year + 1)
    thai = holidays.country_holidays("TH", years=years, language="th")
    english = holidays.country_holidays("TH", years=years, language="en_US")
    return [
        (day, name, english.get(day, name))
        for day, name in sorted(thai.items())
        if year.starts_on <= day <= year.ends_on
    ]


def holidays_version() -> str:
    from importlib.metadata import version

    return f"{HOLIDAYS_SOURCE} {version('holidays')}"


def holiday_rows(year: AcademicYear, *, recorded_by: Any = None) -> list[CalendarDay]:
    """The agency's rows (unsaved) for the year's public holidays it does not have yet: a date already
    there, loaded or typed, is kept as the agency left it."""
    have = set(CalendarDay.objects.filter(agency_id=year.agency_id).values_list("date", flat=True))
    source = holidays_version()
    return [
        CalendarDay(
            agency_id=year.agency_id,
            date=day,
            kind=CalendarDay.Kind.HOLIDAY,
            name_th=name_th[:400],
            name_en=name_en[:400],
            source=source,
            recorded_by=recorded_by,
        )
        for day, name_th, name_en in public_holidays(year)
        if day not in have
    ]


def a_year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_year_dates(year: AcademicYear) -> tuple[tuple[dt.date, dt.date], list[tuple[int, dt.date, dt.date]]]:
    """The next academic year's dates and its terms', on this year's pattern a year later (the agency's own
    dates, which may differ from the 2006 regulation's 16 May): to be corrected when the year is announced."""
    terms = [
        (term.number, a_year_later(term.starts_on), a_year_later(term.ends_on))
        for term in year.terms.order_by("number")
    ]
    return (a_year_later(year.starts_on), a_year_later(year.ends_on)), terms
