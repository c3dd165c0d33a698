"""The monthly reports' two fixes (issue 15, point 10): the measured share cannot pass 100%, and a report
asked for a day takes the year and term that hold that day."""

import datetime as dt
from decimal import Decimal

import pytest

from khru.health import selectors as health
from khru.health.models import Measurement
from khru.org import scope
from khru.people.models import EndReason
from khru.reports import selectors as reports
from tests import factories as f

pytestmark = pytest.mark.django_db


def _measure(world, person, on: dt.date) -> None:
    Measurement.objects.create(
        person=person,
        school=world.school1,
        academic_year=world.class1.academic_year,
        classroom=world.class1,
        measured_on=on,
        weight_kg=Decimal("30"),
        height_cm=Decimal("130"),
        age_months=Decimal("110"),
    )


def test_a_child_measured_then_gone_is_not_counted_among_the_class_measured(world):
    moved = f.EnrolmentFactory(classroom=world.class1)
    _measure(world, world.student1, dt.date(2026, 6, 15))
    _measure(world, moved.person, dt.date(2026, 6, 15))
    moved.ends_on, moved.end_reason = dt.date(2026, 7, 1), EndReason.TRANSFERRED
    moved.save()
    system = scope.dangerously_unscoped(reason="test")
    on = dt.date(2026, 7, 31)
    measured = health.measured_counts(
        actor=system, school_ids=[world.school1.pk], since=dt.date(2026, 5, 16), until=on
    )
    assert measured == {world.class1.pk: 1}  # student1 only: the one who left is not in the class on the day


def test_a_day_asked_for_takes_the_term_that_holds_it(world):
    year = world.class1.academic_year
    f.TermFactory(academic_year=year, number=2, starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2027, 4, 1))
    system = scope.dangerously_unscoped(reason="test")
    where = {"area_code": world.school1.area.code}
    _report, october = reports.params_for(
        actor=system, code="municipality-monthly", on=dt.date(2026, 10, 1), **where
    )
    assert (october.year, october.term.number) == (year, 1)
    _report, november = reports.params_for(
        actor=system, code="municipality-monthly", on=dt.date(2026, 11, 20), **where
    )
    assert november.term.number == 2
