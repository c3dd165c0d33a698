"""Background work: the schools' roll-ups after saves, queued and coalesced (full recount: refresh_insights).

A save recounts its own class inside its transaction (`register_saved`, `course_changed`: listeners of
`khru.core.derived`, registered in apps.py); after it commits, the school's month is queued once: while a
`PendingRefresh` row exists, more saves of that school and month add nothing, and the task deletes the row
before it counts, so a save committed after that queues the next recount. `khru db_worker` runs the tasks.
"""

import datetime as dt
from functools import partial

from django.db import IntegrityError, transaction
from django_tasks import task

from khru.assessment.models import Course
from khru.attendance.models import Register
from khru.insights import summaries
from khru.insights.models import PendingRefresh


@task()
def refresh_school_month(school_id: int, month: str) -> int:
    first = dt.date.fromisoformat(month)
    PendingRefresh.objects.filter(school_id=school_id, month=first).delete()
    return summaries.refresh_school_month(school_id=school_id, month=first)


def queue_school_month(*, school_id: int, month: dt.date) -> None:
    """One pending recount per school and month, however many saves (runs after the save committed)."""
    if PendingRefresh.objects.filter(school_id=school_id, month=month).exists():
        return  # the usual case in a busy month: one read, no failed insert
    try:
        with transaction.atomic():
            PendingRefresh.objects.create(school_id=school_id, month=month)
    except IntegrityError:
        return  # a recount is already waiting and has not started: it will count this save too
    refresh_school_month.enqueue(school_id, month.isoformat())


def register_saved(register: Register) -> None:
    summaries.refresh_register(register)
    if register.period == 0:
        # robust: a failing queue is logged by Django and never reaches the teacher, whose save stands.
        transaction.on_commit(
            partial(queue_school_month, school_id=register.school_id, month=register.date.replace(day=1)),
            robust=True,
        )


def course_changed(course: Course) -> None:
    summaries.refresh_course(course)
