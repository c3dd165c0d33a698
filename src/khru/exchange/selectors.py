from django.db.models import QuerySet
from django.utils import timezone

from khru.core.errors import NotAllowed
from khru.exchange.models import ApiToken, hash_token
from khru.org.models import User


def tokens_of(*, actor: User) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first: tokens are personal, nobody else lists them."""
    return ApiToken.objects.filter(user=actor).order_by("-created_at", "-pk")


def get_own_token(*, actor: User, pk: int) -> ApiToken:
    found = tokens_of(actor=actor).filter(pk=pk).first()
    if found is None:
        raise NotAllowed()
    return found


def live_token(raw: str) -> ApiToken | None:
    """The unexpired, unrevoked token of an active user with this value: one query on the unique hash."""
    return (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=hash_token(raw),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
