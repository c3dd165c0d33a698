"""Teacher record pages: my record book, a school's staff, one record, its PDF, evidence files, training imports."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khru.core.errors import KhruError, NotAllowed, Problem
from khru.core.files import EVIDENCE_MAX_BYTES, TABLE_MAX_BYTES, read_capped, serve_sniffed
from khru.core.views import form_problems, message_problems, or_404, render_or_problems
from khru.org import scope
from khru.org import selectors as org_selectors
from khru.people.models import Person
from khru.teachers import export, selectors, services, training
from khru.teachers.forms import (
    ActivityForm,
    AppointmentForm,
    AwardForm,
    CompletionUploadForm,
    CourseForm,
    DisciplineForm,
    PAForm,
    ProviderForm,
    StandingForm,
)


def _record_context(request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
    book = selectors.record_book(actor=request.user, person=person)
    context: dict[str, Any] = {"book": book, "activity_form": ActivityForm(), "problems": []}
    if book.can_manage:
        context["office_forms"] = [
            ("appointment", _("Add an appointment"), AppointmentForm()),
            ("standing", _("Add an academic standing"), StandingForm()),
            ("pa", _("Add a PA round or its scores"), PAForm()),
            ("award", _("Add an award"), AwardForm()),
            ("discipline", _("Add a disciplinary penalty"), DisciplineForm()),
        ]
    context.update(extra)
    return context


def _add_activity(request: HttpRequest, person: Person, form: ActivityForm) -> None:
    upload = form.cleaned_data.get("evidence")
    content = read_capped(upload, EVIDENCE_MAX_BYTES) if upload is not None else None
    services.add_activity(
        actor=request.user,
        person=person,
        kind=form.cleaned_data["kind"],
        title=form.cleaned_data["title"],
        provider=form.cleaned_data["provider"],
        started_on=form.cleaned_data["started_on"],
        ended_on=form.cleaned_data["ended_on"],
        hours=form.cleaned_data["hours"],
        evidence_name=upload.name if upload is not None else "",
        evidence_content=content,
    )


def _post_activity(
    request: HttpRequest, person: Person, back: Callable[[], HttpResponse], *, own: bool = False
) -> HttpResponse:
    form = ActivityForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _record_context(request, person, own=own, activity_form=form, problems=form_problems(form))
        return render(request, "teachers/record.html", context, status=400)

    def save() -> HttpResponse:
        _add_activity(request, person, form)
        messages.success(request, _("The activity is saved."))
        return back()

    return render_or_problems(
        request, "teachers/record.html", _record_context(request, person, own=own, activity_form=form), save
    )


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    """The teacher's own record book: add a development activity with evidence, see the PA check."""
    person = or_404(selectors.me, actor=request.user)
    if request.method == "POST":
        return _post_activity(request, person, lambda: redirect("teachers:me"), own=True)
    return render(request, "teachers/record.html", _record_context(request, person, own=True))


def _staff(request: HttpRequest, uuid: Any) -> Person:
    return or_404(selectors.get_staff, actor=request.user, uuid=uuid)


@login_required
def staff_record(request: HttpRequest, uuid: Any) -> HttpResponse:
    person = _staff(request, uuid)
    if request.method == "POST":
        return _post_activity(request, person, lambda: redirect("teachers:staff_record", uuid=uuid))
    return render(request, "teachers/record.html", _record_context(request, person))


def _place(request: HttpRequest, cleaned: dict[str, Any]) -> dict[str, Any]:
    school_code = cleaned.get("school_code", "").strip()
    agency_code = cleaned.get("agency_code", "").strip()
    school = org_selectors.school_by_code(code=school_code) if school_code else None
    if school_code and school is None:
        raise KhruError(
            Problem("school_code", "ไม่พบรหัสสถานศึกษานี้", "no school has this code", field_th="รหัสสถานศึกษา")
        )
    try:
        agency = org_selectors.get_agency(actor=request.user, code=agency_code) if agency_code else None
    except NotAllowed as error:
        raise KhruError(
            Problem("agency_code", "ไม่พบรหัสหน่วยงานนี้", "no agency has this code", field_th="รหัสหน่วยงาน")
        ) from error
    return {"school": school, "agency": agency}


