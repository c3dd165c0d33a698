"""Reads of measurements: the class entry sheet, a child's growth (sensitive, audited), a class's latest bands."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from khru.attendance.selectors import enrolled_on
from khru.core import audit
from khru.core.errors import NotAllowed
from khru.health.growth import ReferenceName
from khru.health.models import Measurement
from khru.health.references import reference_for
from khru.org import scope
from khru.org.models import Classroom
from khru.org.roles import Perm
from khru.people.models import Enrolment, Person


@dataclass
class EntryRow:
    enrolment: Enrolment
    current: Measurement | None  # saved for this day already
    previous: Measurement | None  # the last one before this day


@dataclass
class EntrySheet:
    classroom: Classroom
    measured_on: dt.date
    rows: list[EntryRow]


def _latest_by_person(measurements: QuerySet[Measurement]) -> dict[int, Measurement]:
    latest: dict[int, Measurement] = {}
    for measurement in measurements.order_by("person_id", "-measured_on"):
        latest.setdefault(measurement.person_id, measurement)
    return latest


def entry_sheet(*, actor: Any, classroom: Classroom, measured_on: dt.date) -> EntrySheet:
    """What the class entry page shows: the class that day, today's values and the previous ones.

    A fixed number of queries whatever the size of the class.
    """
    scope.require(actor, Perm.TAKE_ATTENDANCE, classroom)
    enrolments = list(enrolled_on(classroom, measured_on))
    measurements = Measurement.objects.filter(
        scope.visible(actor, Measurement, Perm.TAKE_ATTENDANCE),
        person_id__in=[e.person_id for e in enrolments],
        measured_on__lte=measured_on,
    )
    current: dict[int, Measurement] = {}
    previous: dict[int, Measurement] = {}
    for measurement in measurements.order_by("person_id", "-measured_on"):
        if measurement.measured_on == measured_on:
            current[measurement.person_id] = measurement
        else:
            previous.setdefault(measurement.person_id, measurement)
    rows = [EntryRow(e, current.get(e.person_id), previous.get(e.person_id)) for e in enrolments]
    return EntrySheet(classroom=classroom, measured_on=measured_on, rows=rows)


def growth_of(*, actor: Any, uuid: str) -> tuple[Person, list[Measurement]]:
    """A child and the measurements of them the actor may see, oldest first (every one for the child's school
    now; only its own, to the day the child left, for a school the child has left). Health data: needs
    VIEW_SENSITIVE; audited."""
    person = Person.objects.filter(scope.visible(actor, Person), uuid=uuid).first()
    if person is None or not scope.holds(actor, Perm.VIEW_SENSITIVE):
        raise NotAllowed()
    measurements = list(
        Measurement.objects.filter(scope.visible(actor, Measurement, Perm.VIEW_SENSITIVE), person=person)
        .select_related("classroom")
        .order_by("measured_on")
    )
    audit.record(actor=actor, action=audit.Action.READ, obj=person, summary="growth record")
    return person, measurements


@dataclass
class ClassBands:
    """Each child's latest measurement (person id → measurement) and the count per band."""

    latest: dict[int, Measurement]
    shape: Counter[str] = field(default_factory=Counter)
    height: Counter[str] = field(default_factory=Counter)
    not_measured: list[int] = field(default_factory=list)


def latest_bands(*, actor: Any, classroom: Classroom, on: dt.date) -> ClassBands:
    """For reports: the latest measurement on or before `on` of every child in the class that day.

    Health data (VIEW_SENSITIVE). Three queries whatever the size of the class.
    """
    scope.require(actor, Perm.VIEW_SENSITIVE, classroom)
    person_ids = list(enrolled_on(classroom, on).values_list("person_id", flat=True))
    latest = _latest_by_person(
        Measurement.objects.filter(
            scope.visible(actor, Measurement, Perm.VIEW_SENSITIVE),
            person_id__in=person_ids,
            measured_on__lte=on,
        )
    )
    bands = ClassBands(latest=latest)
    for person_id in person_ids:
        measurement = latest.get(person_id)
        if measurement is None:
            bands.not_measured.append(person_id)
            continue
        bands.shape[measurement.shape_band or "none"] += 1
        bands.height[measurement.height_band or "none"] += 1
    return bands


def latest_values(
    *, actor: Any, person_ids: list[int], on: dt.date, since: dt.date | None = None
) -> dict[int, dict[str, Any]]:
    """For reports (ปพ.6, census, nutrition): each child's latest measurement on or before a day (and on or
    after `since`, when given), as values.

    Health data (VIEW_SENSITIVE): the report that reads it is audited as an export.
    """
    latest: dict[int, dict[str, Any]] = {}
    rows = (
        Measurement.objects.filter(
            scope.visible(actor, Measurement, Perm.VIEW_SENSITIVE),
            person_id__in=person_ids,
            measured_on__lte=on,
            measured_on__gte=since or dt.date.min,
        )
        .order_by("person_id", "-measured_on")
        .values(
            "person_id",
            "measured_on",
            "weight_kg",
            "height_cm",
            "shape_band",
            "height_band",
            "weight_band",
            "tall_proportionate",
            "growth_reference",
        )
    )
    for row in rows:
        latest.setdefault(row["person_id"], dict(row))
    return latest


def references_used(
    *, actor: Any, school_id: int, classroom_id: int | None, since: dt.date, until: dt.date
) -> list[ReferenceName]:
    """The growth references that produced the bands of a school's (or class's) measurements in a period,
    WHO first; the school's current reference when nothing was measured. For naming them on a report."""
    measurements = Measurement.objects.filter(
        scope.visible(actor, Measurement, Perm.VIEW_SENSITIVE),
        school_id=school_id,
        measured_on__gte=since,
        measured_on__lte=until,
    )
    if classroom_id is not None:
        measurements = measurements.filter(classroom_id=classroom_id)
    codes = set(measurements.values_list("growth_reference", flat=True).distinct())
    if not codes:
        return [reference_for(school_id=school_id).name]
    return [name for name in ReferenceName if name.code in codes]


def measured_counts(*, actor: Any, school_ids: list[int], since: dt.date, until: dt.date) -> dict[int, int]:
    """Children of each classroom on `until` (enrolled as `people.selectors.counts_by_classroom` counts
    them) measured at least once between the two days: the numerator of a share whose denominator is that
    count, so it never passes 100%. Counts only, so an office may ask."""
    from django.db.models import Count, Exists, OuterRef, Q

    measured = Measurement.objects.filter(
        scope.visible(actor, Measurement, Perm.VIEW_AGGREGATES),
        person_id=OuterRef("person_id"),
        measured_on__gte=since,
        measured_on__lte=until,
    )
    rows = (
        Enrolment.objects.filter(
            scope.visible(actor, Enrolment, Perm.VIEW_AGGREGATES),
            Exists(measured),
            school_id__in=school_ids,
            classroom__isnull=False,
            starts_on__lte=until,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=until))
        .values("classroom_id")
        .annotate(n=Count("pk"))
    )
    return {r["classroom_id"]: r["n"] for r in rows}
