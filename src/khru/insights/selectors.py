"""Reads for the dashboards: each level's picture from the same summary tables, within the actor's scope.

A school's figures are shown as they are to the school; every table that leaves a school (area, agency,
ministry) goes through small-cell suppression. Each dashboard costs a fixed number of queries, whatever the
number of children, because it reads the summaries, never raw marks.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from khru.assessment.grading import gpa_of
from khru.assessment.models import Result
from khru.assessment.rules import NUMERIC_GRADES
from khru.attendance.models import AttendanceCode, Mark, Register
from khru.care import selectors as care_selectors
from khru.care.models import CareNote, Intervention, Screening
from khru.core.dates import be_year
from khru.core.errors import NotAllowed
from khru.core.rates import rate
from khru.core.suppression import HIDDEN, suppress
from khru.health import selectors as health_selectors
from khru.health.models import Measurement
from khru.insights import summaries
from khru.insights.charts import Figure
from khru.insights.models import (
    ClassDay,
    ClassMonthCode,
    Goal,
    GradeCount,
    NutritionCount,
    SchoolMonth,
)
from khru.org import calendar, grades, scope
from khru.org.models import AcademicYear, Area, School, Term
from khru.org.roles import Perm
from khru.org.selectors import current_term
from khru.people import selectors as people_selectors
from khru.people.models import Enrolment, Person
from khru.welfare import selectors as welfare_selectors
from khru.welfare.selectors import ChildWelfare, PovertyCounts

GRADE_ORDER = ["4", "3.5", "3", "2.5", "2", "1.5", "1", "0", "ร", "มส"]
SHAPE_ORDER = ["thin", "rather_thin", "proportionate", "plump", "overweight", "obese"]
WEEKDAYS_TH = ["จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา."]
SUBJECTS_TH = {
    "ท": "ภาษาไทย",
    "ค": "คณิตศาสตร์",
    "ว": "วิทยาศาสตร์",
    "ส": "สังคมศึกษา",
    "พ": "สุขศึกษาและพลศึกษา",
    "ศ": "ศิลปะ",
    "ง": "การงานอาชีพ",
    "อ": "ภาษาอังกฤษ",
    "ก": "กิจกรรม",
}


def _summaries(actor: Any, model: Any, perm: Perm = Perm.VIEW_AGGREGATES) -> QuerySet[Any]:
    return model.objects.filter(scope.visible(actor, model, perm))


# ---------------------------------------------------------------- school (principal) -----------------------


@dataclass
class ClassRow:
    classroom_uuid: str
    name: str
    enrolled_days: int
    missed: int
    absent: int
    leave: int
    late: int
    days_taken: int
    days_expected: int

    @property
    def attendance(self) -> float | None:
        return rate(self.enrolled_days - self.missed, self.enrolled_days)

    @property
    def completeness(self) -> float | None:
        return rate(min(self.days_taken, self.days_expected), self.days_expected)


@dataclass
class SchoolDashboard:
    school: School
    year: AcademicYear
    years: list[AcademicYear]
    classes: list[ClassRow]
    figures: dict[str, Figure]
    attendance: float | None
    grade_0_share: float | None
    grade_3_up_share: float | None
    proportionate_share: float | None
    completeness: float | None
    as_of: dict[str, dt.datetime]
    grades_by_class: list[tuple[str, str, list[int]]] = field(default_factory=list)  # uuid, name, per grade
    poverty: PovertyCounts | None = None  # children screened and eligible for support, latest term begun


def _expected_days(school: School, terms: list[Term], today: dt.date) -> int:
    """School days of the year's terms that have passed (the registers a class should have by now)."""
    passed = [term for term in terms if term.starts_on <= today]
    if not passed:
        return 0
    days = calendar.school_days(school=school, start=min(t.starts_on for t in passed), end=today)
    return len(calendar.in_terms(days, passed))


def _poverty(actor: Any, school: School, year: AcademicYear) -> PovertyCounts | None:
    """Poverty screening counts of the year's latest term begun (welfare's selector: full counts for the
    school's own staff, suppressed for anyone above the school)."""
    term = current_term(year=year)
    return (
        None
        if term is None
        else welfare_selectors.poverty_counts_or_none(actor=actor, school=school, term=term)
    )


