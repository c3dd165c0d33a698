"""Early-warning pages: a class's flags with their reasons, and an area's ABC rule with a preview."""

import datetime as dt
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


@login_required
def rule(request: HttpRequest, code: str) -> HttpResponse:
    try:
        area = selectors.rule_area(actor=request.user, code=code)
    except NotAllowed as error:
        raise Http404 from error
    current = selectors.rule_for(area)
    problems: list[Any] = []
    typed = {
        "attendance_below": str(current.attendance_below),
        "behaviour_from": current.behaviour_from,
        "failed_core_courses": str(current.failed_core_courses),
    }
    preview = None
    if request.method == "POST":
        typed = {name: str(request.POST.get(name, "")) for name in typed}
        try:
            proposed = services.parse_rule(area=area, **typed)
            if request.POST.get("action") == "save":
                services.set_abc_rule(actor=request.user, area=area, proposed=proposed)
                messages.success(request, _("The rule is saved."))
                return redirect(request.path)
            preview = selectors.preview_rule(actor=request.user, area=area, proposed=proposed)
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            problems = error.problems
    context = {
        "area": area,
        "rule": current,
        "typed": typed,
        "preview": preview,
        "problems": problems,
        "behaviours": selectors.AbcRule.Behaviour.choices,
    }
    return render(request, "earlywarning/rule.html", context)


@login_required
def model(request: HttpRequest, code: str) -> HttpResponse:
    """How well the area's risk model did on a year it never saw, beside the ABC rule (counts, no child)."""
    try:
        area = selectors.rule_area(actor=request.user, code=code)
    except NotAllowed as error:
        raise Http404 from error
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
    try:
        area = selectors.rule_area(actor=request.user, code=code)
        board = selectors.learning(actor=request.user, area=area)
    except NotAllowed as error:
        raise Http404 from error
    return render(request, "earlywarning/learning.html", {"board": board})


@login_required
def on_track(request: HttpRequest, code: str) -> HttpResponse:
    """The area's on-track rule per level, with a preview of how many children each change puts off track."""
    try:
        area = selectors.rule_area(actor=request.user, code=code)
    except NotAllowed as error:
        raise Http404 from error
    current = selectors.on_track_rules(area)
    typed = {}
    for level, rule in current.items():
        typed[f"{level}-max_failed_core"] = str(rule.max_failed_core)
        typed[f"{level}-min_attendance"] = str(rule.min_attendance)
    problems: list[Any] = []
    preview = None
    if request.method == "POST":
        typed = {name: str(request.POST.get(name, "")) for name in typed}
        try:
            proposed = services.parse_on_track(area=area, typed=typed)
            if request.POST.get("action") == "save":
                services.set_on_track(actor=request.user, area=area, proposed=proposed)
                messages.success(request, _("The rule is saved."))
                return redirect(request.path)
            preview = selectors.preview_on_track(actor=request.user, area=area, proposed=proposed)
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            problems = error.problems
    levels = [
        (level, label, typed[f"{level}-max_failed_core"], typed[f"{level}-min_attendance"])
        for level, label in selectors.OnTrackRule.Level.choices
    ]
    context = {"area": area, "levels": levels, "preview": preview, "problems": problems}
    return render(request, "earlywarning/on_track.html", context, status=400 if problems else 200)
