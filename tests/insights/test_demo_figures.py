"""On the demo data: every dashboard number equals a direct count from the raw facts (registers, enrolments,
marks, results, measurements), also after a mark and a grade are edited; and the analytics export answers
the national questions with the same numbers. The demo is loaded once for the module (small scale)."""

import io
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from khru.assessment import services as assessment
from khru.assessment.models import Result
from khru.attendance import services as attendance
from khru.attendance.models import Mark, Register
from khru.health.models import Measurement
from khru.insights import analytics, queries, selectors
from khru.org.models import Area, Classroom, School, User
from khru.people.models import EndReason, Enrolment, Person

SCHOOL = "1083010001"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", seed=3, scale=0.03, stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


def enrolled_child_days(registers) -> int:
    """Σ over daily registers of the children enrolled in that class on that day, straight from enrolments."""
    open_that_day = (
        Enrolment.objects.filter(classroom=OuterRef("classroom"), starts_on__lte=OuterRef("date"))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("date")))
        .values("classroom")
        .annotate(n=Count("pk"))
        .values("n")
    )
    total = (
        registers.filter(period=0)
        .annotate(n=Coalesce(Subquery(open_that_day, output_field=IntegerField()), 0))
        .aggregate(total=Sum("n"))["total"]
    )
    return int(total or 0)


def direct(school: School, year_be: int) -> dict:
    registers = Register.objects.filter(school=school, academic_year__year_be=year_be, period=0)
    marks = Mark.objects.filter(register__in=registers)
    return {
        "enrolled": enrolled_child_days(registers),
        "missed": marks.filter(code__attended=False).count(),
        "codes": dict(marks.values_list("code__code").annotate(n=Count("pk"))),
        "grades": dict(
            Result.objects.filter(course__school=school, course__academic_year__year_be=year_be)
            .exclude(course__kind="activity")  # the board counts courses' grades; activities are ผ/มผ
            .values_list("grade")
            .annotate(n=Count("pk"))
        ),
    }


@pytest.mark.parametrize("year_be", [2568, 2569])
def test_the_principal_dashboard_equals_direct_counts(demo, db, year_be):
    principal = User.objects.get(username="principal-1")
    school = School.objects.get(code=SCHOOL)
    board = selectors.school_dashboard(actor=principal, school=school, year_be=year_be)
    facts = direct(school, year_be)
    assert facts["enrolled"] > 1000 and facts["missed"] > 10  # the demo has something to count
    assert sum(c.enrolled_days for c in board.classes) == facts["enrolled"]
    assert sum(c.missed for c in board.classes) == facts["missed"]
    assert board.attendance == selectors.rate(facts["enrolled"] - facts["missed"], facts["enrolled"])
    assert {r["code"]: r["count"] for r in board.figures["reasons"].rows} == facts["codes"]
    this_year = {
        r["grade"]: r["count"] for r in board.figures["grades_by_year"].rows if r["year"] == str(year_be)
    }
    assert this_year == facts["grades"]
    # Drilled down to classes, the grades add up to the same.
    per_grade = [
        sum(column)
        for column in zip(*(counts for _uuid, _name, counts in board.grades_by_class), strict=True)
    ]
    assert {g: n for g, n in zip(selectors.GRADE_ORDER, per_grade, strict=True) if n} == facts["grades"]
    # Per class too: absences of each class equal its marks.
    absent_by_class = dict(
        Mark.objects.filter(
            register__school=school,
            register__academic_year__year_be=year_be,
            register__period=0,
            code__kind="absent",
        )
        .values_list("register__classroom__uuid")
        .annotate(n=Count("pk"))
    )
    assert {c.classroom_uuid: c.absent for c in board.classes if c.absent} == {
        str(k): v for k, v in absent_by_class.items()
    }
    # Nutrition: every child measured in the latest term with a band, once.
    if board.figures["nutrition"].rows:
        term = (
            Measurement.objects.filter(school=school, academic_year__year_be=year_be)
            .order_by("-term__number")
            .values_list("term", flat=True)
            .first()
        )
        measured = (
            Measurement.objects.filter(school=school, term=term)
            .exclude(shape_band="")
            .values("person")
            .distinct()
            .count()
        )
        assert sum(r["count"] for r in board.figures["nutrition"].rows) == measured