def dashboard_schools(*, actor: Any) -> QuerySet[School]:
    """Schools whose own dashboard (unsuppressed, down to classes and children) the actor may open: their
    principal, or an area officer who may see the children anyway; never an analyst, who sees aggregates."""
    return (
        School.objects.filter(scope.visible(actor, School, Perm.VIEW_AGGREGATES))
        .filter(scope.visible(actor, School, Perm.VIEW_STUDENTS))
        .select_related("area__agency", "area__province")
    )


def get_school(*, actor: Any, code: str) -> School:
    school = dashboard_schools(actor=actor).filter(code=code).first()
    if school is None:
        raise NotAllowed()
    return school


def _pick_year(school: School, year_be: int | None) -> tuple[AcademicYear, list[AcademicYear]]:
    years = list(AcademicYear.objects.filter(agency_id=school.area.agency_id).prefetch_related("terms"))
    if not years:
        raise NotAllowed()
    today = timezone.localdate()
    chosen = next((y for y in years if y.year_be == year_be), None)
    chosen = chosen or next((y for y in years if y.starts_on <= today), years[-1])
    return chosen, years


def _grade_shares(counts: dict[str, int]) -> tuple[float | None, float | None]:
    """Shares of 0 and of 3 or above among numeric grades."""
    numeric = sum(v for g, v in counts.items() if g in NUMERIC_GRADES)
    zero = counts.get("0", 0)
    three_up = sum(v for g, v in counts.items() if g in NUMERIC_GRADES and NUMERIC_GRADES[g] >= 3)
    return rate(zero, numeric), rate(three_up, numeric)


