"""Term closing from its page, and year-end promotion that suggests repeaters from the results."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from khru.assessment import services
from khru.assessment.models import Result
from khru.org.models import TermLock


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
