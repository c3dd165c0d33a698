"""What early warning learns from: on the same day of an earlier school year, the area's children then in
class, their indicators as of that day (facts known by then only), and whether they left school within
the twelve months after it.

Leaving school is a drop-out exit or an exit for an unknown reason, or an enrolment closed at year end
with no enrolment after it (a transfer or a graduation is not leaving). A child who died is left out.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from khru.earlywarning import indicators
from khru.earlywarning.indicators import Reading
from khru.earlywarning.selectors import LEFT_SCHOOL, load_facts
from khru.org.models import AcademicYear, Area
from khru.people.models import EndReason, Enrolment

WINDOW = dt.timedelta(days=365)
CLOSED_AT_YEAR_END = {EndReason.PROMOTED, EndReason.REPEATED}


@dataclass
class Child:
    enrolment: Enrolment
    readings: dict[str, Reading]
    left: bool | None = None  # None: not known yet, or the child died


def in_class(area: Area, as_of: dt.date) -> Any:
    """The enrolments of the area's children in a class on that day."""
    return Enrolment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=as_of),
        classroom__school__area=area,
        starts_on__lte=as_of,
    )


def read(*, actor: Any, enrolments: list[Enrolment], as_of: dt.date) -> list[Child]:
    facts = load_facts(actor=actor, enrolments=enrolments, as_of=as_of)
    return [Child(e, indicators.read_all(facts[e.person_id], as_of)) for e in enrolments]


def outcomes(person_ids: list[int], as_of: dt.date) -> dict[int, bool | None]:
    """For each child: left school in the twelve months after `as_of` (True), stayed (False), died (None)."""
    end = as_of + WINDOW
    spells: dict[int, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    for person_id, starts_on, ends_on, reason in Enrolment.objects.filter(
        person_id__in=person_ids, starts_on__lte=end
    ).values_list("person_id", "starts_on", "ends_on", "end_reason"):
        spells[person_id].append((starts_on, ends_on, reason))
    found: dict[int, bool | None] = {}
    for person_id in person_ids:
        history = sorted(spells.get(person_id, []))
        ended = [(e, r) for _s, e, r in history if e is not None and as_of < e <= end]
        if any(r == EndReason.DECEASED for _e, r in ended):
            found[person_id] = None
        elif any(r in LEFT_SCHOOL for _e, r in ended):
            found[person_id] = True
        else:
            last_start, last_end, last_reason = history[-1] if history else (as_of, None, "")
            found[person_id] = (
                last_end is not None and as_of < last_end <= end and last_reason in CLOSED_AT_YEAR_END
            )
    return found


def same_day(year: AcademicYear, today: dt.date, current: AcademicYear) -> dt.date:
    """The day of `year` as far into it as `today` is into the current year."""
    return year.starts_on + (today - current.starts_on)


def snapshot_days(area: Area, today: dt.date) -> list[tuple[AcademicYear, dt.date]]:
    """The earlier years whose twelve months after the same day are over (outcomes known), oldest first."""
    years = list(AcademicYear.objects.filter(agency=area.agency).order_by("starts_on"))
    current = next((y for y in years if y.starts_on <= today <= y.ends_on), None)
    if current is None:
        return []
    days = [(y, same_day(y, today, current)) for y in years if y.starts_on < current.starts_on]
    return [(y, day) for y, day in days if day + WINDOW <= today]


def labelled(*, actor: Any, area: Area, as_of: dt.date) -> list[Child]:
    """The area's children in class on `as_of` with their indicators then and their outcome after."""
    enrolments = list(
        in_class(area, as_of)
        .select_related("person", "classroom__academic_year", "classroom__school")
        .prefetch_related("classroom__academic_year__terms")
    )
    children = read(actor=actor, enrolments=enrolments, as_of=as_of)
    left = outcomes([c.enrolment.person_id for c in children], as_of)
    for child in children:
        child.left = left[child.enrolment.person_id]
    return [c for c in children if c.left is not None]