def school_dashboard(*, actor: Any, school: School, year_be: int | None = None) -> SchoolDashboard:
    """The principal's picture of one school and year. Nine queries, whatever the size of the school."""
    if not dashboard_schools(actor=actor).filter(pk=school.pk).exists():
        raise NotAllowed()
    year, years = _pick_year(school, year_be)
    today = timezone.localdate()
    expected = _expected_days(school, list(year.terms.all()), today)
    days = _summaries(actor, ClassDay).filter(school=school, academic_year=year)
    totals = dict(enrolled=Sum("enrolled"), missed=Sum("missed"), absent=Sum("absent"))
    totals |= dict(leave=Sum("leave"), late=Sum("late"))
    classes = []
    for row in (
        days.values("classroom__uuid", "classroom__grade", "classroom__room")
        .annotate(**totals, taken=Count("date", distinct=True))
        .order_by(grades.in_order("classroom__grade"), "classroom__room")
    ):
        classes.append(
            ClassRow(
                classroom_uuid=str(row["classroom__uuid"]),
                name=f"{grades.label(row['classroom__grade'])}/{row['classroom__room']}",
                enrolled_days=row["enrolled"] or 0,
                missed=row["missed"] or 0,
                absent=row["absent"] or 0,
                leave=row["leave"] or 0,
                late=row["late"] or 0,
                days_taken=row["taken"],
                days_expected=expected,
            )
        )
    by_weekday = [
        {
            "weekday": WEEKDAYS_TH[row["weekday"]],
            "attendance": rate(row["enrolled"] - row["missed"], row["enrolled"]),
            "absence": rate(row["missed"], row["enrolled"]),
            "missed": row["missed"],
            "enrolled": row["enrolled"],
        }
        for row in days.values("weekday").annotate(**totals).order_by("weekday")
    ]
    by_month = [
        {
            "month": f"{be_year(row['month'].year)}-{row['month'].month:02d}",
            "attendance": rate(row["enrolled"] - row["missed"], row["enrolled"]),
            "missed": row["missed"],
            "enrolled": row["enrolled"],
        }
        for row in days.values("month").annotate(**totals).order_by("month")  # class rows: current
    ]
    labels = dict(AttendanceCode.objects.values_list("code", "label_th"))
    reasons = [
        {"code": row["code"], "reason": labels.get(row["code"], row["code"]), "count": row["n"]}
        for row in _summaries(actor, ClassMonthCode)
        .filter(school=school, academic_year=year)
        .values("code")
        .annotate(n=Sum("count"))
        .order_by("-n")
    ]
    grade_counts = _summaries(actor, GradeCount).filter(school=school)
    by_subject = [
        {
            "subject": SUBJECTS_TH.get(row["subject"], row["subject"]),
            "grade": row["grade"],
            "count": row["n"],
        }
        for row in grade_counts.filter(academic_year=year)
        .values("subject", "grade")
        .annotate(n=Sum("count"))
        .order_by("subject", "grade")
    ]
    by_class: dict[tuple[str, str, int], dict[str, int]] = defaultdict(dict)
    for row in (
        grade_counts.filter(academic_year=year)
        .values("classroom__uuid", "classroom__grade", "classroom__room", "grade")
        .annotate(n=Sum("count"))
    ):
        key = (str(row["classroom__uuid"]), row["classroom__grade"], row["classroom__room"])
        by_class[key][row["grade"]] = row["n"]
    grades_by_class = [
        (uuid, f"{grades.label(grade)}/{room}", [counts.get(g, 0) for g in GRADE_ORDER])
        for (uuid, grade, room), counts in sorted(
            by_class.items(), key=lambda item: (grades.ORDER.index(item[0][1]), item[0][2])
        )
    ]
    recent = [y.year_be for y in years if y.year_be <= year.year_be][:3]
    yearly: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        grade_counts.filter(academic_year__year_be__in=recent)
        .values("academic_year__year_be", "grade")
        .annotate(n=Sum("count"))
    ):
        yearly[row["academic_year__year_be"]][row["grade"]] = row["n"]
    by_year = [
        {"year": str(y), "grade": g, "count": yearly[y].get(g, 0)}
        for y in sorted(yearly)
        for g in GRADE_ORDER
        if g in yearly[y]
    ]
    this_year = yearly.get(year.year_be, {})
    grade_0, grade_3_up = _grade_shares(this_year)
    latest_term = (
        _summaries(actor, NutritionCount)
        .filter(school=school, academic_year=year)
        .order_by("-term__number")
        .values_list("term_id", flat=True)
        .first()
    )
    nutrition = [
        {"band": row["band"], "count": row["n"]}
        for row in _summaries(actor, NutritionCount)
        .filter(school=school, term_id=latest_term)
        .values("band")
        .annotate(n=Sum("count"))
    ]
    nutrition.sort(key=lambda r: SHAPE_ORDER.index(r["band"]) if r["band"] in SHAPE_ORDER else 99)
    measured = sum(r["count"] for r in nutrition)
    proportionate = sum(r["count"] for r in nutrition if r["band"] == "proportionate")
    enrolled_days = sum(c.enrolled_days for c in classes)
    missed = sum(c.missed for c in classes)
    taken = sum(min(c.days_taken, c.days_expected) for c in classes)
    figures = {
        "by_class": Figure(
            "by_class",
            "Absent or on leave by class (%)",
            ["class", "attendance", "absence", "missed", "enrolled_days"],
            [
                {
                    "class": c.name,
                    "attendance": c.attendance,
                    "absence": rate(c.missed, c.enrolled_days),
                    "missed": c.missed,
                    "enrolled_days": c.enrolled_days,
                }
                for c in classes
            ],
            x="class",
            y="absence",
            sort_x=[c.name for c in classes],
        ),
        "by_weekday": Figure(
            "by_weekday",
            "Absent or on leave by day of the week (%)",
            ["weekday", "attendance", "absence", "missed", "enrolled"],
            by_weekday,
            x="weekday",
            y="absence",
            sort_x=WEEKDAYS_TH,
        ),
        "by_month": Figure(
            "by_month",
            "Attendance by month (%)",
            ["month", "attendance", "missed", "enrolled"],
            by_month,
            mark="line",
            x="month",
            y="attendance",
            zero=False,
        ),
        "reasons": Figure(
            "reasons", "Absence reasons", ["code", "reason", "count"], reasons, x="reason", y="count"
        ),
        "grades_by_subject": Figure(
            "grades_by_subject",
            "Grades by learning area",
            ["subject", "grade", "count"],
            by_subject,
            x="subject",
            y="count",
            color="grade",
        ),
        "grades_by_year": Figure(
            "grades_by_year",
            "Grades year on year",
            ["year", "grade", "count"],
            by_year,
            x="grade",
            y="count",
            color="year",
            sort_x=GRADE_ORDER,
            extra={"grouped": True},
        ),
        "nutrition": Figure(
            "nutrition",
            "Weight for height (latest term)",
            ["band", "count"],
            nutrition,
            x="band",
            y="count",
            sort_x=SHAPE_ORDER,
        ),
    }
    return SchoolDashboard(
        school=school,
        year=year,
        years=years,
        classes=classes,
        figures=figures,
        attendance=rate(enrolled_days - missed, enrolled_days),
        grade_0_share=grade_0,
        grade_3_up_share=grade_3_up,
        proportionate_share=rate(proportionate, measured),
        completeness=rate(taken, expected * len(classes)),
        as_of=summaries.as_of(),
        grades_by_class=grades_by_class,
        poverty=_poverty(actor, school, year),
    )


