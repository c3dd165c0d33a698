"""Licence pages: the holder's licences and renewal, a school's staff, the council's queue and dashboard,
competency tests, and the public verification page (no login, rate-limited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from khru.core import csvfile
from khru.core.errors import KhruError, NotAllowed, Problem
from khru.core.files import DOCUMENTS_AND_WEBP, TABLE_MAX_BYTES, read_capped, serve_sniffed
from khru.core.ratelimit import TOO_MANY, allow
from khru.core.suppression import show
from khru.core.views import form_problems, or_404
from khru.licences import selectors, services
from khru.licences.certificate import licence_pdf
from khru.licences.forms import RecordLicenceForm, RenewalForm, ResultsImportForm, ReturnForm
from khru.org import selectors as org_selectors
from khru.org.roles import Perm


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The holder's licences and permits, their renewals, and what they may do next."""
    today = timezone.localdate()
    rows = []
    for licence in selectors.my_licences(actor=request.user):
        opens, closes = services.renewal_window(licence)
        renewals = list(licence.renewals.all())
        status = selectors.public_status(licence.status, licence.expires_on, today)
        rows.append(
            {
                "licence": licence,
                "status": status,
                "status_label": selectors.STATUS_LABELS[status][get_language() == "en"],
                "alert": selectors.alert_of(licence.expires_on, today),
                "opens": opens,
                "can_renew": licence.licence_type.renewable
                and licence.status == "active"
                and opens <= today <= closes
                and not any(r.status == "submitted" for r in renewals),
                "renewals": renewals,
            }
        )
    context = {
        "rows": rows,
        "is_council": services.is_council(request.user),
        "staff_schools": selectors.staff_schools(actor=request.user)[:50],
    }
    return render(request, "licences/mine.html", context)


@login_required
def renew(request: HttpRequest, uuid: str) -> HttpResponse:
    """Ask for a renewal: tick activities already in the record book; nothing is uploaded twice."""
    licence = or_404(selectors.get_licence, actor=request.user, uuid=uuid)
    today = timezone.localdate()
    activities = services.eligible_activities(actor=request.user, licence=licence, today=today)
    form = RenewalForm(request.POST or None, request.FILES or None)
    chosen = {int(v) for v in request.POST.getlist("activity") if v.isdigit()}
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_renewal(
                    actor=request.user,
                    licence=licence,
                    activity_ids=chosen,
                    attachment=form.cleaned_data["attachment"],
                    note=form.cleaned_data["note"],
                )
            except NotAllowed as error:
                raise Http404 from error
            except KhruError as error:
                problems = error.problems
            else:
                messages.success(request, _("Your renewal request is sent to the Teachers Council."))
                return redirect("licences:mine")
        else:
            problems = form_problems(form)
    opens, closes = services.renewal_window(licence)
    context = {
        "licence": licence,
        "activities": activities,
        "chosen": chosen,
        "form": form,
        "problems": problems,
        "opens": opens,
        "closes": closes,
        "minimum": licence.licence_type.min_activities,
    }
    return render(request, "licences/renew.html", context, status=400 if problems else 200)


