from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khru.assessment import curriculum
from khru.assessment.selectors import repeat_suggestions
from khru.core.errors import NotAllowed, problem
from khru.core.files import TABLE_MAX_BYTES, read_capped
from khru.core.views import render_or_problems
from khru.org import audit_log, grades, scope
from khru.org import selectors as org_selectors
from khru.org import services as org_services
from khru.org.models import School
from khru.org.roles import Perm
from khru.people import roster, selectors, services
from khru.people.forms import (
    CensusForm,
    EnrolForm,
    ExitForm,
    LookupForm,
    MoveForm,
    PromotionForm,
    RosterUploadForm,
    TransferForm,
)
from khru.people.models import Enrolment, Person, Stage, stage_of


def _school(request: HttpRequest, code: str, perm: Perm = Perm.MANAGE_ENROLMENT) -> School:
    try:
        return org_selectors.get_school(actor=request.user, code=code, perm=perm)
    except NotAllowed as error:
        raise Http404 from error


def _enrolment(request: HttpRequest, pk: int) -> Enrolment:
    found = selectors.enrolments(actor=request.user, perm=Perm.MANAGE_ENROLMENT).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = selectors.search_students(actor=request.user, query=query) if query else []
    htmx = getattr(request, "htmx", None)
    # Only the results for htmx's live search; the whole page for a normal load and for history restores.
    partial = htmx is not None and bool(htmx) and not htmx.history_restore_request
    template = "people/search.html#results" if partial else "people/search.html"
    response = render(request, template, {"q": query, "results": results})
    patch_vary_headers(response, ["HX-Request"])  # the browser must not reuse a partial as the page (Back)
    return response


@login_required
def lookup(request: HttpRequest) -> HttpResponse:
    """An office names one child with a stated purpose; the child's page opens for an hour (audited)."""
    if not scope.holds(request.user, Perm.LOOKUP_PERSONS):
        raise Http404
    form = LookupForm(request.POST or None)
    context = {"form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "people/lookup.html", context, status=400 if request.method == "POST" else 200)

    def look_up() -> HttpResponse:
        found = services.look_up_person(actor=request.user, **form.cleaned_data)
        return redirect("insights:student", uuid=found.person.uuid)

    return render_or_problems(request, "people/lookup.html", context, look_up)


@login_required
def student_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    try:
        person = selectors.get_student(actor=request.user, uuid=uuid)
    except NotAllowed as error:
        raise Http404 from error
    context: dict[str, Any] = {
        "person": person,
        "history": selectors.history(actor=request.user, person=person),
    }
    if scope.can(request.user, scope.Perm.VIEW_SENSITIVE, person):
        selectors.get_student(actor=request.user, uuid=uuid, sensitive=True)  # audits the read
        context["sensitive"] = True
        context["guardians"] = selectors.guardians(actor=request.user, person=person)
        context["can_edit_census"] = scope.can(request.user, Perm.MANAGE_ENROLMENT, person)
    open_enrolment = next((e for e in context["history"] if e.ends_on is None), None)
    if open_enrolment and scope.can(request.user, Perm.MANAGE_ENROLMENT, open_enrolment.school):
        context.update(open_enrolment=open_enrolment, move_form=MoveForm(), exit_form=ExitForm())
    return render(request, "people/student_detail.html", context)


@login_required
def access_log(request: HttpRequest, uuid: str) -> HttpResponse:
    """Who saw or changed this child's data, when: the answer to a family's PDPA access request."""
    try:
        person = selectors.get_student(actor=request.user, uuid=uuid)
        events = audit_log.person_events(actor=request.user, person=person)
    except NotAllowed as error:
        raise Http404 from error
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "people/access_log.html", {"person": person, "page": page})


