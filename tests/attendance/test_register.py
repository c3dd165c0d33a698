"""The register: exceptions only, idempotent saves, history, the 80% rule, scope, and a constant query count."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from khru.attendance import selectors, services
from khru.attendance.models import Mark, MarkChange, Register, Submission
from khru.core.errors import KhruError, NotAllowed
from khru.exchange.services import issue_token
from khru.org.models import TermLock
from tests import factories as f

DAY = dt.date(2026, 6, 15)  # a Monday in term 1 of 2569 (the world fixture's term: 16 May – 11 Oct 2026)
# Ten school days from DAY: the weekdays of two weeks (the fixture's calendar has no holiday then).
TEN_DAYS = [DAY + dt.timedelta(days=n) for n in range(14) if (DAY + dt.timedelta(days=n)).weekday() < 5]


def save(world, marks, day=DAY, actor=None, **kw):
    return services.record_register(
        actor=actor or world.teacher1, classroom=world.class1, date=day, marks=marks, **kw
    )


def test_everyone_present_stores_only_the_register(world):
    saved = save(world, {})
    assert saved.register.classroom == world.class1 and Mark.objects.count() == 0
    save(world, {world.student1.pk: "absent"})
    assert list(Mark.objects.values_list("person_id", "code__code")) == [(world.student1.pk, "absent")]
    save(world, {})  # back to present: the exception row goes, the history stays
    assert Mark.objects.count() == 0
    history = list(MarkChange.objects.order_by("pk").values_list("old_code__code", "new_code__code"))
    assert history == [(None, "absent"), ("absent", None)]


def test_the_same_submission_twice_counts_once(world):
    key = uuid.uuid4()
    first = save(world, {world.student1.pk: "sick"}, key=key)
    second = save(world, {world.student1.pk: "late"}, key=key)  # a re-sent copy, whatever it says
    assert (first.duplicate, second.duplicate) == (False, True)
    assert Mark.objects.get().code.code == "sick"
    assert Submission.objects.count() == 1 and MarkChange.objects.count() == 1


def test_another_schools_teacher_replaying_a_known_key_is_refused(world):
    key = uuid.uuid4()
    save(world, {world.student1.pk: "sick"}, key=key)
    with pytest.raises(NotAllowed):
        save(world, {world.student1.pk: "late"}, actor=world.teacher2, key=key)
    assert Mark.objects.get().code.code == "sick" and Submission.objects.count() == 1


def test_two_teachers_saving_at_once_both_kept_last_visible(world):
    other = f.MembershipFactory(role="subject", classroom=world.class1).user
    save(world, {world.student1.pk: "absent"}, actor=world.teacher1)
    save(world, {world.student1.pk: "late"}, actor=other)
    assert Mark.objects.get().code.code == "late"
    assert list(MarkChange.objects.order_by("pk").values_list("changed_by", flat=True)) == [
        world.teacher1.pk,
        other.pk,
    ]


def test_bad_marks_are_refused_and_nothing_is_lost(world):
    save(world, {world.student1.pk: "absent"})
    with pytest.raises(KhruError) as refused:
        save(world, {world.student2.pk: "absent"})  # not in this class
    assert refused.value.problems[0].field == "marks"
    with pytest.raises(KhruError):
        save(world, {world.student1.pk: "holiday"})  # unknown code
    with pytest.raises(KhruError) as outside:
        save(world, {}, day=dt.date(2026, 10, 20))  # between the terms
    assert outside.value.problems[0].field == "date"
    with pytest.raises(KhruError) as future:
        save(world, {}, day=timezone.localdate() + dt.timedelta(days=2))  # the world's clock: SCHOOL_DAY
    assert future.value.problems[0].en == "this date is in the future"
    assert Mark.objects.get().code.code == "absent" and Register.objects.count() == 1


def test_a_closed_term_needs_the_principal(world):
    save(world, {world.student1.pk: "absent"})
    TermLock.objects.create(school=world.school1, term=world.class1.academic_year.terms.get(number=1))
    with pytest.raises(KhruError) as refused:
        save(world, {})
    assert refused.value.problems[0].field == "term"
    save(world, {}, actor=world.principal1)
    assert Mark.objects.count() == 0


def test_another_schools_teacher_may_not_take_the_register(world):
    with pytest.raises(NotAllowed):
        save(world, {}, actor=world.teacher2)
    with pytest.raises(NotAllowed):
        selectors.register_sheet(actor=world.teacher2, classroom=world.class1, date=DAY)


def test_leave_request_prefills_the_register(world):
    services.record_leave(
        actor=world.teacher1,
        person=world.student1,
        school=world.school1,
        code="sick",
        starts_on=DAY,
        ends_on=DAY + dt.timedelta(days=2),
        requested_by="มารดา",
    )
    sheet = selectors.register_sheet(
        actor=world.teacher1, classroom=world.class1, date=DAY + dt.timedelta(days=1)
    )
    row = next(r for r in sheet.rows if r.enrolment.person_id == world.student1.pk)
    assert row.code == "sick" and row.leave is not None


def test_tallies_and_the_80_percent_rule(world):
    term = world.class1.academic_year.terms.get(number=1)
    for n, day in enumerate(TEN_DAYS):
        marks = {world.student1.pk: "absent"} if n < 3 else ({world.student1.pk: "late"} if n == 3 else {})
        save(world, marks, day=day)
    tally = selectors.tallies_for(actor=world.teacher1, term=term, classroom=world.class1)[world.student1.pk]
    assert (tally.sessions, tally.attended, tally.absent, tally.late) == (10, 7, 3, 1)
    assert tally.rate == pytest.approx(0.7)
    assert tally.can_still_miss(35) == 7 - 3  # 80% of 35 is 28: 7 may be missed, 3 already were
    assert tally.can_still_miss(10) == -1  # already below 80%: มส unless remedied


def test_a_child_who_joined_late_is_counted_from_the_day_they_joined(world):
    late = f.EnrolmentFactory(classroom=world.class1, starts_on=TEN_DAYS[5]).person
    for day in TEN_DAYS:
        save(world, {}, day=day)
    term = world.class1.academic_year.terms.get(number=1)
    tallies = selectors.tallies_for(actor=world.teacher1, term=term, classroom=world.class1)
    assert tallies[late.pk].sessions == 5 and tallies[world.student1.pk].sessions == 10


def test_api_saves_through_the_same_service(client, world):
    token = issue_token(actor=world.teacher1)
    body = {
        "classroom": str(world.class1.uuid),
        "date": DAY.isoformat(),
        "key": str(uuid.uuid4()),
        "marks": [{"student": str(world.student1.uuid), "code": "personal"}],
    }
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = client.post("/api/v1/attendance/registers", body, content_type="application/json", **headers)
    again = client.post("/api/v1/attendance/registers", body, content_type="application/json", **headers)
    assert first.status_code == 200 and again.json()["duplicate"] is True
    assert Mark.objects.get().code.code == "personal"
    sheet = client.get(
        f"/api/v1/attendance/registers?classroom={world.class1.uuid}&date={DAY}", **headers
    ).json()
    assert [r["code"] for r in sheet["rows"]] == ["personal"]
    other = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher2)}"}
    assert (
        client.post(
            "/api/v1/attendance/registers", body, content_type="application/json", **other
        ).status_code
        == 404
    )
    bad = {**body, "key": str(uuid.uuid4()), "date": "2026-10-20"}
    refused = client.post("/api/v1/attendance/registers", bad, content_type="application/json", **headers)
    assert refused.status_code == 400 and refused.json()["problems"][0]["field"] == "date"


def test_register_page_queries_do_not_grow_with_the_class(world, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.teacher1)
    url = reverse("attendance:register", args=[world.class1.uuid]) + f"?date={DAY}"
    save(world, {world.student1.pk: "absent"})
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for _ in range(39):
        f.EnrolmentFactory(classroom=world.class1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('class="mark ') == 40


def test_no_script_form_post_saves_too(world):
    client = Client()
    client.force_login(world.teacher1)
    url = reverse("attendance:register", args=[world.class1.uuid]) + f"?date={DAY}"
    response = client.post(url, {f"mark-{world.student1.pk}": "late", "key": str(uuid.uuid4())})
    assert response.status_code == 302 and Mark.objects.get().code.code == "late"


def test_overview_shows_absentees_and_risk(world):
    client = Client()
    client.force_login(world.teacher1)
    page = client.get(reverse("attendance:overview", args=[world.class1.uuid]))
    assert page.status_code == 200 and world.student1.full_name in page.content.decode()
    assert Client().get(reverse("attendance:overview", args=[world.class1.uuid])).status_code == 302
    other = Client()
    other.force_login(world.teacher2)
    assert other.get(reverse("attendance:overview", args=[world.class1.uuid])).status_code == 404


def test_a_registers_history_page_is_for_those_who_see_the_register(world):
    saved = save(world, {world.student1.pk: "absent"})
    save(world, {world.student1.pk: "late"})
    url = reverse("attendance:history", kwargs={"uuid": saved.register.uuid})
    teacher, outsider = Client(), Client()
    teacher.force_login(world.teacher1)
    outsider.force_login(world.teacher2)
    page = teacher.get(url)
    assert page.status_code == 200 and list(page.context["changes"]) == list(
        MarkChange.objects.order_by("-changed_at", "-pk")
    )
    assert len(page.context["changes"]) == 2
    assert outsider.get(url).status_code == 404
    f.PersonFactory(user=world.teacher1, prefix="นาย", first_name_th="สมปอง", last_name_th="ครูดี")
    shown = teacher.get(url).content.decode()
    assert shown.count("นายสมปอง ครูดี") == 2 and world.teacher1.username not in shown.split("<main")[1]
    assert teacher.get(reverse("attendance:history", kwargs={"uuid": uuid.uuid4()})).status_code == 404


def test_a_refused_leave_says_why_in_the_pages_language_only(world):
    teacher = Client()
    teacher.force_login(world.teacher1)
    url = reverse("attendance:leave", args=[world.class1.uuid])
    form = {"student": world.student1.pk, "code": "sick", "starts_on": "16/06/2569", "ends_on": "15/06/2569"}
    page = teacher.post(url, form, follow=True).content.decode()
    assert "ถึงวันที่ — วันสิ้นสุดอยู่ก่อนวันเริ่ม" in page and "the leave ends before it starts" not in page
    teacher.post(reverse("set_language"), {"language": "en"})
    page = teacher.post(url, form, follow=True).content.decode()
    assert "ends_on — the leave ends before it starts" in page and "วันสิ้นสุดอยู่ก่อนวันเริ่ม" not in page
