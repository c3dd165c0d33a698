"""`khru load_demo`: what someone trying the demo relies on. Loads at a small scale to stay fast."""

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import RequestFactory
from django.utils import timezone

from khru.assessment.models import Result
from khru.attendance.models import Register
from khru.core.identity import identifier_problem
from khru.core.models import AuditEvent
from khru.demo import registry
from khru.demo.context import DemoContext
from khru.org.models import Classroom, Membership, School, User
from khru.org.roles import Role
from khru.people.models import EndReason, Enrolment, IdKind, Person
from tests.demo.calendar_checks import check_the_calendar_and_promote_school_1
from tests.demo.curriculum_checks import check_every_class_studies_its_template

SCALE = 0.03
SEED = 7
LOGINS = ["admin", "municipality", "principal-1", "registrar-1", "teacher-1"]


def load(seed: int = SEED) -> str:
    out = io.StringIO()
    call_command("load_demo", seed=seed, scale=SCALE, stdout=out)
    return out.getvalue()


def people() -> list[tuple[str | None, str, str]]:
    return sorted(Person.objects.values_list("citizen_id", "first_name_th", "last_name_th"), key=str)


class Rollback(Exception):
    pass


def load_and_capture(seed: int) -> list[tuple[str | None, str, str]]:
    """Load, read everyone, and roll the load back, so the next load starts from the same empty database."""
    captured: list[tuple[str | None, str, str]] = []
    try:
        with transaction.atomic():
            load(seed)
            captured = people()
            raise Rollback
    except Rollback:
        pass
    return captured


# The people tests need only the builders up to staff; attendance and grades add minutes of rows that
# these tests never read (test_a_second_call_changes_nothing loads everything once).
PEOPLE_BUILDERS = ["khru.demo.org.build", "khru.demo.people.build", "khru.demo.staff.build"]


@pytest.fixture
def people_only(monkeypatch: Any) -> None:
    assert registry.BUILDERS[:3] == PEOPLE_BUILDERS
    monkeypatch.setattr(registry, "BUILDERS", PEOPLE_BUILDERS)


@pytest.fixture
def demo(db: Any, people_only: None) -> str:
    return load()


def test_demo_logins_sign_in_with_the_demo_password(demo: str) -> None:
    for username in LOGINS:
        user = authenticate(RequestFactory().post("/"), username=username, password="khru-demo")
        assert user is not None, username
        assert username in demo
    assert "khru-demo" in demo
    admin = User.objects.get(username="admin")
    assert (
        admin.is_superuser
        and admin.memberships.filter(role=Role.SYSTEM_ADMIN, school=None, area=None).exists()
    )
    assert Membership.objects.filter(
        user__username="municipality", role=Role.AREA_OFFICER, area__code="LAO-DEMO"
    ).exists()


def test_school_1_has_its_principal_registrar_and_a_p4_homeroom_teacher(demo: str) -> None:
    school_1 = School.objects.get(code="1083010001")
    principal = User.objects.get(username="principal-1")
    assert principal.person.staff_posts.filter(school=school_1, position="principal").exists()
    assert principal.memberships.filter(role=Role.PRINCIPAL, school=school_1).exists()
    assert Membership.objects.filter(
        user__username="registrar-1", role=Role.SCHOOL_ADMIN, school=school_1
    ).exists()

    teacher = User.objects.get(username="teacher-1")
    assert teacher.memberships.filter(role=Role.TEACHER, school=school_1).exists()
    homeroom = teacher.memberships.get(role=Role.HOMEROOM_TEACHER).classroom
    assert homeroom is not None
    assert (homeroom.school, homeroom.academic_year.year_be, str(homeroom)) == (school_1, 2569, "ป.4/1")
    # Every current class of the municipality has a homeroom teacher.
    classes = Classroom.objects.filter(academic_year__year_be=2569, school__area__code="LAO-DEMO")
    assert not classes.exclude(teacher_memberships__role=Role.HOMEROOM_TEACHER).exists()


