"""Demo attendance: three years of daily registers for every demo class, with patterns a teacher should notice.

Most children miss a day or two a term; a few are chronically absent (and more so as the years go on), some
are often late, and children who later dropped out were absent more and more in their last weeks. In
teacher-1's ป.4/1 this term, two children stand out, and a leave note covers today.
"""

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from khru.attendance.models import AttendanceCode, LeaveRequest, Mark, Register
from khru.demo.context import DemoContext
from khru.org import calendar
from khru.org.models import Membership, Term
from khru.org.roles import Role
from khru.people.models import EndReason, Enrolment


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    yesterday = timezone.localdate() - dt.timedelta(
        days=1
    )  # today's register is left for the teacher to take
    codes = {c.code: c for c in AttendanceCode.objects.all()}
    terms = list(
        Term.objects.filter(academic_year__in=list(ctx.years.values())).select_related("academic_year")
    )
    # The school calendar decides the days: no register on a holiday or a school's own closure.
    days_by_school_year: dict[tuple[int, int], list[tuple[Term, dt.date]]] = defaultdict(list)
    for school in ctx.all_schools:
        for term in terms:
            if (
                term.academic_year_id == ctx.year(school, term.academic_year.year_be).pk
                and term.starts_on <= yesterday
            ):
                days = calendar.school_days(
                    school=school, start=term.starts_on, end=min(term.ends_on, yesterday)
                )
                days_by_school_year[(school.pk, term.academic_year_id)] += [(term, d) for d in days]
    homeroom = dict(
        Membership.objects.filter(
            role=Role.HOMEROOM_TEACHER, classroom__in=list(ctx.classrooms.values())
        ).values_list("classroom_id", "user_id")
    )
    in_class: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in ctx.enrolments:
        if enrolment.classroom_id:
            in_class[enrolment.classroom_id].append(enrolment)

    registers = []
    for classroom in ctx.classrooms.values():
        if not in_class.get(classroom.pk):
            continue
        for term, day in days_by_school_year[(classroom.school_id, classroom.academic_year_id)]:
            registers.append(
                Register(
                    school_id=classroom.school_id,
                    academic_year_id=classroom.academic_year_id,
                    term=term,
                    classroom=classroom,
                    date=day,
                    taken_by_id=homeroom.get(classroom.pk),
                )
            )
    Register.objects.bulk_create(registers, batch_size=2000)
    register_id = {(r.classroom_id, r.date): r.pk for r in registers}
    _taken_on_the_day(registers, random.Random(f"khru-demo-taken:{ctx.seed}"))

    # Each child's habits, kept across years: most are rarely away, a few often (and more each year).
    habit: dict[int, tuple[float, float]] = {}
    for student in ctx.students:
        draw = rng.random()
        absence = (
            0.01 + 0.02 * rng.random()
            if draw < 0.85
            else (0.05 + 0.05 * rng.random() if draw < 0.97 else 0.15)
        )
        lateness = 0.10 if rng.random() < 0.05 else 0.02
        # The hidden risk of leaving shows as more days away and more late mornings (docs/earlywarning.md).
        pull = max(0.0, ctx.risk.get(student.pk, 0.0))
        habit[student.pk] = (absence + 0.05 * pull**1.5, lateness + 0.03 * pull)
    demo_class = ctx.classroom(ctx.schools[0], 2569, "P4", 1) if ctx.schools else None
    spotlight = sorted(e.person_id for e in in_class.get(demo_class.pk, []))[:2] if demo_class else []

    year_index = {y.pk: y.year_be - 2567 for y in ctx.years.values()}
    marks = []
    for classroom_id, enrolments in in_class.items():
        year_id = enrolments[0].academic_year_id
        days = [d for _, d in days_by_school_year[(enrolments[0].school_id, year_id)]]
        for enrolment in enrolments:
            start, end = enrolment.starts_on, enrolment.ends_on or yesterday
            own_days = [d for d in days if start <= d <= end]
            absence, lateness = habit[enrolment.person_id]
            # Chronic absence grows year by year (2567 → 2569), the pattern the x-ray should reveal.
            rate = absence * (1 + 0.4 * year_index[year_id]) if absence >= 0.15 else absence
            leaving = enrolment.end_reason == EndReason.DROPPED_OUT
            for day in own_days:
                chance = rate
                if leaving and (end - day).days < 45:
                    chance = 0.45  # the weeks before a child drops out
                if enrolment.person_id in spotlight and day.year == 2026 and day.month >= 11:
                    chance = 0.35 if enrolment.person_id == spotlight[0] else 0.2
                roll = rng.random()
                if roll < chance:
                    kind = rng.random()
                    code = (
                        codes["absent"] if kind < 0.5 else codes["sick"] if kind < 0.8 else codes["personal"]
                    )
                elif roll < chance + lateness:
                    code = codes["late"]
                else:
                    continue
                marks.append(
                    Mark(
                        register_id=register_id[(classroom_id, day)], person_id=enrolment.person_id, code=code
                    )
                )
    Mark.objects.bulk_create(marks, batch_size=5000)

    if spotlight and demo_class is not None:
        today = timezone.localdate()
        LeaveRequest.objects.create(
            person_id=spotlight[-1],  # at a small --scale the class may hold only one child
            school_id=demo_class.school_id,
            code=codes["sick"],
            starts_on=today,
            ends_on=today + dt.timedelta(days=1),
            reason="เป็นไข้หวัด แพทย์ให้พัก 2 วัน",
            requested_by="มารดา",
        )
    ctx.counts["registers"] = len(registers)
    ctx.counts["attendance_marks"] = len(marks)


def _taken_on_the_day(registers: list[Register], rng: random.Random) -> None:
    """Registers as teachers save them: in the afternoon of the day, and about one in twenty a few days late
    (so the follow-up pages have late ones to show). The loader's own clock (auto_now_add) would make every
    register of three years late. Its own Random, so the marks drawn after it stay as they were."""
    late: dict[int, list[int]] = defaultdict(list)  # days late → registers
    for register in registers:
        late[rng.choice([1, 2, 3]) if rng.random() < 0.05 else 0].append(register.pk)
    by_date: dict[tuple[dt.date, int], list[int]] = defaultdict(list)
    dates = {register.pk: register.date for register in registers}
    for days_late, ids in late.items():
        for pk in ids:
            by_date[(dates[pk], days_late)].append(pk)
    afternoon = dt.time(15, 30)
    for (day, days_late), ids in by_date.items():  # one UPDATE per day (and lateness), not one per register
        taken_at = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=days_late), afternoon))
        taken_at = min(
            taken_at, timezone.now()
        )  # yesterday's late register: saved by now, not in days to come
        Register.objects.filter(pk__in=ids).update(taken_at=taken_at)
