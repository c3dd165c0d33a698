"""The actor scheduled jobs use: `khru report` from cron has no signed-in user, so it acts as the system.

It is a real user row (so the audit trail names it) with no password and no memberships: its reach over
every school exists only in the memory of the process that asked for it, never in the database.
"""

from khru.org import scope
from khru.org.models import User
from khru.org.roles import Perm

USERNAME = "khru-system"


def system_actor() -> User:
    user, created = User.objects.get_or_create(username=USERNAME, defaults={"is_active": True})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user._khru_reach = {perm: scope.Reach(everything=True) for perm in Perm}  # type: ignore[attr-defined]
    return user