def _pa(request: HttpRequest, person: Person, c: dict[str, Any]) -> None:
    on = c.get("assessed_on") or c["agreed_on"]
    scores = [
        (c[f"assessor_{n}"], c[f"score_{n}"], on)
        for n in (1, 2, 3)
        if c.get(f"assessor_{n}") or c.get(f"score_{n}") is not None
    ]
    services.record_pa(
        actor=request.user,
        person=person,
        fiscal_year_be=c["fiscal_year_be"],
        agreed_on=c["agreed_on"],
        assessments=scores,
    )


OfficeSave = Callable[[HttpRequest, Person, dict[str, Any]], Any]


def _fields_to(
    service: Callable[..., Any],
    *names: str,
    extra: Callable[[HttpRequest, dict[str, Any]], dict[str, Any]] | None = None,
) -> OfficeSave:
    """Save a cleaned office form by calling the service with these fields (and any computed from them)."""

    def save(request: HttpRequest, person: Person, cleaned: dict[str, Any]) -> Any:
        more = extra(request, cleaned) if extra is not None else {}
        return service(actor=request.user, person=person, **{n: cleaned[n] for n in names}, **more)

    return save


OFFICE_FORMS: dict[str, tuple[type, OfficeSave]] = {
    "appointment": (
        AppointmentForm,
        _fields_to(
            services.add_appointment,
            "position",
            "started_on",
            "ended_on",
            "order_ref",
            "end_current",
            extra=_place,
        ),
    ),
    "standing": (StandingForm, _fields_to(services.record_standing, "standing", "since", "order_ref")),
    "pa": (PAForm, _pa),
    "award": (AwardForm, _fields_to(services.add_award, "title", "given_by", "level", "awarded_on")),
    "discipline": (
        DisciplineForm,
        _fields_to(services.record_discipline, "level", "decided_on", "order_ref", "note"),
    ),
}


@login_required
@require_POST
def staff_part(request: HttpRequest, uuid: Any, part: str) -> HttpResponse:
    """The school office adds one row to a staff member's record (appointment, standing, PA, award, penalty)."""
    person = _staff(request, uuid)
    if part not in OFFICE_FORMS:
        raise Http404
    if not selectors.can_manage(actor=request.user, person=person):
        raise Http404
    form_class, save = OFFICE_FORMS[part]
    form = form_class(request.POST)
    context = _record_context(request, person, open_part=part)
    context["office_forms"] = [
        (name, label, form if name == part else existing) for name, label, existing in context["office_forms"]
    ]
    if not form.is_valid():
        return render(
            request, "teachers/record.html", context | {"problems": form_problems(form)}, status=400
        )

    def apply() -> HttpResponse:
        save(request, person, form.cleaned_data)
        messages.success(request, _("The record is saved."))
        return redirect("teachers:staff_record", uuid=uuid)

    return render_or_problems(request, "teachers/record.html", context, apply)


@login_required
@require_POST
def delete_activity(request: HttpRequest, uuid: Any) -> HttpResponse:
    try:
        activity = selectors.get_activity(actor=request.user, uuid=uuid)
        person = activity.person
        services.delete_activity(actor=request.user, activity=activity)
    except NotAllowed as error:
        raise Http404 from error
    except KhruError as error:
        message_problems(request, error)
    else:
        messages.success(request, _("The activity is deleted."))
    if person.user_id == request.user.pk:
        return redirect("teachers:me")
    return redirect("teachers:staff_record", uuid=person.uuid)


@login_required
def evidence_file(request: HttpRequest, uuid: Any) -> FileResponse:
    """An evidence file, to those who may read the activity; served with its sniffed type, never as HTML."""
    activity = or_404(selectors.get_activity, actor=request.user, uuid=uuid)
    if not activity.evidence:
        raise Http404
    return serve_sniffed(activity.evidence, name=f"evidence-{activity.uuid}")


