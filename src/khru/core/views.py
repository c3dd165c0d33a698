"""Helpers every page uses to turn a refused service call into a page that keeps what the user typed."""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from khru.core.errors import KhruError, NotAllowed


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
