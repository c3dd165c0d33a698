"""Changing 0, ร and มส as DOMAIN.md says (แนวปฏิบัติการวัดและประเมินผล 2551), each path by hand.

The course fixture: ท14101, 10 planned hours (80% is 8: two may be missed), items 20 + 30 coursework, 50 final.
"""

import datetime as dt
from decimal import Decimal

import pytest

from khru.assessment import selectors, services
from khru.assessment.models import AssessmentRules, RemedialStep, Result
from khru.core.errors import KhruError
from khru.core.models import AuditEvent
from tests import factories as f
from tests.assessment.test_services import absent, result_of, score_all


def days(n):
    return [dt.date(2026, 6, d) for d in range(1, n + 1)]


def path(result: Result) -> list[tuple[str, str, str]]:
    return [(s.kind, s.grade_before, s.grade_after) for s in RemedialStep.objects.filter(result=result)]


def test_r_is_graded_normally_once_the_work_is_in(world, course):
    score_all(world.teacher1, course, world.student1, [18, 27, 0])
    first, second, final = course.items.all()
    services.record_scores(actor=world.teacher1, item=final, scores={world.student1.pk: None})
    result = result_of(course, world.student1)
    assert result.grade == "ร"  # the final exam is missing
    # The work comes in: 18/20 and 27/30 is 45/50 × 70 = 63, plus the final the teacher grades: a 3.5 (no cap).
    services.record_remedial(actor=world.teacher1, result=result, grade="3.5")
    result.refresh_from_db()
    assert (result.grade, result.original_grade) == ("3.5", "ร")
    assert path(result) == [("work_in", "ร", "3.5")]
    assert not result.needs_remedy


def test_a_zero_gets_two_retests_at_most_one_then_the_committee(world, course):
    score_all(world.teacher1, course, world.student1, [2, 3, 5])  # 5/50 × 70 + 5/50 × 30 = 10% → 0
    result = result_of(course, world.student1)
    assert result.grade == "0"
    services.record_remedial(actor=world.teacher1, result=result, grade="0")  # first re-test: still 0
    services.record_remedial(actor=world.teacher1, result=result, grade="0")  # second re-test: still 0
    with pytest.raises(KhruError) as refused:
        services.record_remedial(actor=world.teacher1, result=result, grade="1")
    assert "2" in refused.value.problems[0].th and refused.value.problems[0].field == "grade"
    with pytest.raises(KhruError):  # a core course cannot be replaced: it is re-studied
        services.record_decision(actor=world.teacher1, result=result, decision="replace")
    services.record_decision(actor=world.teacher1, result=result, decision="restudy")
    result.refresh_from_db()
    assert (result.grade, result.original_grade, result.decision) == ("0", "0", "restudy")
    assert path(result) == [("retest", "0", "0"), ("retest", "0", "0"), ("decision", "0", "0")]
    assert not selectors.to_remedy(actor=world.teacher1, classroom=world.class1).exists()
    assert AuditEvent.objects.filter(summary__contains="committee: restudy").exists()


def test_a_retest_records_at_most_one_and_a_recompute_keeps_it(world, course):
    score_all(world.teacher1, course, world.student1, [2, 3, 5])
    result = result_of(course, world.student1)
    services.record_remedial(actor=world.teacher1, result=result, grade="0")
    services.record_remedial(actor=world.teacher1, result=result, grade="4")  # earned 4 on the second
    result.refresh_from_db()
    assert (result.grade, result.original_grade) == ("1", "0")
    assert RemedialStep.objects.filter(result=result).last().grade_earned == "4"
    with pytest.raises(KhruError):
        services.record_remedial(actor=world.teacher1, result=result, grade="1")  # nothing left to remedy
    services.compute_results(actor=world.teacher1, course=course)
    assert result_of(course, world.student1).grade == "1"


def test_ms_at_or_above_sixty_percent_does_extra_work_and_the_test_capped(world, course):
    score_all(world.teacher1, course, world.student1, [20, 30, 50])
    absent(world, course, days(3))  # 3 of 10 missed: 70% attended, under 80% → มส, above 60%
    services.compute_results(actor=world.teacher1, course=course)
    result = result_of(course, world.student1)
    assert (result.grade, result.missed, result.planned) == ("มส", 3, 10)
    services.record_remedial(actor=world.teacher1, result=result, grade="3")
    result.refresh_from_db()
    assert (result.grade, result.original_grade) == ("1", "มส")
    step = RemedialStep.objects.get(result=result)
    assert (step.kind, step.grade_earned, step.attended_percent) == ("extra_work", "3", Decimal("70.00"))


