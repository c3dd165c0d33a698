"""The signed-in user's own API tokens: list, create (the value is shown once), revoke."""

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from khru.core.views import or_404
from khru.exchange import selectors, services
from khru.org.models import User

NEW_TOKEN = "khru_new_token"


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)  # signed in: login_required
    if request.method == "POST":
        # Post, then redirect: reloading the page must not make a second token. The new value waits in the
        # session for the one page that shows it, and is gone from there once shown.
        request.session[NEW_TOKEN] = services.issue_token(actor=actor, name=request.POST.get("name", ""))
        return redirect("exchange:tokens")
    created = request.session.pop(NEW_TOKEN, None)
    return render(
        request,
        "exchange/tokens.html",
        {
            "tokens": selectors.tokens_of(actor=actor),
            "created": created,
            "now": timezone.now(),
            "token_days": settings.KHRU_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = cast(User, request.user)
    token = or_404(selectors.get_own_token, actor=actor, pk=pk)
    services.revoke_token(actor=actor, token=token)
    return redirect("exchange:tokens")
