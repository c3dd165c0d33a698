"""One GPA for every reader: a child with a 4 and a มส (1.5 credits each) has (4 × 1.5 + 0 × 1.5) / 3 = 2.00
on ปพ.1, ปพ.6, the class dashboard, the student page and the API (ร and มส count as 0, cut to 2 decimals)."""

import datetime as dt
from decimal import Decimal

from django.test import Client

from khru.assessment import services
from khru.earlywarning import selectors as earlywarning
from khru.insights import selectors as insights
from khru.reports import selectors as reports
from tests.assessment.test_services import absent, result_of, score_all

TWO = Decimal("2.00")


def test_a_4_and_a_ms_is_2_00_everywhere(world, course):
    score_all(world.teacher1, course, world.student1, [20, 30, 50])  # 100% → 4
    maths = services.create_course(
        actor=world.teacher1, classroom=world.class1, term=course.term, code="ค14101", name_th="คณิตศาสตร์",
        credits=Decimal("1.5"), hours=10,
    )  # fmt: skip
    services.add_item(actor=world.teacher1, course=maths, name="สอบ", max_score=Decimal(10))
    score_all(world.teacher1, maths, world.student1, [10])
    absent(world, maths, [dt.date(2026, 6, d) for d in (1, 2, 3)])  # 3 of 10 missed → มส
    services.compute_results(actor=world.teacher1, course=maths)
    assert (result_of(course, world.student1).grade, result_of(maths, world.student1).grade) == ("4", "มส")

    actor = world.teacher1
    where = {"school_code": world.school1.code, "classroom_uuid": str(world.class1.uuid)}
    report, params = reports.params_for(actor=actor, code="pp1", **where)
    (pp1,) = list(report.documents(params))
    assert "GPA 2.00" in pp1["sections"][0]["title"]
    assert ["ผลการเรียนเฉลี่ยสะสม (GPAX)", "2.00"] in pp1["summary"]
    report, params = reports.params_for(actor=actor, code="pp6", term_number=course.term.number, **where)
    (pp6,) = list(report.documents(params))
    assert ["ผลการเรียนเฉลี่ย (GPA)", "2.00"] in pp6["summary"]
    students = next(section for section in report.sections if section.key == "students")
    (row,) = list(students.rows(params))
    assert row[2] == TWO

    board = earlywarning.class_dashboard(actor=actor, classroom=world.class1)
    assert [r.gpa_now for r in board.rows if r.person == world.student1] == [TWO]
    page = insights.xray(actor=actor, uuid=str(world.student1.uuid))
    assert [t.gpa for t in page.terms] == [TWO]

    client = Client()
    client.force_login(actor)
    answer = client.get(f"/api/v1/assessment/students/{world.student1.uuid}/grades").json()
    assert answer["gpax"] == "2.00" and [t["gpa"] for t in answer["terms"]] == ["2.00"]
