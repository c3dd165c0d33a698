"""Reads of attendance: the register sheet a teacher fills, and tallies per child for rates and the 80% rule."""

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from khru.assessment.rules import REQUIRED_SHARE
from khru.attendance.models import AttendanceCode, LeaveRequest, Mark, MarkChange, Register
from khru.core.errors import NotAllowed
from khru.core.rates import rate
from khru.org import calendar, grades, scope
from khru.org.models import Classroom, School, Term
from khru.org.roles import Perm
from khru.people.models import Enrolment


def codes() -> list[AttendanceCode]:
    return list(AttendanceCode.objects.all())


def enrolled_on(classroom: Classroom, day: dt.date) -> QuerySet[Enrolment]:
    """The children in a class on a day (joins and leavers counted only while they were there)."""
    return (
        Enrolment.objects.filter(classroom=classroom, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person")
        .order_by("student_number", "person__first_name_th")
    )


def term_on(classroom: Classroom, day: dt.date) -> Term | None:
    return Term.objects.filter(
        academic_year=classroom.academic_year_id, starts_on__lte=day, ends_on__gte=day
    ).first()


@dataclass
class SheetRow:
    enrolment: Enrolment
    code: str  # "" = present
    leave: LeaveRequest | None = None


@dataclass
class Sheet:
    classroom: Classroom
    date: dt.date
    period: int
    register: Register | None
    rows: list[SheetRow]
    codes: list[AttendanceCode]


def register_sheet(*, actor: Any, classroom: Classroom, date: dt.date, period: int = 0) -> Sheet:
    """What the register page shows: the class on that day, saved marks, and leave requests as a pre-fill.

    A fixed number of queries whatever the size of the class.
    """
    scope.require(actor, Perm.TAKE_ATTENDANCE, classroom)
    enrolments = list(enrolled_on(classroom, date))
    register = Register.objects.filter(classroom=classroom, date=date, period=period).first()
    saved = {}
    if register is not None:
        saved = dict(Mark.objects.filter(register=register).values_list("person_id", "code__code"))
    person_ids = [e.person_id for e in enrolments]
    leaves = {
        leave.person_id: leave
        for leave in LeaveRequest.objects.filter(
            person_id__in=person_ids, starts_on__lte=date, ends_on__gte=date, cancelled_at__isnull=True
        ).select_related("code")
    }
    rows = []
    for enrolment in enrolments:
        leave = leaves.get(enrolment.person_id)
        code = saved.get(enrolment.person_id, "")
        if register is None and leave is not None:
            code = leave.code.code  # not yet taken: the guardian's request is the starting point
        rows.append(SheetRow(enrolment=enrolment, code=code, leave=leave))
    return Sheet(classroom=classroom, date=date, period=period, register=register, rows=rows, codes=codes())


@dataclass
class Tally:
    """One child's attendance over a set of registers held while they were in the class."""

    sessions: int = 0
    attended: int = 0
    absent: int = 0
    leave: int = 0
    late: int = 0
    missed_dates: list[dt.date] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.attended / self.sessions if self.sessions else None

    def can_still_miss(self, planned_sessions: int) -> int:
        """Sessions the child may still miss this term and keep 80% of the planned time (negative: already มส)."""
        allowed = planned_sessions - math.ceil(REQUIRED_SHARE * planned_sessions)
        return allowed - (self.absent + self.leave)


def _tallies(
    registers: Iterable[tuple[int, int, dt.date]],
    enrolments: Iterable[tuple[int, int, dt.date, dt.date | None]],
    marks: Iterable[tuple[int, int, str, bool]],
) -> dict[int, Tally]:
    """registers: (id, classroom, date); enrolments: (person, classroom, from, to); marks: (register, person,
    kind, attended). Pure Python over three flat reads, so a school's year costs three queries."""
    by_class: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for register_id, classroom_id, day in registers:
        by_class[classroom_id].append((day, register_id))
    for days in by_class.values():
        days.sort()
    present_in: dict[int, set[int]] = defaultdict(set)  # person → registers they were expected at
    tallies: dict[int, Tally] = defaultdict(Tally)
    for person_id, classroom_id, starts_on, ends_on in enrolments:
        days = by_class.get(classroom_id, [])
        low = bisect.bisect_left(days, (starts_on, 0))
        high = bisect.bisect_right(days, (ends_on or dt.date.max, 2**63))
        expected = {register_id for _, register_id in days[low:high]}
        present_in[person_id] |= expected
        tallies[person_id].sessions += len(expected)
    dates = {register_id: day for days in by_class.values() for day, register_id in days}
    missed: dict[int, int] = defaultdict(int)
    for register_id, person_id, kind, attended in marks:
        if register_id not in present_in.get(person_id, ()):
            continue  # a mark from before the child joined this class
        tally = tallies[person_id]
        if kind == AttendanceCode.Kind.ABSENT:
            tally.absent += 1
        elif kind == AttendanceCode.Kind.LEAVE:
            tally.leave += 1
        else:
            tally.late += 1
        if not attended:
            missed[person_id] += 1
            tally.missed_dates.append(dates[register_id])
    for person_id, tally in tallies.items():
        tally.attended = tally.sessions - missed[person_id]
    return dict(tallies)


def tallies_for(
    *,
    actor: Any,
    term: Term,
    school: School | None = None,
    classroom: Classroom | None = None,
    course_code: str = "",
) -> dict[int, Tally]:
    """Per child (person id): sessions held while in the class, attended, absences by kind, in one term.

    Daily registers when course_code is empty, else the per-period registers of that course.
    """
    unit = classroom or school
    if unit is None or not scope.can(actor, Perm.VIEW_STUDENTS, unit):
        raise NotAllowed()
    where = Q(classroom=classroom) if classroom else Q(school=school)
    registers = Register.objects.filter(where, term=term)
    registers = registers.filter(course_code=course_code) if course_code else registers.filter(period=0)
    enrolments = Enrolment.objects.filter(
        Q(classroom=classroom) if classroom else Q(school=school, academic_year_id=term.academic_year_id)
    ).exclude(classroom__isnull=True)
    marks = Mark.objects.filter(register__in=registers)
    return _tallies(
        registers.values_list("id", "classroom_id", "date"),
        enrolments.values_list("person_id", "classroom_id", "starts_on", "ends_on"),
        marks.values_list("register_id", "person_id", "code__kind", "code__attended"),
    )


def school_days(*, school: School, term: Term, until: dt.date | None = None) -> int:
    """Planned daily registers in a term (up to `until`): its school days by the school's calendar."""
    end = min(term.ends_on, until) if until else term.ends_on
    return calendar.count_school_days(school=school, start=term.starts_on, end=end)


def get_register(*, actor: Any, uuid: str) -> Register:
    found = (
        Register.objects.filter(scope.visible(actor, Register), uuid=uuid).select_related("classroom").first()
    )
    if found is None:
        raise NotAllowed()
    return found


def history(*, actor: Any, register: Register) -> QuerySet[MarkChange]:
    scope.require(actor, Perm.VIEW_STUDENTS, register)
    return (
        MarkChange.objects.filter(register=register)
        .select_related("person", "old_code", "new_code", "changed_by__person")
        .order_by("-changed_at", "-pk")
    )


def leave_requests(*, actor: Any, school: School, on: dt.date) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(scope.visible(actor, LeaveRequest), school=school, ends_on__gte=on)
        .select_related("person", "code")
        .order_by("starts_on")
    )


