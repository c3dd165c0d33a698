"""Reads of the audit trail: the audit page (a principal's school, an officer's area, everything for the
system admin) and one person's access log (the PDPA "who saw or changed my child's data")."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from khru.core import audit
from khru.core.errors import NotAllowed
from khru.core.identity import normalise_identifier
from khru.core.models import AuditEvent
from khru.org import scope
from khru.org.models import School
from khru.org.roles import Perm
from khru.people.models import Person


@dataclass(frozen=True)
class AuditFilter:
    """The audit page's filters; empty values filter nothing."""

    person: str = ""  # citizen ID / G code
    user: str = ""  # username
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "user": self.user,
            "action": self.action,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def events(*, actor: Any, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """The events the actor may read (VIEW_AUDIT), newest first, narrowed by the filters."""
    rows = AuditEvent.objects.filter(scope.visible(actor, AuditEvent, Perm.VIEW_AUDIT))
    if filters.person:
        identifier = normalise_identifier(filters.person)
        rows = rows.filter(person_id__in=Person.objects.filter(citizen_id=identifier).values("pk"))
    if filters.user:
        rows = rows.filter(actor__username__iexact=filters.user.strip())
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.date_from:
        rows = rows.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return rows.select_related("actor__person").order_by("-at", "-pk")


def may_read_audit(actor: Any) -> bool:
    """Whether the audit page is for this user at all (a principal, an area officer, the system admin)."""
    return scope.holds(actor, Perm.VIEW_AUDIT)  # from the memberships already read: no query on every page


def person_events(*, actor: Any, person: Person) -> QuerySet[AuditEvent]:
    """Who read or changed this person's data, when, newest first: for whoever answers the family's PDPA
    request at the person's school (the registrar or the principal: MANAGE_ENROLMENT on the person)."""
    if not scope.can(actor, Perm.MANAGE_ENROLMENT, person):
        raise NotAllowed()
    return (
        AuditEvent.objects.filter(person_id=person.pk).select_related("actor__person").order_by("-at", "-pk")
    )


def labels(*, actor: Any, rows: list[AuditEvent]) -> tuple[dict[int, str], dict[int, str]]:
    """School names and person names for a page of events, only those the reader may see anyway."""
    school_ids = {e.school_id for e in rows if e.school_id}
    person_ids = {e.person_id for e in rows if e.person_id}
    schools = dict(
        School.objects.filter(scope.visible(actor, School), pk__in=school_ids).values_list("pk", "name_th")
    )
    persons = {
        pk: f"{first} {last}"
        for pk, first, last in Person.objects.filter(
            scope.visible(actor, Person, Perm.VIEW_STUDENTS), pk__in=person_ids
        ).values_list("pk", "first_name_th", "last_name_th")
    }
    return schools, persons


CSV_HEADER = ["at", "user", "action", "object_type", "object_id", "school", "person", "summary"]


def events_csv(*, actor: Any, filters: AuditFilter) -> list[list[Any]]:
    """The filtered events as CSV rows, header first (every row, not one page); the download is audited."""
    rows = list(events(actor=actor, filters=filters))
    schools, persons = labels(actor=actor, rows=rows)
    table: list[list[Any]] = [list(CSV_HEADER)]
    for e in rows:
        table.append(
            [
                timezone.localtime(e.at).isoformat(timespec="seconds"),
                e.actor.username if e.actor else "",
                e.action,
                e.object_type,
                e.object_id,
                schools.get(e.school_id or 0, e.school_id or ""),
                persons.get(e.person_id or 0, e.person_id or ""),
                e.summary,
            ]
        )
    audit.record_bulk_read(actor=actor, model=AuditEvent, filters=filters.as_dict(), count=len(rows))
    return table
