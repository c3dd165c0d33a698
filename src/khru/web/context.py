"""Navigation for the signed-in user: only the links their memberships allow."""

from typing import Any

from django.http import HttpRequest

from khru.org import scope
from khru.org.audit_log import may_read_audit
from khru.org.roles import Perm


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_can_manage": scope.holds(user, Perm.MANAGE_ENROLMENT),
        "nav_is_admin": scope.is_system_admin(user),
        "nav_sees_area": scope.holds(user, Perm.VIEW_AGGREGATES, above_school=True),
        "nav_can_look_up": scope.holds(user, Perm.LOOKUP_PERSONS),
        "nav_sees_audit": may_read_audit(user),
    }
