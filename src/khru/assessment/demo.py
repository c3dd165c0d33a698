"""Demo gradebook: for every class from ป.1 to ม.6 and every term begun, the courses and activities of the
shipped core-curriculum template (set up as `curriculum.set_up_courses` does), 3–4 assessments a course, scores that give plausible grades (most 2–4, a few 0 and ร), and about 1% of children whose
grades fall term after term. Results of finished terms are computed with the same rules as the service and
with มส from the demo's daily registers; the term in progress has only its first assessment scored. For each
finished year, the homeroom teacher's year results: the 8 characteristics (around the child's overall result)
and the 5 key competencies; reading and the overall characteristics are derived from the course ratings on
every read (selectors.year_ratings), so they need no rows.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from khru.assessment import curriculum, grading, rules
from khru.assessment.models import AssessmentItem, Course, Rating, Result, Score, TemplateCourse, YearRating
from khru.attendance.selectors import Tally, school_days, tallies_for
from khru.demo.context import DemoContext
from khru.demo.org import seeded_uuid
from khru.org.models import Membership, Term, User
from khru.org.roles import Role
from khru.people.models import Enrolment

BATCH = 2000
GRADES = ("P1", "P2", "P3", "P4", "P5", "P6", "M1", "M2", "M3", "M4", "M5", "M6")
COURSEWORK_NAMES = ["แบบฝึกหัด", "แบบทดสอบย่อย", "ชิ้นงาน", "สอบกลางภาค"]
FALLING_SHARE = 0.01
FALL_PER_TERM = 0.09
MISSING_WORK = 0.003  # a coursework score not handed in: ร
RECORDED_AT = dt.time(16, 0)


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    admin = User.objects.get(username="admin")
    years = {year.pk: year for year in ctx.years.values()}
    terms = sorted(
        Term.objects.filter(academic_year__in=list(years), starts_on__lte=today),
        key=lambda t: (t.starts_on, t.pk),
    )
    term_index = {start: n for n, start in enumerate(sorted({t.starts_on for t in terms}))}
    classrooms = [c for key, c in ctx.classrooms.items() if key[2] in GRADES]
    teachers = _teachers(ctx, classrooms)

    # A child at risk of leaving does a little worse on average (docs/earlywarning.md).
    ability = {
        person.pk: _clamp(rng.gauss(0.72, 0.11) - 0.07 * ctx.risk.get(person.pk, 0.0))
        for person in ctx.students
    }
    falling = set(rng.sample(sorted(ability), max(1, round(len(ability) * FALLING_SHARE))))
    by_class: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in ctx.enrolments:
        if enrolment.classroom_id:
            by_class[enrolment.classroom_id].append(enrolment)

    templates = _templates(ctx, admin)
    terms_in_year = {
        year_id: Term.objects.filter(academic_year_id=year_id).count() for year_id in years
    }  # the whole year's, begun or not: a primary course's hours a year are split over them
    courses: list[Course] = []
    items: dict[int, list[AssessmentItem]] = {}  # by id() of the course until it has a pk
    for classroom in classrooms:
        template = templates[(years[classroom.academic_year_id].agency_id, classroom.grade)]
        staff: list[int | None] = list(teachers.get(classroom.pk) or teachers.get(-classroom.school_id, []))
        staff = staff or [None]
        for term in (t for t in terms if t.academic_year_id == classroom.academic_year_id):
            for course in curriculum.courses_for(
                classroom=classroom, term=term, template=template,
                terms_in_year=terms_in_year[classroom.academic_year_id],
            ):  # fmt: skip
                course.uuid = seeded_uuid(rng)
                course.coursework_share = rng.choice((70, 70, 70, 60, 80))
                course.final_share = 100 - course.coursework_share
                course.teacher_id = rng.choice(staff)
                course.recorded_by_id = admin.pk
                courses.append(course)
                items[id(course)] = [] if course.is_activity else _items(rng, course)
    Course.objects.bulk_create(courses, batch_size=BATCH)
    all_items = []
    for course in courses:
        for item in items[id(course)]:
            item.course = course
            all_items.append(item)
    AssessmentItem.objects.bulk_create(all_items, batch_size=BATCH)

    daily = _daily_tallies(ctx, admin, terms)
    planned = {
        (school.pk, term.pk): school_days(school=school, term=term)
        for school in ctx.all_schools
        for term in terms
        if years[term.academic_year_id].agency_id == school.area.agency_id
    }
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # Results are recorded in the week after a term ends (early warning reads what was known on a day).
    recorded_on = {
        term.pk: connection.ops.adapt_datetimefield_value(
            min(
                timezone.now(),
                timezone.make_aware(dt.datetime.combine(term.ends_on + dt.timedelta(days=5), RECORDED_AT)),
            )
        )
        for term in terms
    }
    scores: list[tuple[Any, ...]] = []
    results: list[tuple[Any, ...]] = []
    for course in courses:
        term = course.term
        finished = term.ends_on < today
        until = min(term.ends_on, today)
        roster = {
            e.person_id: e
            for e in by_class[course.classroom_id]
            if e.starts_on <= term.ends_on and (e.ends_on is None or e.ends_on >= until)
        }
        course_items = items[id(course)]
        scored_items = course_items if finished else course_items[:1]
        difficulty = rng.gauss(0, 0.04)
        for person_id in roster:
            level = ability[person_id] + difficulty
            if person_id in falling:
                level -= FALL_PER_TERM * term_index[term.starts_on]
            marks = []
            for item in course_items:
                value: Decimal | None = None
                if item in scored_items and not (item.part == "coursework" and rng.random() < MISSING_WORK):
                    value = Decimal(round(_clamp(level + rng.gauss(0, 0.08)) * int(item.max_score)))
                    scores.append((item.pk, person_id, value, course.teacher_id, now))
                marks.append(grading.ItemScore(part=item.part, max_score=item.max_score, score=value))
            if not finished:
                continue
            tally = daily.get((term.pk, person_id), Tally())
            percent = (
                grading.percentage(marks, course.coursework_share, course.final_share) if marks else None
            )
            grade = grading.decide(
                is_activity=course.is_activity, percent=percent, work_missing=any(m.score is None for m in marks),
                barred=tally.can_still_miss(planned[(course.school_id, term.pk)]) < 0,
            )  # fmt: skip
            reading: int | None = None
            character: int | None = None
            if not course.is_activity:  # activities are ผ / มผ only
                reading = int(
                    Rating.EXCELLENT if level > 0.8 else Rating.GOOD if level > 0.62 else Rating.PASS
                )
                reading = reading if level > 0.45 else int(Rating.FAIL)
                character = int(Rating.GOOD if rng.random() < 0.6 else Rating.EXCELLENT)
            results.append(
                (course.pk, person_id, grade, percent, tally.sessions, tally.sessions - tally.attended,
                 planned[(course.school_id, term.pk)], "", "", reading, character, course.teacher_id,
                 recorded_on[term.pk])
            )  # fmt: skip
    _insert(Score, ["item", "person", "score", "recorded_by", "recorded_at"], scores)
    _insert(
        Result,
        ["course", "person", "grade", "percentage", "sessions", "missed", "planned", "original_grade",
         "decision", "reading_rating", "character_rating", "recorded_by", "recorded_at"],
        results,
    )  # fmt: skip
    ctx.counts["courses"] = len(courses)
    ctx.counts["scores"] = len(scores)
    ctx.counts["results"] = len(results)
    year_of = {course.pk: course.academic_year_id for course in courses}
    characters: dict[tuple[int, int], list[int]] = defaultdict(list)
    for course_id, person_id, *_rest, character, _teacher, _now in results:
        characters[(person_id, year_of[course_id])].append(character)
    ctx.counts["year results"] = _year_ratings(ctx, rng, ability, characters, teachers, admin, now)


def _year_ratings(
    ctx: DemoContext,
    rng: random.Random,
    ability: dict[int, float],
    characters: dict[tuple[int, int], list[int]],
    teachers: dict[int, list[int]],
    admin: User,
    now: Any,
) -> int:
    """The homeroom teacher's year results for every child who finished a finished year in a class: each of
    the 8 characteristics near the child's overall result (derived by the default rule), one step off now and
    then; the 5 competencies from the child's ability. One plain INSERT for all."""
    today = timezone.localdate()
    finished = {year.pk: year for year in ctx.years.values() if year.ends_on < today}
    stayed: dict[tuple[int, int], tuple[int, int]] = {}  # (child, year) → (school, class)
    for enrolment in ctx.enrolments:
        year = finished.get(enrolment.academic_year_id)
        to_the_end = year is not None and (enrolment.ends_on is None or enrolment.ends_on >= year.ends_on)
        if year is not None and enrolment.classroom_id is not None and to_the_end:
            stayed[(enrolment.person_id, year.pk)] = (enrolment.school_id, enrolment.classroom_id)
    aspects = [a for a in rules.YEAR_ASPECTS if not a.derived]
    rows: list[tuple[Any, ...]] = []
    for (person_id, year_id), (school_id, classroom_id) in stayed.items():
        overall = rules.roll_up(rules.DEFAULT_ROLL_UP, characters.get((person_id, year_id), []))
        if overall is None:  # no course rated that year
            overall = int(Rating.GOOD)
        level = ability.get(person_id, 0.7)
        by = (teachers.get(classroom_id) or [admin.pk])[0]
        for aspect in aspects:
            if aspect.group == rules.CHARACTER:
                step = rng.choice((-1, 1)) if rng.random() < 0.2 else 0
                value = max(0, min(3, overall + step))
            else:
                value = max(0, min(3, round(level * 4 - 0.4 + rng.gauss(0, 0.5))))
            rows.append(
                (person_id, school_id, year_id, classroom_id, aspect.code, value,
                 YearRating.Source.ENTERED.value, "", by, now)
            )  # fmt: skip
    _insert(
        YearRating,
        ["person", "school", "academic_year", "classroom", "aspect", "rating", "source", "reason", "recorded_by",
         "recorded_at"],
        rows,
    )  # fmt: skip
    return len(rows)


