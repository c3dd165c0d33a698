"""Dashboards on small worlds: kept current as marks are saved, scoped, suppressed, a constant query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khru.attendance import services as attendance
from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.earlywarning import selectors as earlywarning
from khru.insights import selectors, summaries
from khru.insights.models import ClassDay, FillState, Goal, PendingRefresh, SchoolMonth
from khru.org import scope
from khru.org.models import AcademicYear
from khru.org.roles import Role
from tests import factories as f

DAY = dt.date(2026, 6, 15)  # a Monday in the world fixture's term 1 of 2569


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_saved_register_is_counted_at_once_and_an_edit_moves_the_count(
    world, django_capture_on_commit_callbacks
):
    others = [f.EnrolmentFactory(classroom=world.class1, person__sex="F").person for _ in range(3)]
    attendance.record_register(
        actor=world.teacher1, classroom=world.class1, date=DAY, marks={world.student1.pk: "absent"}
    )
    day = ClassDay.objects.get(classroom=world.class1, date=DAY)
    assert (day.enrolled, day.absent, day.missed, day.enrolled_female) == (4, 1, 1, 3)
    board = selectors.school_dashboard(actor=world.principal1, school=world.school1, year_be=2569)
    assert board.attendance == 75.0
    assert [(c.name, c.absent, c.leave) for c in board.classes] == [("ป.4/1", 1, 0)]
    # The teacher corrects the register: the first child was present, two girls were on sick leave.
    with django_capture_on_commit_callbacks(execute=True):  # the school's roll-up is queued after commit
        attendance.record_register(
            actor=world.teacher1,
            classroom=world.class1,
            date=DAY,
            marks={others[0].pk: "sick", others[1].pk: "sick"},
        )
    board = selectors.school_dashboard(actor=world.principal1, school=world.school1, year_be=2569)
    assert [(c.absent, c.leave, c.missed) for c in board.classes] == [(0, 2, 2)]
    assert board.figures["reasons"].rows == [{"code": "sick", "reason": "ลาป่วย", "count": 2}]
    assert ClassDay.objects.get(classroom=world.class1, date=DAY).missed_female == 2
    month = SchoolMonth.objects.get(school=world.school1)  # the area pages' roll-up follows too
    assert (month.month, month.enrolled, month.missed, month.leave, month.missed_female) == (
        DAY.replace(day=1),
        4,
        2,
        2,
        2,
    )
    assert not PendingRefresh.objects.exists()  # the queued recount ran and cleared its mark
    assert not FillState.objects.exists()  # no system-wide row is written by a save


def test_a_full_rebuild_gives_the_same_counts_as_the_saves(world, django_capture_on_commit_callbacks):
    f.EnrolmentFactory(classroom=world.class1)
    for day, marks in ((DAY, {world.student1.pk: "late"}), (DAY + dt.timedelta(days=1), {})):
        with django_capture_on_commit_callbacks(execute=True):
            attendance.record_register(actor=world.teacher1, classroom=world.class1, date=day, marks=marks)
    fields = ("date", "enrolled", "absent", "leave", "late", "missed", "enrolled_female", "missed_female")
    kept = list(ClassDay.objects.order_by("date").values_list(*fields))
    months = list(SchoolMonth.objects.values_list("school", "month", "enrolled", "missed", "late"))
    summaries.rebuild()
    assert list(ClassDay.objects.order_by("date").values_list(*fields)) == kept
    assert list(SchoolMonth.objects.values_list("school", "month", "enrolled", "missed", "late")) == months
    assert kept[0][4] == 1 and kept[0][5] == 0  # late counts as attended


def _queries_with_a_class_of(world, size: int, room: int) -> dict[str, int]:
    classroom = f.ClassroomFactory(school=world.school1, academic_year=world.class1.academic_year, room=room)
    f.MembershipFactory(user=world.teacher1, role=Role.HOMEROOM_TEACHER, classroom=classroom)
    scope.forget(world.teacher1)
    children = [f.EnrolmentFactory(classroom=classroom).person for _ in range(size)]
    for offset in range(3):
        attendance.record_register(
            actor=world.teacher1,
            classroom=classroom,
            date=DAY + dt.timedelta(days=offset),
            marks={child.pk: "absent" for child in children[: offset + 1]},
        )
    counts = {}
    for name, call in (
        (
            "school",
            lambda: selectors.school_dashboard(actor=world.principal1, school=world.school1, year_be=2569),
        ),
        (
            "area",
            lambda: selectors.area_dashboard(actor=world.officer, area=world.school1.area, year_be=2569),
        ),
        ("class", lambda: earlywarning.class_dashboard(actor=world.teacher1, classroom=classroom, today=DAY)),
    ):
        call()  # the first call also reads the actor's memberships (cached for the request)
        with CaptureQueriesContext(connection) as queries:
            call()
        counts[name] = len(queries)
    return counts


def test_dashboards_cost_the_same_queries_for_10_or_40_children(world):
    small = _queries_with_a_class_of(world, 10, room=2)
    large = _queries_with_a_class_of(world, 40, room=3)
    assert small == large
    assert max(large.values()) <= 20


def test_a_school_board_is_built_once_for_its_page_and_charts_and_never_for_someone_else(world):
    principal = client_for(world.principal1)
    page = reverse("insights:school", args=[world.school1.code])
    with CaptureQueriesContext(connection) as first:
        assert principal.get(page).status_code == 200
    with CaptureQueriesContext(connection) as chart:
        assert principal.get(f"{page}/figures/by_class.csv").status_code == 200
    assert len(chart) < len(first) - 5  # the chart reuses the board the page built
    # Another user of the same school asks the policy first and builds a board of their own.
    assert client_for(world.teacher1).get(page).status_code == 404
    f.MembershipFactory(user=world.teacher1, school=world.school1, role=Role.PRINCIPAL)
    with CaptureQueriesContext(connection) as other:
        assert client_for(world.teacher1).get(page).status_code == 200
    assert len(other) > len(chart) + 5


def test_each_level_sees_only_its_scope(world):
    school1, school2 = world.school1, world.school2
    assert selectors.school_dashboard(actor=world.principal1, school=school1).school == school1
    for actor, school in ((world.principal1, school2), (world.teacher1, school1), (world.admin1, school1)):
        with pytest.raises(NotAllowed):
            selectors.school_dashboard(actor=actor, school=school)
    selectors.get_area(actor=world.officer, code=school1.area.code)
    with pytest.raises(NotAllowed):
        selectors.get_area(actor=world.officer, code=school2.area.code)
    with pytest.raises(NotAllowed):
        earlywarning.class_dashboard(actor=world.teacher2, classroom=world.class1)
    # Pages answer "not found", never revealing what exists elsewhere.
    principal = client_for(world.principal1)
    assert principal.get(reverse("insights:school", args=[school1.code])).status_code == 200
    assert principal.get(reverse("insights:school", args=[school2.code])).status_code == 404
    assert principal.get(f"/insights/schools/{school2.code}/figures/by_class.csv").status_code == 404
    assert principal.get(reverse("insights:area", args=[school1.area.code])).status_code == 404
    teacher = client_for(world.teacher1)
    assert teacher.get(reverse("insights:class", args=[world.class1.uuid])).status_code == 200
    assert teacher.get(reverse("insights:class", args=[world.class2.uuid])).status_code == 404
    assert teacher.get(reverse("insights:student", args=[world.student1.uuid])).status_code == 200
    assert teacher.get(reverse("insights:student", args=[world.student2.uuid])).status_code == 404
    assert teacher.get(reverse("insights:analysis")).status_code == 404


def test_aggregates_cross_no_scope_boundary(world, django_capture_on_commit_callbacks):
    f.TermFactory(academic_year=world.class2.academic_year, number=1)
    for classroom, teacher, student in (
        (world.class1, world.teacher1, world.student1),
        (world.class2, world.teacher2, world.student2),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            attendance.record_register(
                actor=teacher, classroom=classroom, date=DAY, marks={student.pk: "absent"}
            )
    mine = selectors.aggregate(actor=world.officer, measure="absence", dimension="area", year_be=2569)
    assert [label for label, _cells, _total in mine.rows] == [world.school1.area.name_th]
    everyone = selectors.aggregate(actor=world.sysadmin, measure="absence", dimension="area", year_be=2569)
    assert len(everyone.rows) == 2
    with pytest.raises(NotAllowed):
        selectors.aggregate(actor=world.teacher1, measure="absence", dimension="area", year_be=2569)


def test_small_cells_are_hidden_and_cannot_be_recovered_from_the_totals(world):
    """Grades by school in an area: a school with 2 zeros is "<5"; its row and column each hide a second
    cell, so subtracting the shown cells from a shown total never gives the hidden one."""
    from khru.assessment.models import Course, Result

    year = world.class1.academic_year
    term = year.terms.get()
    second = f.SchoolFactory(area=world.school1.area)
    grades_by_school = {world.school1: {"4": 20, "3": 12, "0": 2}, second: {"4": 9, "3": 7, "0": 8}}
    for school, grades in grades_by_school.items():
        classroom = f.ClassroomFactory(school=school, academic_year=year, room=5)
        course = Course.objects.create(
            school=school,
            academic_year=year,
            term=term,
            classroom=classroom,
            code="ค14101",
            name_th="คณิต",
            hours=80,
        )
        for grade, n in grades.items():
            for _ in range(n):
                Result.objects.create(course=course, person=f.PersonFactory(), grade=grade)
    summaries.rebuild()
    board = selectors.area_dashboard(actor=world.officer, area=world.school1.area, year_be=2569)
    table = {name: cells for name, cells, _total in board.grade_table}
    columns = board.grade_columns
    row1 = dict(zip(columns, table[world.school1.name_th], strict=True))
    assert row1["0"] == "<5" and row1["4"] == "20"
    for cells in table.values():
        assert sum(1 for v in cells if v == "<5") != 1
    for j in range(len(columns)):
        hidden = [cells[j] for cells in table.values() if cells[j] == "<5"]
        assert len(hidden) != 1 or board.grade_totals[j] == "<5"
    assert board.schools[0].grade_0_share is None  # a share built on a hidden cell is hidden too


def test_the_area_officer_sets_goals_and_a_bad_target_saves_nothing(
    world, django_capture_on_commit_callbacks
):
    client = client_for(world.officer)
    url = reverse("insights:area", args=[world.school1.area.code]) + "?year=2569"
    code = world.school1.code
    refused = client.post(url, {f"goal-{code}-attendance": "95", f"goal-{code}-grade_0": "abc"})
    assert refused.status_code == 400
    assert "ต้องเป็นร้อยละ 0–100" in refused.content.decode()
    assert 'value="abc"' in refused.content.decode()  # what was typed stays
    assert not Goal.objects.exists()
    saved = client.post(url, {f"goal-{code}-attendance": "95", f"goal-{code}-grade_0": "5"})
    assert saved.status_code == 302
    assert dict(Goal.objects.values_list("indicator", "target")) == {"attendance": 95, "grade_0": 5}
    assert AuditEvent.objects.filter(object_type="insights.goal").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        attendance.record_register(actor=world.teacher1, classroom=world.class1, date=DAY, marks={})
    board = selectors.area_dashboard(actor=world.officer, area=world.school1.area, year_be=2569)
    target, actual, met = board.schools[0].goals["attendance"]
    assert (target, actual, met) == (95, 100.0, True)
    # A principal sees the goals but cannot change them.
    principal = client_for(world.principal1)
    year = AcademicYear.objects.get(agency=world.school1.area.agency, year_be=2569)
    with pytest.raises(NotAllowed):
        from khru.insights import services

        services.set_goals(actor=world.principal1, year=year, targets={(world.school1, "attendance"): "50"})
    assert principal.get(url).status_code == 404  # the area page is for the area office
    with pytest.raises(KhruError):
        from khru.insights import services

        services.set_goals(actor=world.officer, year=year, targets={(world.school1, "attendance"): "101"})


def test_pages_render_with_charts_and_csv(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attendance.record_register(
            actor=world.teacher1, classroom=world.class1, date=DAY, marks={world.student1.pk: "absent"}
        )
    principal = client_for(world.principal1)
    page = principal.get(
        reverse("insights:school", args=[world.school1.code]) + "?year=2569"
    ).content.decode()
    assert "ป.4/1" in page and "figures/by_class.svg?year=2569" in page
    svg = principal.get(f"/insights/schools/{world.school1.code}/figures/by_weekday.svg?year=2569")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    csv = principal.get(f"/insights/schools/{world.school1.code}/figures/by_class.csv?year=2569")
    assert csv.content.decode("utf-8-sig").splitlines() == [
        "class,attendance,absence,missed,enrolled_days",
        "ป.4/1,0.0,100.0,1,1",
    ]
    teacher = client_for(world.teacher1)
    page = teacher.get(reverse("insights:class", args=[world.class1.uuid])).content.decode()
    assert world.student1.full_name in page
    xray = teacher.get(reverse("insights:student", args=[world.student1.uuid])).content.decode()
    assert world.school1.name_th in xray
    calendar = teacher.get(f"/insights/students/{world.student1.uuid}/figures/calendar.csv")
    assert "2026-06-15,จ.,ขาด" in calendar.content.decode("utf-8-sig")
    admin = client_for(world.sysadmin)
    table = admin.get(reverse("insights:analysis_figure", args=["csv"]) + "?measure=absence&by=sex&year=2569")
    assert table.status_code == 200 and "<5" in table.content.decode("utf-8-sig")


def test_the_school_dashboard_prints_as_a_pdf_with_the_same_figures(world):
    import io

    from pypdf import PdfReader

    attendance.record_register(
        actor=world.teacher1, classroom=world.class1, date=DAY, marks={world.student1.pk: "sick"}
    )
    principal = client_for(world.principal1)
    response = principal.get(reverse("insights:school_pdf", args=[world.school1.code]) + "?year=2569")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Thai glyphs come out of the text layer reshaped; the Latin figures come out as they are.
    text = "".join(page.extract_text() for page in reader.pages)
    assert "4/1 0.0% 0 1 0 1/" in text  # the class row: attendance 0.0%, no absence, one leave
    assert "2569" in text
    assert "20\n40\n60\n80\n100" in text  # a chart's axis (everyone away: 100 % absent): charts are drawn
    outsider = client_for(world.admin2)
    assert outsider.get(reverse("insights:school_pdf", args=[world.school1.code])).status_code == 404


def test_the_api_gives_the_same_figures_within_scope(client, world, django_capture_on_commit_callbacks):
    from khru.exchange.services import issue_token

    with django_capture_on_commit_callbacks(execute=True):
        attendance.record_register(
            actor=world.teacher1, classroom=world.class1, date=DAY, marks={world.student1.pk: "absent"}
        )
    principal = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.principal1)}"}
    answer = client.get(f"/api/v1/insights/schools/{world.school1.code}?year=2569", **principal).json()
    assert answer["attendance"] == 0.0
    by_class = next(f for f in answer["figures"] if f["name"] == "by_class")
    assert by_class["rows"] == [
        {"class": "ป.4/1", "attendance": 0.0, "absence": 100.0, "missed": 1, "enrolled_days": 1}
    ]
    assert client.get(f"/api/v1/insights/schools/{world.school2.code}", **principal).status_code == 404
    officer = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.officer)}"}
    table = client.get("/api/v1/insights/aggregates?measure=absence&by=area&year=2569", **officer).json()
    assert [row["group"] for row in table["rows"]] == [world.school1.area.name_th]
    assert table["rows"][0]["2569-06"] == "<5"
    teacher = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher1)}"}
    assert client.get("/api/v1/insights/aggregates?year=2569", **teacher).status_code == 404


def _results(classroom, grades: dict[str, int], sex: str = "M") -> None:
    from khru.assessment.models import Course, Result

    term = classroom.academic_year.terms.get(number=1)
    course, _ = Course.objects.get_or_create(
        school=classroom.school,
        academic_year=classroom.academic_year,
        term=term,
        classroom=classroom,
        code="ท14101",
        defaults={"name_th": "ภาษาไทย", "hours": 80},
    )
    for grade, n in grades.items():
        for _ in range(n):
            Result.objects.create(course=course, person=f.PersonFactory(sex=sex), grade=grade)


def test_an_agency_analyst_sees_only_suppressed_aggregates_of_its_agency(world):
    from khru.org.models import Agency

    f.TermFactory(academic_year=world.class2.academic_year, number=1)
    _results(world.class1, {"4": 12, "0": 3})
    _results(world.class2, {"4": 20, "3": 9})
    summaries.rebuild()
    analyst = f.MembershipFactory(role=Role.AGENCY_ANALYST, agency=Agency.objects.get(code="LAO")).user
    table = selectors.aggregate(actor=analyst, measure="grades", dimension="agency", year_be=2569)
    assert [label for label, _cells, _total in table.rows] == [world.school1.area.agency.short_th]
    cells = dict(zip(table.columns, table.rows[0][1], strict=True))
    assert cells["0"] == "<5" and cells["4"] != "12"  # the lone small cell takes another with it
    assert table.rows[0][2] == "15" and table.total == "15"
    # Only aggregates: no child, class or school page is open to the analyst.
    client = client_for(analyst)
    assert client.get(reverse("insights:school", args=[world.school1.code])).status_code == 404
    assert client.get(reverse("insights:student", args=[world.student1.uuid])).status_code == 404
    assert client.get(reverse("insights:analysis") + "?measure=grades&by=sex&year=2569").status_code == 200


def test_refresh_insights_recounts_and_refuses_an_unknown_school(world):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    attendance.record_register(actor=world.teacher1, classroom=world.class1, date=DAY, marks={})
    ClassDay.objects.all().delete()
    out = io.StringIO()
    call_command("refresh_insights", school=[world.school1.code], stdout=out)
    assert "class_days 1" in out.getvalue()
    assert ClassDay.objects.get().enrolled == 1
    assert FillState.objects.get(table="nutrition").as_of is not None
    with pytest.raises(CommandError, match="NOPE"):
        call_command("refresh_insights", school=["NOPE"], stdout=out)
