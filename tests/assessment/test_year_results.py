"""A child's year results: rolled up from the course ratings by the school's rule, entered once by the
homeroom teacher where they cannot be derived, kept with their history, read by the forms and the API."""

import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from khru.assessment import rules, selectors, services
from khru.assessment.models import YearRating, YearRatingChange
from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.people import services as people
from khru.reports import selectors as report_selectors
from khru.reports import services as report_services
from tests import factories as f
from tests.pdftext import pdf_text

ENTERED = [a.code for a in rules.YEAR_ASPECTS if not a.derived]  # the 8 characteristics and 5 competencies


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(classroom) -> str:
    return reverse("assessment:year_results", args=[classroom.uuid])


def field(person, code: str) -> str:
    return f"y-{person.pk}-{code}"


def enter(world, actor=None, **ratings) -> int:
    """student1's year results in class1, through the service."""
    return services.record_year_ratings(
        actor=actor or world.teacher1,
        classroom=world.class1,
        entries={world.student1.pk: services.YearEntry(ratings=ratings)},
    )


@pytest.fixture
def rated(world, term1, term2):
    """Four courses of ป.4/1, two a term; student1 rated reading 3, 2, 2, 1 and characteristics 3, 3, 3, 1."""
    for n, (term, reading, character) in enumerate(
        ((term1, 3, 3), (term1, 2, 3), (term2, 2, 3), (term2, 1, 1)), start=1
    ):
        course = services.create_course(
            actor=world.teacher1, classroom=world.class1, term=term, code=f"ว1410{n}", name_th=f"วิชา {n}",
            credits=Decimal(1), hours=10,
        )  # fmt: skip
        services.set_ratings(
            actor=world.teacher1, course=course, ratings={world.student1.pk: (reading, character)}
        )
    return world


def derived(world, person=None):
    found = selectors.year_results_at(
        actor=world.teacher1,
        person_ids=[(person or world.student1).pk],
        academic_year=world.class1.academic_year,
        school=world.school1,
    )[(person or world.student1).pk]
    return found.value("reading").rating, found.value("character").rating


def test_the_roll_up_rules_on_hand_computed_ratings():
    assert rules.roll_up("mode", [3, 2, 2, 1]) == 2
    assert rules.roll_up("median", [3, 2, 2, 1]) == 2  # 1 2 2 3: the two middle are 2
    assert rules.roll_up("minimum", [3, 2, 2, 1]) == 1
    assert rules.roll_up("mode", [3, 3, 1, 1]) == 1  # a tie goes to the lower
    assert rules.roll_up("median", [3, 1]) == 1  # even count: the lower middle
    assert rules.roll_up("mode", []) is None  # no course rated: no derived value


def test_the_year_result_comes_from_both_terms_and_follows_the_schools_rule(rated):
    world = rated
    assert derived(world) == (2, 3)  # mode by default: reading 2 (twice), characteristics 3 (three times)
    office = signed_in(world.admin1)
    terms = office.get(reverse("assessment:terms", args=[world.school1.code])).content.decode()
    assert "ผลที่ต่ำที่สุดในทุกรายวิชาของปี" in terms  # each rule explained in Thai where it is chosen
    chosen = office.post(reverse("assessment:year_rule", args=[world.school1.code]), {"method": "minimum"})
    assert chosen.status_code == 302
    assert derived(world) == (1, 1)
    services.set_year_rule(actor=world.admin1, school=world.school1, method="median")
    assert derived(world) == (2, 3)
    page = signed_in(world.teacher1).get(url(world.class1)).content.decode()
    assert "มัธยฐาน" in page and "จากรายวิชา: ดี" in page
    with pytest.raises(NotAllowed):  # the rule is the school office's, not a homeroom teacher's
        services.set_year_rule(actor=world.teacher1, school=world.school1, method="mode")
    assert (
        signed_in(world.admin2)
        .post(reverse("assessment:year_rule", args=[world.school1.code]), {"method": "mode"})
        .status_code
        == 404
    )
    other = f.EnrolmentFactory(classroom=world.class1).person
    assert (
        selectors.year_results_at(
            actor=world.teacher1,
            person_ids=[other.pk],
            academic_year=world.class1.academic_year,
            school=world.school1,
        )
        == {}
    )  # no course rated, nothing entered: no year result


def test_the_homeroom_page_saves_the_8_characteristics_and_5_competencies_in_one_post(rated):
    world = rated
    client = signed_in(world.teacher1)
    page = client.get(url(world.class1)).content.decode()
    # The 8 characteristics not entered yet start from the overall result (ดีเยี่ยม, derived 3).
    assert re.search(rf'name="{field(world.student1, "character_4")}">.*?<option value="3" selected>', page)
    posted = {field(world.student1, code): "2" for code in ENTERED}
    posted[field(world.student1, "reading")] = "2"  # as derived: nothing to store
    response = client.post(url(world.class1), posted)
    assert response.status_code == 302
    saved = dict(YearRating.objects.filter(person=world.student1).values_list("aspect", "rating"))
    assert saved == dict.fromkeys(ENTERED, 2)
    assert set(YearRating.objects.values_list("source", flat=True)) == {"entered"}
    again = client.get(url(world.class1)).content.decode()
    assert re.search(rf'name="{field(world.student1, "competency_5")}">.*?<option value="2" selected>', again)
    class_page = client.get(reverse("assessment:classroom", args=[world.class1.uuid])).content.decode()
    assert url(world.class1) in class_page  # linked from the class page


