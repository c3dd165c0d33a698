import datetime as dt
from decimal import Decimal

import pytest

from khru.assessment import services as assessment
from khru.org.models import Term
from khru.people.models import Person


@pytest.fixture
def graded(world):
    """ป.4/1 at school 1: the child is named, born on a known day, and has a score of 78.5% in ภาษาไทย (3.5)."""
    Person.objects.filter(pk=world.student1.pk).update(
        prefix="เด็กหญิง", first_name_th="มานี", last_name_th="มีนา", birth_date=dt.date(2016, 3, 14), sex="F"
    )
    term = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    course = assessment.create_course(
        actor=world.teacher1, classroom=world.class1, term=term, code="ท14101", name_th="ภาษาไทย",
        name_en="Thai", credits=Decimal("1.5"), hours=10,
    )  # fmt: skip
    work = assessment.add_item(
        actor=world.teacher1, course=course, name="งาน", part="coursework", max_score=Decimal(50)
    )
    final = assessment.add_item(
        actor=world.teacher1, course=course, name="สอบ", part="final", max_score=Decimal(50)
    )
    assessment.record_scores(actor=world.teacher1, item=work, scores={world.student1.pk: Decimal(40)})
    assessment.record_scores(actor=world.teacher1, item=final, scores={world.student1.pk: Decimal("37.5")})
    return {"course": course, "work": work, "final": final, "term": term}
