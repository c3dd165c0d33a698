"""Dashboard pages: class, school, area, analysis and one child. Charts come from a separate cached
endpoint (`…/figures/<name>.svg`) so a page's own server time stays low; `….csv` gives the numbers."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from khru.attendance import selectors as attendance
from khru.core import csvfile
from khru.core.dates import format_be
from khru.core.errors import KhruError, NotAllowed
from khru.core.pdf import render_pdf
from khru.core.views import month_links, month_param
from khru.earlywarning import selectors as earlywarning
from khru.health.chart import growth_chart
from khru.health.growth import Indicator
from khru.insights import charts, selectors, services
from khru.insights.charts import Figure
from khru.insights.models import Goal
from khru.org import scope
from khru.org import selectors as org_selectors
from khru.org.roles import Perm


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


def _guarded(build: Callable[[], Any]) -> Any:
    try:
        return build()
    except NotAllowed as error:
        raise Http404 from error


def _figure_response(figure: Figure, fmt: str) -> HttpResponse:
    if fmt == "csv":
        return csvfile.response(f"{figure.name}.csv", charts.csv_rows(figure))
    response = HttpResponse(charts.svg(figure), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _pick(figures: dict[str, Figure], name: str) -> Figure:
    if name not in figures:
        raise Http404
    return figures[name]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where each person's pictures are: their classes, their schools, their areas, the national analysis."""
    user = request.user
    context = {
        "classrooms": list(org_selectors.my_classrooms(actor=user)[:20]),
        "schools": list(selectors.dashboard_schools(actor=user).order_by("code")[:50]),
        "areas": list(selectors.areas(actor=user)[:50]),
        "analysis": scope.holds(user, Perm.VIEW_AGGREGATES, above_school=True),
    }
    return render(request, "insights/index.html", context)


# ---------------------------------------------------------------- class


def _class(request: HttpRequest, uuid: str) -> earlywarning.ClassDashboard:
    def build() -> earlywarning.ClassDashboard:
        classroom = org_selectors.get_classroom(actor=request.user, uuid=uuid, perm=Perm.VIEW_STUDENTS)
        return earlywarning.class_dashboard(actor=request.user, classroom=classroom)

    result: earlywarning.ClassDashboard = _guarded(build)
    return result


@login_required
def classroom(request: HttpRequest, uuid: str) -> HttpResponse:
    board = _class(request, uuid)
    base = reverse("insights:class", args=[uuid])
    return render(request, "insights/class.html", {"board": board, "base": base})


@login_required
def class_figure(request: HttpRequest, uuid: str, name: str, fmt: str) -> HttpResponse:
    return _figure_response(_pick(_class(request, uuid).figures, name), fmt)


# ---------------------------------------------------------------- school


# A school's board is kept this long for the one who asked: the page and its charts (each a request of its
# own) are built once, and a principal's morning refreshes cost nothing. The page shows its "as of" time.
BOARD_SECONDS = 60


def _school(request: HttpRequest, code: str) -> selectors.SchoolDashboard:
    school = _guarded(lambda: selectors.get_school(actor=request.user, code=code))  # checked every time
    year = _year(request)
    key = f"khru:board:school:{request.user.pk}:{school.pk}:{year or ''}"
    board: selectors.SchoolDashboard | None = cache.get(key)
    if board is None:
        board = _guarded(lambda: selectors.school_dashboard(actor=request.user, school=school, year_be=year))
        cache.set(key, board, BOARD_SECONDS)
    return board


@login_required
def school(request: HttpRequest, code: str) -> HttpResponse:
    board = _school(request, code)
    base = reverse("insights:school", args=[code])
    return render(
        request,
        "insights/school.html",
        {
            "board": board,
            "base": base,
            "query": f"?year={board.year.year_be}",
            "grade_columns": selectors.GRADE_ORDER,
            "follows_up": scope.can(request.user, Perm.VIEW_RISK, board.school),
        },
    )