def test_a_bad_value_is_refused_naming_the_child_and_the_column_and_keeps_what_was_typed(rated):
    world = rated
    client = signed_in(world.teacher1)
    response = client.post(
        url(world.class1),
        {field(world.student1, "competency_1"): "1", field(world.student1, "competency_2"): "7"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert world.student1.full_name in page and "ความสามารถในการคิด ต้องเป็น ดีเยี่ยม ดี ผ่าน หรือ ไม่ผ่าน" in page
    assert re.search(rf'name="{field(world.student1, "competency_1")}">.*?<option value="1" selected>', page)
    assert not YearRating.objects.exists()


def test_overriding_a_derived_value_needs_a_reason_and_is_kept_as_an_override(rated):
    world = rated
    client = signed_in(world.teacher1)
    refused = client.post(url(world.class1), {field(world.student1, "reading"): "3"})
    assert refused.status_code == 400
    assert "ต่างจากผลที่คำนวณจากรายวิชา (ดี) ต้องระบุเหตุผล" in refused.content.decode()
    saved = client.post(
        url(world.class1),
        {field(world.student1, "reading"): "3", f"reason-{world.student1.pk}": "สอบอ่านซ่อมผ่าน"},
    )
    assert saved.status_code == 302
    row = YearRating.objects.get(person=world.student1, aspect="reading")
    assert (row.rating, row.source, row.reason) == (3, "override", "สอบอ่านซ่อมผ่าน")
    assert derived(world) == (3, 3)
    page = client.get(url(world.class1)).content.decode()
    assert 'value="สอบอ่านซ่อมผ่าน"' in page  # saving the page again keeps the override and its reason
    assert client.post(url(world.class1), {field(world.student1, "reading"): "2"}).status_code == 302
    assert not YearRating.objects.filter(aspect="reading").exists()  # back to the derived value
    assert derived(world) == (2, 3)


def test_a_correction_keeps_the_history_and_a_cleared_value_is_audited(rated):
    world = rated
    for value in (2, 3, None):
        enter(world, competency_1=value)
    history = list(
        YearRatingChange.objects.filter(person=world.student1).values_list("old_rating", "new_rating")
    )
    assert history == [(None, 2), (2, 3), (3, None)]
    assert not YearRating.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="assessment.yearrating")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_a_teacher_of_another_school_can_neither_read_nor_write(rated):
    world = rated
    client = signed_in(world.teacher2)
    assert client.get(url(world.class1)).status_code == 404
    assert client.post(url(world.class1), {field(world.student1, "competency_1"): "2"}).status_code == 404
    assert client.get(f"/api/v1/assessment/classrooms/{world.class1.uuid}/year-results").status_code == 404
    with pytest.raises(NotAllowed):
        enter(world, world.teacher2, competency_1=2)
    assert not YearRating.objects.exists()


def test_a_child_who_transferred_out_is_not_editable_by_the_old_school(rated):
    world = rated
    enter(world, competency_1=2)
    people.transfer_student(
        actor=world.admin2,
        person=world.student1,
        to_school=world.school2,
        grade="P4",
        on=timezone.localdate(),
    )
    client = signed_in(world.teacher1)
    page = client.get(url(world.class1)).content.decode()
    assert world.student1.full_name in page and f'name="{field(world.student1, "competency_1")}"' not in page
    refused = client.post(url(world.class1), {field(world.student1, "competency_1"): "3"})
    assert refused.status_code == 400 and "บันทึกผลประจำปีไม่ได้" in refused.content.decode()
    for actor in (world.teacher1, world.admin1):
        with pytest.raises(KhruError):
            services.record_year_ratings(
                actor=actor,
                classroom=world.class1,
                entries={world.student1.pk: services.YearEntry(ratings={"competency_1": 3})},
            )
    assert YearRating.objects.get(person=world.student1).rating == 2  # kept, read-only


def test_the_api_gives_the_class_year_results(rated):
    world = rated
    enter(world, competency_3=1)
    body = (
        signed_in(world.teacher1)
        .get(f"/api/v1/assessment/classrooms/{world.class1.uuid}/year-results")
        .json()
    )
    assert body["roll_up"] == "mode"
    child = next(s for s in body["students"] if s["student"] == str(world.student1.uuid))
    values = {v["aspect"]: v for v in child["values"]}
    assert (values["reading"]["rating"], values["reading"]["source"]) == (2, "derived")
    assert (values["competency_3"]["rating"], values["competency_3"]["source"]) == (1, "entered")
    assert values["competency_4"]["rating"] is None and child["editable"] is True


def test_the_page_takes_a_constant_number_of_queries(rated, django_assert_max_num_queries):
    world = rated
    client = signed_in(world.teacher1)
    client.get(url(world.class1))
    with django_assert_max_num_queries(25) as few:
        client.get(url(world.class1))
    for _ in range(20):
        f.EnrolmentFactory(classroom=world.class1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(world.class1))


def _pdf(actor, code, **where) -> str:
    report, params = report_selectors.params_for(actor=actor, code=code, **where)
    out = io.BytesIO()
    report_services.generate(actor=actor, report=report, params=params, fmt="pdf", out=out)
    return pdf_text(out.getvalue())


def test_the_forms_print_the_year_results(rated):
    world = rated
    enter(world, competency_2=0)
    where = {"school_code": world.school1.code, "classroom_uuid": str(world.class1.uuid)}
    pp6 = _pdf(world.teacher1, "pp6", **where)
    assert "ผลการประเมินประจำปี" in pp6 and "ความสามารถในการคิด" in pp6 and "ไม่ผ่าน" in pp6
    pp1 = _pdf(world.teacher1, "pp1", **where)
    assert "รายปี" in pp1 and str(world.class1.academic_year.year_be) in pp1