# ---------------------------------------------------------------- area (municipality, area office) ---------


@dataclass
class SchoolColumn:
    school: School
    attendance: float | None
    grade_0_share: float | None
    grade_3_up_share: float | None
    proportionate_share: float | None
    trend: dict[int, float | None]
    goals: dict[str, tuple[Decimal, float | None, bool | None]]  # indicator → (target, actual, met)
    poverty: tuple[str, str] = ("–", "–")  # eligible, screened: suppressed, as it leaves the school


@dataclass
class AreaDashboard:
    area: Area
    year_be: int
    years: list[int]
    schools: list[SchoolColumn]
    grade_table: list[tuple[str, list[str], str]]  # school, suppressed counts per grade, total
    grade_columns: list[str]
    grade_totals: list[str]
    figures: dict[str, Figure]
    as_of: dict[str, dt.datetime]
    can_set_goals: bool
    openable: set[int] = field(default_factory=set)  # schools whose own dashboard the actor may open


def get_area(*, actor: Any, code: str) -> Area:
    area = Area.objects.filter(code=code).select_related("agency").first()
    if (
        area is None
        or not Area.objects.filter(scope.area_filter(actor, Perm.VIEW_AGGREGATES), pk=area.pk).exists()
    ):
        raise NotAllowed()
    return area


def _area_poverty(actor: Any, schools: list[School], year: AcademicYear | None) -> dict[int, tuple[str, str]]:
    """Per school: children eligible for poverty support and children screened, as shown from above the
    school: the schools × (eligible, not eligible) table suppressed as a whole, so that no hidden count can
    be recovered from another school's or the totals. "–" where nothing was screened in that term."""
    shown: dict[int, tuple[str, str]] = {}
    known: dict[int, tuple[int, int]] = {}
    for school in schools:
        counts = None if year is None else _poverty(actor, school, year)
        if counts is None:
            continue
        if counts.screened is None or counts.eligible is None:
            shown[school.pk] = (HIDDEN, HIDDEN)  # already hidden by the welfare selector
        else:
            known[school.pk] = (counts.eligible, counts.screened - counts.eligible)
    ids = list(known)
    if ids:
        table = suppress([list(known[pk]) for pk in ids])
        for i, pk in enumerate(ids):
            shown[pk] = (_shown(table.cells[i][0]), _shown(table.row_totals[i]))
    return shown


def areas(*, actor: Any) -> QuerySet[Area]:
    return Area.objects.filter(scope.area_filter(actor, Perm.VIEW_AGGREGATES)).order_by("code")


def _shown(value: int | None) -> str:
    return HIDDEN if value is None else str(value)