@login_required
def school_registers(request: HttpRequest, code: str) -> HttpResponse:
    """The principal's monthly follow-up of the daily registers: each class's expected, received, on time,
    and the days still missing. Whoever may open the school's dashboard may open it."""
    school = _guarded(lambda: selectors.get_school(actor=request.user, code=code))
    start, end = month_param(request)
    rows = attendance.register_reporting(actor=request.user, classes=Q(school=school), start=start, end=end)
    total = sum((row.reporting for row in rows), attendance.Reporting())
    context = {"school": school, "rows": rows, "total": total, "month": month_links(start)}
    return render(request, "insights/registers.html", context)


PDF_DIR = Path(__file__).resolve().parent / "pdf"
FIGURE_TITLES = {
    "by_class": "ขาดหรือลารายห้อง (%)",
    "by_weekday": "ขาดหรือลาตามวันในสัปดาห์ (%)",
    "by_month": "การมาเรียนรายเดือน (%)",
    "reasons": "สาเหตุการขาดเรียน",
    "grades_by_subject": "ผลการเรียนตามกลุ่มสาระ",
    "grades_by_year": "ผลการเรียนเทียบปีต่อปี",
    "nutrition": "น้ำหนักตามเกณฑ์ส่วนสูง (ภาคเรียนล่าสุด)",
}


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value}%"


@login_required
def school_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The school's dashboard as a PDF: the same figures, drawn from the same specs."""
    board = _school(request, code)
    as_of = max(board.as_of.values()) if board.as_of else None
    data = {
        "school": board.school.name_th,
        "year": board.year.year_be,
        "as_of": format_be(timezone.localtime(as_of).date()) if as_of else "–",
        "kpis": [
            _percent(v)
            for v in (
                board.attendance,
                board.grade_0_share,
                board.grade_3_up_share,
                board.proportionate_share,
                board.completeness,
            )
        ],
        "figures": [
            {"title": FIGURE_TITLES[name], "svg": charts.svg(figure)}
            for name, figure in board.figures.items()
            if not figure.empty
        ],
        "classes": [
            [c.name, _percent(c.attendance), c.absent, c.leave, c.late, f"{c.days_taken}/{c.days_expected}"]
            for c in board.classes
        ],
    }
    pdf = render_pdf(PDF_DIR / "school.typ", data=data)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{board.school.code}-{board.year.year_be}.pdf"'
    return response


@login_required
def school_figure(request: HttpRequest, code: str, name: str, fmt: str) -> HttpResponse:
    return _figure_response(_pick(_school(request, code).figures, name), fmt)


# ---------------------------------------------------------------- area


def _area(request: HttpRequest, code: str) -> selectors.AreaDashboard:
    def build() -> selectors.AreaDashboard:
        area = selectors.get_area(actor=request.user, code=code)
        return selectors.area_dashboard(actor=request.user, area=area, year_be=_year(request))

    result: selectors.AreaDashboard = _guarded(build)
    return result


@login_required
def area(request: HttpRequest, code: str) -> HttpResponse:
    board = _area(request, code)
    problems: list[Any] = []
    typed: dict[str, str] = {}
    if request.method == "POST" and board.can_set_goals:
        year = (
            org_selectors.agency_years(agency_id=board.area.agency_id).filter(year_be=board.year_be).first()
        )
        if year is None:
            raise Http404
        targets = {}
        for column in board.schools:
            for indicator in Goal.Indicator.values:
                name = f"goal-{column.school.code}-{indicator}"
                if name in request.POST:
                    typed[name] = str(request.POST[name])
                    targets[(column.school, indicator)] = typed[name]
        try:
            services.set_goals(actor=request.user, year=year, targets=targets)
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            problems = error.problems
        else:
            messages.success(request, _("The goals are saved."))
            return redirect(f"{request.path}?year={board.year_be}")
    goal_rows = [
        (
            column,
            [
                (
                    label,
                    f"goal-{column.school.code}-{indicator}",
                    column.goals.get(indicator),
                    typed.get(
                        f"goal-{column.school.code}-{indicator}",
                        str(column.goals[indicator][0]) if indicator in column.goals else "",
                    ),
                )
                for indicator, label in Goal.Indicator.choices
            ],
        )
        for column in board.schools
    ]
    start, end = month_param(request)
    reporting = attendance.register_reporting(
        actor=request.user,
        classes=Q(school__area=board.area),
        start=start,
        end=end,
        perm=Perm.VIEW_AGGREGATES,
    )
    context = {
        "board": board,
        "reporting": attendance.reporting_by_school(reporting),
        "month": month_links(start),
        "goal_rows": goal_rows,
        "typed": typed,
        "problems": problems,
        "base": reverse("insights:area", args=[code]),
        "query": f"?year={board.year_be}",
    }
    return render(request, "insights/area.html", context, status=400 if problems else 200)


