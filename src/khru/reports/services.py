"""Every reports write: generating a file (and, for a PDF, the issued-document row), background runs."""

import datetime as dt
import hashlib
import io
import json
import secrets
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from khru.core import audit
from khru.reports import render, selectors
from khru.reports.catalog import Params, Report
from khru.reports.models import IssuedDocument, ReportRun

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread from paper
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verify_url(code: str, base: str = "") -> str:
    base = (base or getattr(settings, "KHRU_PUBLIC_URL", "")).rstrip("/")
    return f"{base}/verify/{code}"


def generate(
    *, actor: Any, report: Report, params: Params, fmt: str, out: IO[bytes], base_url: str = ""
) -> IssuedDocument | None:
    """Write the report to `out`. A PDF gets a verification code and an issued-document row with its hash.

    Per-student forms (ปพ.1, ปพ.6, ปพ.8) for a whole school are one PDF per class, in one ZIP file: each class's
    PDF is what a homeroom teacher prints and each has its own code, and memory stays that of one class.
    The caller has checked access (selectors.params_for); the rows read are scoped again by the selectors.
    """
    if fmt not in report.formats:
        raise ValueError(fmt)
    if fmt == "csv":
        render.write_csv(report, params, out)
    elif fmt == "xlsx":
        render.write_xlsx(report, params, out)
    elif render.is_bundle(report, params, fmt):
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as bundle:
            for classroom in selectors.classrooms_in(params):
                per_class = replace(params, classroom=classroom)
                content, _ = _issue_pdf(actor=actor, report=report, params=per_class, base_url=base_url)
                bundle.writestr(f"{report.code}-{classroom.grade}-{classroom.room}.pdf", content)
        return None
    else:
        content, document = _issue_pdf(actor=actor, report=report, params=params, base_url=base_url)
        out.write(content)
        return document
    audit.record(
        actor=actor,
        action=audit.Action.EXPORT,
        obj=params.school or params.area,  # type: ignore[arg-type]
        school_id=params.school.pk if params.school else None,
        summary=_summary(report, params, fmt),
    )
    return None


def _summary(report: Report, params: Params, fmt: str) -> str:
    return f"report {report.code} {fmt} {json.dumps(params.as_json(), ensure_ascii=False)}"


def _issue_pdf(*, actor: Any, report: Report, params: Params, base_url: str) -> tuple[bytes, IssuedDocument]:
    code = new_code()
    content = render_pdf_bytes(
        report, params, code=code, issued_on=timezone.localdate(), url=verify_url(code, base_url)
    )
    with transaction.atomic():
        document = IssuedDocument.objects.create(
            code=code,
            sha256=hashlib.sha256(content).hexdigest(),
            report_code=report.code,
            title=f"{report.form_th} {report.th}".strip(),
            school=params.school,
            area=params.area if params.school is None else None,
            params=params.as_json(),
            issued_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action=audit.Action.EXPORT,
            obj=document,
            school_id=params.school.pk if params.school else None,
            summary=_summary(report, params, "pdf"),
        )
    return content, document


def render_pdf_bytes(report: Report, params: Params, *, code: str, issued_on: dt.date, url: str) -> bytes:
    buffer = io.BytesIO()
    render.write_pdf(report, params, buffer, code=code, issued_on=issued_on, verify_url=url)
    return buffer.getvalue()


def request_key(*, report: Report, params: Params, fmt: str, actor: Any) -> str:
    material = json.dumps(
        [report.code, params.as_json(), fmt, getattr(actor, "pk", None)], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(material.encode()).hexdigest()


def open_run(
    *, actor: Any, report: Report, params: Params, fmt: str, base_url: str = ""
) -> tuple[ReportRun, bool]:
    """The run for this request: the one already queued or running for the same report, parameters, format
    and person, or a new queued one (then True: the caller, `tasks.request_run`, hands it to a worker)."""
    key = request_key(report=report, params=params, fmt=fmt, actor=actor)
    in_flight = ReportRun.objects.filter(request_key=key, status__in=["queued", "running"]).first()
    if in_flight is not None:
        return in_flight, False
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(
                request_key=key,
                report_code=report.code,
                format=fmt,
                extension=render.extension(report, params, fmt),
                params={**params.as_json(), "base_url": base_url},
                school=params.school,
                area=params.area if params.school is None else None,
                requested_by=actor if getattr(actor, "pk", None) else None,
                total=report.count(params),
            )
            audit.record(
                actor=actor,
                action=audit.Action.CREATE,
                obj=run,
                school_id=params.school.pk if params.school else None,
                summary=f"report run {report.code} {fmt}",
            )
    except IntegrityError:  # the same request arrived at the same moment
        return ReportRun.objects.get(request_key=key, status__in=["queued", "running"]), False
    return run, True


def run_path(run: ReportRun) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / f"{run.uuid}.{run.extension or run.format}"


class _Progress:
    """Counts units done and saves the count at most every second (a 2,000-child run saves ~60 times)."""

    def __init__(self, run: ReportRun) -> None:
        self.run = run
        self.saved_at = 0.0

    def __call__(self, n: int) -> None:
        self.run.done += n
        now = time.monotonic()
        if now - self.saved_at >= 1.0:
            self.saved_at = now
            ReportRun.objects.filter(pk=self.run.pk).update(done=min(self.run.done, self.run.total))


def execute_run(*, run: ReportRun, actor: Any, report: Report, params: Params) -> None:
    """Generate the run's file in MEDIA_ROOT, updating progress as units are rendered."""
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING)
    params.progress = _Progress(run)
    path = run_path(run)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("wb") as out:
            document = generate(
                actor=actor,
                report=report,
                params=params,
                fmt=run.format,
                out=out,
                base_url=run.params.get("base_url", ""),
            )
    except Exception as error:
        ReportRun.objects.filter(pk=run.pk).update(
            status=ReportRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    ReportRun.objects.filter(pk=run.pk).update(
        status=ReportRun.Status.DONE,
        done=run.total,
        file_name=path.name,
        document_code=document.code if document else "",
        finished_at=timezone.now(),
    )


def purge_runs(*, before: dt.datetime, dry_run: bool) -> int:
    """Delete finished report runs made before the cut-off, with their files (the retention job). Issued
    documents stay: their codes must keep verifying."""
    runs = list(
        ReportRun.objects.filter(created_at__lt=before).exclude(
            status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING]
        )
    )
    if not dry_run:
        for run in runs:
            run_path(run).unlink(missing_ok=True)
        ReportRun.objects.filter(pk__in=[run.pk for run in runs]).delete()
    return len(runs)