def area_dashboard(*, actor: Any, area: Area, year_be: int | None = None) -> AreaDashboard:
    """Schools of an area side by side: attendance, grades and nutrition, three years' trend, goals.

    Counts of children leave the schools here, so they are suppressed (fewer than 5 shown as "<5", with
    secondary suppression so a hidden cell cannot be recovered from the totals). Eight queries.
    """
    schools = list(
        School.objects.filter(scope.visible(actor, School, Perm.VIEW_AGGREGATES), area=area)
        .select_related("area")
        .order_by("code")
    )
    years = sorted(
        AcademicYear.objects.filter(agency_id=area.agency_id).values_list("year_be", flat=True), reverse=True
    )
    today_be = be_year(timezone.localdate().year)
    year_be = (
        year_be if year_be in years else next((y for y in years if y <= today_be), years[0] if years else 0)
    )
    recent = [y for y in years if y <= year_be][:3]
    attendance: dict[tuple[int, int], float | None] = {}
    for row in (
        _summaries(actor, SchoolMonth)
        .filter(school__in=schools, academic_year__year_be__in=recent)
        .values("school_id", "academic_year__year_be")
        .annotate(e=Sum("enrolled"), m=Sum("missed"))
    ):
        attendance[(row["school_id"], row["academic_year__year_be"])] = rate(row["e"] - row["m"], row["e"])
    grade_counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        _summaries(actor, GradeCount)
        .filter(school__in=schools, academic_year__year_be=year_be)
        .values("school_id", "grade")
        .annotate(n=Sum("count"))
    ):
        grade_counts[row["school_id"]][row["grade"]] = row["n"]
    nutrition: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        _summaries(actor, NutritionCount)
        .filter(school__in=schools, academic_year__year_be=year_be)
        .values("school_id", "term__number", "band")
        .annotate(n=Sum("count"))
        .order_by("term__number")
    ):
        nutrition[row["school_id"]][row["band"]] = row["n"]  # the latest term's counts win
    goals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for school_id, indicator, target in Goal.objects.filter(
        scope.visible(actor, Goal), school__in=schools, academic_year__year_be=year_be
    ).values_list("school_id", "indicator", "target"):
        goals[school_id][indicator] = target
    year = (
        AcademicYear.objects.filter(agency_id=area.agency_id, year_be=year_be)
        .prefetch_related("terms")
        .first()
    )
    poverty = _area_poverty(actor, schools, year)
    # The grade table leaves the schools: suppress it as a whole (schools × grades).
    grade_columns = [g for g in GRADE_ORDER]
    table = suppress([[grade_counts[s.pk].get(g, 0) for g in grade_columns] for s in schools])
    columns = []
    for i, school in enumerate(schools):
        shown_counts = {g: table.cells[i][j] for j, g in enumerate(grade_columns)}
        zero, three_up = (None, None)
        if all(v is not None for v in shown_counts.values()):
            zero, three_up = _grade_shares({g: v or 0 for g, v in shown_counts.items()})
        bands = nutrition.get(school.pk, {})
        measured = sum(bands.values())
        proportionate = rate(bands.get("proportionate", 0), measured) if measured >= 5 else None
        actual: dict[str, float | None] = {
            Goal.Indicator.ATTENDANCE: attendance.get((school.pk, year_be)),
            Goal.Indicator.GRADE_0: zero,
            Goal.Indicator.GRADE_3_UP: three_up,
            Goal.Indicator.PROPORTIONATE: proportionate,
        }
        school_goals: dict[str, tuple[Decimal, float | None, bool | None]] = {}
        for indicator, target in goals.get(school.pk, {}).items():
            value = actual.get(indicator)
            lower_is_better = indicator == Goal.Indicator.GRADE_0
            met = None if value is None else (value <= target if lower_is_better else value >= target)
            school_goals[indicator] = (target, value, met)
        columns.append(
            SchoolColumn(
                school=school,
                attendance=attendance.get((school.pk, year_be)),
                grade_0_share=zero,
                grade_3_up_share=three_up,
                proportionate_share=proportionate,
                trend={y: attendance.get((school.pk, y)) for y in sorted(recent)},
                goals=school_goals,
                poverty=poverty.get(school.pk, ("–", "–")),
            )
        )
    figures = {
        "attendance_trend": Figure(
            "attendance_trend",
            "Attendance by school over three years (%)",
            ["school", "year", "attendance"],
            [
                {"school": c.school.code, "year": str(y), "attendance": v}
                for c in columns
                for y, v in c.trend.items()
                if v is not None
            ],
            mark="line",
            x="year",
            y="attendance",
            color="school",
            zero=False,
        ),
        "grade_0": Figure(
            "grade_0",
            "Share of grade 0 by school (%)",
            ["school", "grade_0_share"],
            [{"school": c.school.code, "grade_0_share": c.grade_0_share} for c in columns],
            x="school",
            y="grade_0_share",
        ),
    }
    return AreaDashboard(
        area=area,
        year_be=year_be,
        years=years,
        schools=columns,
        grade_table=[
            (s.name_th, [_shown(v) for v in table.cells[i]], _shown(table.row_totals[i]))
            for i, s in enumerate(schools)
        ],
        grade_columns=grade_columns,
        grade_totals=[_shown(v) for v in table.column_totals],
        figures=figures,
        as_of=summaries.as_of(rolled_up=[s.pk for s in schools]),
        can_set_goals=bool(schools) and scope.can(actor, Perm.SET_GOALS, schools[0]),
        openable=set(dashboard_schools(actor=actor).filter(area=area).values_list("pk", flat=True)),
    )


