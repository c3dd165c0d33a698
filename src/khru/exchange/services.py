import secrets

from django.db import transaction

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
