"""Sign-ins and sign-outs go to the audit trail (who, when); Django announces them only through signals."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from khru.core import audit


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action=audit.Action.LOGIN, obj=user, summary="sign in")