# ---------------------------------------------------------------- agency / ministry analyst ----------------

DIMENSIONS = {
    "province": ("school__area__province__name_th", gettext_noop("Province")),
    "area": ("school__area__name_th", gettext_noop("Area office")),
    "agency": ("school__area__agency__short_th", gettext_noop("Agency")),
    "level": ("grade", gettext_noop("Grade level")),
    "sex": ("sex", gettext_noop("Sex")),
}
MEASURES = ("grades", "absence", "nutrition")
SEX_TH = {"M": "ชาย", "F": "หญิง", "": "ไม่ระบุ"}


@dataclass
class Aggregate:
    """A suppressed table: rows of a dimension × columns, with totals; every cell already a string."""

    measure: str
    dimension: str
    year_be: int
    columns: list[str]
    rows: list[tuple[str, list[str], str]]
    totals: list[str]
    total: str
    figure: Figure = field(default_factory=lambda: Figure("aggregate", "", [], []))


def _dim_label(dimension: str, value: Any) -> str:
    if dimension == "sex":
        return SEX_TH.get(value or "", value or "")
    if dimension == "level":
        return grades.label(value) if value else "-"
    return value or "-"


def aggregate(*, actor: Any, measure: str, dimension: str, year_be: int) -> Aggregate:
    """Counts by province, area, agency, grade level or sex, within the actor's reach; only aggregates, and
    every table suppressed (primary and secondary) so no child can be singled out."""
    if measure not in MEASURES or dimension not in DIMENSIONS:
        raise NotAllowed()
    if not scope.holds(actor, Perm.VIEW_AGGREGATES):
        raise NotAllowed()
    path, _label = DIMENSIONS[dimension]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if measure == "grades":
        columns = GRADE_ORDER
        level_path = "grade_level" if dimension == "level" else path
        for key, col, n in (
            _summaries(actor, GradeCount)
            .filter(academic_year__year_be=year_be)
            .values_list(level_path, "grade")
            .annotate(n=Sum("count"))
        ):
            counts[_dim_label(dimension, key)][col] += n
    elif measure == "nutrition":
        columns = SHAPE_ORDER
        level_path = "grade_level" if dimension == "level" else path
        latest = (
            _summaries(actor, NutritionCount)
            .filter(academic_year__year_be=year_be)
            .order_by("-term__number")
            .values_list("term__number", flat=True)
            .first()
        )
        for key, col, n in (
            _summaries(actor, NutritionCount)
            .filter(academic_year__year_be=year_be, term__number=latest)
            .values_list(level_path, "band")
            .annotate(n=Sum("count"))
        ):
            counts[_dim_label(dimension, key)][col] += n
    else:
        # Child-days by month: absent or on leave, and attended. Each month's pair is two columns.
        columns = []
        # Girls are counted beside the total in each class-day, so "by sex" splits one row into two.
        # Grade levels need the class-days; every other dimension reads the school-months.
        group = "grade" if dimension == "level" else ("school_id" if dimension == "sex" else path)
        for key, month, enrolled, missed, enrolled_f, missed_f in (
            _summaries(actor, ClassDay if dimension == "level" else SchoolMonth)
            .filter(academic_year__year_be=year_be)
            .values_list(group, "month")
            .annotate(e=Sum("enrolled"), x=Sum("missed"), ef=Sum("enrolled_female"), xf=Sum("missed_female"))
        ):
            column = f"{be_year(month.year)}-{month.month:02d}"
            if column not in columns:
                columns.append(column)
            parts = [(key, enrolled, missed)]
            if dimension == "sex":
                parts = [("F", enrolled_f, missed_f), ("M", enrolled - enrolled_f, missed - missed_f)]
            for part_key, part_enrolled, part_missed in parts:
                counts[_dim_label(dimension, part_key)][column] += part_missed
                counts[_dim_label(dimension, part_key)][column + "/n"] += part_enrolled
        columns.sort()
        rows = sorted(counts)
        absences = suppress([[counts[r][c] for c in columns] for r in rows])
        shown_rows = []
        figure_rows = []
        for i, r in enumerate(rows):
            cells = []
            for j, c in enumerate(columns):
                value = absences.cells[i][j]
                share = rate(value, counts[r][c + "/n"]) if value is not None else None
                cells.append(HIDDEN if value is None else f"{share}%")
                if share is not None:
                    figure_rows.append({"group": r, "month": c, "absence_rate": share})
            shown_rows.append((r, cells, _shown(absences.row_totals[i])))
        return Aggregate(
            measure,
            dimension,
            year_be,
            columns,
            shown_rows,
            [_shown(v) for v in absences.column_totals],
            _shown(absences.total),
            Figure(
                "aggregate",
                "Absence rate by month (%)",
                ["group", "month", "absence_rate"],
                figure_rows,
                mark="line",
                x="month",
                y="absence_rate",
                color="group",
            ),
        )
    rows = sorted(counts)
    table = suppress([[counts[r].get(c, 0) for c in columns] for r in rows])
    figure_rows = [
        {"group": r, "column": c, "count": table.cells[i][j]}
        for i, r in enumerate(rows)
        for j, c in enumerate(columns)
        if table.cells[i][j]
    ]
    return Aggregate(
        measure,
        dimension,
        year_be,
        list(columns),
        [(r, [_shown(v) for v in table.cells[i]], _shown(table.row_totals[i])) for i, r in enumerate(rows)],
        [_shown(v) for v in table.column_totals],
        _shown(table.total),
        Figure(
            "aggregate",
            "Counts",
            ["group", "column", "count"],
            figure_rows,
            x="group",
            y="count",
            color="column",
        ),
    )


