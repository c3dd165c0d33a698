"""Sign in with a username or a 13-digit citizen ID (what Thai teachers know by heart), and the key that
counts failed sign-ins per account, whichever spelling of the identifier was typed."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from khru.core.identity import normalise_identifier
from khru.org.models import User


def _citizen_id(identifier: str) -> str | None:
    """The 13 digits when ``identifier`` is a citizen ID once spaces and dashes are stripped."""
    normalised = normalise_identifier(identifier)
    return normalised if normalised.isdigit() and len(normalised) == 13 else None


def lockout_key(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """What django-axes counts failures against (AXES_USERNAME_CALLABLE): the account's username when the
    identifier names an account (by citizen ID in any spelling, or by username in any case), else the
    identifier normalised, so an unknown one cannot be retried in new spellings either."""
    if credentials is not None:
        typed = credentials.get("username")
    else:
        typed = request.POST.get("username") if request is not None else None
    typed = (typed or "").strip()
    citizen_id = _citizen_id(typed)
    if citizen_id is not None:
        user = User.objects.filter(person__citizen_id=citizen_id).only("username").first()
    else:
        user = User.objects.filter(username__iexact=typed).only("username").first()
    if user is not None:
        return user.username
    return normalise_identifier(typed).lower()


class UsernameOrCitizenIdBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username and password:
            citizen_id = _citizen_id(username)
            if citizen_id is not None:
                user = User.objects.filter(person__citizen_id=citizen_id).first()
                if user and user.check_password(password) and self.user_can_authenticate(user):
                    return user
                return None
        return super().authenticate(request, username=username, password=password, **kwargs)
