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


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)  # signed in: login_required
    created = None
    if request.method == "POST":
        created = services.issue_token(actor=actor, name=request.POST.get("name", ""))
    return render(
        request,
        "exchange/tokens.html",
        {
            "tokens": selectors.tokens_of(actor=actor),
            "created": created,
            "now": timezone.now(),
            "token_days": settings.KHRU_TOKEN_DAYS,
        },
        status=201 if created else 200,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = cast(User, request.user)
    token = or_404(selectors.get_own_token, actor=actor, pk=pk)
    services.revoke_token(actor=actor, token=token)
    return redirect("exchange:tokens")