def analysis_years(*, actor: Any) -> list[int]:
    return sorted(set(AcademicYear.objects.values_list("year_be", flat=True)), reverse=True)


# ---------------------------------------------------------------- one child (x-ray) ------------------------


@dataclass
class TermGrades:
    year_be: int
    term: int
    school: str
    results: list[Result]
    gpa: Decimal | None


@dataclass
class XRay:
    person: Person
    sensitive: bool  # the actor may see the child's family and present circumstances (followed now)
    enrolments: list[Enrolment]
    terms: list[TermGrades]
    attendance_year: AcademicYear | None
    attendance_counts: dict[str, int]
    figures: dict[str, Figure]
    measurements: list[Measurement]
    screenings: list[Screening]
    welfare: ChildWelfare | None = None  # household, poverty screening, home visits, aptitudes
    notes: list[CareNote] = field(default_factory=list)  # care notes and interventions (audited reads)
    interventions: list[Intervention] = field(default_factory=list)
    sees_care: bool = False  # health and care records, each as far as its own rule allows


def _status_colours(counts: dict[str, int]) -> dict[str, str]:
    """Present is a quiet grey-green, so the days that were not stand out."""
    palette = {"มา": "#d9e8d5", "ขาด": "#c0392b", "ลาป่วย": "#e67e22", "ลากิจ": "#f1c40f", "มาสาย": "#5b7fbf"}
    spare = iter(["#8e44ad", "#16a085", "#7f8c8d", "#2c3e50"])
    return {status: palette.get(status) or next(spare, "#999999") for status in counts}


