"""A closed term refuses new or corrected measurements, except from the principal (audited override)."""

import datetime as dt

import pytest

from khru.core.errors import KhruError
from khru.core.models import AuditEvent
from khru.health import services
from khru.health.models import Measurement
from khru.org.models import TermLock

DAY = dt.date(2026, 6, 15)  # term 1 of 2569


def lock(world) -> None:
    TermLock.objects.create(school=world.school1, term=world.class1.academic_year.terms.get(number=1))


def test_a_locked_term_refuses_the_teacher(world):
    lock(world)
    with pytest.raises(KhruError) as refused:
        services.record_measurements(
            actor=world.teacher1,
            classroom=world.class1,
            measured_on=DAY,
            rows={world.student1.pk: ("32", "138")},
        )
    assert refused.value.problems[0].field == "term" and "ปิดแล้ว" in refused.value.problems[0].th
    assert Measurement.objects.count() == 0


def test_the_principal_may_override_and_it_is_audited(world):
    lock(world)
    saved = services.record_measurements(
        actor=world.principal1,
        classroom=world.class1,
        measured_on=DAY,
        rows={world.student1.pk: ("32", "138")},
    )
    assert saved.saved == 1
    assert AuditEvent.objects.filter(summary__contains="principal override").count() == 1
