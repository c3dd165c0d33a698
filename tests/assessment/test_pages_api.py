"""The gradebook pages and API: scope on every way in, one save per grid, constant queries."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from khru.assessment import services
from khru.assessment.models import Score
from tests import factories as f


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_grid_saves_the_class_in_one_post_and_shows_problems_by_name(world, course):
    client = signed_in(world.teacher1)
    item = course.items.first()
    url = reverse("assessment:gradebook", args=[item.uuid])
    page = client.get(url).content.decode()
    assert world.student1.full_name in page and f'name="s{world.student1.pk}"' in page
    response = client.post(url, {f"s{world.student1.pk}": "๑๗,๕"})
    assert response.status_code == 302
    assert Score.objects.get(item=item).score == Decimal("17.5")
    refused = client.post(url, {f"s{world.student1.pk}": "25"})
    assert refused.status_code == 400
    assert "เกินคะแนนเต็ม" in refused.content.decode() and 'value="25"' in refused.content.decode()
    assert Score.objects.get(item=item).score == Decimal("17.5")
    partial = client.post(url, {"paste": "12\n"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert Score.objects.get(item=item).score == Decimal(12)


def test_the_grid_takes_a_constant_number_of_queries(world, course, django_assert_max_num_queries):
    client = signed_in(world.teacher1)
    url = reverse("assessment:gradebook", args=[course.items.first().uuid])
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for _ in range(30):
        f.EnrolmentFactory(classroom=world.class1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_results_and_class_pages_show_grades(world, course):
    for item, value in zip(course.items.all(), (20, 30, 50), strict=True):
        services.record_scores(actor=world.teacher1, item=item, scores={world.student1.pk: Decimal(value)})
    client = signed_in(world.teacher1)
    page = client.get(reverse("assessment:results", args=[course.uuid])).content.decode()
    assert "100.00" in page and '<b class="grade">4</b>' in page
    assert client.get(reverse("assessment:classroom", args=[world.class1.uuid])).status_code == 200
    assert course.code in client.get(reverse("assessment:courses")).content.decode()


def test_school_2s_course_is_not_found_for_a_teacher_of_school_1(world):
    term = f.TermFactory(academic_year=world.class2.academic_year, number=1)
    theirs = services.create_course(
        actor=world.teacher2, classroom=world.class2, term=term, code="ท14101", name_th="ภาษาไทย",
        credits=Decimal(1), hours=40,
    )  # fmt: skip
    item = services.add_item(actor=world.teacher2, course=theirs, name="สอบ", max_score=Decimal(10))
    client = signed_in(world.teacher1)
    assert client.get(reverse("assessment:course", args=[theirs.uuid])).status_code == 404
    assert client.get(reverse("assessment:gradebook", args=[item.uuid])).status_code == 404
    assert (
        client.post(
            reverse("assessment:gradebook", args=[item.uuid]), {f"s{world.student2.pk}": "5"}
        ).status_code
        == 404
    )
    assert client.get(reverse("assessment:classroom", args=[world.class2.uuid])).status_code == 404
    assert client.get(f"/api/v1/assessment/courses/{theirs.uuid}/results").status_code == 404
    posted = client.post(
        f"/api/v1/assessment/items/{item.uuid}/scores",
        data=[{"student": str(world.student2.uuid), "score": 5}],
        content_type="application/json",
    )
    assert posted.status_code == 404
    assert client.get(f"/api/v1/assessment/courses?classroom={world.class2.uuid}").status_code == 404
    assert not Score.objects.exists()


def test_the_api_lists_courses_takes_scores_and_gives_results(world, course):
    client = signed_in(world.teacher1)
    listed = client.get(f"/api/v1/assessment/courses?classroom={world.class1.uuid}").json()
    assert [c["code"] for c in listed] == ["ท14101"] and len(listed[0]["items"]) == 3
    for item in listed[0]["items"]:
        full = float(item["max_score"])
        response = client.post(
            f"/api/v1/assessment/items/{item['uuid']}/scores",
            data=[{"student": str(world.student1.uuid), "score": full}],
            content_type="application/json",
        )
        assert response.status_code == 200 and response.json()["changed"] == 1
    refused = client.post(
        f"/api/v1/assessment/items/{listed[0]['items'][0]['uuid']}/scores",
        data=[{"student": str(world.student1.uuid), "score": 99}],
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["problems"][0]["field"] == "score"
    results = client.get(f"/api/v1/assessment/courses/{course.uuid}/results").json()
    assert [(r["student"], r["grade"]) for r in results] == [(str(world.student1.uuid), "4")]
