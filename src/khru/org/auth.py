"""Sign in with a username or a 13-digit citizen ID (what Thai teachers know by heart)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from khru.core.identity import normalise_identifier
from khru.org.models import User


class UsernameOrCitizenIdBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username and password:
            identifier = normalise_identifier(username)
            if identifier.isdigit() and len(identifier) == 13:
                user = User.objects.filter(person__citizen_id=identifier).first()
                if user and user.check_password(password) and self.user_can_authenticate(user):
                    return user
                return None
        return super().authenticate(request, username=username, password=password, **kwargs)
