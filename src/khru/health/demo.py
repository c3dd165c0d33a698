"""Demo measurements: every child weighed and measured twice a year (mid-June and mid-December) in 2567–2569,
as far as today; each child keeps their own growth track, so about 12% are overweight or obese and about
7% thin, and heights grow between measurements.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from khru.core.dates import ce_year
from khru.demo.context import YEARS, DemoContext
from khru.health.curves import lms_at_month
from khru.health.growth import DAYS_PER_MONTH, GrowthReference, Indicator, assess
from khru.health.models import Measurement
from khru.health.references import reference_for
from khru.health.services import stored_fields
from khru.org.models import Term
from khru.people.models import Enrolment


def _measuring_days(until: dt.date) -> list[dt.date]:
    days = []
    for year_be in YEARS:
        year_ce = ce_year(year_be)
        days += [dt.date(year_ce, 6, 15), dt.date(year_ce, 12, 15)]
    return [d for d in days if d <= until]


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    days = _measuring_days(today)
    terms = list(Term.objects.filter(academic_year__in=list(ctx.years.values())))
    by_person: dict[int, list[Enrolment]] = defaultdict(list)
    for placed in ctx.enrolments:
        if placed.classroom_id:
            by_person[placed.person_id].append(placed)
    references: dict[int, GrowthReference] = {}
    measurements = []
    for student in ctx.students:
        if student.birth_date is None or student.sex not in ("M", "F"):
            continue
        # A child's place on the curves, kept over the years with a little drift.
        draw = rng.random()
        if draw < 0.12:
            bmi_z = rng.uniform(2.1, 3.6)
        elif draw < 0.19:
            bmi_z = rng.uniform(-3.0, -2.1)
        else:
            bmi_z = max(-1.9, min(1.9, rng.gauss(0.1, 0.8)))
        height_z = max(-3.0, min(3.0, rng.gauss(-0.2, 0.9)))
        for day in days:
            enrolment = next(
                (
                    e
                    for e in by_person[student.pk]
                    if e.starts_on <= day and (e.ends_on is None or day <= e.ends_on)
                ),
                None,
            )
            if enrolment is None:
                continue
            if enrolment.school_id not in references:  # one look-up per school, not per measurement
                references[enrolment.school_id] = reference_for(school_id=enrolment.school_id)
            month = (day - student.birth_date).days / DAYS_PER_MONTH
            height_lms = lms_at_month(Indicator.HEIGHT_FOR_AGE, student.sex, month)  # type: ignore[arg-type]
            bmi_lms = lms_at_month(Indicator.BMI_FOR_AGE, student.sex, month)  # type: ignore[arg-type]
            if height_lms is None or bmi_lms is None:
                continue
            height = Decimal(str(round(height_lms.value_at(height_z + rng.gauss(0, 0.05)), 1)))
            bmi = bmi_lms.value_at(bmi_z + rng.gauss(0, 0.15))
            weight = Decimal(str(round(bmi * (float(height) / 100) ** 2, 1)))
            growth = assess(
                sex=student.sex,
                birth_date=student.birth_date,
                measured_on=day,
                weight_kg=float(weight),
                height_cm=float(height),
                reference=references[enrolment.school_id],
            )
            term = next(
                (
                    t
                    for t in terms
                    if t.academic_year_id == enrolment.academic_year_id and t.starts_on <= day <= t.ends_on
                ),
                None,
            )
            measurements.append(
                Measurement(
                    person_id=student.pk,
                    school_id=enrolment.school_id,
                    academic_year_id=enrolment.academic_year_id,
                    term=term,
                    classroom_id=enrolment.classroom_id,  # type: ignore[misc]
                    measured_on=day,
                    weight_kg=weight,
                    height_cm=height,
                    **stored_fields(growth),
                )
            )
    Measurement.objects.bulk_create(measurements, batch_size=5000)
    ctx.counts["measurements"] = len(measurements)
