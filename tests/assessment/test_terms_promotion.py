"""Term closing from its page, and year-end promotion that suggests repeaters from the results."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from khru.assessment import services
from khru.assessment.models import Result
from khru.assessment.selectors import repeat_suggestions
from khru.core.errors import NotAllowed
from khru.org.models import TermLock
from khru.people.services import set_promotion_rule
from tests import factories as f


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_school_office_closes_a_term_and_only_the_principal_reopens(world, term1):
    url = reverse("assessment:terms", args=[world.school1.code])
    assert signed_in(world.teacher1).get(url).status_code == 404
    assert signed_in(world.admin2).get(url).status_code == 404
    admin = signed_in(world.admin1)
    assert "ปิดภาคเรียน" in admin.get(url).content.decode()
    admin.post(url, {"term": term1.pk, "action": "lock"})
    assert TermLock.objects.filter(school=world.school1, term=term1).exists()
    admin.post(url, {"term": term1.pk, "action": "unlock"})  # the office may not reopen
    assert TermLock.objects.filter(school=world.school1, term=term1).exists()
    signed_in(world.principal1).post(url, {"term": term1.pk, "action": "unlock"})
    assert not TermLock.objects.filter(school=world.school1, term=term1).exists()


def test_promotion_page_suggests_repeaters_from_results(world, term1, course):
    for n in range(3):
        other = services.create_course(
            actor=world.teacher1, classroom=world.class1, term=term1, code=f"ค1410{n}", name_th=f"วิชา {n}",
            name_en="", credits=Decimal("1"), hours=10,
        )  # fmt: skip
        Result.objects.create(course=other, person=world.student1, grade="0")
    page = signed_in(world.admin1).get(reverse("people:promote", args=[world.school1.code])).content.decode()
    assert world.student1.full_name in page
    assert world.student1.citizen_id in page  # pre-filled in the repeaters box, for the school to confirm


def test_a_course_links_to_its_period_register(world, course):
    page = signed_in(world.teacher1).get(reverse("assessment:course", args=[course.uuid])).content.decode()
    assert f"{reverse('attendance:register', args=[world.class1.uuid])}?period=1&amp;course=" in page


def _fail(world, classroom, term, person, count, prefix):
    for n in range(count):
        other = services.create_course(
            actor=world.admin1, classroom=classroom, term=term, code=f"{prefix}{n}", name_th=f"วิชา {n}",
            name_en="", credits=Decimal("1"), hours=10,
        )  # fmt: skip
        Result.objects.create(course=other, person=person, grade="0")


def test_repeaters_are_suggested_by_the_rule_the_school_sets_for_each_level(world, term1):
    secondary = f.ClassroomFactory(school=world.school1, academic_year=world.class1.academic_year, grade="M1")
    older = f.EnrolmentFactory(classroom=secondary).person
    _fail(world, world.class1, term1, world.student1, 2, "ค1420")
    _fail(world, secondary, term1, older, 4, "ค2120")
    year = world.class1.academic_year

    def suggested():
        found = repeat_suggestions(actor=world.admin1, school=world.school1, year=year)
        return {(s.person.pk, s.failures, s.repeat) for s in found}

    # Defaults: primary repeats from 3 failed courses; lower secondary re-takes the courses.
    assert suggested() == {(older.pk, 4, False)}
    url = reverse("people:promote", args=[world.school1.code])
    admin = signed_in(world.admin1)
    assert admin.post(url, {"rules": "1", "rule_primary": "2", "rule_lower": ""}).status_code == 302
    assert suggested() == {(older.pk, 4, False), (world.student1.pk, 2, True)}
    page = admin.get(url).content.decode()
    box = page[page.index("<textarea") : page.index("</textarea>")]
    assert world.student1.citizen_id in box and older.citizen_id not in box  # re-takes are not repeaters
    assert older.full_name in page
    refused = admin.post(url, {"rules": "1", "rule_primary": "x", "rule_lower": "1"})
    assert refused.status_code == 400
    assert suggested() == {(older.pk, 4, False), (world.student1.pk, 2, True)}  # nothing changed
    with pytest.raises(NotAllowed):
        set_promotion_rule(
            actor=world.teacher1, school=world.school1, stage="primary", repeat_from_failures=1
        )
