"""Helpers every page uses to turn a refused service call into a page that keeps what the user typed."""

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from khru.core.dates import parse_be_date
from khru.core.errors import KhruError, NotAllowed, Problem

T = TypeVar("T")


def or_404(read: Callable[..., T], /, **kwargs: Any) -> T:
    """A selector's answer; a refusal (out of the reader's scope) is a 404, as if the thing did not exist."""
    try:
        return read(**kwargs)
    except NotAllowed as error:
        raise Http404 from error


def date_param(request: HttpRequest, name: str = "date") -> dt.date:
    """A day chosen in the query string: as a teacher types it (?date=25/11/2569, a BE year), or as links
    write it (?date=2026-11-25; 2569-11-25 is read as BE too); today when it is missing or not a date."""
    try:
        return parse_be_date(request.GET.get(name, "").strip())
    except ValueError:
        return timezone.localdate()


def month_param(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The month asked for (?month=2026-11), else this month: its first and last day."""
    try:
        start = dt.date.fromisoformat(f"{request.GET.get('month', '')}-01")
    except ValueError:
        start = timezone.localdate().replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def month_links(start: dt.date) -> dict[str, Any]:
    """The month's first and last day and the ?month= values of the months before and after."""
    before = (start - dt.timedelta(days=1)).replace(day=1)
    after = (start + dt.timedelta(days=32)).replace(day=1)
    return {
        "start": start,
        "end": after - dt.timedelta(days=1),
        "before": f"{before:%Y-%m}",
        "after": f"{after:%Y-%m}",
    }


def form_problems(*forms: Any) -> list[Problem]:
    """The forms' own errors (a date that is not a date) in the same shape as a service's problems."""
    found = []
    for form in forms:
        for name, errors in form.errors.items():
            text = " ".join(map(str, errors))
            label = str(form[name].label) if name in form.fields else name
            found.append(Problem(name, text, text, field_th=label))
    return found


def render_or_problems(
    request: HttpRequest, template: str, context: dict[str, Any], action: Callable[[], HttpResponse]
) -> HttpResponse:
    """Run the action; on a refusal, show the same form (bound, so nothing typed is lost) with the problems."""
    try:
        return action()
    except NotAllowed as error:
        raise Http404 from error
    except KhruError as error:
        return render(request, template, {**context, "problems": error.problems}, status=400)


def message_problems(request: HttpRequest, error: KhruError) -> None:
    """Each problem as a message on the next page, in that page's language only (the API answers with both),
    naming the row and the field as problems.html does."""
    english = getattr(request, "LANGUAGE_CODE", "th") == "en"
    for p in error.problems:
        field = p.field if english else p.field_th
        row = (f"Row {p.row}: " if english else f"แถว {p.row}: ") if p.row else ""
        messages.error(request, f"{row}{field + ' — ' if field else ''}{p.en if english else p.th}")
