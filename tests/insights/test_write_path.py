"""The register save writes only its own class's rows: many teachers of one school at once, a refresh that
fails, and a query count that does not grow with the class."""

import datetime as dt
import logging
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from khru.attendance import services as attendance
from khru.attendance.models import Mark, Register
from khru.insights import selectors, summaries
from khru.insights.models import ClassDay, ClassMonthCode, FillState, PendingRefresh, SchoolMonth
from khru.org import scope
from khru.org.roles import Role
from tests import factories as f

FIRST = dt.date(2026, 7, 1)  # the first school day of a new month, in term 1 of 2569


def _counts() -> dict[str, list[tuple[object, ...]]]:
    """Every summary row the attendance dashboards read, in a fixed order."""
    day_fields = ("classroom_id", "date", "enrolled", "absent", "leave", "late", "missed", "missed_female")
    month_fields = ("school_id", "academic_year_id", "month", "enrolled", "absent", "leave", "missed")
    return {
        "days": list(ClassDay.objects.order_by("classroom_id", "date").values_list(*day_fields)),
        "codes": list(
            ClassMonthCode.objects.order_by("classroom_id", "code").values_list(
                "classroom_id", "code", "count"
            )
        ),
        "months": list(SchoolMonth.objects.order_by("school_id", "month").values_list(*month_fields)),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and races need PostgreSQL")
def test_twenty_teachers_of_one_school_save_at_once_and_the_summaries_equal_a_recount(
    transactional_db, caplog
):
    year = f.AcademicYearFactory(year_be=2569)
    f.TermFactory(academic_year=year, number=1)
    school = f.SchoolFactory()
    classes = []
    for room in range(1, 21):
        classroom = f.ClassroomFactory(school=school, academic_year=year, grade="P4", room=room)
        teacher = f.MembershipFactory(role=Role.TEACHER, school=school).user
        f.MembershipFactory(user=teacher, role=Role.HOMEROOM_TEACHER, classroom=classroom)
        children = [f.EnrolmentFactory(classroom=classroom).person for _ in range(5)]
        classes.append((classroom, teacher, children))
    # The first teacher's save stays open (a slow phone, a long transaction) while the other nineteen save at
    # the same moment: none of them may wait for it, because no row they write is one it writes too.
    holding = threading.Event()
    others_done = threading.Event()
    start = threading.Barrier(len(classes) - 1)
    errors: list[BaseException] = []

    def save(classroom, teacher, children) -> None:
        attendance.record_register(
            actor=teacher,
            classroom=classroom,
            date=FIRST,
            marks={children[0].pk: "absent", children[1].pk: "sick"},
        )

    def hold_open(*args) -> None:
        try:
            with transaction.atomic():
                save(*args)
                holding.set()
                others_done.wait(timeout=60)
        except BaseException as error:
            errors.append(error)
        finally:
            holding.set()
            connection.close()

    def save_at_once(*args) -> None:
        try:
            holding.wait(timeout=60)
            start.wait()
            save(*args)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_open, args=classes[0])
    others = [threading.Thread(target=save_at_once, args=c) for c in classes[1:]]
    holder.start()
    for thread in others:
        thread.start()
    deadline = (
        time.monotonic() + 20
    )  # the holder waits 60 s: anyone still saving after 20 s is stuck behind it
    for thread in others:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    waited = [thread for thread in others if thread.is_alive()]
    others_done.set()
    holder.join()
    for thread in others:
        thread.join()
    assert waited == []  # nobody queued behind the open save
    assert errors == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []  # no recount failed
    assert Register.objects.filter(school=school, date=FIRST).count() == 20
    assert Mark.objects.filter(register__school=school).count() == 40
    saved = _counts()
    assert saved["months"] == [(school.pk, year.pk, FIRST, 100, 20, 20, 40)]  # every class in the roll-up
    assert not PendingRefresh.objects.exists()
    assert not FillState.objects.exists()  # no system-wide row on the save path
    summaries.rebuild()
    assert _counts() == saved


