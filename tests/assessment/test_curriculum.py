"""Curriculum templates: the shipped time structure, loading an agency's own (whole or nothing), setting up a
school's year in one action, hours in primary and credits in secondary, activities graded ผ/มผ."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khru.assessment import curriculum, selectors, services
from khru.assessment.models import Course, CurriculumTemplate, Result, TemplateCourse
from khru.core.errors import KhruError
from khru.core.models import AuditEvent
from khru.org import scope
from khru.org.models import Term
from khru.org.roles import Role
from tests import factories as f

HEADER = ",".join(curriculum.COLUMNS)


@pytest.fixture
def analyst(world):
    return f.MembershipFactory(role=Role.AGENCY_ANALYST, agency=world.school1.area.agency).user


@pytest.fixture
def shipped(world):
    """School 1's agency keeps the shipped template; the year has two terms."""
    agency = world.school1.area.agency
    curriculum.load_template(
        actor=scope.dangerously_unscoped(reason="test"), agency=agency, rows=curriculum.shipped_rows()
    )
    year = world.class1.academic_year
    Term.objects.create(
        academic_year=year, number=2, starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2027, 3, 31)
    )
    return agency


def test_the_shipped_template_counts_hours_in_primary_and_credits_in_secondary():
    rows = {(r.grade, r.kind, r.area, r.number): r for r in curriculum.shipped_rows()}
    assert {grade for grade, *_ in rows} == set(curriculum.TEMPLATE_GRADES)
    thai_p4 = rows[("P4", "core", "ท", 1)]
    assert (thai_p4.hours_per_year, thai_p4.credits_per_term) == (160, Decimal(0))
    thai_m1 = rows[("M1", "core", "ท", 1)]
    assert (thai_m1.hours_per_year, thai_m1.credits_per_term) == (0, Decimal("1.5"))
    for grade in curriculum.TEMPLATE_GRADES:
        areas = {area for g, kind, area, _ in rows if g == grade and kind == "core"}
        assert areas == set(curriculum.LEARNING_AREAS), grade  # all 8 learning areas, every level
        assert any(g == grade and kind == "activity" for g, kind, *_ in rows), grade
        assert any(g == grade and kind == "additional" for g, kind, *_ in rows), grade
    # ป.1–3: 840 core hours a year (the B.E. 2551 time structure) and 120 of activities
    core_p1 = sum(r.hours_per_year for (g, kind, *_), r in rows.items() if g == "P1" and kind == "core")
    activities_p1 = sum(
        r.hours_per_year for (g, kind, *_), r in rows.items() if g == "P1" and kind == "activity"
    )
    assert (core_p1, activities_p1) == (840, 120)


def test_course_codes_follow_the_thai_scheme():
    code = curriculum.course_code
    assert code(area="ท", grade="P4", kind="core", number=1, term_number=1) == "ท14101"
    assert code(area="ท", grade="P4", kind="core", number=1, term_number=2) == "ท14101"  # a year course
    assert code(area="ท", grade="M1", kind="core", number=1, term_number=1) == "ท21101"
    assert code(area="ท", grade="M1", kind="core", number=1, term_number=2) == "ท21102"
    assert code(area="ส", grade="M5", kind="core", number=2, term_number=1) == "ส32103"
    assert code(area="อ", grade="M2", kind="additional", number=1, term_number=1) == "อ22201"
    assert code(area="ก", grade="P2", kind="activity", number=3, term_number=1) == "ก12903"


