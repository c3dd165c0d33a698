"""Reads for the reports pages and command: what a user may generate, runs, verification, the ledger."""

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from khru.core.errors import NotAllowed, problem
from khru.org import grades, scope
from khru.org import selectors as org
from khru.org.models import AcademicYear, Area, Classroom, School, Term
from khru.org.roles import Perm
from khru.reports import catalog
from khru.reports.catalog import Level, Params, Report
from khru.reports.fields import FIELDS, CapturedField, readers
from khru.reports.models import IssuedDocument, ReportRun

# DMC census days (month, day): 10 June (term 1), 10 November (term 2), end of year (30 April).
CENSUS_DAYS = ((6, 10), (11, 10), (4, 30))


def census_date(*, term: Term | None, today: dt.date) -> dt.date:
    """The census day of the term asked for, else the latest census day already passed."""
    if term is not None:
        start = term.starts_on
        month, day = CENSUS_DAYS[0] if term.number == 1 else CENSUS_DAYS[1]
        return dt.date(start.year, month, day)
    passed = [
        dt.date(year, month, day) for year in (today.year - 1, today.year) for month, day in CENSUS_DAYS
    ]
    return max(day for day in passed if day <= today)


def _school_wide(actor: Any, perm: Perm, school: School) -> bool:
    """Reach over the whole school (a class's teacher sees the school, but only their class's children)."""
    return scope.school_in_reach(actor, perm, school)


def _over_area(actor: Any, perm: Perm, area: Area) -> bool:
    return Area.objects.filter(scope.area_filter(actor, perm), pk=area.pk).exists()


def _bad(field: str, th: str, en: str) -> Exception:
    return problem(field, th, en)


def params_for(
    *,
    actor: Any,
    code: str,
    school_code: str = "",
    classroom_uuid: str = "",
    area_code: str = "",
    year_be: int | None = None,
    term_number: int | None = None,
    on: dt.date | None = None,
) -> tuple[Report, Params]:
    """Check the request against the access policy and fill in the current year and term when not given.

    NotAllowed when the actor may not produce this report for that unit (never says whether it exists).
    """
    report = catalog.get(code)
    if report is None:
        raise _bad("report", f"ไม่มีรายงานรหัส {code}", f"there is no report {code}")
    today = timezone.localdate()
    school: School | None = None
    area: Area | None = None
    classroom: Classroom | None = None
    if school_code:
        school = School.objects.select_related("area__agency").filter(code=school_code).first()
        if school is None:
            raise NotAllowed()
    if report.level == Level.AREA or (report.area_ok and area_code):
        if area_code:
            area = Area.objects.filter(code=area_code).first()
        elif school is not None:
            area = school.area
        if area is None or not _over_area(actor, report.perm, area):
            raise NotAllowed()
        school = None
        agency_id = area.agency_id
    else:
        if school is None:
            raise _bad("school", "ต้องระบุโรงเรียน", "choose a school")
        agency_id = school.area.agency_id
        if classroom_uuid and report.level == Level.CLASSROOM:
            classroom = (
                Classroom.objects.select_related("academic_year")
                .filter(uuid=classroom_uuid, school=school)
                .first()
                if _uuid_ok(classroom_uuid)
                else None
            )
            if classroom is None or not scope.can(actor, report.perm, classroom):
                raise NotAllowed()
        elif not _school_wide(actor, report.perm, school):
            raise NotAllowed()
    years = AcademicYear.objects.filter(agency_id=agency_id)
    if classroom is not None:
        year = classroom.academic_year
    elif year_be:
        found = years.filter(year_be=year_be).first()
        if found is None:
            raise _bad("year", f"ไม่มีปีการศึกษา {year_be}", f"there is no academic year {year_be}")
        year = found
    else:  # the year of the day asked about (`on`), else today's
        day = on or today
        current = (
            years.filter(starts_on__lte=day, ends_on__gte=day).first()
            or years.filter(starts_on__lte=day).order_by("-year_be").first()
        )
        if current is None:
            raise _bad("year", "ยังไม่มีปีการศึกษา", "no academic year has begun")
        year = current
    term: Term | None
    if term_number:
        term = year.terms.filter(number=term_number).first()
        if term is None:
            raise _bad("term", f"ไม่มีภาคเรียนที่ {term_number}", f"there is no term {term_number}")
    else:
        term = org.current_term(year=year, on=min(on or today, year.ends_on))  # the term holding `on`
    if on is None:
        if report.code == "dmc":
            on = census_date(term=term if term_number else None, today=today)
        elif term is not None:
            on = min(term.ends_on, today)
        else:
            on = min(year.ends_on, today)
    params = Params(actor=actor, year=year, term=term, on=on, school=school, classroom=classroom, area=area)
    return report, params


