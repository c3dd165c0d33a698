"""Welfare pages: a child's family and welfare record, the household form, home visits per homeroom class,
the poverty list of a school and the area officer's suppressed counts. Photos only through a scoped view."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khru.care.services import care_enrolment
from khru.core.errors import KhruError, NotAllowed, Problem
from khru.core.files import PHOTO_MAX_BYTES, private_response, read_capped
from khru.core.views import form_problems, or_404, render_or_problems
from khru.org import scope
from khru.org import selectors as org_selectors
from khru.org.roles import Perm
from khru.welfare import selectors, services
from khru.welfare.forms import AptitudeForm, CriteriaForm, HouseholdForm, MemberFormSet, PlanForm, VisitForm
from khru.welfare.models import VisitRisk


def _child(request: HttpRequest, uuid: Any) -> Any:
    return or_404(selectors.get_child, actor=request.user, uuid=uuid)


@login_required
def student(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A child's family and welfare: household, poverty screening, home visits, aptitudes (audited read)."""
    child = _child(request, uuid)
    form = AptitudeForm(request.POST or None)
    context: dict[str, Any] = {"child": child, "form": form, "problems": []}

    def add() -> HttpResponse:
        if not form.is_valid():
            raise KhruError(*form_problems(form))
        services.record_aptitude(actor=request.user, person=child, **form.cleaned_data)
        messages.success(request, _("The aptitude is saved."))
        return redirect("welfare:student", uuid=uuid)

    context["record"] = selectors.child_welfare(actor=request.user, person=child)
    context["factor_names"] = selectors.factor_names()
    if request.method == "POST":
        return render_or_problems(request, "welfare/student.html", context, add)
    return render(request, "welfare/student.html", context)


def _household_initial(record: selectors.ChildWelfare) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    household = record.household
    if household is None:
        return {}, []
    fields = {
        name: getattr(household, name) for name in services.HOUSEHOLD_FIELDS if name != "subdistrict_id"
    }
    members = [
        {
            "name": m.name,
            "relation": m.relation,
            "birth_year_be": m.birth_year_be or "",
            "occupation": m.occupation,
            "monthly_income_baht": m.monthly_income_baht,
            "disabled": m.disabled,
            "no_income": m.no_income,
        }
        for m in record.members
    ]
    return fields, members


