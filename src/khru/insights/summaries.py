"""Keeping the summary tables current: one class-day or one course after a write, one school's month after
commit (queued, see tasks.py), or everything at once.

The same counting functions serve the refresh after a register save (one class, one day) and the full
rebuild (every school, every year), so the two can never disagree. Counting happens in Python over three
flat reads (registers, enrolments, marks), like attendance's tallies: a school's year costs a few queries.
"""

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, Q, QuerySet, Sum
from django.utils import timezone

from khru.assessment.models import Course, Result
from khru.attendance.models import Mark, Register
from khru.health.models import Measurement
from khru.insights.models import (
    ClassDay,
    ClassMonthCode,
    FillState,
    GradeCount,
    NutritionCount,
    PendingRefresh,
    SchoolMonth,
)
from khru.org.models import Classroom, School, Term
from khru.people.models import Enrolment

ATTENDANCE, GRADES, NUTRITION = "attendance", "grades", "nutrition"
TABLES = (ATTENDANCE, GRADES, NUTRITION)
BATCH = 5000


def _touch(table: str) -> None:
    FillState.objects.update_or_create(table=table, defaults={"as_of": timezone.now()})


def _insert(model: Any, fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Many rows in a few statements, without building a model object per row (the rebuild writes
    hundreds of thousands)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[start : start + BATCH]
            )


DAY_FIELDS = [
    "school",
    "academic_year",
    "term",
    "classroom",
    "grade",
    "date",
    "month",
    "weekday",
    "enrolled",
    "absent",
    "leave",
    "late",
    "missed",
    "enrolled_female",
    "missed_female",
]
CODE_FIELDS = ["school", "academic_year", "classroom", "month", "code", "count"]
SUMMED = ["enrolled", "absent", "leave", "late", "missed", "enrolled_female", "missed_female"]
MONTH_FIELDS = ["school", "academic_year", "month", *SUMMED]


def _school_months(days: QuerySet[ClassDay]) -> list[tuple[Any, ...]]:
    """Class-days summed per school, year and month. Rows in MONTH_FIELDS order."""
    return list(
        days.values_list("school_id", "academic_year_id", "month")
        .annotate(*(Sum(name) for name in SUMMED))
        .order_by()
    )


def _class_days(registers: QuerySet[Register]) -> list[tuple[Any, ...]]:
    """Count the daily registers given: enrolled children (from the enrolments open that day) and the
    exceptions by kind, in total and for girls. Rows in DAY_FIELDS order."""
    rows = list(
        registers.filter(period=0).values_list(
            "id", "school_id", "academic_year_id", "term_id", "classroom_id", "classroom__grade", "date"
        )
    )
    if not rows:
        return []
    by_class: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for register_id, _school, _year, _term, classroom_id, _grade, day in rows:
        by_class[classroom_id].append((day, register_id))
    for days in by_class.values():
        days.sort()
    # Enrolled per register: each enrolment adds one over the run of registers it covers. A difference
    # array over each class's sorted registers makes that one step per enrolment, not one per day.
    starts: dict[int, list[int]] = {c: [0] * (len(d) + 1) for c, d in by_class.items()}
    starts_f: dict[int, list[int]] = {c: [0] * (len(d) + 1) for c, d in by_class.items()}
    enrolments = Enrolment.objects.filter(classroom_id__in=list(by_class)).values_list(
        "classroom_id", "starts_on", "ends_on", "person__sex"
    )
    for classroom_id, starts_on, ends_on, sex in enrolments:
        days = by_class[classroom_id]
        low = bisect.bisect_left(days, (starts_on, 0))
        high = bisect.bisect_right(days, (ends_on or dt.date.max, 2**63))
        for diff in (starts[classroom_id], starts_f[classroom_id]) if sex == "F" else (starts[classroom_id],):
            diff[low] += 1
            diff[high] -= 1
    enrolled: dict[int, tuple[int, int]] = {}
    for classroom_id, days in by_class.items():
        total = female = 0
        for i, (_day, register_id) in enumerate(days):
            total += starts[classroom_id][i]
            female += starts_f[classroom_id][i]
            enrolled[register_id] = (total, female)
    exceptions: dict[int, Counter[str]] = defaultdict(Counter)
    marks = Mark.objects.filter(register__in=registers.filter(period=0)).values_list(
        "register_id", "person__sex", "code__kind", "code__attended"
    )
    for register_id, sex, kind, attended in marks:
        counts = exceptions[register_id]
        counts[kind] += 1
        if not attended:
            counts["missed"] += 1
            if sex == "F":
                counts["missed_female"] += 1
    out = []
    for register_id, school_id, year_id, term_id, classroom_id, grade, day in rows:
        counts = exceptions.get(register_id, Counter())
        total, female = enrolled[register_id]
        out.append(
            (
                school_id,
                year_id,
                term_id,
                classroom_id,
                grade,
                day,
                day.replace(day=1),
                day.weekday(),
                max(total, counts["missed"]),
            )
            + (counts["absent"], counts["leave"], counts["late"], counts["missed"])
            + (max(female, counts["missed_female"]), counts["missed_female"])
        )
    return out