@dataclass
class MonthFigures:
    """One classroom's daily registers in a period: how many were taken and the marks by code."""

    registers: int = 0
    marks: dict[str, int] = field(default_factory=dict)  # code → count
    missed: int = 0  # marks that do not count as attended (absent, leave)


def month_figures(
    *, actor: Any, school_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, MonthFigures]:
    """For the monthly reports: per classroom, daily registers taken between two days and their marks.
    Two grouped reads whatever the number of schools; counts only, so an office may ask."""
    registers = Register.objects.filter(
        scope.visible(actor, Register, Perm.VIEW_AGGREGATES),
        school_id__in=school_ids,
        period=0,
        date__gte=start,
        date__lte=end,
    )
    figures: dict[int, MonthFigures] = defaultdict(MonthFigures)
    for row in registers.values("classroom_id").annotate(n=Count("pk")):
        figures[row["classroom_id"]].registers = row["n"]
    marks = (
        Mark.objects.filter(register__in=registers)
        .values("register__classroom_id", "code__code", "code__attended")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for classroom_id, code, attended, n in marks.values_list(
        "register__classroom_id", "code__code", "code__attended", "n"
    ):
        found = figures[classroom_id]
        found.marks[code] = found.marks.get(code, 0) + n
        if not attended:
            found.missed += n
    return dict(figures)


@dataclass
class Reporting:
    """Completeness and timeliness of the daily register, DHIS2's way: registers expected (the school days
    of the class's terms, by the school calendar, up to today), received, and received on time."""

    expected: int = 0
    actual: int = 0
    on_time: int = 0
    missing: list[dt.date] = field(default_factory=list)

    @property
    def reporting_rate(self) -> float | None:
        return rate(self.actual, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.expected)

    def __add__(self, other: "Reporting") -> "Reporting":
        return Reporting(
            self.expected + other.expected,
            self.actual + other.actual,
            self.on_time + other.on_time,
            sorted(self.missing + other.missing),
        )


@dataclass
class ClassReporting:
    classroom: Classroom
    reporting: Reporting


def register_reporting(
    *, actor: Any, classes: Q, start: dt.date, end: dt.date, perm: Perm = Perm.VIEW_STUDENTS
) -> list[ClassReporting]:
    """Each class's daily registers from start to end: expected, received, on time, and the missing days.

    `classes` picks the classes (Q(pk=…), Q(school=…), Q(school__area=…)); the policy narrows them: with
    VIEW_STUDENTS a teacher gets their own classes and a principal the school's; an office asks with
    VIEW_AGGREGATES (a register names no child). A register is on time when it was first saved (taken_at:
    its row is created by the first save) no later than the agency's `register_timely_days` after its date.
    Registers on a day that expects none (a weekend, a break) count nowhere. Five queries, whatever the
    number of classes and days.
    """
    end = min(end, timezone.localdate())  # a day not yet come expects nothing
    classrooms = list(
        Classroom.objects.filter(scope.visible(actor, Classroom, perm), classes)
        .select_related("school__area__agency")
        .order_by("school__code", grades.in_order("grade"), "room")
    )
    if not classrooms or end < start:
        return [ClassReporting(c, Reporting()) for c in classrooms]
    terms: dict[int, list[Term]] = defaultdict(list)
    for term in Term.objects.filter(academic_year_id__in={c.academic_year_id for c in classrooms}):
        terms[term.academic_year_id].append(term)
    days = calendar.school_days_by_school(school_ids={c.school_id for c in classrooms}, start=start, end=end)
    first_saved = {
        (classroom_id, day): timezone.localdate(taken_at)
        for classroom_id, day, taken_at in Register.objects.filter(
            scope.visible(actor, Register, perm),
            classroom__in=classrooms,
            period=0,
            date__gte=start,
            date__lte=end,
        ).values_list("classroom_id", "date", "taken_at")
    }
    found = []
    for classroom in classrooms:
        grace = dt.timedelta(days=classroom.school.area.agency.register_timely_days)
        reporting = Reporting()
        for day in calendar.in_terms(days.get(classroom.school_id, []), terms[classroom.academic_year_id]):
            reporting.expected += 1
            saved_on = first_saved.get((classroom.pk, day))
            if saved_on is None:
                reporting.missing.append(day)
                continue
            reporting.actual += 1
            reporting.on_time += saved_on <= day + grace
        found.append(ClassReporting(classroom, reporting))
    return found


def reporting_by_school(rows: Iterable[ClassReporting]) -> list[tuple[School, Reporting]]:
    """The class rows summed per school (a school's figures are its classes', never counted twice)."""
    totals: dict[int, tuple[School, Reporting]] = {}
    for row in rows:
        school, total = totals.get(row.classroom.school_id, (row.classroom.school, Reporting()))
        totals[row.classroom.school_id] = (school, total + row.reporting)
    return list(totals.values())
