import datetime as dt
from decimal import Decimal

import pytest

from khru.assessment import services
from khru.org.models import Term


@pytest.fixture
def term1(world) -> Term:
    return Term.objects.get(academic_year=world.class1.academic_year, number=1)


@pytest.fixture
def term2(world) -> Term:
    return Term.objects.create(
        academic_year=world.class1.academic_year,
        number=2,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2027, 4, 1),
    )


@pytest.fixture
def course(world, term1):
    """ท14101 ภาษาไทย for ป.4/1 at school 1: coursework 20 + 30, final 50; 70/30."""
    course = services.create_course(
        actor=world.teacher1, classroom=world.class1, term=term1, code="ท14101", name_th="ภาษาไทย",
        name_en="Thai", credits=Decimal("1.5"), hours=10,
    )  # fmt: skip
    for name, part, most in (
        ("งาน 1", "coursework", 20),
        ("งาน 2", "coursework", 30),
        ("สอบปลายภาค", "final", 50),
    ):
        services.add_item(actor=world.teacher1, course=course, name=name, part=part, max_score=Decimal(most))
    return course
