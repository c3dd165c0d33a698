"""Sign-ins and sign-outs go to the audit trail (who, when); Django announces them only through signals."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from khru.core import audit


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action=audit.Action.LOGIN, obj=user, summary="sign in")


@receiver(user_logged_out)
def record_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return  # Django also announces a sign-out of nobody (the logout URL visited while signed out)
    audit.record(actor=user, action=audit.Action.LOGOUT, obj=user, summary="sign out")