def _uuid_ok(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def params_from_json(*, actor: Any, code: str, data: dict[str, Any]) -> tuple[Report, Params]:
    return params_for(
        actor=actor,
        code=code,
        school_code=data.get("school") or "",
        classroom_uuid=data.get("classroom") or "",
        area_code=data.get("area") or "",
        year_be=data.get("year"),
        term_number=data.get("term"),
        on=dt.date.fromisoformat(data["on"]) if data.get("on") else None,
    )


@dataclass
class CatalogEntry:
    report: Report
    next_due: dt.date | None
    schools: list[School]
    areas: list[Area]
    classrooms: list[Classroom]


def catalog_for(*, actor: Any, today: dt.date | None = None) -> list[CatalogEntry]:
    """Every report the actor can produce for some unit, with where and when it is next due."""
    today = today or timezone.localdate()
    entries = []
    classrooms = _classrooms_to_pick(actor, today)
    for report in catalog.load().values():
        if report.level == Level.AREA:
            areas = list(Area.objects.filter(scope.area_filter(actor, report.perm)).order_by("code"))
            schools: list[School] = []
            if not areas:
                continue
        else:
            areas = []
            if report.level == Level.CLASSROOM:
                schools = list(org.schools(actor=actor, perm=report.perm))
            else:
                schools = list(
                    School.objects.filter(scope.school_filter(actor, report.perm)).select_related(
                        "area__agency"
                    )
                )
            if not schools:
                continue
        terms = Term.objects.filter(ends_on__gte=today, starts_on__lte=today + dt.timedelta(days=400))
        entries.append(
            CatalogEntry(
                report=report,
                next_due=report.due.next_after(today, terms),
                schools=schools,
                areas=areas,
                classrooms=classrooms if report.level == Level.CLASSROOM else [],
            )
        )
    return entries


def _classrooms_to_pick(actor: Any, today: dt.date) -> list[Classroom]:
    """This year's classes the actor may pick: a teacher's own, or every class of a single school."""
    mine = list(org.my_classrooms(actor=actor).select_related("school"))
    if mine:
        return mine
    school_id = scope.only_school(actor, Perm.VIEW_STUDENTS)
    if school_id is not None:
        return list(
            Classroom.objects.filter(
                school_id=school_id,
                academic_year__starts_on__lte=today,
                academic_year__ends_on__gte=today,
            )
            .select_related("school")
            .order_by(grades.in_order(), "room")
        )
    return []


def classrooms_in(params: Params) -> list[Classroom]:
    """The school's classes of the year that had children on the report's day, in school order."""
    on = params.on
    return list(
        Classroom.objects.filter(school=params.school, academic_year=params.year)
        .annotate(
            children=Count(
                "enrolments",
                filter=Q(enrolments__starts_on__lte=on)
                & (Q(enrolments__ends_on__isnull=True) | Q(enrolments__ends_on__gt=on)),
            )
        )
        .filter(children__gt=0)
        .order_by(grades.in_order(), "room")
    )


def classroom_by_label(*, school_code: str, label: str, year_be: int | None) -> Classroom | None:
    """For the command line: "ป.4/1" or "P4/1" at a school (the latest year unless one is given)."""
    grade, _, room = label.partition("/")
    grade = {g.label: g.value for g in grades.Grade}.get(grade, grade)
    if not room.isdigit():
        return None
    found = Classroom.objects.filter(school__code=school_code, grade=grade, room=int(room))
    if year_be:
        found = found.filter(academic_year__year_be=year_be)
    return found.order_by("-academic_year__year_be").first()


def runs(*, actor: Any) -> QuerySet[ReportRun]:
    """A person's own runs (the files they asked for), newest first."""
    if not getattr(actor, "is_authenticated", False):
        return ReportRun.objects.none()
    return ReportRun.objects.filter(requested_by=actor)


def get_run(*, actor: Any, uuid: Any) -> ReportRun:
    run = runs(actor=actor).filter(uuid=uuid).first() if _uuid_ok(str(uuid)) else None
    if run is None:
        raise NotAllowed()
    return run


@dataclass
class Verification:
    document: IssuedDocument
    matches: bool | None  # None: no file given


def verify(*, code: str, content: bytes | Iterable[bytes] | None = None) -> Verification | None:
    """Public: was a document with this code issued, and (given the file, whole or as an upload's chunks, so
    an anonymous upload is never held in memory) is it unaltered? None: not found."""
    document = (
        IssuedDocument.objects.select_related("school", "area").filter(code=code.strip().upper()).first()
    )
    if document is None:
        return None
    if content is None:
        return Verification(document=document, matches=None)
    digest = hashlib.sha256()
    for chunk in [content] if isinstance(content, bytes) else content:
        digest.update(chunk)
    matches = digest.hexdigest() == document.sha256
    return Verification(document=document, matches=matches)


@dataclass
class FieldUse:
    field: CapturedField
    readers: list[tuple[str, str]]


@dataclass
class Ledger:
    fields: list[FieldUse]
    unread: list[CapturedField]
    reports: list[Report]
    needing_typed: list[Report]


def ledger() -> Ledger:
    """The burden ledger: who reads each captured field, and how much of each report is computed."""
    reports = list(catalog.load().values())
    uses = [FieldUse(field=f, readers=readers(f.id)) for f in FIELDS.values()]
    return Ledger(
        fields=uses,
        unread=[use.field for use in uses if not use.readers],
        reports=reports,
        needing_typed=[r for r in reports if r.typed_columns],
    )