def test_ms_below_sixty_percent_is_re_studied(world, course):
    score_all(world.teacher1, course, world.student1, [20, 30, 50])
    absent(world, course, days(5))  # 5 of 10 missed: 50% attended, under the 60% floor
    services.compute_results(actor=world.teacher1, course=course)
    result = result_of(course, world.student1)
    assert result.grade == "มส"
    with pytest.raises(KhruError) as refused:
        services.record_remedial(actor=world.teacher1, result=result, grade="1")
    assert "60%" in refused.value.problems[0].th and "50.00%" in refused.value.problems[0].en
    services.record_decision(actor=world.teacher1, result=result, decision="restudy")
    result.refresh_from_db()
    assert (result.grade, result.original_grade, result.decision) == ("มส", "มส", "restudy")


def test_an_additional_course_may_be_replaced(world, course):
    extra = services.create_course(
        actor=world.teacher1, classroom=world.class1, term=course.term, code="ท14201", name_th="การเขียน",
        credits=Decimal(1), hours=10, kind="additional",
    )  # fmt: skip
    services.add_item(actor=world.teacher1, course=extra, name="สอบ", max_score=Decimal(10))
    score_all(world.teacher1, extra, world.student1, [1])
    result = result_of(extra, world.student1)
    with pytest.raises(KhruError):  # not before the re-tests are used
        services.record_decision(actor=world.teacher1, result=result, decision="replace")
    for _ in range(2):
        services.record_remedial(actor=world.teacher1, result=result, grade="0")
    services.record_decision(actor=world.teacher1, result=result, decision="replace")
    result.refresh_from_db()
    assert result.decision == "replace"


def test_an_agency_sets_its_own_limits(world, course):
    AssessmentRules.objects.create(
        agency=world.school1.area.agency, zero_retests=1, remedial_cap="2", barred_floor_percent=75
    )
    other = f.EnrolmentFactory(classroom=world.class1, student_number="99999").person
    score_all(world.teacher1, course, world.student1, [2, 3, 5])
    score_all(world.teacher1, course, other, [2, 3, 5])
    services.record_remedial(actor=world.teacher1, result=result_of(course, other), grade="4")
    assert result_of(course, other).grade == "2"  # this agency's cap
    result = result_of(course, world.student1)
    services.record_remedial(actor=world.teacher1, result=result, grade="0")
    with pytest.raises(KhruError):  # one re-test only at this agency: the committee decides now
        services.record_remedial(actor=world.teacher1, result=result, grade="4")
    services.record_decision(actor=world.teacher1, result=result, decision="restudy")


def test_an_agency_floor_sends_ms_to_re_study(world, course):
    AssessmentRules.objects.create(agency=world.school1.area.agency, barred_floor_percent=75)
    score_all(world.teacher1, course, world.student1, [20, 30, 50])
    absent(world, course, days(3))  # 70% attended: above the national 60%, below this agency's 75%
    services.compute_results(actor=world.teacher1, course=course)
    with pytest.raises(KhruError):
        services.record_remedial(actor=world.teacher1, result=result_of(course, world.student1), grade="1")


def test_the_results_page_shows_each_childs_path(world, course, client):
    score_all(world.teacher1, course, world.student1, [2, 3, 5])
    result = result_of(course, world.student1)
    client.force_login(world.teacher1)
    page = client.post(f"/assessment/results/{result.pk}/remedial", {"grade": "0"})
    assert page.status_code == 302
    page = client.get(f"/assessment/courses/{course.uuid}/results")
    html = page.content.decode()
    assert "สอบแก้ตัว 0" in html  # the path: 0 → re-test: 0
    client.post(f"/assessment/results/{result.pk}/remedial", {"grade": "1"})
    html = client.get(f"/assessment/courses/{course.uuid}/results").content.decode()
    assert "สอบแก้ตัว 0 → สอบแก้ตัว 1" in html