def _items(rng: random.Random, course: Course) -> list[AssessmentItem]:
    """2–3 coursework items sharing 70 marks, and the final exam out of 30 (the shares scale them)."""
    count = rng.randint(2, 3)
    maxima = [10] * count
    for _ in range(7 - count):
        maxima[rng.randrange(count)] += 10
    names = rng.sample(COURSEWORK_NAMES[:-1], count - 1) + [COURSEWORK_NAMES[-1]]
    found = [
        AssessmentItem(uuid=seeded_uuid(rng), name=name, part=AssessmentItem.Part.COURSEWORK,
                       max_score=Decimal(most), order=n)
        for n, (name, most) in enumerate(zip(names, maxima, strict=True), start=1)
    ]  # fmt: skip
    found.append(
        AssessmentItem(uuid=seeded_uuid(rng), name="สอบปลายภาค", part=AssessmentItem.Part.FINAL,
                       max_score=Decimal(30), order=count + 1)
    )  # fmt: skip
    return found


def _templates(ctx: DemoContext, admin: User) -> dict[tuple[int, str], list[TemplateCourse]]:
    """Every demo agency keeps the shipped core-curriculum template; (agency id, grade) → its courses."""
    rows = curriculum.shipped_rows()
    agencies = {school.area.agency for school in ctx.all_schools}
    for agency in agencies:
        curriculum.load_template(actor=admin, agency=agency, rows=rows)
    found: dict[tuple[int, str], list[TemplateCourse]] = {}
    for course in TemplateCourse.objects.filter(template__agency__in=agencies).select_related("template"):
        found.setdefault((course.template.agency_id, course.template.grade), []).append(course)
    return found


