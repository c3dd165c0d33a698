"""Template filters available everywhere (registered as a builtin): BE dates, names of staff."""

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from khru.core.dates import format_be

register = template.Library()


@register.filter
def be(value: dt.date | dt.datetime | None, style: str = "short") -> str:
    """{{ date|be }} → 25 พ.ย. 2569; {{ date|be:"long" }}; {{ date|be:"numeric" }} → 25/11/2569."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_be(value, style=style, language=(get_language() or "th")[:2])


@register.filter
def be_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{be(local)} {local:%H:%M}"


@register.filter
def staff_name(user: Any) -> str:
    """{{ note.recorded_by|staff_name }}: the person staff know (นางสาวสมศรี ใจดี), not the login "teacher-1";
    the login's own name, then its username, only for an account with no person (select_related the person)."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.full_name if person else (user.get_full_name() or user.get_username())
