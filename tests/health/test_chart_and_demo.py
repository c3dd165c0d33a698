"""The growth chart's reference curves come from the WHO tables; the demo builder stores assessed measurements."""

import datetime as dt
import random

import pytest

from khru.demo.context import DemoContext
from khru.health import demo
from khru.health.chart import growth_chart
from khru.health.curves import lms_at_month, sd_curves
from khru.health.growth import WHO, Indicator, assess
from khru.health.models import Measurement
from khru.people.models import Enrolment


def test_sd_curves_are_the_who_lms_values():
    curves = sd_curves(Indicator.HEIGHT_FOR_AGE, "M", range(119, 122))
    assert dict(curves[0])[120] == pytest.approx(137.7795)  # hfawho2007.txt: boys, 120 months, M
    # +2 SD is M·(1 + L·S·2)^(1/L) with L = 1
    assert dict(curves[2])[120] == pytest.approx(137.7795 * (1 + 0.04626 * 2))
    assert [m for m, _ in curves[-3]] == [119, 120, 121]
    assert lms_at_month(Indicator.BMI_FOR_AGE, "F", 24) is not None  # WHO 2006 below 60 months
    assert lms_at_month(Indicator.BMI_FOR_AGE, "F", 229) is None


def test_chart_places_the_child_between_the_curves():
    chart = growth_chart(
        indicator=Indicator.HEIGHT_FOR_AGE, sex="M", points=[(120.0, 137.78, "a"), (126.0, 141.0, "b")]
    )
    assert chart is not None and len(chart.lines) == 7 and len(chart.dots) == 2
    median = next(line for line in chart.lines if line.sd == 0)
    first_x = median.points.split()[0].split(",")[0]
    assert float(first_x) == chart.plot_left
    assert growth_chart(indicator=Indicator.HEIGHT_FOR_AGE, sex="M", points=[(300.0, 170.0, "x")]) is None


def test_demo_builder_stores_assessed_measurements(world):
    ctx = DemoContext(seed=1, scale=1.0, password_hash="", rng=random.Random(1))
    ctx.students = [world.student1]
    ctx.enrolments = list(Enrolment.objects.filter(person=world.student1))
    ctx.years = {(world.class1.academic_year.agency_id, 2569): world.class1.academic_year}
    demo.build(ctx)
    saved = Measurement.objects.get(person=world.student1)  # enrolled from May 2569: June 2026 only
    assert saved.measured_on == dt.date(2026, 6, 15) and saved.classroom == world.class1
    expected = assess(
        sex="M",
        birth_date=world.student1.birth_date,
        measured_on=saved.measured_on,
        weight_kg=float(saved.weight_kg),
        height_cm=float(saved.height_cm),
        reference=WHO,
    )
    assert float(saved.bmi_for_age_z) == pytest.approx(expected.bmi_for_age_z)
    assert saved.shape_band == expected.shape_band.code and ctx.counts["measurements"] == 1
