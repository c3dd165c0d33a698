import datetime as dt
import secrets

from django.db import transaction
from django.db.models import Q

from khru.core import audit
from khru.exchange.models import ApiToken, hash_token
from khru.org.models import User


@transaction.atomic
def issue_token(*, actor: User, name: str = "api") -> str:
    """Create a token for the actor themself; the raw value is shown once and never stored."""
    raw = "khru_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=raw[5:13], token_hash=hash_token(raw))
    audit.record(actor=actor, action=audit.Action.CREATE, obj=token, summary=f"API token {name}")
    return raw


def purge_tokens(*, before: dt.datetime, dry_run: bool) -> int:
    """Delete tokens revoked (or, once tokens carry an expiry, expired) before the cut-off: the retention job."""
    ended = Q(revoked_at__lt=before)
    if any(field.name == "expires_at" for field in ApiToken._meta.get_fields()):
        ended |= Q(expires_at__lt=before)
    tokens = ApiToken.objects.filter(ended)
    count = tokens.count()
    if not dry_run:
        tokens.delete()
    return count
