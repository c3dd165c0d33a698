from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khru.core import csvfile
from khru.core.errors import NotAllowed
from khru.core.views import or_404, render_or_problems
from khru.org import audit_log as audit_log_selectors
from khru.org import scope, selectors, services
from khru.org.audit_log import AuditFilter
from khru.org.forms import AuditFilterForm, CalendarDayForm, ClassroomForm, TeacherForm
from khru.org.models import School
from khru.org.roles import Perm, Role
from khru.people import selectors as people_selectors


def _school(request: HttpRequest, code: str, perm: Perm = Perm.VIEW_SCHOOL) -> School:
    try:
        return selectors.get_school(actor=request.user, code=code, perm=perm)
    except NotAllowed as error:
        raise Http404 from error


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "org/school_list.html", {"schools": selectors.schools_with_counts(actor=request.user)}
    )


@login_required
def school_detail(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    years = list(selectors.years_for(school=school))
    year = next((y for y in years if str(y.year_be) == request.GET.get("year")), None)
    year = year or selectors.current_year(school=school)
    context = {
        "school": school,
        "years": years,
        "year": year,
        "classrooms": selectors.classrooms(actor=request.user, school=school, year=year) if year else [],
        "can_manage": scope.can(request.user, Perm.MANAGE_CLASSES, school),
        "can_enrol": scope.can(request.user, Perm.MANAGE_ENROLMENT, school),
        "form": ClassroomForm(),
    }
    return render(request, "org/school_detail.html", context)


@login_required
@require_POST
def classroom_create(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code, Perm.MANAGE_CLASSES)  # refuse before reading the form
    year = selectors.current_year(school=school)
    form = ClassroomForm(request.POST)
    if not form.is_valid() or year is None:
        messages.error(request, _("Choose a grade and a room number."))
        return redirect("org:school", code=code)

    def create() -> HttpResponse:
        classroom = services.create_classroom(
            actor=request.user,
            school=school,
            year=year,
            grade=form.cleaned_data["grade"],
            room=form.cleaned_data["room"],
        )
        messages.success(request, _("Class %(name)s created.") % {"name": classroom})
        return redirect("org:school", code=code)

    context = {"school": school, "year": year, "classrooms": [], "form": form, "can_manage": True}
    return render_or_problems(request, "org/school_detail.html", context, create)


def _classroom_context(request: HttpRequest, uuid: str) -> dict[str, Any]:
    try:
        classroom = selectors.get_classroom(actor=request.user, uuid=uuid)
    except NotAllowed as error:
        raise Http404 from error
    can_manage = scope.can(request.user, Perm.MANAGE_CLASSES, classroom.school)
    form = TeacherForm()
    if can_manage:
        form.set_teachers(selectors.staff_users(actor=request.user, school=classroom.school))
    return {
        "classroom": classroom,
        "students": people_selectors.class_list(actor=request.user, classroom=classroom),
        "teachers": selectors.teachers_of(classroom=classroom),
        "can_manage": can_manage,
        "can_enrol": scope.can(request.user, Perm.MANAGE_ENROLMENT, classroom.school),
        "form": form,
    }


@login_required
def classroom_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    return render(request, "org/classroom_detail.html", _classroom_context(request, uuid))


@login_required
@require_POST
def teacher_assign(request: HttpRequest, uuid: str) -> HttpResponse:
    context = _classroom_context(request, uuid)
    if not context["can_manage"]:
        raise Http404  # refuse before reading the form, as for any class outside reach
    form = TeacherForm(request.POST)
    form.set_teachers(selectors.staff_users(actor=request.user, school=context["classroom"].school))
    context["form"] = form
    if not form.is_valid():
        return render(request, "org/classroom_detail.html", context, status=400)

    def assign() -> HttpResponse:
        classroom = context["classroom"]
        services.assign_teacher(
            actor=request.user,
            classroom=classroom,
            teacher=selectors.staff_user(
                actor=request.user, school=classroom.school, pk=form.cleaned_data["teacher"]
            ),
            role=Role(form.cleaned_data["role"]),
        )
        return redirect("org:classroom", uuid=uuid)

    return render_or_problems(request, "org/classroom_detail.html", context, assign)


@login_required
@require_POST
def teacher_remove(request: HttpRequest, uuid: str, membership_id: int) -> HttpResponse:
    try:
        membership = selectors.membership(actor=request.user, pk=membership_id)
    except NotAllowed as error:
        raise Http404 from error
    # Only an assignment of the class named in the address (a school membership is not one: 404, not 500).
    if membership.classroom is None or str(membership.classroom.uuid) != str(uuid):
        raise Http404
    try:
        services.remove_teacher(actor=request.user, membership=membership)
    except NotAllowed as error:
        raise Http404 from error
    return redirect("org:classroom", uuid=uuid)


def _calendar_page(request: HttpRequest, context: dict[str, Any], add: Any, load: Any = None) -> HttpResponse:
    """The school's or the agency's calendar page: GET shows it; POST adds a day (or loads the public
    holidays) through the service, then shows the page again (HTMX swaps the calendar in place)."""
    form = CalendarDayForm(request.POST if request.method == "POST" and "load" not in request.POST else None)
    context["form"] = form
    if request.method != "POST":
        return render(request, "org/calendar.html", context)
    if not context["can_manage"]:
        raise Http404  # refuse before reading the form
    if "load" in request.POST and load is not None:

        def do() -> HttpResponse:
            added = load()
            messages.success(request, _("%(n)d public holidays added.") % {"n": added})
            return redirect(request.get_full_path())

        return render_or_problems(request, "org/calendar.html", context, do)
    if not form.is_valid():
        return render(request, "org/calendar.html", context, status=400)

    def save() -> HttpResponse:
        add(form.cleaned_data)
        messages.success(request, _("The calendar is saved."))
        return redirect(request.get_full_path())

    return render_or_problems(request, "org/calendar.html", context, save)


@login_required
def school_calendar(request: HttpRequest, code: str) -> HttpResponse:
    """A school's calendar for one academic year: its agency's holidays, its own closures and make-up days."""
    school = _school(request, code)
    years = list(selectors.years_for(school=school))
    year = selectors.pick_year(years, request.GET.get("year"), selectors.current_year(school=school))
    if year is None:
        raise Http404
    context = {
        "school": school,
        "years": years,
        "calendar": selectors.school_calendar(actor=request.user, school=school, year=year),
        "can_manage": scope.can(request.user, Perm.MANAGE_CALENDAR, school),
    }
    return _calendar_page(
        request,
        context,
        lambda data: services.set_calendar_day(actor=request.user, school=school, **data),
    )


@login_required
def agency_calendar(request: HttpRequest, code: str) -> HttpResponse:
    """An agency's calendar for one academic year: the public holidays (loaded, then edited) all its schools
    keep."""
    agency = or_404(selectors.get_agency, actor=request.user, code=code)
    years = list(selectors.agency_years(agency_id=agency.pk))
    year = selectors.pick_year(years, request.GET.get("year"), years[0] if years else None)
    if year is None:
        raise Http404
    context = {
        "agency": agency,
        "years": years,
        "calendar": selectors.agency_calendar(actor=request.user, agency=agency, year=year),
        "can_manage": scope.agency_in_reach(request.user, Perm.MANAGE_CALENDAR, agency),
    }
    return _calendar_page(
        request,
        context,
        lambda data: services.set_calendar_day(actor=request.user, agency=agency, **data),
        lambda: services.load_public_holidays(actor=request.user, year=year),
    )


@login_required
@require_POST
def calendar_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        row = selectors.calendar_day(actor=request.user, pk=pk)
        services.remove_calendar_day(actor=request.user, day=row)
    except NotAllowed as error:
        raise Http404 from error
    messages.success(request, _("The day is removed from the calendar."))
    year = f"?year={request.POST['year']}" if request.POST.get("year", "").isdigit() else ""
    if row.school is not None:
        return redirect(reverse("org:school_calendar", args=[row.school.code]) + year)
    return redirect(reverse("org:agency_calendar", args=[row.agency.code]) + year)  # type: ignore[union-attr]


AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit trail the reader may see (own school, own area, everything), filtered, paged, or as CSV."""
    if not audit_log_selectors.may_read_audit(request.user):
        raise Http404
    form = AuditFilterForm(request.GET)
    valid = form.is_valid()  # every field is optional: only a malformed date or action fails
    filters = AuditFilter(**{k: v for k, v in form.cleaned_data.items() if v}) if valid else AuditFilter()
    if valid and request.GET.get("format") == "csv":
        # The one CSV writer: names and summaries are typed by people (formula-safe cells).
        return csvfile.response(
            "audit.csv", audit_log_selectors.events_csv(actor=request.user, filters=filters)
        )
    found = audit_log_selectors.events(actor=request.user, filters=filters)
    # A malformed filter shows its error and no rows, rather than silently every event.
    page = Paginator(found if valid else found.none(), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    schools, persons = audit_log_selectors.labels(actor=request.user, rows=list(page.object_list))
    rows = [(e, schools.get(e.school_id or 0, ""), persons.get(e.person_id or 0, "")) for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "org/audit_log.html", context, status=200 if valid else 400)
