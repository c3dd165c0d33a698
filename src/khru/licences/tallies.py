"""Pre-aggregated counts of licences in force for the council dashboard (see LicenceTally).

Every write that puts a licence in force or takes it out calls `count(licence, ±1)` in its transaction;
`rebuild()` recounts everything (after a bulk load). The dashboard adds, per dimension and key, the tallies
of the months after the current one, and counts the current month's licences (those expiring from today
to the month's end) exactly from the licence table, so the figures are exact to the day.
"""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from khru.licences.models import Licence, LicenceTally

Dimension = LicenceTally.Dimension
# dimension → the licence fields its key is made of
FIELDS = {
    Dimension.TYPE: ("licence_type_id", "tier_id"),
    Dimension.AGENCY: ("agency_id",),
    Dimension.AREA: ("area_id",),
    Dimension.PROVINCE: ("province_id",),
}


def key_of(dimension: str, values: dict[str, Any]) -> str:
    parts = ["" if values[f] is None else str(values[f]) for f in FIELDS[dimension]]  # type: ignore[index]
    return ":".join(parts)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def count(licence: Licence, delta: int) -> None:
    """Add (+1) or remove (−1) one licence in force from every dimension's tally."""
    values = {f: getattr(licence, f) for fields in FIELDS.values() for f in fields}
    month = month_of(licence.expires_on)
    for dimension in FIELDS:
        cell = LicenceTally.objects.filter(dimension=dimension, key=key_of(dimension, values), month=month)
        if cell.update(n=F("n") + delta):
            continue
        try:
            with transaction.atomic():
                LicenceTally.objects.create(
                    dimension=dimension, key=key_of(dimension, values), month=month, n=delta
                )
        except IntegrityError:  # made meanwhile by another save
            cell.update(n=F("n") + delta)


@transaction.atomic
def rebuild() -> int:
    """Recount every tally from the licences in force (one grouped query per dimension)."""
    LicenceTally.objects.all().delete()
    cells = []
    active = Licence.objects.filter(status=Licence.Status.ACTIVE).annotate(month=TruncMonth("expires_on"))
    for dimension, fields in FIELDS.items():
        for row in active.values("month", *fields).annotate(n=Count("pk")).order_by():
            cells.append(
                LicenceTally(dimension=dimension, key=key_of(dimension, row), month=row["month"], n=row["n"])
            )
    LicenceTally.objects.bulk_create(cells, batch_size=5000)
    return len(cells)


def in_force(today: dt.date, *boundaries: dt.date) -> dict[str, dict[str, list[int]]]:
    """dimension → key → [licences in force on `today`, then those expiring before each boundary]."""
    current = month_of(today)
    months = [month_of(b) for b in boundaries]
    sums: dict[str, dict[str, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0] * (1 + len(boundaries)))
    )
    # Whole months after the current one, from the tallies.
    annotations = {"total": Sum("n")} | {
        f"before_{i}": Sum("n", filter=Q(month__lt=month)) for i, month in enumerate(months)
    }
    grouped = (
        LicenceTally.objects.filter(month__gt=current).values("dimension", "key").annotate(**annotations)
    )
    for found in grouped.order_by():
        tally: dict[str, Any] = dict(found)
        cell = sums[tally["dimension"]][tally["key"]]
        cell[0] += tally["total"] or 0
        for i in range(len(months)):
            cell[1 + i] += tally[f"before_{i}"] or 0
    # Partial months, exactly: today to the current month's end, and each boundary month up to the boundary.
    next_month = (current + dt.timedelta(days=32)).replace(day=1)
    ranges = [Q(expires_on__gte=today, expires_on__lt=next_month)] + [
        Q(expires_on__gte=month, expires_on__lt=boundary)
        for month, boundary in zip(months, boundaries, strict=True)
    ]
    exact = {"now": Count("pk", filter=ranges[0])} | {
        f"edge_{i}": Count("pk", filter=ranges[1 + i]) for i in range(len(months))
    }
    where = Q()
    for q in ranges:
        where |= q
    current_licences = Licence.objects.filter(where, status=Licence.Status.ACTIVE)
    for dimension, fields in FIELDS.items():  # one small grouped range scan per dimension
        for found in current_licences.values(*fields).annotate(**exact).order_by():
            row: dict[str, Any] = dict(found)
            cell = sums[dimension][key_of(dimension, row)]
            cell[0] += row["now"]
            for i in range(len(months)):
                # a licence expiring this month also expires before every later boundary
                cell[1 + i] += row["now"] + row[f"edge_{i}"]
    return sums
