"""Record who did what. Called by services inside their transaction, so a rolled-back write leaves no trace."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import F

from khru.core.models import AuditEvent

Action = AuditEvent.Action


def _label(obj: models.Model) -> str:
    return obj._meta.label_lower


def _actor(actor: Any) -> Any:
    """The acting user, or None for an anonymous or system caller without a row."""
    return actor if getattr(actor, "pk", None) else None


def _person_id(obj: models.Model, person: models.Model | None) -> int | None:
    """The person an event is about: given, the object itself, or the object's person (student for a
    guardianship)."""
    if person is not None:
        return int(person.pk)
    if _label(obj) == "people.person":
        return int(obj.pk)
    found = getattr(obj, "person_id", None) or getattr(obj, "student_id", None)
    return int(found) if isinstance(found, int) else None


def _current_school(person_id: int) -> int | None:
    """The person's school at the time of the event: the open (else latest) enrolment, else staff post.

    Looked up by label: core sits below people and must not import it.
    """
    for label in ("people.enrolment", "people.staffpost"):
        school_id = (
            apps.get_model(label)
            ._default_manager.filter(person_id=person_id)
            .order_by(F("ends_on").desc(nulls_first=True), "-starts_on")
            .values_list("school_id", flat=True)
            .first()
        )
        if school_id is not None:
            return int(school_id)
    return None


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    school_id: int | None = None,
    person: models.Model | None = None,
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """One event. An event about a person (the object, its person, or `person=`) carries the person and,
    unless given, the person's current school, so that school's principal sees it."""
    person_id = _person_id(obj, person)
    if school_id is None and person_id is not None:
        school_id = _current_school(person_id)
    return AuditEvent.objects.create(
        actor=_actor(actor),
        action=action,
        object_type=_label(obj),
        object_id=str(obj.pk),
        school_id=school_id,
        person_id=person_id,
        summary=summary[:300],
        changes=dict(changes or {}),
    )


def record_many(
    *, actor: Any, action: str, objects: Iterable[models.Model], school_id: int | None, summary: str = ""
) -> None:
    """One event per object, written in one statement (imports, promotions)."""
    actor_id = getattr(actor, "pk", None)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_id=actor_id,
                action=action,
                object_type=_label(obj),
                object_id=str(obj.pk),
                school_id=school_id,
                person_id=_person_id(obj, None),
                summary=summary[:300],
            )
            for obj in objects
        ],
        batch_size=1000,
    )


def record_bulk_read(
    *,
    actor: Any,
    model: type[models.Model],
    filters: Mapping[str, Any],
    count: int,
    school_id: int | None = None,
) -> AuditEvent:
    """One row per request that lists identifiable people (an API page, an export): who, which filter, how many."""
    plain = {key: _plain(value) for key, value in filters.items() if value not in (None, "")}
    return AuditEvent.objects.create(
        actor=_actor(actor),
        action=Action.READ,
        object_type=model._meta.label_lower,
        school_id=school_id,
        summary=f"list of {count}",
        changes={"filters": plain, "count": count},
    )


def record_job(
    *, action: str, job: str, summary: str, changes: Mapping[str, Any] | None = None
) -> AuditEvent:
    """An event of a system job that concerns no single row (the retention purge, a restore)."""
    return AuditEvent.objects.create(
        action=action, object_type=job[:60], summary=summary[:300], changes=dict(changes or {})
    )


def diff(obj: models.Model, new_values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changes, as {field: [old, new]} (JSON-safe strings for dates)."""
    changed = {}
    for field, new in new_values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [_plain(old), _plain(new)]
    return changed


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, int | float | str | bool):
        return value
    return str(value)