@login_required
def pdf(request: HttpRequest, uuid: str) -> HttpResponse:
    licence = or_404(selectors.get_licence, actor=request.user, uuid=uuid)
    url = request.build_absolute_uri(reverse("verify_licence", args=[licence.number]))
    response = HttpResponse(licence_pdf(licence, verify_url=url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="licence-{licence.number}.pdf"'
    return response


@login_required
def renewal_file(request: HttpRequest, uuid: str, part: str) -> FileResponse:
    """A renewal's document or an attached activity's evidence, served with its sniffed type, never as HTML."""
    found = or_404(selectors.renewal_file, actor=request.user, uuid=str(uuid), part=part)
    return serve_sniffed(found, name=f"renewal-{uuid}-{part[:8]}", accept=DOCUMENTS_AND_WEBP)


@login_required
def schools(request: HttpRequest) -> HttpResponse:
    return render(
        request, "licences/schools.html", {"summaries": selectors.staff_summary(actor=request.user)}
    )


@login_required
def school(request: HttpRequest, code: str) -> HttpResponse:
    """The principal's (or area officer's) view: each staff member's licence, expiry alerts and flags."""
    found = or_404(org_selectors.get_school, actor=request.user, code=code, perm=Perm.VIEW_STAFF)
    rows = selectors.school_staff(actor=request.user, school=found)
    counts = {
        "flagged": sum(r.flagged for r in rows),
        "expired": sum(r.alert == "expired" for r in rows),
        "30": sum(r.alert == "30" for r in rows),
        "90": sum(r.alert == "90" for r in rows),
        "180": sum(r.alert == "180" for r in rows),
    }
    return render(request, "licences/school.html", {"school": found, "rows": rows, "counts": counts})


# The Teachers Council -----------------------------------------------------------------------------------


def _council(request: HttpRequest) -> None:
    if not services.is_council(request.user):
        raise Http404


@login_required
def council(request: HttpRequest) -> HttpResponse:
    _council(request)
    dashboard = selectors.council_dashboard(actor=request.user)
    return render(request, "licences/council.html", {"dashboard": dashboard})


@login_required
@require_GET
def council_export(request: HttpRequest, key: str) -> HttpResponse:
    """One dashboard table as CSV, suppressed exactly as on the page."""
    _council(request)
    dashboard = selectors.council_dashboard(actor=request.user)
    table = next((t for t in dashboard.tables if t.key == key), None)
    if table is None:
        raise Http404
    rows = [["", *table.columns], *([label, *(show(c) for c in cells)] for label, cells in table.rows)]
    if table.totals:
        rows.append(["total", *(show(c) for c in table.totals)])
    return csvfile.response(f"licences-{key}-{dashboard.on.isoformat()}.csv", rows)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _council(request)
    renewals = selectors.renewal_queue(actor=request.user)
    return render(request, "licences/queue.html", {"renewals": renewals, "return_form": ReturnForm()})


@login_required
@require_POST
def decide(request: HttpRequest, uuid: str) -> HttpResponse:
    """Approve (issue the new licence) or return with a reason."""
    _council(request)
    try:
        renewal = selectors.get_renewal(actor=request.user, uuid=uuid)
        if request.POST.get("decision") == "approve":
            new = services.approve_renewal(actor=request.user, renewal=renewal)
            messages.success(request, _("Approved: licence %(number)s is issued.") % {"number": new.number})
        else:
            services.return_renewal(
                actor=request.user, renewal=renewal, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The request is returned to the holder."))
    except NotAllowed as error:
        raise Http404 from error
    except KhruError as error:
        return render(
            request,
            "licences/queue.html",
            {"renewals": selectors.renewal_queue(actor=request.user), "problems": error.problems,
             "return_form": ReturnForm(request.POST)},
            status=400,
        )  # fmt: skip
    return redirect("licences:queue")


@login_required
def record(request: HttpRequest) -> HttpResponse:
    """The council records a licence or temporary permit for a person known by citizen ID."""
    _council(request)
    form = RecordLicenceForm(request.POST or None)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                licence = services.record_licence(
                    actor=request.user,
                    person=selectors.person_to_license(actor=request.user, citizen_id=data["citizen_id"]),
                    licence_type=data["licence_type"],
                    tier=data["tier"],
                    number=data["number"],
                    issued_on=data["issued_on"],
                    expires_on=data["expires_on"],
                )
            except KhruError as error:
                problems = error.problems
            else:
                messages.success(request, _("Licence %(number)s is recorded.") % {"number": licence.number})
                return redirect("licences:record")
        else:
            problems = form_problems(form)
    return render(
        request, "licences/record.html", {"form": form, "problems": problems}, status=400 if problems else 200
    )


# Competency tests ---------------------------------------------------------------------------------------


@login_required
def tests(request: HttpRequest) -> HttpResponse:
    """A candidate: open rounds with seats left, registering, and their own results."""
    problems: list[Problem] = []
    if request.method == "POST":
        person = selectors.candidate(actor=request.user)
        centre = or_404(selectors.get_centre, actor=request.user, pk=request.POST.get("centre"))
        if person is None:
            raise Http404
        try:
            services.register_candidate(actor=request.user, person=person, centre=centre)
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            problems = error.problems
        else:
            messages.success(request, _("You are registered for the test."))
            return redirect("licences:tests")
    context = {
        "rounds": selectors.open_rounds(actor=request.user),
        "registrations": selectors.my_registrations(actor=request.user),
        "problems": problems,
        "is_council": services.is_council(request.user),
        "all_rounds": selectors.recent_rounds(actor=request.user),
    }
    return render(request, "licences/tests.html", context, status=400 if problems else 200)


@login_required
def test_round(request: HttpRequest, code: str) -> HttpResponse:
    """The council: pass rates per centre and subject, and the results import (all rows or none)."""
    _council(request)
    found = or_404(selectors.get_round, actor=request.user, code=code)
    form = ResultsImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.import_results(
                    actor=request.user,
                    test_round=found,
                    content=read_capped(form.cleaned_data["file"], TABLE_MAX_BYTES),
                )
            except KhruError as error:
                problems = error.problems
            else:
                messages.success(request, _("%(count)s results are imported.") % {"count": saved})
                return redirect("licences:test_round", code=code)
        else:
            problems = form_problems(form)
    context = {
        "round": found,
        "subjects": list(found.subjects.all()),
        "rates": selectors.pass_rates(actor=request.user, test_round=found),
        "form": form,
        "problems": problems,
    }
    return render(request, "licences/test_round.html", context, status=400 if problems else 200)


# The public ---------------------------------------------------------------------------------------------


def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Anyone may check a licence: name, type, tier, number, status and expiry; anything else is "not found"."""
    if not allow(request, bucket="verify"):
        return render(request, "licences/verify.html", {"too_many": TOO_MANY}, status=429)
    found = selectors.verify(number=number)
    return render(request, "licences/verify.html", {"found": found}, status=200 if found else 404)
