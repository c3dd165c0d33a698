"""Care pages: the class grid, a child's care record, questionnaire entry and results, a school's own forms."""

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khru.care import derived, selectors, services
from khru.care.forms import (
    InterventionForm,
    InterventionStatusForm,
    NoteForm,
    QuestionnaireForm,
    ResponseHeadForm,
    ScreeningForm,
)
from khru.care.models import Area, Case, Intervention
from khru.core.dates import MONTHS_TH_FULL, be_year, format_be
from khru.core.errors import KhruError, NotAllowed, Problem
from khru.core.pdf import render_pdf
from khru.core.templatetags.thai import staff_name
from khru.core.views import message_problems, month_links, month_param
from khru.org import scope
from khru.org import selectors as org_selectors
from khru.org.roles import Perm


@login_required
def classroom(request: HttpRequest, uuid: str) -> HttpResponse:
    try:
        found = org_selectors.get_classroom(actor=request.user, uuid=uuid, perm=Perm.VIEW_SENSITIVE)
        grid = selectors.class_grid(actor=request.user, classroom=found)
    except NotAllowed as error:
        raise Http404 from error
    sdq = selectors.builtin()
    return render(request, "care/classroom.html", {"classroom": found, "grid": grid, "sdq": sdq})


def _form_problems(form: Any) -> list[Problem]:
    """A form's own errors (a date that is not a date) as problems, in the page's words."""
    return [
        Problem(name, " ".join(map(str, errors)), " ".join(map(str, errors)), field_th=str(form[name].label))
        for name, errors in form.errors.items()
    ]


