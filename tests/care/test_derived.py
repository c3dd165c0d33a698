"""Care screening derived from the data: poverty and home-visit risks, growth, results; a teacher's later
judgement stays until the data says something new; scope."""

import datetime as dt

import pytest

from khru.care import derived, selectors, services
from khru.care.models import Screening
from khru.core.errors import NotAllowed
from khru.health import services as health
from khru.welfare import services as welfare
from tests.welfare.helpers import save, term


def current(world, area):
    return selectors.current_by_area(selectors.screenings_for(actor=world.teacher1, person=world.student1))[
        area
    ]


def test_poverty_and_a_violent_home_make_family_a_problem(world):
    save(world)  # eligible
    welfare.record_visit(
        actor=world.teacher1,
        person=world.student1,
        visited_on=dt.date(2026, 7, 1),
        met="มารดา",
        risks=["violence", "route"],
    )
    result = derived.derive_for_classroom(actor=world.teacher1, classroom=world.class1, term=term(world))
    family = current(world, "family")
    assert family.status == "problem" and family.source == "derived"
    assert "ความรุนแรงในครอบครัว" in family.reason and "กสศ." in family.reason
    safety = current(world, "safety")
    assert safety.status == "problem" and "เส้นทางมาโรงเรียนอันตราย" in safety.reason
    assert result.written == 2  # no results, growth or attendance yet: those areas are left alone


def test_growth_bands_feed_health(world):
    health.record_measurements(
        actor=world.teacher1,
        classroom=world.class1,
        measured_on=dt.date(2026, 6, 15),
        rows={world.student1.pk: ("22", "140")},
    )
    derived.derive_for_classroom(actor=world.teacher1, classroom=world.class1, term=term(world))
    assert current(world, "health").status == "problem" and "thin" in current(world, "health").reason


def test_a_later_teacher_judgement_stays_until_the_data_changes(world):
    save(world)
    derived.derive_for_classroom(actor=world.teacher1, classroom=world.class1, term=term(world))
    assert current(world, "family").status == "risk"
    services.record_screening(
        actor=world.teacher1,
        person=world.student1,
        area="family",
        status="normal",
        reason="",
        on=dt.date(2026, 7, 1),
    )
    again = derived.derive_for_classroom(actor=world.teacher1, classroom=world.class1, term=term(world))
    assert again.written == 0 and current(world, "family").source == "teacher"
    # New data with a different verdict: a violent home is now seen.
    welfare.record_visit(
        actor=world.teacher1,
        person=world.student1,
        visited_on=dt.date(2026, 7, 2),
        met="บิดา",
        risks=["violence"],
    )
    derived.derive_for_classroom(actor=world.teacher1, classroom=world.class1, term=term(world))
    assert current(world, "family").status == "problem" and current(world, "family").source == "derived"
    assert Screening.objects.filter(area="family").count() == 3


def test_only_the_class_or_school_staff_may_derive(world):
    with pytest.raises(NotAllowed):
        derived.derive_for_classroom(actor=world.teacher2, classroom=world.class1)
    with pytest.raises(NotAllowed):
        derived.derive_for_school(actor=world.teacher1, school=world.school1)
    save(world)
    result = derived.derive_for_school(actor=world.principal1, school=world.school1, on=dt.date(2026, 7, 1))
    assert result.written == 1 and result.by_status["risk"] == 1