@login_required
def household(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Enter or update the child's home and the people living in it: one save."""
    child = _child(request, uuid)
    record = selectors.child_welfare(actor=request.user, person=child)
    initial, members = _household_initial(record)
    form = HouseholdForm(request.POST or None, initial=initial)
    formset = MemberFormSet(request.POST or None, initial=members, prefix="members")
    siblings = selectors.sibling_homes(actor=request.user, person=child)
    context = {
        "child": child,
        "record": record,
        "form": form,
        "formset": formset,
        "siblings": siblings,
        "problems": [],
    }

    def share() -> HttpResponse:
        sibling = next((p for p, _ in siblings if str(p.uuid) == request.POST.get("sibling")), None)
        if sibling is None:
            raise NotAllowed()
        services.share_household(actor=request.user, person=child, sibling=sibling)
        messages.success(request, _("The child now shares the sibling's household."))
        return redirect("welfare:student", uuid=uuid)

    def save() -> HttpResponse:
        if not (form.is_valid() and formset.is_valid()):
            raise KhruError(*form_problems(form, *formset.forms))
        rows = [
            m.cleaned_data
            for m in formset.forms
            if m.cleaned_data
            and any(m.cleaned_data.get(k) for k in ("name", "relation", "monthly_income_baht"))
        ]
        services.save_household(actor=request.user, person=child, fields=form.cleaned_data, members=rows)
        messages.success(request, _("The household is saved and the poverty screening is updated."))
        return redirect("welfare:student", uuid=uuid)

    if request.method == "POST":
        action = share if "sibling" in request.POST else save
        return render_or_problems(request, "welfare/household.html", context, action)
    return render(request, "welfare/household.html", context)


def _read_photos(request: HttpRequest) -> list[services.PhotoUpload]:
    """Read at most one byte past the limit: a bigger file is refused by the service without loading it."""
    return [
        services.PhotoUpload(name=upload.name or "photo", content=read_capped(upload, PHOTO_MAX_BYTES))
        for upload in request.FILES.getlist("photos")
    ]


@login_required
def visit(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Plan this year's home visit, or record it as done (who was met, housing, risks, needs, GPS, photos)."""
    child = _child(request, uuid)
    enrolment = or_404(care_enrolment, actor=request.user, person=child)
    action = request.POST.get("action", "")
    plan_form = PlanForm(request.POST if action == "plan" else None)
    form = VisitForm(
        request.POST if action == "record" else None, initial={"visited_on": timezone.localdate()}
    )
    context = {
        "child": child,
        "enrolment": enrolment,
        "record": selectors.child_welfare(actor=request.user, person=child),
        "plan_form": plan_form,
        "form": form,
        "next": _next(request),
        "problems": [],
    }

    def plan() -> HttpResponse:
        if not plan_form.is_valid():
            raise KhruError(*form_problems(plan_form))
        services.plan_visit(actor=request.user, person=child, planned_on=plan_form.cleaned_data["planned_on"])
        messages.success(request, _("The visit is planned."))
        return _back(request, enrolment, uuid)

    def record() -> HttpResponse:
        if not form.is_valid():
            raise KhruError(*form_problems(form))
        data = form.cleaned_data
        services.record_visit(
            actor=request.user,
            person=child,
            visited_on=data["visited_on"],
            met=data["met"],
            housing=data["housing"],
            risks=data["risks"],
            needs=data["needs"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            follow_up=data["follow_up"],
            follow_up_due=data["follow_up_due"],
            photos=_read_photos(request),
            strip_photo_location=data["strip_location"],
        )
        messages.success(request, _("The home visit is saved."))
        return _back(request, enrolment, uuid)

    if action == "plan":
        return render_or_problems(request, "welfare/visit.html", context, plan)
    if action == "record":
        return render_or_problems(request, "welfare/visit.html", context, record)
    return render(request, "welfare/visit.html", context)


def _next(request: HttpRequest) -> str:
    """The page the visit form was opened from (the child's page or the class's visits), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


def _back(request: HttpRequest, enrolment: Any, uuid: Any) -> HttpResponse:
    """Back where the teacher came from; else the class's visits, or the child's page out of a class."""
    if target := _next(request):
        return redirect(target)
    if enrolment.classroom_id:
        return redirect("welfare:classroom", uuid=enrolment.classroom.uuid)
    return redirect("welfare:student", uuid=uuid)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, uuid: Any) -> HttpResponse:
    try:
        found = selectors.get_visit(actor=request.user, uuid=uuid)
        services.finish_follow_up(actor=request.user, visit=found)
    except NotAllowed as error:
        raise Http404 from error
    messages.success(request, _("The follow-up is done."))
    return redirect("welfare:student", uuid=found.person.uuid)


@login_required
def classroom(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A homeroom class's home visits: each child planned / done, the progress and the risks seen."""
    try:
        found = org_selectors.get_classroom(actor=request.user, uuid=uuid, perm=Perm.VIEW_SENSITIVE)
        visits = selectors.class_visits(actor=request.user, classroom=found)
    except NotAllowed as error:
        raise Http404 from error
    risks = [(VisitRisk(code).label, count) for code, count in sorted(visits.risks.items())]
    return render(request, "welfare/classroom.html", {"classroom": found, "visits": visits, "risks": risks})


@login_required
def photo(request: HttpRequest, uuid: Any) -> FileResponse:
    """A home-visit photo, to those who may see the child only (never a public /media/ address)."""
    found = or_404(selectors.get_photo, actor=request.user, uuid=uuid)
    return private_response(found.file.open("rb"), found.content_type)


@login_required
def poverty(request: HttpRequest, code: str) -> HttpResponse:
    """The children eligible for the EEF transfer in a school's term, with counts by grade; staff with the
    whole school in reach can screen the school again."""
    school = or_404(org_selectors.get_school, actor=request.user, code=code)
    problems: list[Problem] = []
    try:
        term = selectors.school_term(school=school, text=request.GET.get("term", ""))
    except KhruError as error:
        problems = error.problems
        term = selectors.school_term(school=school)
    if request.method == "POST":
        try:
            count = services.screen_school(actor=request.user, school=school, term=term)
            messages.success(request, _("%(count)d children screened.") % {"count": count})
            return redirect(f"{request.path}?term={term.number}/{term.academic_year.year_be}")
        except NotAllowed as error:
            raise Http404 from error
    counts = selectors.poverty_counts_or_none(actor=request.user, school=school, term=term)
    rows = (
        []
        if counts and counts.suppressed
        else selectors.eligible_children(actor=request.user, school=school, term=term)
    )
    context = {
        "school": school,
        "term": term,
        "counts": counts,
        "rows": rows,
        "factor_names": selectors.factor_names(),
        "problems": problems,
        "can_screen": counts is not None and not counts.suppressed,
    }
    return render(request, "welfare/poverty.html", context, status=400 if problems else 200)


@login_required
def area_poverty(request: HttpRequest) -> HttpResponse:
    """An area or municipal officer: eligible counts per school and grade, small cells hidden."""
    latest = selectors.latest_term_begun()
    try:
        year_be = int(request.GET.get("year", latest.academic_year.year_be if latest else 0))
        term_number = int(request.GET.get("term", latest.number if latest else 1))
    except ValueError as error:
        raise Http404 from error
    found = selectors.area_poverty(actor=request.user, year_be=year_be, term_number=term_number)
    if not found and not org_selectors.schools(actor=request.user, perm=Perm.VIEW_AGGREGATES).exists():
        raise Http404
    return render(
        request, "welfare/area.html", {"schools": found, "year_be": year_be, "term_number": term_number}
    )


@login_required
def criteria(request: HttpRequest) -> HttpResponse:
    """The poverty criteria in force (anyone signed in may read them); the system administrator makes a new
    version, which screens from then on."""
    current = selectors.criteria()
    if current is None:
        raise Http404
    factors = list(current.factors.order_by("order"))
    can_edit = scope.is_system_admin(request.user)
    form = CriteriaForm(
        request.POST or None,
        factors=factors,
        initial={"income_limit_baht": current.income_limit_baht, "min_factors": current.min_factors},
    )
    context = {"criteria": current, "factors": factors, "form": form, "can_edit": can_edit, "problems": []}

    def save() -> HttpResponse:
        if not form.is_valid():
            raise KhruError(*form_problems(form))
        data = form.cleaned_data
        services.update_criteria(
            actor=request.user,
            version=data["version"],
            income_limit_baht=data["income_limit_baht"],
            min_factors=data["min_factors"],
            factor_options={f.code: data[f"factor_{f.code}"] for f in factors},
        )
        messages.success(request, _("The new criteria are in force."))
        return redirect("welfare:criteria")

    if request.method == "POST":
        if not can_edit:
            raise Http404
        return render_or_problems(request, "welfare/criteria.html", context, save)
    return render(request, "welfare/criteria.html", context)