def _post_care(request: HttpRequest, child: Any) -> str | None:
    """Handle one of the care page's forms (named by `action`); returns the success message or raises."""
    action = request.POST.get("action", "screening")
    actor = request.user
    if action == "screening":
        form: Any = ScreeningForm(request.POST)
        if not form.is_valid():
            raise KhruError(*_form_problems(form))
        services.record_screening(
            actor=actor,
            person=child,
            area=form.cleaned_data["area"],
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        return _("The screening is saved.")
    if action in ("note", "note_edit"):
        form = NoteForm(request.POST, prefix="note")
        if not form.is_valid():
            raise KhruError(*_form_problems(form))
        data = form.cleaned_data
        if action == "note":
            services.add_note(
                actor=actor, person=child, text=data["text"], area=data["area"], noted_on=data["noted_on"]
            )
            return _("The note is saved.")
        note = selectors.get_note(actor=actor, uuid=request.POST.get("note", ""))
        services.edit_note(
            actor=actor, note=note, text=data["text"], area=data["area"], noted_on=data["noted_on"]
        )
        return _("The note is corrected; the earlier wording is kept.")
    if action == "note_delete":
        note = selectors.get_note(actor=actor, uuid=request.POST.get("note", ""))
        services.delete_note(actor=actor, note=note)
        return _("The note is deleted.")
    if action == "intervention":
        form = InterventionForm(request.POST, prefix="iv")
        if not form.is_valid():
            raise KhruError(*_form_problems(form))
        services.add_intervention(actor=actor, person=child, **form.cleaned_data)
        return _("The intervention is saved.")
    if action == "intervention_update":
        form = InterventionStatusForm(request.POST, prefix="ivu")
        if not form.is_valid():
            raise KhruError(*_form_problems(form))
        found = selectors.get_intervention(actor=actor, uuid=request.POST.get("intervention", ""))
        services.update_intervention(actor=actor, intervention=found, **form.cleaned_data)
        return _("The intervention is updated.")
    if action == "case_close":
        case = selectors.get_case(actor=actor, uuid=request.POST.get("case", ""))
        services.close_case(
            actor=actor,
            case=case,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("outcome_note", ""),
        )
        return _("The follow-up is closed.")
    raise NotAllowed()


@login_required
def student(request: HttpRequest, uuid: str) -> HttpResponse:
    """A child's care record: current status per area, screening history, questionnaire results, notes and
    interventions (all audited). Every form on the page posts here with an `action`."""
    try:
        child = selectors.get_child(actor=request.user, uuid=uuid)
        enrolment = services.care_enrolment(actor=request.user, person=child)
    except NotAllowed as error:
        raise Http404 from error
    problems: list[Problem] = []
    action = request.POST.get("action", "screening") if request.method == "POST" else ""
    if request.method == "POST":
        try:
            with transaction.atomic():
                done = _post_care(request, child)
            if done:
                messages.success(request, done)
            anchor = {"screening": "", "case_close": "#case"}.get(action, "#notes")
            return redirect(reverse("care:student", args=[uuid]) + anchor)
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            problems = error.problems
    bound = request.POST if problems else None
    screenings = selectors.screenings_for(actor=request.user, person=child)
    current = selectors.current_by_area(screenings)
    today = timezone.localdate()
    context = {
        "child": child,
        "enrolment": enrolment,
        "current": [(value, label, current.get(value)) for value, label in Area.choices],
        "screenings": screenings,
        "responses": selectors.responses_for(actor=request.user, person=child),
        "questionnaires": selectors.questionnaires(actor=request.user, school=enrolment.school),
        "form": ScreeningForm(bound if action == "screening" else None),
        "note_form": NoteForm(
            bound if action == "note" else None, prefix="note", initial={"noted_on": today}
        ),
        "intervention_form": InterventionForm(
            bound if action == "intervention" else None, prefix="iv", initial={"started_on": today}
        ),
        "notes": selectors.notes_for(actor=request.user, person=child),
        "interventions": selectors.interventions_for(actor=request.user, person=child),
        "cases": selectors.cases_for(actor=request.user, person=child),
        "outcomes": Case.Outcome.choices,
        "statuses": Intervention.Status.choices,
        "areas": Area.choices,
        "action": action,
        "problems": problems,
    }
    return render(request, "care/student.html", context, status=400 if problems else 200)


def _answers(request: HttpRequest, numbers: list[int]) -> dict[int, Any]:
    """item-<n> → value; an empty or non-number answer is kept as None so the service names the item."""
    answers: dict[int, Any] = {}
    for number in numbers:
        raw = request.POST.get(f"item-{number}", "")
        try:
            answers[number] = int(raw)
        except ValueError:
            answers[number] = None
    return answers


@login_required
def respond(request: HttpRequest, uuid: str, questionnaire: str) -> HttpResponse:
    """Entry of one questionnaire about a child: a row of big radio buttons per item, one save."""
    try:
        child = selectors.get_child(actor=request.user, uuid=uuid)
        found = selectors.get_questionnaire(actor=request.user, uuid=questionnaire)
    except NotAllowed as error:
        raise Http404 from error
    sheet = selectors.sheet(questionnaire=found)
    head = ResponseHeadForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    answers: dict[int, Any] = {}
    problems: list[Problem] = []
    if request.method == "POST":
        answers = _answers(request, [item.number for item in sheet.items])
        if head.is_valid():
            try:
                response = services.record_response(
                    actor=request.user,
                    questionnaire=found,
                    person=child,
                    respondent=head.cleaned_data["respondent"],
                    respondent_name=head.cleaned_data["respondent_name"],
                    answered_on=head.cleaned_data["answered_on"],
                    answers=answers,
                )
                messages.success(request, _("The answers are saved."))
                return redirect("care:response", uuid=response.uuid)
            except NotAllowed as error:
                raise Http404 from error
            except KhruError as error:
                problems = error.problems
        else:
            problems = [
                Problem(
                    name,
                    " ".join(map(str, errors)),
                    " ".join(map(str, errors)),
                    field_th=str(head[name].label),
                )
                for name, errors in head.errors.items()
            ]
    rows = [(item, answers.get(item.number)) for item in sheet.items]
    context = {"child": child, "sheet": sheet, "head": head, "rows": rows, "problems": problems}
    return render(request, "care/respond.html", context, status=400 if problems else 200)


@login_required
def response(request: HttpRequest, uuid: str) -> HttpResponse:
    try:
        found = selectors.get_response(actor=request.user, uuid=uuid)
    except NotAllowed as error:
        raise Http404 from error
    subscales = [
        (subscale, found.subscale_scores.get(subscale.code, {}))
        for subscale in found.questionnaire.subscales.order_by("order")
    ]
    return render(request, "care/response.html", {"response": found, "subscales": subscales})


@login_required
def school_forms(request: HttpRequest, code: str) -> HttpResponse:
    """The school office builds its own screening form by typing lines, without code."""
    try:
        school = org_selectors.get_school(actor=request.user, code=code, perm=Perm.MANAGE_CLASSES)
    except NotAllowed as error:
        raise Http404 from error
    form = QuestionnaireForm(request.POST or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.create_questionnaire(
                actor=request.user,
                school=school,
                code=form.cleaned_data["code"],
                name_th=form.cleaned_data["name_th"],
                name_en=form.cleaned_data["name_en"],
                scale_lines=form.cleaned_data["scale"].splitlines(),
                item_lines=form.cleaned_data["items"].splitlines(),
                normal_max=form.cleaned_data["normal_max"],
                risk_max=form.cleaned_data["risk_max"],
            )
            messages.success(request, _("The questionnaire is ready to use."))
            return redirect("care:school_forms", code=code)
        except KhruError as error:
            problems = error.problems
    context = {
        "school": school,
        "questionnaires": selectors.questionnaires(actor=request.user, school=school),
        "form": form,
        "problems": problems,
        "can_manage": scope.can(request.user, Perm.MANAGE_CLASSES, school),
    }
    return render(request, "care/school_forms.html", context, status=400 if problems else 200)


@login_required
@require_POST
def derive(request: HttpRequest, uuid: str) -> HttpResponse:
    """The class button: screen every child from the data held (thresholds in care.thresholds)."""
    try:
        found = org_selectors.get_classroom(actor=request.user, uuid=uuid, perm=Perm.VIEW_SENSITIVE)
        result = derived.derive_for_classroom(actor=request.user, classroom=found)
    except NotAllowed as error:
        raise Http404 from error
    except KhruError as error:
        message_problems(request, error)
        return redirect("care:classroom", uuid=uuid)
    messages.success(request, _("%(count)d screenings changed from the data.") % {"count": result.written})
    return redirect("care:classroom", uuid=uuid)


@login_required
def follow_up(request: HttpRequest, code: str) -> HttpResponse:
    """The school's monthly follow-up list: each case open in the month, its actions due, overdue and done."""
    start, _end = month_param(request)
    try:
        school = org_selectors.get_school(actor=request.user, code=code, perm=Perm.VIEW_RISK)
        listing = selectors.follow_up_list(actor=request.user, school=school, month=start)
    except NotAllowed as error:
        raise Http404 from error
    if request.GET.get("format") == "pdf":
        return _follow_up_pdf(listing)
    context = {"listing": listing, "today": timezone.localdate(), "month": month_links(start)}
    return render(request, "care/follow_up.html", context)


def _follow_up_pdf(listing: selectors.FollowUpList) -> HttpResponse:
    def actions(found: list[Intervention]) -> str:
        return "; ".join(f"{a.get_kind_display()} ({format_be(a.follow_up_on)})" for a in found) or "–"

    data = {
        "school": listing.school.name_th,
        "month": f"{MONTHS_TH_FULL[listing.month.month - 1]} {be_year(listing.month.year)}",
        "children": len(listing.rows),
        "overdue": listing.overdue_count,
        "printed": format_be(timezone.localdate()),
        "rows": [
            [
                f"{row.case.person.full_name} (ตั้งแต่ {format_be(row.case.opened_on)})",
                staff_name(row.case.responsible) or "–",
                row.case.reasons,
                actions(row.due),
                actions(row.overdue),
                "; ".join(a.get_kind_display() for a in row.done) or "–",
                row.case.get_outcome_display() if row.case.closed_on else "ยังติดตามอยู่",
            ]
            for row in listing.rows
        ],
    }
    response = HttpResponse(render_pdf(PDF_DIR / "follow_up.typ", data=data), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="follow-up-{listing.school.code}-{listing.month:%Y-%m}.pdf"'
    )
    return response


PDF_DIR = Path(__file__).resolve().parent / "pdf"