def test_a_bad_file_names_row_and_column_and_loads_nothing(client, world, analyst, shipped):
    before = list(TemplateCourse.objects.values_list("pk", flat=True))
    content = "\n".join(
        [
            HEADER,
            "P4,core,ท,1,ภาษาไทย,Thai,200,",
            "M1,core,ค,1,คณิตศาสตร์,Maths,,",  # a secondary course without credits
            "P5,activity,ท,1,แนะแนว,Guidance,40,",  # an activity under a learning area
        ]
    ).encode()
    client.force_login(analyst)
    response = client.post(
        reverse("assessment:agency_curriculum", args=[shipped.code]),
        {"file": SimpleUploadedFile("mine.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "แถว 3" in text and "หน่วยกิตต่อภาค" in text
    assert "แถว 4" in text and "กลุ่มสาระ" in text
    assert list(TemplateCourse.objects.values_list("pk", flat=True)) == before
    assert CurriculumTemplate.objects.get(agency=shipped, grade="P4").name == curriculum.SHIPPED_NAME


def test_the_agency_office_loads_its_own_template_and_a_school_cannot(client, world, analyst, shipped):
    content = f"{HEADER}\nP4-P5,core,ท,1,ภาษาไทยของเรา,Our Thai,180,\n".encode()
    url = reverse("assessment:agency_curriculum", args=[shipped.code])
    client.force_login(world.admin1)
    upload = SimpleUploadedFile("ours.csv", content, content_type="text/csv")
    assert client.post(url, {"file": upload}).status_code == 404
    client.force_login(analyst)
    upload = SimpleUploadedFile("ours.csv", content, content_type="text/csv")
    assert client.post(url, {"file": upload, "name": "หลักสูตรเทศบาล"}).status_code == 302
    p4 = CurriculumTemplate.objects.get(agency=shipped, grade="P4")
    assert p4.name == "หลักสูตรเทศบาล"
    assert list(p4.courses.values_list("name_th", "hours_per_year")) == [("ภาษาไทยของเรา", 180)]
    assert CurriculumTemplate.objects.get(agency=shipped, grade="P6").courses.count() == 14  # untouched
    page = client.get(url).content.decode()
    assert "ภาษาไทยของเรา" in page and "180 ชม./ปี" in page and "1.5 นก./ภาค" in page


def test_the_registrar_sets_up_a_whole_year_in_one_action_and_may_run_it_again(client, world, shipped):
    year = world.class1.academic_year
    m1 = f.ClassroomFactory(school=world.school1, academic_year=year, grade="M1", room=1)
    kindergarten = f.ClassroomFactory(school=world.school1, academic_year=year, grade="K2", room=1)
    url = reverse("assessment:school_curriculum", args=[world.school1.code]) + f"?year={year.year_be}"
    client.force_login(world.teacher1)
    assert client.post(url).status_code == 404  # a teacher adjusts courses, the office sets the year up
    client.force_login(world.admin1)
    response = client.post(url, follow=True)
    assert "ไม่มีโครงสร้างหลักสูตรของ อ.2" in response.content.decode()
    p4 = Course.objects.filter(classroom=world.class1)
    assert p4.count() == 14 * 2  # 9 core, 1 additional, 4 activities; each term
    thai = p4.filter(code="ท14101").order_by("term__number")
    assert [(c.term.number, c.credits, c.hours) for c in thai] == [(1, Decimal(0), 80), (2, Decimal(0), 80)]
    assert p4.filter(kind="activity", code="ก14902", name_th="ลูกเสือ-เนตรนารี").count() == 2
    thai_m1 = Course.objects.filter(classroom=m1, name_th="ภาษาไทย").order_by("term__number")
    assert [(c.code, c.credits, c.hours) for c in thai_m1] == [
        ("ท21101", Decimal("1.5"), 60),
        ("ท21102", Decimal("1.5"), 60),
    ]
    assert not Course.objects.filter(classroom=kindergarten).exists()
    # The registrar adjusts (renames a course); setting up again keeps it and adds nothing.
    Course.objects.filter(classroom=world.class1, code="ส14201").update(name_th="หน้าที่พลเมืองและศีลธรรม")
    again = curriculum.set_up_courses(actor=world.admin1, school=world.school1, academic_year=year)
    assert (again.created, again.kept, again.without_template) == (0, 14 * 2 + 15 * 2, ["K2"])
    assert Course.objects.filter(classroom=world.class1, name_th="หน้าที่พลเมืองและศีลธรรม").count() == 2


def test_a_closed_term_gets_no_new_courses(world, shipped):
    term1 = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    services.lock_term(actor=world.principal1, school=world.school1, term=term1)
    done = curriculum.set_up_courses(
        actor=world.admin1, school=world.school1, academic_year=term1.academic_year
    )
    assert done.created == 14
    assert not Course.objects.filter(classroom=world.class1, term=term1).exists()


def test_primary_gpa_weighs_hours(world, shipped):
    """ภาษาไทย ป.4 (80 hours a term) at 4 and ประวัติศาสตร์ (20 hours) at 0: (4 × 80 + 0 × 20) / 100 = 3.20;
    the activity's ผ does not count."""
    curriculum.set_up_courses(
        actor=world.admin1, school=world.school1, academic_year=world.class1.academic_year
    )
    term1 = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    courses = {c.code: c for c in Course.objects.filter(classroom=world.class1, term=term1)}
    for code, grade in (("ท14101", "4"), ("ส14102", "0"), ("ก14901", "ผ")):
        Result.objects.create(course=courses[code], person=world.student1, grade=grade)
    assert selectors.gpa(actor=world.teacher1, person=world.student1, term=term1) == Decimal("3.20")


def test_an_activity_without_assessments_is_passed_or_failed_on_attendance(world, shipped):
    curriculum.set_up_courses(
        actor=world.admin1, school=world.school1, academic_year=world.class1.academic_year
    )
    guidance = Course.objects.get(classroom=world.class1, term__number=1, code="ก14901")
    services.compute_results(actor=world.teacher1, course=guidance)
    assert Result.objects.get(course=guidance, person=world.student1).grade == "ผ"


def test_primary_courses_need_no_credits_secondary_ones_do(client, world):
    client.force_login(world.teacher1)
    form = client.get(reverse("assessment:course_create", args=[world.class1.uuid])).content.decode()
    assert 'name="hours"' in form and 'name="credits"' not in form
    term1 = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    course = services.create_course(
        actor=world.teacher1, classroom=world.class1, term=term1, code="ท14101", name_th="ภาษาไทย", hours=80
    )
    assert course.credits == 0
    m1 = f.ClassroomFactory(
        school=world.school1, academic_year=world.class1.academic_year, grade="M1", room=1
    )
    with pytest.raises(KhruError) as refused:
        services.create_course(
            actor=world.admin1, classroom=m1, term=term1, code="ท21101", name_th="ภาษาไทย", hours=60
        )
    assert "หน่วยกิต" in str(refused.value)


def test_the_registrar_adjusts_a_course_set_up_from_the_template_and_removes_an_unused_one(
    client, world, shipped
):
    curriculum.set_up_courses(
        actor=world.admin1, school=world.school1, academic_year=world.class1.academic_year
    )
    thai = Course.objects.get(classroom=world.class1, term__number=1, code="ท14101")
    url = reverse("assessment:course_edit", args=[thai.uuid])
    client.force_login(world.admin1)
    typed = {
        "name_th": "ภาษาไทย",
        "name_en": "Thai",
        "hours": "0",
        "coursework_share": "70",
        "final_share": "30",
    }
    refused = client.post(url, typed)
    assert (
        refused.status_code == 400 and 'value="ภาษาไทย"' in refused.content.decode()
    )  # what was typed stays
    assert client.post(url, {**typed, "hours": "100"}).status_code == 302
    thai.refresh_from_db()
    assert thai.hours == 100
    event = AuditEvent.objects.filter(object_type="assessment.course", object_id=str(thai.pk)).latest("pk")
    assert event.changes["hours"] == [80, 100]  # the old value is kept
    scouts = Course.objects.get(classroom=world.class1, term__number=1, code="ก14902")
    assert (
        client.post(reverse("assessment:course_edit", args=[scouts.uuid]), {"remove": "1"}).status_code == 302
    )
    assert not Course.objects.filter(pk=scouts.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="assessment.course").exists()
    # A course with scores keeps them and stays.
    item = services.add_item(
        actor=world.teacher1, course=thai, name="งาน", part="coursework", max_score=Decimal(10)
    )
    services.record_scores(actor=world.teacher1, item=item, scores={world.student1.pk: Decimal(7)})
    kept = client.post(url, {"remove": "1"})
    assert kept.status_code == 400 and "มีคะแนน" in kept.content.decode()
    assert Course.objects.filter(pk=thai.pk).exists()
    client.force_login(world.teacher2)  # another school's teacher
    assert client.post(url, {**typed, "hours": "10"}).status_code == 404
