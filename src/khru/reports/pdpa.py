"""A PDPA access request: every fact Khru holds about one person, as JSON and as a Thai PDF summary.

The rows are found from the schema, not from a hand-kept list: every table with a key to the person
(enrolments, guardianships, marks, scores, results, measurements, care, welfare, licences, staff
records…), plus the household the child lives in, plus the audit events about the person. A new table
with a key to Person is therefore in the answer the day it is added.
"""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from khru.core import audit
from khru.core.dates import format_be
from khru.core.models import AuditEvent
from khru.core.pdf import render_pdf
from khru.org import scope
from khru.org.roles import Perm
from khru.people.models import Person
from khru.welfare.models import HouseholdChild

TEMPLATE = Path(__file__).parent / "typst" / "person.typ"


def _rows(queryset: models.QuerySet[Any]) -> list[dict[str, Any]]:
    return [{"id": row["pk"], **row["fields"]} for row in serializers.serialize("python", queryset)]


def _person_keys() -> list[tuple[type[models.Model], str]]:
    """(model, field) for every key to Person in the schema."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Person
    ]


def collect(person: Person) -> dict[str, list[dict[str, Any]]]:
    """Table label → rows about the person (the person's own row under people.person)."""
    facts: dict[str, list[dict[str, Any]]] = {"people.person": _rows(Person.objects.filter(pk=person.pk))}
    for model, field in _person_keys():
        found = _rows(model._default_manager.filter(**{field: person}).order_by("pk"))
        if found:
            facts.setdefault(model._meta.label_lower, []).extend(found)
    link = HouseholdChild.objects.filter(person=person).select_related("household").first()
    if link is not None:
        household = link.household
        facts["welfare.household"] = _rows(type(household).objects.filter(pk=household.pk))
        for related in (household.members.all(), household.versions.all()):
            found = _rows(related.order_by("pk"))
            if found:
                facts[related.model._meta.label_lower] = found
    facts["core.auditevent"] = _rows(AuditEvent.objects.filter(person_id=person.pk).order_by("pk"))
    return facts


def _summary_data(person: Person, facts: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    enrolments = person.enrolments.select_related("school", "academic_year").order_by("starts_on", "pk")
    return {
        "name": person.full_name,
        "citizen_id": person.citizen_id or "",
        "birth_date": format_be(person.birth_date, style="long") if person.birth_date else "",
        "made": format_be(timezone.localdate(), style="long"),
        "schooling": [
            {
                "year": e.academic_year.year_be,
                "grade": e.get_grade_display(),
                "school": e.school.name_th,
                "from": format_be(e.starts_on),
                "to": format_be(e.ends_on) if e.ends_on else "ปัจจุบัน",
            }
            for e in enrolments
        ],
        "tables": [
            {"label": str(apps.get_model(label)._meta.verbose_name_plural), "table": label, "rows": len(rows)}
            for label, rows in facts.items()
        ],
    }


def export(*, actor: Any, person: Person) -> bytes:
    """A ZIP of person.json (every row) and summary.pdf (Thai); the export is audited. With an actor (a
    page) the actor must be allowed the person's sensitive data; without one (the command) the operator is."""
    if actor is not None:
        scope.require(actor, Perm.VIEW_SENSITIVE, person)
    facts = collect(person)
    document = {"person": str(person.uuid), "exported_at": timezone.now().isoformat(), "tables": facts}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(
            "person.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        )
        bundle.writestr("summary.pdf", render_pdf(TEMPLATE, data=_summary_data(person, facts)))
    audit.record(
        actor=actor,
        action=audit.Action.EXPORT,
        obj=person,
        summary=f"PDPA export: {sum(len(rows) for rows in facts.values())} rows in {len(facts)} tables",
    )
    return buffer.getvalue()


def file_name(person: Person) -> str:
    return f"pdpa-{person.citizen_id or person.uuid}-{timezone.localdate().isoformat()}.zip"