def test_after_a_mark_and_a_grade_are_edited_the_dashboard_still_equals_the_facts(demo, db):
    principal = User.objects.get(username="principal-1")
    school = School.objects.get(code=SCHOOL)
    # The biggest class of this year, one of its registers, and a child who was simply present that day.
    classroom = (
        Classroom.objects.filter(school=school, academic_year__year_be=2569)
        .annotate(n=Count("enrolments"))
        .order_by("-n")
        .first()
    )
    register = Register.objects.filter(classroom=classroom, period=0).order_by("-date")[3]
    marks = dict(register.marks.values_list("person_id", "code__code"))
    present = (
        Enrolment.objects.filter(classroom=classroom, starts_on__lte=register.date)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=register.date))
        .exclude(person_id__in=list(marks))
        .values_list("person_id", flat=True)
        .first()
    )
    assert present is not None
    before = selectors.school_dashboard(actor=principal, school=school, year_be=2569)
    attendance.record_register(
        actor=principal, classroom=classroom, date=register.date, marks={**marks, present: "absent"}
    )
    result = Result.objects.filter(
        course__school=school, course__academic_year__year_be=2569, grade="0"
    ).first()
    assert result is not None
    assessment.record_remedial(actor=principal, result=result, grade="1")
    after = selectors.school_dashboard(actor=principal, school=school, year_be=2569)
    assert sum(c.missed for c in after.classes) == sum(c.missed for c in before.classes) + 1
    facts = direct(school, 2569)
    assert sum(c.missed for c in after.classes) == facts["missed"]
    this_year = {r["grade"]: r["count"] for r in after.figures["grades_by_year"].rows if r["year"] == "2569"}
    assert this_year == facts["grades"]


def test_the_municipality_sees_each_school_as_counted_and_small_cells_hidden(demo, db):
    officer = User.objects.get(username="municipality")
    area = Area.objects.get(code="LAO-DEMO")
    board = selectors.area_dashboard(actor=officer, area=area, year_be=2568)
    assert len(board.schools) == 7
    for column in board.schools:
        facts = direct(column.school, 2568)
        assert column.attendance == selectors.rate(facts["enrolled"] - facts["missed"], facts["enrolled"])
    for name, cells, _total in board.grade_table:
        school = School.objects.get(name_th=name)
        counts = direct(school, 2568)["grades"]
        for grade, shown in zip(board.grade_columns, cells, strict=True):
            value = counts.get(grade, 0)
            assert shown == "<5" or shown == str(value)
            if 0 < value < 5:
                assert shown == "<5"
        assert sum(1 for v in cells if v == "<5") != 1


def test_the_analytics_export_answers_the_national_questions(demo, db, tmp_path: Path, settings, monkeypatch):
    from khru.config import env

    monkeypatch.setattr(env, "ANALYTICS_PSEUDONYM_KEY", "test-key")
    out = tmp_path / "analytics"
    call_command("export_analytics", output=out, stdout=io.StringIO())
    assert (out / "attendance" / "agency=LAO").is_dir()
    assert any((out / "attendance" / "agency=LAO").glob("academic_year=2568/month=*/*.parquet"))
    _columns, rows = queries.absence_by_province_month(out)
    registers = Register.objects.filter(period=0)
    assert (
        sum(r[4] for r in rows) == Mark.objects.filter(register__in=registers, code__attended=False).count()
    )
    assert sum(r[3] for r in rows) == enrolled_child_days(registers)
    _columns, rows = queries.dropout_by_grade(out)
    dropped = Enrolment.objects.filter(end_reason=EndReason.DROPPED_OUT).values("person").distinct().count()
    assert sum(r[3] for r in rows) == dropped
    _columns, rows = queries.grade_0_by_subject(out)
    assert sum(r[3] for r in rows) == Result.objects.filter(grade="0").count()
    # No citizen ID, name or database id leaves; the pseudonym is the keyed hash.
    person = Person.objects.filter(enrolments__isnull=False, citizen_id__isnull=False).first()
    with duckdb.connect() as con:
        students = {
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT student FROM read_parquet('{out}/enrolments/**/*.parquet')"
            ).fetchall()
        }
        columns = {
            r[0]
            for r in con.execute(
                f"DESCRIBE SELECT * FROM read_parquet('{out}/attendance/**/*.parquet')"
            ).fetchall()
        }
    assert analytics.pseudonym(person.citizen_id, b"test-key") in students
    assert person.citizen_id not in students
    assert not columns & {"citizen_id", "first_name_th", "last_name_th", "person_id", "birth_date"}


