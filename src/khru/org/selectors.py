"""Reads of organisation data, always through the access policy."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from khru.core.errors import NotAllowed
from khru.org import calendar, grades, scope
from khru.org.models import AcademicYear, Agency, CalendarDay, Classroom, Membership, School, Term, User
from khru.org.roles import Perm, Role


def schools(*, actor: Any, perm: Perm = Perm.VIEW_SCHOOL) -> QuerySet[School]:
    return School.objects.filter(scope.visible(actor, School, perm)).select_related("area__agency")


def schools_with_counts(*, actor: Any) -> QuerySet[School]:
    return schools(actor=actor).annotate(
        student_count=Count("enrolments", filter=Q(enrolments__ends_on__isnull=True))
    )


def get_school(*, actor: Any, code: str, perm: Perm = Perm.VIEW_SCHOOL) -> School:
    """The school with this code if the actor holds perm there; NotAllowed otherwise (never reveals existence)."""
    # By code, then the policy on the one row: the scoped filter would cost more to plan than to run.
    school = School.objects.select_related("area__agency").filter(code=code).first()
    if school is None or not scope.can(actor, perm, school):
        raise NotAllowed()
    return school


def school_by_code(*, code: str) -> School | None:
    """Any school by its ministry code, for naming a place (where a teacher is appointed): the ministry
    publishes its school codes and names, so this reveals nothing and gives no reach to the school's rows."""
    return School.objects.filter(code=code).first()


def get_agency(*, actor: Any, code: str) -> Agency:
    """An agency by its code (agencies are reference rows: every signed-in user reads them)."""
    agency = Agency.objects.filter(scope.visible(actor, Agency), code=code).first()
    if agency is None:
        raise NotAllowed()
    return agency


def current_year(*, school: School, on: date | None = None) -> AcademicYear | None:
    """The agency's academic year containing the day, else the latest one begun before it."""
    on = on or timezone.localdate()
    years = AcademicYear.objects.filter(agency_id=school.area.agency_id, starts_on__lte=on)
    return years.filter(ends_on__gte=on).first() or years.order_by("-year_be").first()


def current_term(*, year: AcademicYear, on: date | None = None) -> Term | None:
    """Khru's one "current term": the term in progress on the day or, between terms, the last one begun; None
    before the year's first term. It reads `year.terms.all()`, so a prefetch of the terms serves it."""
    on = on or timezone.localdate()
    begun = [term for term in year.terms.all() if term.starts_on <= on]
    return max(begun, key=lambda term: term.starts_on, default=None)


def filing_term(*, year: AcademicYear, on: date | None = None) -> Term | None:
    """The term a record made on the day files under: the current term, or before the year's first term
    begins, that first term."""
    return current_term(year=year, on=on) or min(
        year.terms.all(), key=lambda term: term.starts_on, default=None
    )


def years_for(*, school: School) -> QuerySet[AcademicYear]:
    return agency_years(agency_id=school.area.agency_id)


def agency_years(*, agency_id: int) -> QuerySet[AcademicYear]:
    """An agency's academic years, latest first (reference rows: its schools all keep them)."""
    return AcademicYear.objects.filter(agency_id=agency_id)


def staff_user(*, actor: Any, school: School, pk: Any) -> User:
    """One of the school's staff (as `staff_users` lists them), to assign to a class."""
    staff = Membership.objects.filter(scope.visible(actor, Membership), school=school).values("user_id")
    found = User.objects.filter(pk=pk, pk__in=staff).first()
    if found is None:
        raise NotAllowed()
    return found


def classrooms(*, actor: Any, school: School, year: AcademicYear) -> QuerySet[Classroom]:
    return (
        Classroom.objects.filter(scope.visible(actor, Classroom), school=school, academic_year=year)
        .annotate(student_count=Count("enrolments", filter=Q(enrolments__ends_on__isnull=True)))
        .order_by(grades.in_order(), "room")
    )


def get_classroom(*, actor: Any, uuid: str, perm: Perm = Perm.VIEW_SCHOOL) -> Classroom:
    # By its key, then the policy on the one row (as get_school: the hot path of every register save).
    classroom = (
        Classroom.objects.filter(uuid=uuid).select_related("school__area__agency", "academic_year").first()
    )
    if classroom is None or not scope.can(actor, perm, classroom):
        raise NotAllowed()
    return classroom


def teachers_of(*, classroom: Classroom) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(classroom=classroom, role__in=[Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER])
        .select_related("user__person")
        .order_by("role", "user__username")
    )


def my_classrooms(*, actor: Any) -> QuerySet[Classroom]:
    """Classes the actor teaches, current year first."""
    return (
        Classroom.objects.filter(scope.visible(actor, Classroom), teacher_memberships__user=actor)
        .select_related("school", "academic_year")
        .distinct()
        .order_by("-academic_year__year_be", "grade", "room")
    )


def staff_users(*, actor: Any, school: School) -> list[tuple[int, str]]:
    """(user id, display name) of the school's staff, for assigning teachers to classes."""
    rows = (
        Membership.objects.filter(scope.visible(actor, Membership), school=school)
        .select_related("user__person")
        .order_by("user__person__first_name_th", "user__username")
    )
    seen: dict[int, str] = {}
    for m in rows:
        person = getattr(m.user, "person", None)
        seen.setdefault(m.user_id, f"{person.full_name} ({m.user.username})" if person else m.user.username)
    return list(seen.items())


def membership(*, actor: Any, pk: int) -> Membership:
    found = (
        Membership.objects.filter(scope.visible(actor, Membership), pk=pk)
        .select_related("user", "classroom")
        .first()
    )
    if found is None:
        raise NotAllowed()
    return found


@dataclass(frozen=True)
class TermDays:
    term: Term
    school_days: int


@dataclass(frozen=True)
class YearCalendar:
    """A school's (or, with no school, an agency's) calendar rows for one academic year, and its terms'
    school days."""

    year: AcademicYear
    rows: list[CalendarDay]
    terms: list[TermDays]


def school_calendar(*, actor: Any, school: School, year: AcademicYear) -> YearCalendar:
    """The rows in force at the school (its own over its agency's) and each term's school days."""
    scope.require(actor, Perm.VIEW_SCHOOL, school)
    rows = calendar.rows_between(school=school, start=year.starts_on, end=year.ends_on)
    terms = [
        TermDays(term, calendar.count_school_days(school=school, start=term.starts_on, end=term.ends_on))
        for term in year.terms.order_by("number")
    ]
    return YearCalendar(year=year, rows=[rows[day] for day in sorted(rows)], terms=terms)


def agency_calendar(*, actor: Any, agency: Agency, year: AcademicYear) -> YearCalendar:
    rows = CalendarDay.objects.filter(
        scope.visible(actor, CalendarDay), agency=agency, date__gte=year.starts_on, date__lte=year.ends_on
    )
    return YearCalendar(year=year, rows=list(rows), terms=[])


def calendar_day(*, actor: Any, pk: int, perm: Perm = Perm.MANAGE_CALENDAR) -> CalendarDay:
    row = (
        CalendarDay.objects.filter(scope.visible(actor, CalendarDay, perm), pk=pk)
        .select_related("school", "agency")
        .first()
    )
    if row is None:
        raise NotAllowed()
    return row


def pick_year(
    years: list[AcademicYear], wanted: str | None, fallback: AcademicYear | None
) -> AcademicYear | None:
    """The year named in the address (?year=2569), else the fallback."""
    return next((y for y in years if str(y.year_be) == wanted), None) or fallback
