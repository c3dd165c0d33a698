"""Reports pages: the catalog, generating (download now or in the background), runs, the ledger, verification."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from khru.core.errors import KhruError, NotAllowed
from khru.core.ratelimit import TOO_MANY, allow
from khru.core.views import or_404
from khru.org import scope
from khru.org.roles import Perm
from khru.people import selectors as people_selectors
from khru.reports import pdpa, selectors, services, tasks
from khru.reports import render as renderers

# Below this many students a report is generated while the user waits; above it, in the background.
SYNC_LIMIT = 200


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    entries = selectors.catalog_for(actor=request.user)
    context = {"entries": entries, "runs": selectors.runs(actor=request.user)[:10]}
    return render(request, "reports/catalog.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def generate(request: HttpRequest, code: str) -> HttpResponse:
    """Generate a report: small ones download at once, big ones (or `background`) become a run."""
    fmt = request.POST.get("format", "pdf")
    try:
        report, params = selectors.params_for(
            actor=request.user,
            code=code,
            school_code=request.POST.get("school", ""),
            classroom_uuid=request.POST.get("classroom", ""),
            area_code=request.POST.get("area", ""),
            year_be=_int(request.POST.get("year")),
            term_number=_int(request.POST.get("term")),
            on=_date(request.POST.get("on")),
        )
        if fmt not in report.formats:
            raise Http404
        if request.POST.get("background") or report.count(params) > SYNC_LIMIT:
            run = tasks.request_run(
                actor=request.user,
                report=report,
                params=params,
                fmt=fmt,
                base_url=request.build_absolute_uri("/"),
            )
            return redirect("reports:run", uuid=run.uuid)
        extension = renderers.extension(report, params, fmt)
        response = HttpResponse(content_type=renderers.TYPES[extension])
        services.generate(
            actor=request.user,
            report=report,
            params=params,
            fmt=fmt,
            out=response,  # type: ignore[arg-type]
            base_url=request.build_absolute_uri("/"),
        )
    except NotAllowed as error:
        raise Http404 from error
    except KhruError as error:
        return render(
            request,
            "reports/catalog.html",
            {"entries": selectors.catalog_for(actor=request.user), "problems": error.problems},
            status=400,
        )
    response["Content-Disposition"] = (
        f'attachment; filename="{code}-{timezone.localdate():%Y%m%d}.{extension}"'
    )
    return response


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def run(request: HttpRequest, uuid: str) -> HttpResponse:
    """A background run: a progress bar that HTMX refreshes every 2 s until the file is ready."""
    try:
        found = selectors.get_run(actor=request.user, uuid=uuid)
    except NotAllowed as error:
        raise Http404 from error
    template = "reports/run.html#progress" if request.headers.get("HX-Request") else "reports/run.html"
    return render(request, template, {"run": found})


@login_required
def download(request: HttpRequest, uuid: str) -> FileResponse:
    try:
        found = selectors.get_run(actor=request.user, uuid=uuid)
    except NotAllowed as error:
        raise Http404 from error
    path = services.run_path(found)
    if found.status != found.Status.DONE or not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"{found.report_code}.{found.extension or found.format}"
    )


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/ledger.html", {"ledger": selectors.ledger()})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public (no login): was a document with this code issued, and is an uploaded copy unaltered?"""
    if not allow(request, bucket="verify-document"):
        return render(request, "reports/verify.html", {"code": code, "too_many": TOO_MANY}, status=429)
    content: Any = None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is not None:
        content = upload.chunks()
    found = selectors.verify(code=code, content=content)
    if found is None:
        return render(request, "reports/verify.html", {"code": code, "found": None}, status=404)
    return render(
        request,
        "reports/verify.html",
        {"code": code, "found": found, "action": reverse("verify", args=[code])},
    )


@login_required
def person_export(request: HttpRequest, uuid: str) -> HttpResponse:
    """Everything held about one person (PDPA): a page that says what the file holds, and the file (POST)."""
    person = or_404(people_selectors.get_student, actor=request.user, uuid=uuid)
    # The registrar answers a PDPA request (the child's school now): every fact, so the office's permission.
    if not scope.can(request.user, Perm.MANAGE_ENROLMENT, person):
        raise Http404
    if request.method == "POST":
        response = HttpResponse(
            pdpa.export(actor=request.user, person=person), content_type="application/zip"
        )
        response["Content-Disposition"] = f'attachment; filename="{pdpa.file_name(person)}"'
        return response
    return render(request, "reports/person_export.html", {"person": person})