def test_the_export_refuses_without_a_pseudonym_key(db, tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    from khru.config import env

    monkeypatch.setattr(env, "ANALYTICS_PSEUDONYM_KEY", "")
    with pytest.raises(CommandError, match="ANALYTICS_PSEUDONYM_KEY"):
        call_command("export_analytics", output=tmp_path / "x", stdout=io.StringIO())
    assert not (tmp_path / "x").exists()


def test_the_synthetic_national_year_has_the_same_layout(tmp_path):
    from khru.insights import synthetic

    rows, _seconds = synthetic.generate_national(tmp_path, students=500, days=10)
    assert rows == 5000
    columns, result = queries.absence_by_province_month(tmp_path)
    assert columns[:3] == ["province", "academic_year", "month"]
    assert sum(r[3] for r in result) == 5000
    assert 0 < sum(r[4] for r in result) < 1000  # a few per cent absent


def test_poverty_counts_on_the_school_and_area_pages_equal_the_screenings(demo, db):
    from khru.welfare.models import PovertyScreening

    principal = User.objects.get(username="principal-1")
    school = School.objects.get(code=SCHOOL)
    board = selectors.school_dashboard(actor=principal, school=school, year_be=2569)
    assert board.poverty is not None and not board.poverty.suppressed
    screened = PovertyScreening.objects.filter(school=school, term=board.poverty.term)
    assert board.poverty.screened == screened.count() > 0
    assert board.poverty.eligible == screened.filter(eligible=True).count()
    officer = User.objects.get(username="municipality")
    area = selectors.area_dashboard(actor=officer, area=Area.objects.get(code="LAO-DEMO"), year_be=2569)
    for column in area.schools:
        rows = PovertyScreening.objects.filter(school=column.school, term__academic_year__year_be=2569)
        latest = rows.order_by("-term__number").values_list("term", flat=True).first()
        eligible = rows.filter(term=latest, eligible=True).count()
        shown_eligible, _shown_screened = column.poverty
        assert shown_eligible in ("<5", str(eligible))
        if 0 < eligible < 5:
            assert shown_eligible == "<5"


def test_the_child_xray_shows_family_visits_and_the_whole_path(demo, db):
    from django.test import Client
    from django.urls import reverse

    from khru.welfare.models import HouseholdChild

    school = School.objects.get(code=SCHOOL)
    link = (
        HouseholdChild.objects.filter(person__enrolments__school=school)
        .select_related("household", "person")
        .first()
    )
    assert link is not None
    principal = User.objects.get(username="principal-1")
    xray = selectors.xray(actor=principal, uuid=str(link.person.uuid))
    assert xray.welfare is not None and xray.welfare.household == link.household
    client = Client()
    client.force_login(principal)
    page = client.get(reverse("insights:student", args=[link.person.uuid])).content.decode()
    assert link.household.get_family_status_display() in page
    assert school.name_th in page
    # A teacher of another school sees nothing of this child.
    other = User.objects.get(username="teacher-1")
    if not Enrolment.objects.filter(person=link.person, classroom__teacher_memberships__user=other).exists():
        assert client_for_404(other, link.person.uuid)


def client_for_404(user, uuid) -> bool:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    return client.get(reverse("insights:student", args=[uuid])).status_code == 404
