import datetime as dt
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from khru.core import audit
from khru.exchange import selectors
from khru.exchange.models import ApiToken, hash_token
from khru.org import scope
from khru.org.models import User


@transaction.atomic
def issue_token(*, actor: User, name: str = "api") -> str:
    """Create a token for the actor themself; the raw value is shown once and never stored.

    It expires after `KHRU_TOKEN_DAYS` days: a forgotten token in a script stops working by itself.
    """
    raw = "khru_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip()[:100] or "api",
        prefix=raw[5:13],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=settings.KHRU_TOKEN_DAYS),
    )
    audit.record(actor=actor, action=audit.Action.CREATE, obj=token, summary=f"API token {token.name}")
    return raw


def purge_tokens(*, before: dt.datetime, dry_run: bool) -> int:
    """Delete tokens revoked or expired before the cut-off: the retention job."""
    tokens = ApiToken.objects.filter(Q(revoked_at__lt=before) | Q(expires_at__lt=before))
    count = tokens.count()
    if not dry_run:
        tokens.delete()
    return count


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> None:
    """The owner ends a token at once; revoking it again changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    cache.delete(token_cache_key(token.token_hash))  # this process and, with Redis, every worker
    audit.record(
        actor=actor, action=audit.Action.DELETE, obj=token, summary=f"API token {token.name} revoked"
    )


TOKEN_SECONDS = 30  # how long a looked-up token is remembered (revoke_token forgets it at once)


def token_cache_key(token_hash: str) -> str:
    return f"khru-token:{token_hash}"


def authenticate(raw: str) -> ApiToken | None:
    """The live token with this value, remembered briefly in the cache (shared by every worker when REDIS_URL
    is set) so the API's hot reads do not look it up on every request; never past the token's expiry.
    Notes when it was last used (at most every five minutes)."""
    key = token_cache_key(hash_token(raw))
    now = timezone.now()
    found: ApiToken | None = cache.get(key)
    if found is not None and found.expires_at > now:
        return found
    found = selectors.live_token(raw)
    if found is None:
        return None
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    seconds = min(TOKEN_SECONDS, int((found.expires_at - now).total_seconds()))
    if seconds >= 1:
        scope.remember(found.user)  # the memberships are cached with the token, not read per request
        cache.set(key, found, seconds)
    return found