@login_required
def record_pdf(request: HttpRequest, uuid: Any) -> HttpResponse:
    person = _staff(request, uuid)
    book = selectors.record_book(actor=request.user, person=person)
    response = HttpResponse(export.record_pdf(book), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="record-{person.uuid}.pdf"'
    return response


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    """A school's staff with standing, PA check and hours; an area officer first sees counts per school."""
    schools = list(selectors.schools_with_staff(actor=request.user))
    code = request.GET.get("school") or (schools[0].code if len(schools) == 1 else "")
    school = next((s for s in schools if s.code == code), None)
    if code and school is None:
        raise Http404
    context: dict[str, Any] = {"schools": schools, "school": school}
    if school is not None:
        context["rows"] = selectors.staff_list(actor=request.user, school=school)
    elif len(schools) > 1:
        context["table"] = selectors.standing_counts(actor=request.user)
    elif not schools:
        try:
            selectors.me(actor=request.user)
        except NotAllowed as error:
            raise Http404 from error
        return redirect("teachers:me")
    return render(request, "teachers/staff.html", context)


@login_required
def training_home(request: HttpRequest) -> HttpResponse:
    """Providers, their courses and completion imports (system administrator)."""
    if not scope.is_system_admin(request.user):
        raise Http404
    choices = [(p.code, str(p)) for p in selectors.providers(actor=request.user)]
    upload = CompletionUploadForm(providers=choices)
    provider_form = ProviderForm()
    course_form = CourseForm(providers=choices)
    context_base = {
        "providers": selectors.providers(actor=request.user).prefetch_related("courses"),
        "imports": selectors.completion_imports(actor=request.user).select_related("provider")[:20],
    }
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "upload":
        upload = CompletionUploadForm(request.POST, request.FILES, providers=choices)
    elif request.method == "POST" and action == "provider":
        provider_form = ProviderForm(request.POST)
    elif request.method == "POST" and action == "course":
        course_form = CourseForm(request.POST, providers=choices)
    context = context_base | {"upload": upload, "provider_form": provider_form, "course_form": course_form}
    if request.method != "POST":
        return render(request, "teachers/training.html", context)
    bound = {"upload": upload, "provider": provider_form, "course": course_form}.get(action)
    if bound is None or not bound.is_valid():
        problems = form_problems(bound) if bound is not None else []
        return render(request, "teachers/training.html", context | {"problems": problems}, status=400)
    data = bound.cleaned_data

    def save() -> HttpResponse:
        if action == "upload":
            provider = selectors.get_provider(actor=request.user, code=data["provider"])
            job = training.preview_file(
                actor=request.user,
                provider=provider,
                file_name=data["file"].name,
                content=read_capped(data["file"], TABLE_MAX_BYTES),
            )
            return redirect("teachers:import_preview", uuid=job.uuid)
        if action == "provider":
            training.add_provider(
                actor=request.user, code=data["code"], name_th=data["name_th"], name_en=data["name_en"]
            )
        else:
            provider = selectors.get_provider(actor=request.user, code=data["provider"])
            training.add_course(
                actor=request.user,
                provider=provider,
                code=data["code"],
                title=data["title"],
                hours=data["hours"],
            )
        messages.success(request, _("Saved."))
        return redirect("teachers:training")

    return render_or_problems(request, "teachers/training.html", context, save)


@login_required
def import_preview(request: HttpRequest, uuid: Any) -> HttpResponse:
    job = or_404(selectors.get_import, actor=request.user, uuid=uuid)
    context = {"job": job}
    if request.method == "POST":

        def apply() -> HttpResponse:
            training.apply_file(actor=request.user, job=job)
            messages.success(request, _("The completions are imported."))
            return redirect("teachers:import_preview", uuid=job.uuid)

        return render_or_problems(request, "teachers/import_preview.html", context, apply)
    return render(request, "teachers/import_preview.html", context)