def test_every_student_has_a_valid_id_and_at_most_one_open_enrolment(demo: str) -> None:
    students = Person.objects.filter(enrolments__isnull=False).distinct()
    assert students.count() > 200
    for citizen_id, id_kind in students.values_list("citizen_id", "id_kind"):
        assert identifier_problem(citizen_id or "") is None, citizen_id
        assert (id_kind == IdKind.G_CODE) == citizen_id.startswith("G")
    doubly_open = Person.objects.annotate(open=Count("enrolments", filter=Q(enrolments__ends_on=None)))
    assert not doubly_open.filter(open__gt=1).exists()
    assert not students.filter(guardianships__isnull=True).exists()


def test_history_shows_promotion_graduation_transfer_and_dropout(demo: str) -> None:
    reasons = set(Enrolment.objects.exclude(end_reason="").values_list("end_reason", flat=True))
    assert {EndReason.PROMOTED, EndReason.GRADUATED, EndReason.TRANSFERRED, EndReason.DROPPED_OUT} <= reasons
    assert not Enrolment.objects.filter(end_reason=EndReason.DROPPED_OUT, dropout_reason="").exists()
    for moved in Enrolment.objects.filter(end_reason=EndReason.TRANSFERRED):
        assert moved.to_school is not None and moved.ends_on is not None
        next_day = moved.ends_on + dt.timedelta(days=1)
        assert Enrolment.objects.filter(
            person=moved.person, school=moved.to_school, starts_on=next_day
        ).exists()


def test_students_move_between_the_municipality_and_the_obec_school(demo: str) -> None:
    obec_school = School.objects.get(area__agency__code="OBEC", area__code="OBEC-DEMO")
    assert Enrolment.objects.filter(end_reason=EndReason.TRANSFERRED, to_school=obec_school).exists()
    assert Enrolment.objects.filter(end_reason=EndReason.TRANSFERRED, school=obec_school).exists()
    two_agencies = Person.objects.annotate(agencies=Count("enrolments__academic_year__agency", distinct=True))
    assert two_agencies.filter(agencies=2).exists()


def test_the_same_seed_gives_the_same_people_and_another_seed_does_not(db: Any, people_only: None) -> None:
    first = load_and_capture(SEED)
    assert first and first == load_and_capture(SEED)
    assert load_and_capture(SEED + 1) != first


SEEN: dict[str, int] = {}


def later_domain(ctx: DemoContext) -> None:
    """Stands in for a later domain's builder (attendance, assessment …)."""
    open_enrolments = [e for e in ctx.enrolments if e.ends_on is None]
    assert all(e.pk for e in open_enrolments)
    SEEN.update(schools=len(ctx.schools), open=len(open_enrolments), staff=len(ctx.staff))
    ctx.rng.random()


def test_a_later_builder_sees_the_demo_and_changes_nothing_before_it(
    db: Any, people_only: None, monkeypatch: Any
) -> None:
    plain = load_and_capture(SEED)
    monkeypatch.setattr(registry, "BUILDERS", [*registry.BUILDERS, f"{__name__}.later_domain"])
    assert load_and_capture(SEED) == plain
    assert SEEN["schools"] == 7 and SEEN["open"] > 0 and SEEN["staff"] > 600


def check_registers_were_saved_on_their_day_or_a_little_late() -> None:
    """The follow-up pages need registers saved when teachers save them, not when the loader ran."""
    saved = [
        (day, timezone.localdate(taken_at))
        for day, taken_at in Register.objects.values_list("date", "taken_at")
    ]
    on_the_day = sum(1 for day, saved_on in saved if saved_on == day)
    assert 0.9 * len(saved) < on_the_day < len(saved)
    assert all(day <= saved_on <= day + dt.timedelta(days=3) for day, saved_on in saved)


def test_every_domain_loads_keeps_its_calendar_and_curriculum_promotes_and_a_second_call_changes_nothing(
    db: Any, school_clock: Any
) -> None:
    load()  # every builder, attendance and grades included
    tables = (Person, Enrolment, User, Membership, AuditEvent, School, Classroom, Register, Result)
    before = [model.objects.count() for model in tables]
    assert before[-2] > 0 and before[-1] > 0
    output = load(seed=SEED + 1)
    assert "already loaded" in output and "teacher-1" in output
    assert [model.objects.count() for model in tables] == before
    check_registers_were_saved_on_their_day_or_a_little_late()
    check_every_class_studies_its_template()
    check_the_calendar_and_promote_school_1()  # last: it adds the next year
