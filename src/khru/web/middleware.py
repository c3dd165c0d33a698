"""Answers that may show a person are never kept by a browser or a proxy."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def no_store(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """`Cache-Control: no-store` on every API answer and every page served to a signed-in user.

    The simplest safe rule: a shared computer's cache or the back button must not show a child's record to
    the next person. Public pages (login, verification) and static files stay cacheable.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
        return response

    return middleware
