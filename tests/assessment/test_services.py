"""The gradebook through the services that pages, API and imports all call."""

import datetime as dt
from decimal import Decimal

import pytest

from khru.assessment import selectors, services
from khru.assessment.models import Result, Score, ScoreChange
from khru.attendance.services import record_register
from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from tests import factories as f


def score_all(teacher, course, person, values):
    for item, value in zip(course.items.all(), values, strict=True):
        services.record_scores(actor=teacher, item=item, scores={person.pk: Decimal(value)})


def result_of(course, person) -> Result:
    return Result.objects.get(course=course, person=person)


def test_scores_give_the_grade_and_a_missing_item_gives_r(world, course):
    first, second, final = course.items.all()
    services.record_scores(actor=world.teacher1, item=first, scores={world.student1.pk: Decimal(16)})
    services.record_scores(actor=world.teacher1, item=second, scores={world.student1.pk: Decimal(24)})
    assert result_of(course, world.student1).grade == "ร"  # the final exam is not scored yet
    services.record_scores(actor=world.teacher1, item=final, scores={world.student1.pk: Decimal("37.5")})
    result = result_of(course, world.student1)
    # coursework 40/50 × 70 = 56, final 37.5/50 × 30 = 22.5 → 78.5 → 79 → 3.5
    assert (result.percentage, result.grade) == (Decimal("78.50"), "3.5")


def test_a_correction_keeps_the_old_score_in_the_history(world, course):
    item = course.items.first()
    services.record_scores(actor=world.teacher1, item=item, scores={world.student1.pk: Decimal(12)})
    services.record_scores(actor=world.teacher1, item=item, scores={world.student1.pk: Decimal(15)})
    assert Score.objects.get(item=item).score == Decimal(15)
    history = list(ScoreChange.objects.filter(item=item).order_by("pk").values_list("old_score", "new_score"))
    assert history == [(None, Decimal(12)), (Decimal(12), Decimal(15))]


def test_a_column_with_one_score_above_the_maximum_saves_nothing(world, course):
    other = f.EnrolmentFactory(classroom=world.class1).person
    item = course.items.first()  # out of 20
    with pytest.raises(KhruError) as refused:
        services.record_scores(
            actor=world.teacher1, item=item, scores={world.student1.pk: Decimal(18), other.pk: Decimal(25)}
        )
    (found,) = refused.value.problems
    assert found.field == "score" and found.row == 2
    assert other.full_name in found.th and "เกินคะแนนเต็ม 20" in found.th and "above the maximum 20" in found.en
    assert not Score.objects.exists() and not ScoreChange.objects.exists()


def test_negative_score_unknown_student_and_another_courses_item_are_refused(world, course, term1):
    item = course.items.first()
    with pytest.raises(KhruError) as refused:
        services.record_scores(
            actor=world.teacher1,
            item=item,
            scores={world.student1.pk: Decimal(-1), world.student2.pk: Decimal(5)},
        )
    assert sorted(p.field for p in refused.value.problems) == ["score", "student"]
    other_course = services.create_course(
        actor=world.teacher1, classroom=world.class1, term=term1, code="ค14101", name_th="คณิตศาสตร์",
        credits=Decimal(1), hours=40,
    )  # fmt: skip
    with pytest.raises(KhruError) as refused:
        services.record_scores(actor=world.teacher1, item=item, scores={}, course=other_course)
    assert refused.value.problems[0].field == "item"
    assert not Score.objects.exists()


def test_a_pasted_column_in_class_order_with_thai_digits(world, course):
    second = f.EnrolmentFactory(classroom=world.class1, student_number="99999").person
    item = course.items.first()
    services.record_pasted_scores(actor=world.teacher1, item=item, text="๑๕\n9,5\n")
    assert dict(Score.objects.values_list("person_id", "score")) == {
        world.student1.pk: Decimal(15),
        second.pk: Decimal("9.5"),
    }
    with pytest.raises(KhruError) as refused:
        services.record_pasted_scores(actor=world.teacher1, item=item, text="10\nสิบ")
    assert refused.value.problems[0].row == 2 and second.full_name in refused.value.problems[0].th
    assert Score.objects.get(person=world.student1).score == Decimal(15)  # nothing of the bad paste saved


def absent(world, course, days, *, period=1, code=None):
    for day in days:
        record_register(
            actor=world.teacher1, classroom=world.class1, date=day, period=period,
            course_code=course.code if code is None else code, marks={world.student1.pk: "absent"},
        )  # fmt: skip