def _month_codes(marks: QuerySet[Mark]) -> list[tuple[Any, ...]]:
    """Exceptions per class, month and code, from the daily registers' marks given. Rows in CODE_FIELDS order."""
    counts: Counter[tuple[int, int, int, dt.date, str]] = Counter()
    for school_id, year_id, classroom_id, day, code in marks.filter(register__period=0).values_list(
        "register__school_id",
        "register__academic_year_id",
        "register__classroom_id",
        "register__date",
        "code__code",
    ):
        counts[(school_id, year_id, classroom_id, day.replace(day=1), code)] += 1
    return [key + (count,) for key, count in counts.items()]


GRADE_FIELDS = ["school", "academic_year", "term", "classroom", "course", "grade_level", "subject", "sex"]
GRADE_FIELDS += ["grade", "count"]


def _grade_counts(courses: QuerySet[Course]) -> list[tuple[Any, ...]]:
    """Results per course, sex and grade. Rows in GRADE_FIELDS order."""
    info = {
        pk: (school, year, term, classroom, pk, grade_level, code[:1])
        for pk, school, year, term, classroom, grade_level, code in courses.values_list(
            "pk", "school_id", "academic_year_id", "term_id", "classroom_id", "classroom__grade", "code"
        )
    }
    counts: Counter[tuple[int, str, str]] = Counter(
        Result.objects.filter(course__in=courses).values_list("course_id", "person__sex", "grade")
    )
    return [info[course_id] + (sex, grade, count) for (course_id, sex, grade), count in counts.items()]


def _lock(model: Any, pk: int) -> None:
    """Lock one row for the rest of the transaction. FOR NO KEY UPDATE does not block other saves' foreign-key
    checks against it; no ordering, so no joined row (the school of a class) is locked with it."""
    list(
        model.objects.select_for_update(no_key=True, of=("self",)).filter(pk=pk).order_by().values_list("pk")
    )


def refresh_register(register: Register) -> None:
    """After a daily register is saved: recount that class's day and month codes, inside the saving
    transaction. Only rows of this class are written; the school's month follows after commit."""
    if register.period != 0:
        return
    # Two registers of one class (different days) share the class's month rows: take turns on the class.
    _lock(Classroom, register.classroom_id)
    month = register.date.replace(day=1)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    ClassDay.objects.filter(classroom_id=register.classroom_id, date=register.date).delete()
    ClassMonthCode.objects.filter(classroom_id=register.classroom_id, month=month).delete()
    _insert(ClassDay, DAY_FIELDS, _class_days(Register.objects.filter(pk=register.pk)))
    marks = Mark.objects.filter(
        register__classroom_id=register.classroom_id, register__date__gte=month, register__date__lt=next_month
    )
    _insert(ClassMonthCode, CODE_FIELDS, _month_codes(marks))


@transaction.atomic
def refresh_school_month(*, school_id: int, month: dt.date) -> int:
    """Sum a school's class-days of one month into its roll-up (the queued task after saves)."""
    # Two workers recounting one school take turns; teachers' saves never take this lock.
    _lock(School, school_id)
    SchoolMonth.objects.filter(school_id=school_id, month=month).delete()
    rows = _school_months(ClassDay.objects.filter(school_id=school_id, month=month))
    _insert(SchoolMonth, MONTH_FIELDS, rows)
    return len(rows)