def test_a_save_stands_when_its_summary_refresh_fails(world, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs: object) -> int:
        raise RuntimeError("the roll-up cannot be written")

    monkeypatch.setattr(summaries, "refresh_school_month", broken)
    with django_capture_on_commit_callbacks(execute=True):
        saved = attendance.record_register(
            actor=world.teacher1, classroom=world.class1, date=FIRST, marks={world.student1.pk: "absent"}
        )
    assert saved.changed == 1
    assert Mark.objects.get(register__classroom=world.class1, register__date=FIRST).code.code == "absent"
    assert ClassDay.objects.get(classroom=world.class1, date=FIRST).missed == 1  # the class's own row
    assert not SchoolMonth.objects.exists()  # the roll-up failed, the teacher's save did not

    # The class recount itself fails too: the register is still saved, the nightly rebuild catches up.
    def broken_class(register: Register) -> None:
        ClassDay.objects.all().delete()  # a half-done write inside the failing refresh is undone with it
        raise RuntimeError("the class recount failed")

    monkeypatch.setattr(summaries, "refresh_register", broken_class)
    second = FIRST + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        attendance.record_register(actor=world.teacher1, classroom=world.class1, date=second, marks={})
    assert Register.objects.filter(classroom=world.class1, date=second).exists()
    assert ClassDay.objects.filter(classroom=world.class1, date=FIRST).exists()  # rolled back, not lost
    monkeypatch.undo()
    summaries.rebuild()
    assert ClassDay.objects.filter(classroom=world.class1).count() == 2
    assert SchoolMonth.objects.get(school=world.school1).missed == 1


def test_many_saves_of_one_school_queue_one_recount_and_the_area_page_says_how_fresh(world):
    f.EnrolmentFactory(classroom=world.class1)
    # Inside one open transaction (as a test runs) nothing commits: the saves queue after commit only.
    for day in (FIRST, FIRST + dt.timedelta(days=1)):
        attendance.record_register(actor=world.teacher1, classroom=world.class1, date=day, marks={})
    assert not PendingRefresh.objects.exists()
    from khru.insights.tasks import queue_school_month

    queue_school_month(school_id=world.school1.pk, month=FIRST)  # what the first commit would do
    assert SchoolMonth.objects.get(school=world.school1).enrolled == 4  # two children, two days
    waiting = PendingRefresh.objects.create(school=world.school1, month=FIRST)  # a worker has not run yet
    queue_school_month(school_id=world.school1.pk, month=FIRST)
    queue_school_month(school_id=world.school1.pk, month=FIRST)
    assert PendingRefresh.objects.count() == 1  # however many saves, one waits
    area = selectors.area_dashboard(actor=world.officer, area=world.school1.area, year_be=2569)
    assert area.as_of["attendance"] == waiting.queued_at  # the area's figures are as old as that wait
    board = selectors.school_dashboard(actor=world.principal1, school=world.school1, year_be=2569)
    assert board.as_of["attendance"] > waiting.queued_at  # the school reads its class rows: current


def _save_queries(world, size: int, room: int) -> int:
    classroom = f.ClassroomFactory(school=world.school1, academic_year=world.class1.academic_year, room=room)
    f.MembershipFactory(user=world.teacher1, role=Role.HOMEROOM_TEACHER, classroom=classroom)
    scope.forget(world.teacher1)
    children = [f.EnrolmentFactory(classroom=classroom).person for _ in range(size)]
    codes = ("absent", "sick", "late")
    marks = {child.pk: codes[i % 3] for i, child in enumerate(children)}
    attendance.record_register(actor=world.teacher1, classroom=classroom, date=FIRST, marks={})
    with CaptureQueriesContext(connection) as queries:
        attendance.record_register(
            actor=world.teacher1, classroom=classroom, date=FIRST + dt.timedelta(days=1), marks=marks
        )
    assert (
        ClassDay.objects.get(classroom=classroom, date=FIRST + dt.timedelta(days=1)).missed == 2 * size // 3
    )
    return len(queries)


def test_a_register_save_takes_the_same_number_of_queries_for_3_or_30_children(world):
    assert _save_queries(world, 3, room=2) == _save_queries(world, 30, room=3)
