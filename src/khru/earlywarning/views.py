"""Early-warning pages: a class's flags with their reasons, and an area's ABC rule with a preview."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khru.care import services as care_services
from khru.core.errors import KhruError, NotAllowed
from khru.core.views import or_404
from khru.earlywarning import selectors, services
from khru.org import selectors as org_selectors
from khru.org.roles import Perm


@login_required
def classroom(request: HttpRequest, uuid: str) -> HttpResponse:
    try:
        classroom = org_selectors.get_classroom(actor=request.user, uuid=uuid, perm=Perm.VIEW_RISK)
        board = selectors.class_flags(actor=request.user, classroom=classroom)
    except NotAllowed as error:
        raise Http404 from error
    return render(request, "earlywarning/class.html", {"board": board})


@dataclass
class _Edit:
    typed: dict[str, str]
    preview: Any = None
    problems: list[Any] = field(default_factory=list)
    saved: bool = False


def _edit_rule(
    request: HttpRequest, typed: dict[str, str], parse: Callable[[dict[str, str]], Any],
    save: Callable[[Any], Any], preview: Callable[[Any], Any],
) -> _Edit:  # fmt: skip
    """A rule's form: on POST, the typed thresholds are checked, then previewed or saved; a refusal keeps
    what was typed and names each field."""
    edit = _Edit(typed)
    if request.method != "POST":
        return edit
    edit.typed = {name: str(request.POST.get(name, "")) for name in typed}
    try:
        proposed = parse(edit.typed)
        if request.POST.get("action") == "save":
            save(proposed)
            messages.success(request, _("The rule is saved."))
            edit.saved = True
        else:
            edit.preview = preview(proposed)
    except NotAllowed as error:
        raise Http404 from error
    except KhruError as error:
        edit.problems = error.problems
    return edit


def _office_area(request: HttpRequest, code: str) -> Any:
    """An area whose rules the user's office sets; 404 for anyone else."""
    return or_404(selectors.rule_area, actor=request.user, code=code)


@login_required
def rule(request: HttpRequest, code: str) -> HttpResponse:
    area = _office_area(request, code)
    current = selectors.rule_for(area)
    edit = _edit_rule(
        request,
        {
            "attendance_below": str(current.attendance_below),
            "behaviour_from": current.behaviour_from,
            "failed_core_courses": str(current.failed_core_courses),
        },
        parse=lambda typed: services.parse_rule(area=area, **typed),
        save=lambda proposed: services.set_abc_rule(actor=request.user, area=area, proposed=proposed),
        preview=lambda proposed: selectors.preview_rule(actor=request.user, area=area, proposed=proposed),
    )
    if edit.saved:
        return redirect(request.path)
    context = {
        "area": area,
        "rule": current,
        "typed": edit.typed,
        "preview": edit.preview,
        "problems": edit.problems,
        "behaviours": selectors.AbcRule.Behaviour.choices,
    }
    return render(request, "earlywarning/rule.html", context)


@login_required
def model(request: HttpRequest, code: str) -> HttpResponse:
    """How well the area's risk model did on a year it never saw, beside the ABC rule (counts, no child)."""
    area = _office_area(request, code)
    model = selectors.latest_model(area)
    tested_on = dt.date.fromisoformat(model.evaluation["tested_on"]) if model else None
    return render(request, "earlywarning/model.html", {"area": area, "model": model, "tested_on": tested_on})


@login_required
@require_POST
def follow_up(request: HttpRequest, uuid: str, person: UUID) -> HttpResponse:
    """Open a follow-up case for a flagged child of the class, with the reasons shown on the page now."""
    try:
        classroom = org_selectors.get_classroom(actor=request.user, uuid=uuid, perm=Perm.VIEW_RISK)
        board = selectors.class_flags(actor=request.user, classroom=classroom)
        flag = next((f for f in board.flags if f.person.uuid == person), None)
        if flag is None:
            raise NotAllowed()
        reasons = [r.text_th for r in [*flag.reasons, *flag.signs]]
        care_services.open_case(
            actor=request.user,
            person=flag.person,
            reasons="; ".join(dict.fromkeys(reasons)),
            chance=flag.chance,
        )
    except NotAllowed as error:
        raise Http404 from error
    return redirect(reverse("care:student", args=[flag.person.uuid]) + "#case")


@login_required
def learning(request: HttpRequest, code: str) -> HttpResponse:
    """What the area learns from its warnings this year: per school, counts only."""
    board = or_404(selectors.learning, actor=request.user, area=_office_area(request, code))
    return render(request, "earlywarning/learning.html", {"board": board})


@login_required
def on_track(request: HttpRequest, code: str) -> HttpResponse:
    """The area's on-track rule per level, with a preview of how many children each change puts off track."""
    area = _office_area(request, code)
    typed = {}
    for level, current in selectors.on_track_rules(area).items():
        typed[f"{level}-max_failed_core"] = str(current.max_failed_core)
        typed[f"{level}-min_attendance"] = str(current.min_attendance)
    edit = _edit_rule(
        request,
        typed,
        parse=lambda typed: services.parse_on_track(area=area, typed=typed),
        save=lambda proposed: services.set_on_track(actor=request.user, area=area, proposed=proposed),
        preview=lambda proposed: selectors.preview_on_track(actor=request.user, area=area, proposed=proposed),
    )
    if edit.saved:
        return redirect(request.path)
    levels = [
        (level, label, edit.typed[f"{level}-max_failed_core"], edit.typed[f"{level}-min_attendance"])
        for level, label in selectors.OnTrackRule.Level.choices
    ]
    context = {"area": area, "levels": levels, "preview": edit.preview, "problems": edit.problems}
    return render(request, "earlywarning/on_track.html", context, status=400 if edit.problems else 200)