@login_required
def area_figure(request: HttpRequest, code: str, name: str, fmt: str) -> HttpResponse:
    return _figure_response(_pick(_area(request, code).figures, name), fmt)


# ---------------------------------------------------------------- analysis


def _aggregate(request: HttpRequest) -> selectors.Aggregate:
    measure = request.GET.get("measure", "grades")
    dimension = request.GET.get("by", "area")
    years = selectors.analysis_years(actor=request.user)
    year_be = _year(request) or (years[1] if len(years) > 1 else (years[0] if years else 0))

    def build() -> selectors.Aggregate:
        return selectors.aggregate(actor=request.user, measure=measure, dimension=dimension, year_be=year_be)

    result: selectors.Aggregate = _guarded(build)
    return result


@login_required
def analysis(request: HttpRequest) -> HttpResponse:
    table = _aggregate(request)
    query = f"?measure={table.measure}&by={table.dimension}&year={table.year_be}"
    context = {
        "table": table,
        "query": query,
        "measures": [("grades", _("Grades")), ("absence", _("Absence rate")), ("nutrition", _("Nutrition"))],
        "dimensions": [(key, _(label)) for key, (_path, label) in selectors.DIMENSIONS.items()],
        "years": selectors.analysis_years(actor=request.user),
    }
    return render(request, "insights/analysis.html", context)


@login_required
def analysis_figure(request: HttpRequest, fmt: str) -> HttpResponse:
    table = _aggregate(request)
    if fmt == "csv":
        # The suppressed table itself, as shown: "<5" stays "<5".
        rows = [
            [table.dimension, *table.columns, "total"],
            *([label, *cells, total] for label, cells, total in table.rows),
            ["total", *table.totals, table.total],
        ]
        return csvfile.response(f"{table.measure}-by-{table.dimension}-{table.year_be}.csv", rows)
    return _figure_response(table.figure, fmt)


# ---------------------------------------------------------------- one child


def _xray(request: HttpRequest, uuid: str) -> selectors.XRay:
    result: selectors.XRay = _guarded(lambda: selectors.xray(actor=request.user, uuid=str(uuid)))
    return result


@login_required
def student(request: HttpRequest, uuid: str) -> HttpResponse:
    xray = _xray(request, uuid)
    growth = []
    if xray.measurements and xray.person.sex in ("M", "F"):
        chart = growth_chart(
            indicator=Indicator.HEIGHT_FOR_AGE,
            sex=xray.person.sex,  # type: ignore[arg-type]
            points=[
                (float(m.age_months), float(m.height_cm), m.measured_on.isoformat())
                for m in xray.measurements
            ],
        )
        if chart is not None:
            growth.append(chart)
    context = {"x": xray, "growth": growth, "base": reverse("insights:student", args=[uuid])}
    return render(request, "insights/student.html", context)


@login_required
def student_figure(request: HttpRequest, uuid: str, name: str, fmt: str) -> HttpResponse:
    return _figure_response(_pick(_xray(request, uuid).figures, name), fmt)
