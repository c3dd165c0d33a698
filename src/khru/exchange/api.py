"""The REST API at /api/v1/: bearer tokens (or the browser session) carry exactly the user's scope."""

import copy
import time
from decimal import Decimal
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.renderers import BaseRenderer
from ninja.security import HttpBearer, django_auth

from khru.core.errors import KhruError, NotAllowed
from khru.exchange.models import ApiToken, hash_token


class JsonRenderer(BaseRenderer):
    """orjson: several times faster than the standard encoder for a page of a hundred rows."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


TOKEN_SECONDS = 30  # a revoked token or deactivated user stops working within this time
_tokens: dict[str, tuple[float, Any]] = {}  # token hash: (when the look-up expires, the user), per process


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = hash_token(token)
        expires, user = _tokens.get(key, (0.0, None))
        if expires < time.monotonic():
            found = (
                ApiToken.objects.select_related("user")
                .filter(token_hash=key, revoked_at__isnull=True, user__is_active=True)
                .first()
            )
            if found is None:
                _tokens.pop(key, None)
                return None
            now = timezone.now()
            if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 300:
                ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            user = found.user
            _tokens[key] = (time.monotonic() + TOKEN_SECONDS, user)
        # Each request its own copy: what a request caches on its user (the scope's reach) stays with it.
        request.user = copy.copy(user)
        request.user.__dict__.pop("_khru_reach", None)
        return request.user


api = NinjaAPI(
    title="Khru API",
    version="1",
    description="Khru (ครู) school information system. Every answer is limited to the caller's scope.",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    renderer=JsonRenderer(),
)


def _problems(error: KhruError) -> list[dict[str, Any]]:
    return [{"field": p.field, "row": p.row, "th": p.th, "en": p.en} for p in error.problems]


@api.exception_handler(NotAllowed)
def not_allowed(request: HttpRequest, error: NotAllowed) -> HttpResponse:
    # 404, not 403: the caller learns nothing about what exists outside their scope.
    return api.create_response(request, {"detail": "not found", "problems": _problems(error)}, status=404)


@api.exception_handler(KhruError)
def refused(request: HttpRequest, error: KhruError) -> HttpResponse:
    return api.create_response(request, {"detail": "invalid", "problems": _problems(error)}, status=400)


def _add_routers() -> None:
    from khru.assessment.api import router as assessment_router
    from khru.attendance.api import router as attendance_router
    from khru.care.api import router as care_router
    from khru.health.api import router as health_router
    from khru.insights.api import router as insights_router
    from khru.licences.api import router as licences_router
    from khru.org.api import router as org_router
    from khru.people.api import router as people_router
    from khru.reports.api import router as reports_router
    from khru.teachers.api import router as teachers_router
    from khru.welfare.api import router as welfare_router

    api.add_router("/", org_router)
    api.add_router("/", people_router)
    api.add_router("/", assessment_router)
    api.add_router("/", attendance_router)
    api.add_router("/", care_router)
    api.add_router("/", health_router)
    api.add_router("/", welfare_router)
    api.add_router("/", teachers_router)
    api.add_router("/", licences_router)
    api.add_router("/", reports_router)
    api.add_router("/", insights_router)


_add_routers()
