"""The actor scheduled jobs use: `khru report` from cron has no signed-in user, so it acts as the system.

It is a real user row (so the audit trail names it) with no password and no memberships: its reach over
every school exists only in the memory of the process that asked for it, never in the database.
"""

from khru.org import scope
from khru.org.models import User

USERNAME = scope.SYSTEM_USERNAME


def system_actor(reason: str = "khru report") -> User:
    user: User = scope.dangerously_unscoped(reason=reason)
    return user