def _attendance_calendar(
    actor: Any, person: Person, enrolments: list[Enrolment]
) -> tuple[Figure, dict[str, int]]:
    """The child's daily registers in their latest academic year as a week × weekday heat map."""
    latest = max((e for e in enrolments if e.classroom_id), key=lambda e: e.starts_on, default=None)
    counts: dict[str, int] = defaultdict(int)
    empty = Figure("calendar", "Attendance calendar", ["date", "status"], [])
    if latest is None:
        return empty, counts
    in_year = [e for e in enrolments if e.academic_year_id == latest.academic_year_id and e.classroom_id]
    registers: list[tuple[int, dt.date]] = []
    for enrolment in in_year:
        registers += [
            (pk, day)
            for pk, day in Register.objects.filter(
                scope.visible(actor, Register),
                classroom_id=enrolment.classroom_id or 0,
                period=0,
                date__gte=enrolment.starts_on,
            )
            .filter(date__lte=enrolment.ends_on or dt.date.max)
            .values_list("pk", "date")
        ]
    marks = dict(
        Mark.objects.filter(
            scope.visible(actor, Mark), person=person, register_id__in=[pk for pk, _ in registers]
        ).values_list("register_id", "code__label_th")
    )
    rows = []
    first = min((day for _, day in registers), default=None)
    for pk, day in sorted(registers, key=lambda r: r[1]):
        status = marks.get(pk, "มา")
        counts[status] += 1
        assert first is not None
        week = (day - (first - dt.timedelta(days=first.weekday()))).days // 7 + 1
        rows.append(
            {"date": day.isoformat(), "week": week, "weekday": WEEKDAYS_TH[day.weekday()], "status": status}
        )
    figure = Figure(
        "calendar",
        "Attendance calendar",
        ["date", "weekday", "status"],
        rows,
        mark="rect",
        x="week",
        y="weekday",
        color="status",
        x_type="O",
        sort_y=WEEKDAYS_TH[:5],
        colors=_status_colours(counts),
    )
    return figure, dict(counts)


def xray(*, actor: Any, uuid: str) -> XRay:
    """Everything about one child on one page, each part only if the actor may see it; sensitive parts
    (health, care screenings) are read through their own audited selectors."""
    person = people_selectors.get_student(actor=actor, uuid=uuid)
    sensitive = Person.objects.filter(
        scope.visible(actor, Person, Perm.VIEW_SENSITIVE), pk=person.pk
    ).exists()
    enrolments = list(people_selectors.history(actor=actor, person=person))
    by_term: dict[tuple[int, int], list[Result]] = defaultdict(list)
    for result in (
        Result.objects.filter(scope.visible(actor, Result), person=person)
        .select_related("course__term__academic_year", "course__school")
        .order_by("course__academic_year__year_be", "course__term__number", "course__code")
    ):
        by_term[(result.course.term.academic_year.year_be, result.course.term.number)].append(result)
    terms = [
        TermGrades(
            year_be=year_be,
            term=number,
            school=results[0].course.school.name_th,
            results=results,
            gpa=gpa_of((r.grade, r.course.credits, r.course.hours) for r in results),
        )
        for (year_be, number), results in sorted(by_term.items())
    ]
    calendar, counts = _attendance_calendar(actor, person, enrolments)
    figures = {
        "calendar": calendar,
        "gpa": Figure(
            "gpa",
            "Grade point average by term",
            ["term", "school", "gpa"],
            [
                {"term": f"{t.term}/{t.year_be}", "school": t.school, "gpa": float(t.gpa)}
                for t in terms
                if t.gpa is not None
            ],
            mark="line",
            x="term",
            y="gpa",
        ),
    }
    # Health and care: each read through its own rule, so a school the child has left still sees what it
    # recorded while the child was there, and nothing later.
    measurements: list[Measurement] = []
    screenings: list[Screening] = []
    notes: list[CareNote] = []
    interventions: list[Intervention] = []
    sees_care = scope.holds(actor, Perm.VIEW_SENSITIVE)
    if sees_care:
        _person, measurements = health_selectors.growth_of(actor=actor, uuid=uuid)
        screenings = list(
            care_selectors.current_by_area(care_selectors.screenings_for(actor=actor, person=person)).values()
        )
        notes = care_selectors.notes_for(actor=actor, person=person)
        interventions = care_selectors.interventions_for(actor=actor, person=person)
    latest_year = next((e.academic_year for e in reversed(enrolments) if e.classroom_id), None)
    welfare = None
    if sensitive:
        try:
            welfare = welfare_selectors.child_welfare(actor=actor, person=person)
        except NotAllowed:
            welfare = None
    return XRay(
        notes=notes,
        interventions=interventions,
        sees_care=sees_care,
        welfare=welfare,
        person=person,
        sensitive=sensitive,
        enrolments=enrolments,
        terms=terms,
        attendance_year=latest_year,
        attendance_counts=counts,
        figures=figures,
        measurements=measurements,
        screenings=screenings,
    )