@login_required
def census(request: HttpRequest, uuid: str) -> HttpResponse:
    """The registrar corrects a student's DMC census facts (blood group, religion … disadvantage)."""
    try:
        person = selectors.get_student(actor=request.user, uuid=uuid, sensitive=True)
    except NotAllowed as error:
        raise Http404 from error
    if not scope.can(request.user, Perm.MANAGE_ENROLMENT, person):
        raise Http404
    initial = {name: getattr(person, name) for name in CensusForm.base_fields}
    form = CensusForm(request.POST or None, initial=initial)
    context = {"person": person, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "people/census.html", context, status=400 if request.method == "POST" else 200)

    def save() -> HttpResponse:
        services.save_census_facts(actor=request.user, person=person, values=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("people:student", uuid=person.uuid)

    return render_or_problems(request, "people/census.html", context, save)


@login_required
def enrol(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    form = EnrolForm(request.POST or None)
    context = {"school": school, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "people/enrol.html", context, status=400 if request.method == "POST" else 200)

    def save() -> HttpResponse:
        from django.db import transaction

        with transaction.atomic():
            data = form.person_data()
            person = Person.objects.filter(citizen_id=data.model_values()["citizen_id"]).first()
            person = services.save_person(actor=request.user, data=data, person=person)
            services.enrol_student(
                actor=request.user,
                person=person,
                school=school,
                grade=form.cleaned_data["grade"],
                room=form.cleaned_data["room"],
                student_number=form.cleaned_data["student_number"],
                starts_on=form.cleaned_data["starts_on"],
            )
        messages.success(request, _("%(name)s is enrolled.") % {"name": person.full_name})
        return redirect("people:student", uuid=person.uuid)

    return render_or_problems(request, "people/enrol.html", context, save)


@login_required
def transfer(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    form = TransferForm(request.POST or None)
    context = {"school": school, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "people/transfer.html", context, status=400 if request.method == "POST" else 200
        )

    def save() -> HttpResponse:
        person = selectors.person_by_identifier(identifier=form.cleaned_data["citizen_id"])
        services.transfer_student(
            actor=request.user,
            person=person,
            to_school=school,
            grade=form.cleaned_data["grade"],
            room=form.cleaned_data["room"],
            student_number=form.cleaned_data["student_number"],
            on=form.cleaned_data["starts_on"],
        )
        messages.success(request, _("%(name)s has moved to this school.") % {"name": person.full_name})
        return redirect("people:student", uuid=person.uuid)

    return render_or_problems(request, "people/transfer.html", context, save)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.move_student(actor=request.user, enrolment=enrolment, room=form.cleaned_data["room"])
        messages.success(request, _("Moved."))
    else:
        messages.error(request, _("Give the new room number."))
    return redirect("people:student", uuid=enrolment.person.uuid)


@login_required
def exit_view(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment(request, pk)
    form = ExitForm(request.POST or None)
    context = {"enrolment": enrolment, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "people/exit.html", context, status=400 if request.method == "POST" else 200)

    def save() -> HttpResponse:
        services.exit_student(
            actor=request.user,
            enrolment=enrolment,
            reason=form.cleaned_data["reason"],
            dropout_reason=form.cleaned_data["dropout_reason"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The exit is recorded."))
        return redirect("people:student", uuid=enrolment.person.uuid)

    return render_or_problems(request, "people/exit.html", context, save)


@login_required
def prefixes(request: HttpRequest, code: str) -> HttpResponse:
    """The prefixes the students' sex and birth date now give (a child who turned 15 is นาย / นางสาว): the
    registrar reads the list, then confirms it in one action; each change is audited."""
    school = _school(request, code)
    today = timezone.localdate()
    if request.method == "POST":
        changed = services.apply_prefix_changes(actor=request.user, school=school, on=today)
        messages.success(request, _("Prefixes changed: %(n)d students.") % {"n": len(changed)})
        return redirect("people:prefixes", code=school.code)
    changes = selectors.prefix_changes(actor=request.user, school=school, on=today)
    return render(request, "people/prefixes.html", {"school": school, "changes": changes, "today": today})


@login_required
def promote(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    from_year = org_selectors.current_year(school=school)
    to_year = (
        org_selectors.years_for(school=school).filter(year_be=from_year.year_be + 1).first()
        if from_year
        else None
    )
    suggestions = repeat_suggestions(actor=request.user, school=school, year=from_year) if from_year else []
    repeat = [s for s in suggestions if s.repeat]
    form = PromotionForm(
        request.POST or None, initial={"repeaters": "\n".join(s.person.citizen_id or "" for s in repeat)}
    )
    rules = selectors.promotion_rules(school=school)
    taught = {stage_of(grade) for grade in grades.between(school.lowest_grade, school.highest_grade)}
    levels = [(stage, label, rules[stage]) for stage, label in Stage.choices if stage in taught]
    context = {
        "suggestions": repeat,
        "retakes": [s for s in suggestions if not s.repeat],
        "rules": levels,
        "school": school,
        "from_year": from_year,
        "to_year": to_year,
        "form": form,
        "counts": selectors.open_counts_by_grade(actor=request.user, school=school, year=from_year)
        if from_year
        else [],
    }
    if request.method == "POST" and "rules" in request.POST:

        def save_rules() -> HttpResponse:
            wanted = {stage: request.POST.get(f"rule_{stage}", "").strip() for stage, _l, _r in levels}
            for stage, text in wanted.items():  # every field checked before any is saved
                if text and not text.isdigit():
                    raise problem(
                        f"rule_{stage}", "ต้องเป็นจำนวนรายวิชา หรือเว้นว่าง", "a number of courses, or empty"
                    )
            for stage, text in wanted.items():
                services.set_promotion_rule(
                    actor=request.user,
                    school=school,
                    stage=stage,
                    repeat_from_failures=int(text) if text else None,
                )
            messages.success(request, _("The promotion rules are saved."))
            return redirect("people:promote", code=code)

        return render_or_problems(request, "people/promote.html", context, save_rules)
    if request.method == "POST" and "open_year" in request.POST and from_year is not None and to_year is None:

        def open_year() -> HttpResponse:
            opened = org_services.open_next_year(actor=request.user, school=school, year=from_year)
            messages.success(request, _("Academic year %(year)s is set up.") % {"year": opened.year_be})
            return redirect("people:promote", code=code)

        return render_or_problems(request, "people/promote.html", context, open_year)
    if request.method != "POST" or not form.is_valid() or from_year is None or to_year is None:
        return render(request, "people/promote.html", context)

    def save() -> HttpResponse:
        repeaters = selectors.resolve_students(
            actor=request.user,
            school=school,
            year=from_year,
            identifiers=form.cleaned_data["repeaters"].split(),
        )
        with transaction.atomic():
            result = services.promote_school(
                actor=request.user, school=school, from_year=from_year, to_year=to_year, repeaters=repeaters
            )
            # The next year's classes get their courses from the curriculum template (the office may adjust).
            set_up = None
            if scope.can(request.user, Perm.MANAGE_CLASSES, school) and to_year.terms.exists():
                set_up = curriculum.set_up_courses(actor=request.user, school=school, academic_year=to_year)
        messages.success(
            request,
            _("Promoted %(p)d, repeating %(r)d, graduated %(g)d.")
            % {"p": result.promoted, "r": result.repeated, "g": result.graduated},
        )
        if set_up is not None:
            messages.success(
                request,
                _("%(created)d courses set up; %(kept)d the classes already had were kept.")
                % {"created": set_up.created, "kept": set_up.kept},
            )
        return redirect("org:school", code=code)

    return render_or_problems(request, "people/promote.html", context, save)


@login_required
def roster_upload(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    context = {
        "school": school,
        "form": form,
        "imports": selectors.roster_imports(actor=request.user, school=school)[:10],
    }
    if request.method != "POST" or not form.is_valid():
        return render(request, "people/import_upload.html", context)
    upload = form.cleaned_data["file"]

    def preview() -> HttpResponse:
        job = roster.preview_roster(
            actor=request.user,
            school=school,
            file_name=upload.name,
            content=read_capped(upload, TABLE_MAX_BYTES),
        )
        return redirect("people:import_preview", uuid=job.uuid)

    return render_or_problems(request, "people/import_upload.html", context, preview)


@login_required
def roster_preview(request: HttpRequest, uuid: str) -> HttpResponse:
    job = selectors.roster_import(actor=request.user, uuid=uuid)
    if job is None:
        raise Http404
    context = {"job": job, "school": job.school}
    if request.method == "POST":

        def apply() -> HttpResponse:
            roster.apply_roster(actor=request.user, job=job)
            messages.success(request, _("The roster is imported."))
            return redirect("people:import_preview", uuid=job.uuid)

        return render_or_problems(request, "people/import_preview.html", context, apply)
    return render(request, "people/import_preview.html", context)