def refresh_course(course: Course) -> None:
    """After a course's results change: recount its grades (inside the saving transaction)."""
    GradeCount.objects.filter(course=course).delete()
    _insert(GradeCount, GRADE_FIELDS, _grade_counts(Course.objects.filter(pk=course.pk)))


def _nutrition(terms: Iterable[Term], school_ids: list[int] | None) -> list[NutritionCount]:
    """Each child's latest measurement in each term, counted by grade level, sex and weight-for-height band."""
    out = []
    for term in terms:
        measured = Measurement.objects.filter(
            term=term, measured_on__gte=term.starts_on, measured_on__lte=term.ends_on
        ).exclude(shape_band="")
        if school_ids is not None:
            measured = measured.filter(school_id__in=school_ids)
        latest: dict[int, tuple[dt.date, int, str, str, str]] = {}
        for person_id, day, school_id, grade, sex, band in measured.values_list(
            "person_id", "measured_on", "school_id", "classroom__grade", "person__sex", "shape_band"
        ):
            if person_id not in latest or day > latest[person_id][0]:
                latest[person_id] = (day, school_id, grade, sex, band)
        counts = Counter((school_id, grade, sex, band) for _d, school_id, grade, sex, band in latest.values())
        out += [
            NutritionCount(
                school_id=school_id,
                academic_year_id=term.academic_year_id,
                term=term,
                grade_level=grade,
                sex=sex,
                band=band,
                count=count,
            )
            for (school_id, grade, sex, band), count in counts.items()
        ]
    return out


@transaction.atomic
def rebuild(*, school_ids: list[int] | None = None) -> dict[str, int]:
    """Recount every summary from the facts (all schools, or some). The task behind `refresh_insights`."""
    where = Q() if school_ids is None else Q(school_id__in=school_ids)
    for model in (ClassDay, SchoolMonth, ClassMonthCode, GradeCount, NutritionCount):
        model.objects.filter(where).delete()
    written = {"class_days": 0, "class_month_codes": 0, "grade_counts": 0, "nutrition_counts": 0}
    classrooms = Classroom.objects.filter(where)
    ids = list(classrooms.values_list("pk", flat=True))
    for start in range(0, len(ids), 200):  # a few hundred classes at a time keeps memory flat
        chunk = ids[start : start + 200]
        days = _class_days(Register.objects.filter(classroom_id__in=chunk))
        codes = _month_codes(Mark.objects.filter(register__classroom_id__in=chunk))
        _insert(ClassDay, DAY_FIELDS, days)
        _insert(ClassMonthCode, CODE_FIELDS, codes)
        grades = _grade_counts(Course.objects.filter(classroom_id__in=chunk))
        _insert(GradeCount, GRADE_FIELDS, grades)
        written["class_days"] += len(days)
        written["class_month_codes"] += len(codes)
        written["grade_counts"] += len(grades)
    _insert(SchoolMonth, MONTH_FIELDS, _school_months(ClassDay.objects.filter(where)))
    nutrition = _nutrition(Term.objects.all(), school_ids)
    NutritionCount.objects.bulk_create(nutrition, batch_size=BATCH)
    written["nutrition_counts"] = len(nutrition)
    for table in TABLES:
        _touch(table)
    if connection.vendor == "postgresql":
        # Fresh statistics after a bulk rewrite, or the planner guesses from the empty tables.
        with connection.cursor() as cursor:
            for model in (ClassDay, SchoolMonth, ClassMonthCode, GradeCount, NutritionCount):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return written


def as_of(*, rolled_up: list[int] | None = None) -> dict[str, dt.datetime]:
    """How fresh a page's figures are. Class-level rows are current as of now (saves recount them);
    a page reading the schools' roll-ups is as fresh as the oldest recount still waiting for them;
    nutrition as of its last rebuild."""
    now = timezone.now()
    fresh = {ATTENDANCE: now, GRADES: now}
    if rolled_up is not None:
        waiting = PendingRefresh.objects.filter(school_id__in=rolled_up).aggregate(oldest=Min("queued_at"))
        fresh[ATTENDANCE] = waiting["oldest"] or now
    rebuilt = FillState.objects.filter(table=NUTRITION).values_list("as_of", flat=True).first()
    return fresh | ({NUTRITION: rebuilt} if rebuilt else {})