def test_ms_comes_from_the_course_registers_never_typed(world, course):
    score_all(world.teacher1, course, world.student1, [20, 30, 50])
    assert result_of(course, world.student1).grade == "4"
    # 10 planned hours: 80% is 8, so 2 may be missed; the third absence makes มส.
    absent(world, course, [dt.date(2026, 6, 1), dt.date(2026, 6, 2)])
    risks = selectors.absence_risks(actor=world.teacher1, classroom=world.class1, term=course.term)
    assert [(r.enrolment.person_id, r.can_still_miss) for r in risks] == [(world.student1.pk, 0)]
    absent(world, course, [dt.date(2026, 6, 3)])
    services.compute_results(actor=world.teacher1, course=course)
    result = result_of(course, world.student1)
    assert (result.grade, result.missed, result.planned) == ("มส", 3, 10)


def test_without_period_registers_the_daily_register_counts(world, course):
    absent(world, course, [dt.date(2026, 6, d) for d in (1, 2, 3)], period=0, code="")
    seen = selectors.course_attendance(actor=world.teacher1, course=course)
    assert seen.daily and seen.planned > 100  # the term's weekdays
    assert seen.tallies[world.student1.pk].absent == 3


def test_gpa_and_gpax_are_credit_weighted_across_terms(world, course, term2):
    score_all(world.teacher1, course, world.student1, [20, 30, 50])  # 4 × 1.5 credits
    maths = services.create_course(
        actor=world.teacher1, classroom=world.class1, term=course.term, code="ค14101", name_th="คณิตศาสตร์",
        credits=Decimal("0.5"), hours=20,
    )  # fmt: skip
    services.add_item(actor=world.teacher1, course=maths, name="สอบ", max_score=Decimal(10))
    score_all(world.teacher1, maths, world.student1, [6])  # 60% → 2 × 0.5
    term2_course = services.create_course(
        actor=world.teacher1, classroom=world.class1, term=term2, code="ท14102", name_th="ภาษาไทย",
        credits=Decimal(1), hours=40,
    )  # fmt: skip
    services.add_item(actor=world.teacher1, course=term2_course, name="สอบ", max_score=Decimal(10))
    score_all(world.teacher1, term2_course, world.student1, [7])  # 70% → 3 × 1
    assert selectors.gpa(actor=world.teacher1, person=world.student1, term=course.term) == Decimal("3.50")
    assert selectors.gpa(actor=world.teacher1, person=world.student1, term=term2) == Decimal("3.00")
    assert selectors.gpax(actor=world.teacher1, person=world.student1) == Decimal("3.33")  # 10 / 3 = 3.333…


def test_a_closed_term_refuses_the_teacher_and_lets_the_principal_change_with_an_audit(world, course):
    item = course.items.first()
    with pytest.raises(NotAllowed):
        services.lock_term(actor=world.teacher1, school=world.school1, term=course.term)
    services.lock_term(actor=world.admin1, school=world.school1, term=course.term)
    with pytest.raises(KhruError) as refused:
        services.record_scores(actor=world.teacher1, item=item, scores={world.student1.pk: Decimal(10)})
    assert refused.value.problems[0].field == "term"
    assert not Score.objects.exists()
    saved = services.record_scores(actor=world.principal1, item=item, scores={world.student1.pk: Decimal(10)})
    assert saved.after_lock and Score.objects.get().score == Decimal(10)
    assert ScoreChange.objects.get().after_lock
    assert AuditEvent.objects.filter(actor=world.principal1, summary__contains="after term lock").exists()
    services.unlock_term(actor=world.principal1, school=world.school1, term=course.term)
    services.record_scores(actor=world.teacher1, item=item, scores={world.student1.pk: Decimal(11)})


def test_a_teacher_of_school_1_cannot_read_or_write_school_2s_courses(world, term1):
    term = f.TermFactory(academic_year=world.class2.academic_year, number=1)
    theirs = services.create_course(
        actor=world.teacher2, classroom=world.class2, term=term, code="ท14101", name_th="ภาษาไทย",
        credits=Decimal(1), hours=40,
    )  # fmt: skip
    item = services.add_item(actor=world.teacher2, course=theirs, name="สอบ", max_score=Decimal(10))
    with pytest.raises(NotAllowed):
        selectors.get_course(actor=world.teacher1, uuid=theirs.uuid)
    with pytest.raises(NotAllowed):
        services.record_scores(actor=world.teacher1, item=item, scores={world.student2.pk: Decimal(5)})
    with pytest.raises(NotAllowed):
        services.create_course(
            actor=world.teacher1, classroom=world.class2, term=term, code="ค14101", name_th="คณิต", hours=40,
            credits=Decimal(1),
        )  # fmt: skip
    assert not selectors.courses(actor=world.teacher1).filter(pk=theirs.pk).exists()


def test_ratings_are_saved_per_child(world, course):
    services.set_ratings(actor=world.teacher1, course=course, ratings={world.student1.pk: (3, 2)})
    result = result_of(course, world.student1)
    assert (result.reading_rating, result.character_rating) == (3, 2)
    with pytest.raises(KhruError):
        services.set_ratings(actor=world.teacher1, course=course, ratings={world.student1.pk: (7, 2)})