def _teachers(ctx: DemoContext, classrooms: list) -> dict[int, list[int]]:
    """Who teaches a class's courses: its homeroom and subject teachers (current year), else any teacher of
    the school (earlier years, keyed by minus the school id)."""
    found: dict[int, list[int]] = defaultdict(list)
    memberships = Membership.objects.filter(
        Q(role__in=[Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER], classroom__in=classrooms)
        | Q(role=Role.TEACHER, school__in=ctx.all_schools)
    ).values_list("classroom_id", "school_id", "role", "user_id")
    for classroom_id, school_id, role, user_id in memberships:
        if role == Role.HOMEROOM_TEACHER:
            found[classroom_id].insert(0, user_id)
            found[classroom_id].insert(0, user_id)  # the homeroom teacher teaches most of a primary class
        elif classroom_id:
            found[classroom_id].append(user_id)
        else:
            found[-school_id].append(user_id)
    return found


def _daily_tallies(ctx: DemoContext, admin: User, terms: list[Term]) -> dict[tuple[int, int], Tally]:
    """Each child's daily-register tally per term: one read per school and term."""
    found: dict[tuple[int, int], Tally] = {}
    for school in ctx.all_schools:
        agency_years = {
            year.pk for (agency_id, _), year in ctx.years.items() if agency_id == school.area.agency_id
        }
        for term in terms:
            if term.academic_year_id not in agency_years:
                continue
            for person_id, tally in tallies_for(actor=admin, term=term, school=school).items():
                found[(term.pk, person_id)] = tally
    return found


def _insert(model: type[models.Model], names: list[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """A plain INSERT of ready values, many rows a statement. For the demo's million scores only: bulk_create
    prepares every value of every row through its field and took over a minute; this takes seconds."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(model._meta.get_field(name).column)) for name in names)  # type: ignore[union-attr]
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 5):
            cursor.executemany(sql, rows[start : start + BATCH * 5])
