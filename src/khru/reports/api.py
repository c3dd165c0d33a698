"""The report catalog over the API: what the caller can produce, and background runs with their progress."""

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status

from khru.core.errors import problem
from khru.reports import selectors, tasks
from khru.reports.models import ReportRun

router = Router(tags=["reports"])


class ReportOut(Schema):
    code: str
    name_th: str
    name_en: str
    level: str
    formats: list[str]
    next_due: dt.date | None
    computed_percent: int


class RunIn(Schema):
    report: str
    format: str = "pdf"
    school: str = ""
    classroom: str = ""
    area: str = ""
    year: int | None = None
    term: int | None = None


class RunOut(Schema):
    uuid: UUID
    report: str
    format: str
    status: str
    done: int
    total: int
    document_code: str


def _run(run: ReportRun) -> RunOut:
    return RunOut(
        uuid=run.uuid,
        report=run.report_code,
        format=run.format,
        status=run.status,
        done=run.done,
        total=run.total,
        document_code=run.document_code,
    )


@router.get("/reports", response=list[ReportOut])
def catalog(request: HttpRequest) -> list[ReportOut]:
    return [
        ReportOut(
            code=entry.report.code,
            name_th=entry.report.th,
            name_en=entry.report.en,
            level=entry.report.level.value,
            formats=list(entry.report.formats),
            next_due=entry.next_due,
            computed_percent=entry.report.computed_percent,
        )
        for entry in selectors.catalog_for(actor=request.user)
    ]


@router.post("/reports/runs", response={202: RunOut})
def request_run(request: HttpRequest, payload: RunIn) -> Status:
    """Queue a report (the same request while one is in flight returns that run); poll /reports/runs/{uuid}."""
    report, params = selectors.params_for(
        actor=request.user,
        code=payload.report,
        school_code=payload.school,
        classroom_uuid=payload.classroom,
        area_code=payload.area,
        year_be=payload.year,
        term_number=payload.term,
    )
    if payload.format not in report.formats:
        raise problem("format", "ไม่มีรูปแบบไฟล์นี้", "no such format")
    run = tasks.request_run(
        actor=request.user,
        report=report,
        params=params,
        fmt=payload.format,
        base_url=request.build_absolute_uri("/"),
    )
    return Status(202, _run(run))


@router.get("/reports/runs/{uuid}", response=RunOut)
def run_status(request: HttpRequest, uuid: UUID) -> RunOut:
    return _run(selectors.get_run(actor=request.user, uuid=uuid))
