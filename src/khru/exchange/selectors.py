from django.core.cache import cache
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


TOKEN_SECONDS = 30  # how long a looked-up token is remembered (revoke_token forgets it at once)


def token_cache_key(token_hash: str) -> str:
    return f"khru-token:{token_hash}"


def cached_token(raw: str) -> ApiToken | None:
    """`live_token`, remembered briefly in the cache (shared by every worker when REDIS_URL is set), so the
    API's hot reads do not look the token up on every request. Never past the token's own expiry."""
    key = token_cache_key(hash_token(raw))
    found: ApiToken | None = cache.get(key)
    if found is None or found.expires_at <= timezone.now():
        found = live_token(raw)
        if found is None:
            return None
        seconds = min(TOKEN_SECONDS, (found.expires_at - timezone.now()).total_seconds())
        if seconds >= 1:
            cache.set(key, found, int(seconds))
    return found
