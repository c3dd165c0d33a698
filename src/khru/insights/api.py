"""The dashboards' figures as data: the same numbers as the pages' charts and CSV links."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from khru.insights import selectors
from khru.insights.charts import Figure

router = Router(tags=["insights"])


class FigureOut(Schema):
    name: str
    columns: list[str]
    rows: list[dict[str, Any]]


class SchoolDashboardOut(Schema):
    school: str
    year_be: int
    attendance: float | None
    grade_0_share: float | None
    grade_3_up_share: float | None
    proportionate_share: float | None
    completeness: float | None
    figures: list[FigureOut]


class AggregateQuery(Schema):
    measure: str = Field("grades", description="grades, absence or nutrition")
    by: str = Field("area", description="province, area, agency, level or sex")
    year: int


class AggregateOut(Schema):
    measure: str
    by: str
    year_be: int
    columns: list[str]
    rows: list[dict[str, Any]] = Field(description='suppressed: counts below 5 are "<5"')


def _figure(figure: Figure) -> FigureOut:
    return FigureOut(name=figure.name, columns=figure.columns, rows=figure.rows)


@router.get("/insights/schools/{code}", response=SchoolDashboardOut)
def school(request: HttpRequest, code: str, year: int | None = None) -> SchoolDashboardOut:
    """A school's dashboard figures for one academic year (the principal's scope)."""
    found = selectors.get_school(actor=request.user, code=code)
    board = selectors.school_dashboard(actor=request.user, school=found, year_be=year)
    return SchoolDashboardOut(
        school=found.code,
        year_be=board.year.year_be,
        attendance=board.attendance,
        grade_0_share=board.grade_0_share,
        grade_3_up_share=board.grade_3_up_share,
        proportionate_share=board.proportionate_share,
        completeness=board.completeness,
        figures=[_figure(f) for f in board.figures.values()],
    )


@router.get("/insights/aggregates", response=AggregateOut)
def aggregate(request: HttpRequest, query: Query[AggregateQuery]) -> AggregateOut:
    """Aggregates by province, area, agency, grade level or sex, suppressed, within the caller's reach."""
    table = selectors.aggregate(
        actor=request.user, measure=query.measure, dimension=query.by, year_be=query.year
    )
    return AggregateOut(
        measure=table.measure,
        by=table.dimension,
        year_be=table.year_be,
        columns=table.columns,
        rows=[
            {"group": label, **dict(zip(table.columns, cells, strict=True)), "total": total}
            for label, cells, total in table.rows
        ],
    )
