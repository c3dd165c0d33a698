"""Reads of the gradebook: courses, the score sheet, results with the attendance behind them, risks and GPA.

Every read starts from the access policy; each page's reads take a fixed number of queries whatever the
size of the class.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from khru.assessment import rules
from khru.assessment.grading import Credited, gpa_of, grade_point_average
from khru.assessment.models import (
    REMEDIABLE,
    AssessmentItem,
    Course,
    Rating,
    RemedialStep,
    Result,
    Score,
    YearRating,
)
from khru.attendance import selectors as attendance
from khru.core.errors import NotAllowed
from khru.org import scope
from khru.org.models import AcademicYear, Area, Classroom, School, Term, TermLock, UnlockRequest
from khru.org.roles import Perm
from khru.people import selectors as people_selectors
from khru.people.models import Enrolment, Person, stage_of


def courses(*, actor: Any, perm: Perm = Perm.VIEW_STUDENTS) -> QuerySet[Course]:
    return Course.objects.filter(scope.visible(actor, Course, perm))


def get_course(*, actor: Any, uuid: Any, perm: Perm = Perm.VIEW_STUDENTS) -> Course:
    """The course if the actor holds perm on it; NotAllowed otherwise (never reveals that it exists)."""
    course = (
        courses(actor=actor, perm=perm)
        .filter(uuid=uuid)
        .select_related("classroom__school", "classroom__academic_year", "term__academic_year", "school")
        .first()
    )
    if course is None:
        raise NotAllowed()
    return course


def get_item(*, actor: Any, uuid: Any, perm: Perm = Perm.VIEW_STUDENTS) -> AssessmentItem:
    item = (
        AssessmentItem.objects.filter(scope.visible(actor, AssessmentItem, perm), uuid=uuid)
        .select_related(
            "course__classroom__school", "course__classroom__academic_year", "course__term__academic_year"
        )
        .first()
    )
    if item is None:
        raise NotAllowed()
    return item


def my_courses(*, actor: Any, on: dt.date | None = None) -> QuerySet[Course]:
    """The courses the actor teaches in terms that have begun, latest term first."""
    on = on or timezone.localdate()
    return (
        courses(actor=actor, perm=Perm.ENTER_SCORES)
        .filter(teacher=actor, term__starts_on__lte=on)
        .select_related("classroom", "term__academic_year")
        .order_by("-term__starts_on", "classroom__grade", "classroom__room", "code")
    )


def classroom_courses(*, actor: Any, classroom: Classroom, term: Term | None = None) -> QuerySet[Course]:
    found = courses(actor=actor).filter(classroom=classroom)
    if term is not None:
        found = found.filter(term=term)
    return found.select_related("term__academic_year", "classroom").order_by("term__number", "code")


def class_in_term(classroom_id: int, term: Term) -> list[Enrolment]:
    """The children a class's courses grade in a term: in the class during it and not gone before it ended
    (or before today, for the term in progress). Callers check access first; student-number order."""
    until = min(term.ends_on, timezone.localdate())
    enrolments = (
        Enrolment.objects.filter(classroom_id=classroom_id, starts_on__lte=term.ends_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=until))
        .select_related("person")
        .order_by("student_number", "person__first_name_th", "pk")
    )
    by_person: dict[int, Enrolment] = {}
    for enrolment in enrolments:
        by_person.setdefault(enrolment.person_id, enrolment)  # left and came back: one row
    return list(by_person.values())


def roster(course: Course) -> list[Enrolment]:
    return class_in_term(course.classroom_id, course.term)


def is_locked(course: Course) -> bool:
    return TermLock.objects.filter(school_id=course.school_id, term_id=course.term_id).exists()


@dataclass
class SheetRow:
    number: int  # position in the class list (the "row" of a refused paste)
    enrolment: Enrolment
    score: Decimal | None


@dataclass
class ScoreSheet:
    item: AssessmentItem
    course: Course
    rows: list[SheetRow]
    locked: bool


def score_sheet(*, actor: Any, item: AssessmentItem) -> ScoreSheet:
    """What the gradebook grid shows for one item: the class list with each child's saved score."""
    course = item.course
    scope.require(actor, Perm.ENTER_SCORES, course.classroom)
    children = roster(course)
    saved = dict(Score.objects.filter(item=item).values_list("person_id", "score"))
    rows = [
        SheetRow(number=n, enrolment=e, score=saved.get(e.person_id)) for n, e in enumerate(children, start=1)
    ]
    return ScoreSheet(item=item, course=course, rows=rows, locked=is_locked(course))


@dataclass
class CourseAttendance:
    tallies: dict[int, attendance.Tally]
    planned: int
    daily: bool  # True: no per-period registers for this course, the daily register stands in


def course_attendance(
    *, actor: Any, course: Course, daily: dict[int, attendance.Tally] | None = None
) -> CourseAttendance:
    """Attendance behind the 80% rule: the course's own per-period registers, or the daily register when the
    course has none (primary classes take only the daily register). `daily`: the class's daily tallies for
    the term, when the caller already has them."""
    tallies = attendance.tallies_for(
        actor=actor, term=course.term, classroom=course.classroom, course_code=course.code
    )
    if any(t.sessions for t in tallies.values()):
        return CourseAttendance(tallies=tallies, planned=course.hours, daily=False)
    if daily is None:
        daily = attendance.tallies_for(actor=actor, term=course.term, classroom=course.classroom)
    return CourseAttendance(
        tallies=daily, planned=attendance.school_days(school=course.school, term=course.term), daily=True
    )


@dataclass
class ResultRow:
    enrolment: Enrolment
    result: Result | None
    tally: attendance.Tally
    can_still_miss: int
    path: list[RemedialStep] = field(default_factory=list)  # the remedial steps taken, oldest first
    next_step: str = ""  # a RemedialStep kind the results page offers, or ""

    @property
    def at_risk(self) -> bool:
        return 0 <= self.can_still_miss <= rules.AT_RISK_MARGIN


@dataclass
class ResultTable:
    course: Course
    rows: list[ResultRow]
    attendance: CourseAttendance
    locked: bool
    items: list[AssessmentItem]
    retest_grades: list[str]  # the grades a re-test may record under the agency's cap, best first


def result_table(*, actor: Any, course: Course) -> ResultTable:
    scope.require(actor, Perm.VIEW_STUDENTS, course)
    children = roster(course)
    results = {r.person_id: r for r in Result.objects.filter(course=course)}
    paths: dict[int, list[RemedialStep]] = {}
    for step in RemedialStep.objects.filter(
        scope.visible(actor, RemedialStep), result__course=course
    ).select_related("result"):
        paths.setdefault(step.result.person_id, []).append(step)
    limits = rules.limits_for(course.school_id)
    seen = course_attendance(actor=actor, course=course)
    rows = []
    for enrolment in children:
        tally = seen.tallies.get(enrolment.person_id, attendance.Tally())
        result = results.get(enrolment.person_id)
        path = paths.get(enrolment.person_id, [])
        rows.append(
            ResultRow(
                enrolment=enrolment,
                result=result,
                tally=tally,
                can_still_miss=tally.can_still_miss(seen.planned),
                path=path,
                next_step=rules.next_step(
                    grade=result.grade,
                    decided=bool(result.decision),
                    retests=sum(1 for s in path if s.kind == RemedialStep.Kind.RETEST),
                    missed=result.missed,
                    planned=result.planned,
                    limits=limits,
                )
                if result
                else "",
            )
        )
    return ResultTable(
        course=course,
        rows=rows,
        attendance=seen,
        locked=is_locked(course),
        items=list(course.items.all()),
        retest_grades=[
            g
            for g, value in rules.NUMERIC_GRADES.items()
            if value <= rules.NUMERIC_GRADES[limits.remedial_cap]
        ],
    )


@dataclass
class Risk:
    course: Course
    enrolment: Enrolment
    can_still_miss: int  # negative: already มส
    planned: int


def absence_risks(*, actor: Any, classroom: Classroom, term: Term) -> list[Risk]:
    """Per course and child, those who can miss at most rules.AT_RISK_MARGIN more sessions (or are already มส),
    so the homeroom teacher can act before the term ends. One attendance read per course, and one daily."""
    risks = []
    children = class_in_term(classroom.pk, term)
    daily = attendance.tallies_for(actor=actor, term=term, classroom=classroom)
    for course in classroom_courses(actor=actor, classroom=classroom, term=term).exclude(
        kind=Course.Kind.ACTIVITY
    ):
        seen = course_attendance(actor=actor, course=course, daily=daily)
        for enrolment in children:
            tally = seen.tallies.get(enrolment.person_id)
            if tally is None:
                continue
            left = tally.can_still_miss(seen.planned)
            if left <= rules.AT_RISK_MARGIN:
                risks.append(
                    Risk(course=course, enrolment=enrolment, can_still_miss=left, planned=seen.planned)
                )
    return sorted(risks, key=lambda r: (r.can_still_miss, r.enrolment.student_number))


def to_remedy(*, actor: Any, classroom: Classroom) -> QuerySet[Result]:
    """Results of 0, ร or มส not yet replaced by a remedial result, in all terms of the class's year."""
    return (
        Result.objects.filter(
            scope.visible(actor, Result), course__classroom=classroom, grade__in=REMEDIABLE, decision=""
        )
        .select_related("course__term", "person")
        .order_by("course__term__number", "person__first_name_th", "course__code")
    )


def _visible_person(actor: Any, person: Person) -> None:
    if not Person.objects.filter(scope.visible(actor, Person), pk=person.pk).exists():
        raise NotAllowed()


def _credited(results: QuerySet[Result]) -> list[Credited]:
    return [
        Credited(grade=g, credits=c, hours=h)
        for g, c, h in results.values_list("grade", "course__credits", "course__hours")
    ]


def gpa(*, actor: Any, person: Person, term: Term) -> Decimal | None:
    """The child's grade point average for one term (all schools attended in it)."""
    _visible_person(actor, person)
    return grade_point_average(
        _credited(Result.objects.filter(scope.visible(actor, Result), person=person, course__term=term))
    )


def gpax(*, actor: Any, person: Person) -> Decimal | None:
    """Cumulative over every term and school the actor may see: a school that has the child now sees the
    whole record (it needs the GPAX earned elsewhere); a school the child left, its own results."""
    _visible_person(actor, person)
    return grade_point_average(_credited(Result.objects.filter(scope.visible(actor, Result), person=person)))


@dataclass(frozen=True)
class TermAverage:
    year_be: int
    term: int
    gpa: Decimal | None


def grade_averages(*, actor: Any, person: Person) -> tuple[list[TermAverage], Decimal | None]:
    """Each term's GPA, oldest first, and the GPAX: what the API answers (the forms compute the same)."""
    _visible_person(actor, person)
    by_term: dict[tuple[int, int], list[tuple[str, Decimal, int]]] = {}
    for year_be, number, grade, credits, hours in (
        Result.objects.filter(scope.visible(actor, Result), person=person)
        .order_by("course__term__starts_on")
        .values_list(
            "course__term__academic_year__year_be",
            "course__term__number",
            "grade",
            "course__credits",
            "course__hours",
        )
    ):
        by_term.setdefault((year_be, number), []).append((grade, credits, hours))
    terms = [TermAverage(year_be=y, term=t, gpa=gpa_of(pairs)) for (y, t), pairs in by_term.items()]
    return terms, gpa_of(pair for pairs in by_term.values() for pair in pairs)


def gpa_by_person(*, actor: Any, classroom: Classroom, term: Term) -> dict[int, Decimal | None]:
    """Term GPA of every child of a class in one query."""
    by_person: dict[int, list[Credited]] = {}
    rows = Result.objects.filter(
        scope.visible(actor, Result), course__classroom=classroom, course__term=term
    ).values_list("person_id", "grade", "course__credits", "course__hours")
    for person_id, grade, credits, hours in rows:
        by_person.setdefault(person_id, []).append(Credited(grade=grade, credits=credits, hours=hours))
    return {person_id: grade_point_average(credited) for person_id, credited in by_person.items()}


def get_result(*, actor: Any, pk: int, perm: Perm = Perm.VIEW_STUDENTS) -> Result:
    result = (
        Result.objects.filter(scope.visible(actor, Result, perm), pk=pk)
        .select_related("course__classroom__school", "course__term", "person")
        .first()
    )
    if result is None:
        raise NotAllowed()
    return result


def term_locks(*, actor: Any, school: School, year: AcademicYear) -> list[tuple[Term, TermLock | None]]:
    """Each term of the year with its lock (None while open)."""
    locks = {
        lock.term_id: lock
        for lock in TermLock.objects.filter(scope.visible(actor, TermLock), school=school).select_related(
            "locked_by__person"
        )
    }
    return [(term, locks.get(term.pk)) for term in year.terms.order_by("number")]


def waiting_unlocks(*, actor: Any, school: School) -> list[UnlockRequest]:
    """Requests to reopen a closed term of the school that wait for the principal."""
    return list(
        UnlockRequest.objects.filter(scope.visible(actor, UnlockRequest), school=school, granted__isnull=True)
        .select_related("term", "requested_by__person")
        .order_by("requested_at")
    )


@dataclass
class SchoolApproval:
    school: School
    terms: list[tuple[Term, TermLock | None]]
    waiting: list[UnlockRequest]


def area_approvals(*, actor: Any, code: str, today: dt.date) -> tuple[Area, list[SchoolApproval]]:
    """For an area office: which terms each school has approved (closed), and the unlocks waiting."""
    area = Area.objects.filter(scope.area_filter(actor, Perm.VIEW_AGGREGATES), code=code).first()
    if area is None:
        raise NotAllowed()
    schools = list(School.objects.filter(area=area).order_by("name_th"))
    year = (
        AcademicYear.objects.filter(agency=area.agency, starts_on__lte=today).order_by("-starts_on").first()
    )
    terms = list(year.terms.order_by("number")) if year else []
    locks = {
        (lock.school_id, lock.term_id): lock
        for lock in TermLock.objects.filter(school__in=schools, term__in=terms).select_related(
            "locked_by__person"
        )
    }
    waiting: dict[int, list[UnlockRequest]] = {}
    for asked in UnlockRequest.objects.filter(school__in=schools, granted__isnull=True).select_related(
        "term"
    ):
        waiting.setdefault(asked.school_id, []).append(asked)
    return area, [
        SchoolApproval(s, [(t, locks.get((s.pk, t.pk))) for t in terms], waiting.get(s.pk, []))
        for s in schools
    ]


@dataclass(frozen=True)
class RepeatSuggestion:
    person: Person
    failures: int
    repeat: bool  # True: suggested to repeat the grade; False: to re-take the failed courses (secondary)


def repeat_suggestions(*, actor: Any, school: School, year: AcademicYear) -> list[RepeatSuggestion]:
    """Children with courses still at 0 / ร / มส / มผ at year's end, by the school's rule for their level
    (people.PromotionRule): from the rule's count they are suggested to repeat; where the level re-takes
    courses instead, they are listed to re-take. The school decides on the promotion page (nobody is held
    back or promoted silently)."""
    rules = people_selectors.promotion_rules(school=school)
    failing = (
        Result.objects.filter(
            scope.visible(actor, Result),
            course__school=school,
            course__term__academic_year=year,
            grade__in=[*REMEDIABLE, "มผ"],
            original_grade="",
        )
        .values("person_id", "course__classroom__grade")
        .annotate(failures=Count("pk"))
    )
    counts: dict[int, int] = {}
    stage: dict[int, str] = {}
    for row in failing:
        counts[row["person_id"]] = counts.get(row["person_id"], 0) + row["failures"]
        stage[row["person_id"]] = stage_of(row["course__classroom__grade"])
    suggested = {}
    for person_id, failures in counts.items():
        threshold = rules[stage[person_id]]
        if threshold is None:
            suggested[person_id] = False  # this level re-takes the failed courses
        elif failures >= threshold:
            suggested[person_id] = True
    persons = Person.objects.filter(pk__in=suggested).order_by("first_name_th")
    return [RepeatSuggestion(person=p, failures=counts[p.pk], repeat=suggested[p.pk]) for p in persons]


RESULT_FIELDS = (
    "person_id",
    "course__code",
    "course__name_th",
    "course__kind",
    "course__credits",
    "course__hours",
    "grade",
    "percentage",
    "sessions",
    "missed",
    "reading_rating",
    "character_rating",
)


def term_results(*, actor: Any, person_ids: list[int], term: Term) -> dict[int, list[dict[str, Any]]]:
    """For ปพ.6: each child's results in a term, by course code, as plain values."""
    by_person: dict[int, list[dict[str, Any]]] = {}
    rows = (
        Result.objects.filter(scope.visible(actor, Result), person_id__in=person_ids, course__term=term)
        .order_by("person_id", "course__kind", "course__code")
        .values(*RESULT_FIELDS)
    )
    for row in rows:
        by_person.setdefault(row["person_id"], []).append(row)
    return by_person


def transcript_results(*, actor: Any, person_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """For ปพ.1: every result of each child the actor may see, every term and school, oldest first (as
    with gpax: the whole record for the child's school now, its own results for a school the child left)."""
    by_person: dict[int, list[dict[str, Any]]] = {}
    rows = (
        Result.objects.filter(scope.visible(actor, Result), person_id__in=person_ids)
        .order_by("person_id", "course__term__starts_on", "course__kind", "course__code")
        .values(
            *RESULT_FIELDS,
            "course__term__number",
            "course__term__academic_year__year_be",
            "course__school__name_th",
        )
    )
    for row in rows:
        by_person.setdefault(row["person_id"], []).append(row)
    return by_person


def course_results(*, actor: Any, term: Term, school: School, classroom: Classroom | None = None) -> Any:
    """For ปพ.5: results of every course of a class (or school) in a term, course by course, streamed."""
    from khru.org.grades import in_order

    found = Result.objects.filter(scope.visible(actor, Result), course__term=term, course__school=school)
    if classroom is not None:
        found = found.filter(course__classroom=classroom)
    return (
        found.order_by(
            in_order("course__classroom__grade"),
            "course__classroom__room",
            "course__code",
            "person__first_name_th",
        )
        .values(
            *RESULT_FIELDS,
            "course__classroom__grade",
            "course__classroom__room",
            "person__prefix",
            "person__first_name_th",
            "person__last_name_th",
            "course__hours",
        )
        .iterator(chunk_size=2000)
    )


def results_at_risk(
    *, actor: Any, term: Term, schools: Any, perm: Perm = Perm.VIEW_STUDENTS
) -> QuerySet[Result]:
    """0, ร, มส not yet remedied in a term, for the monthly reports."""
    return Result.objects.filter(
        scope.visible(actor, Result, perm),
        course__term=term,
        course__school__in=schools,
        grade__in=REMEDIABLE,
        decision="",
    )


def at_risk_by_school(*, actor: Any, term: Term, schools: Any) -> dict[int, int]:
    """Results at 0, ร, มส not yet remedied, counted per school (for the area's comparison: counts only)."""
    rows = (
        results_at_risk(actor=actor, term=term, schools=schools, perm=Perm.VIEW_AGGREGATES)
        .values("course__school_id")
        .annotate(n=Count("pk"))
    )
    return {row["course__school_id"]: row["n"] for row in rows}


# ---- Year results (reading-thinking-writing, desirable characteristics, key competencies) ------------------

DERIVED = "derived"  # a YearValue's source when it is rolled up from the courses, not entered
RATING_LABELS = dict(Rating.choices)


@dataclass(frozen=True)
class YearValue:
    rating: int | None  # what the forms print: the homeroom teacher's value, else the derived one
    derived: int | None = None  # rolled up from the year's course ratings (reading, overall characteristics)
    source: str = ""  # DERIVED, a YearRating.Source, or "" when there is no value
    reason: str = ""  # why a derived value was overridden

    @property
    def label(self) -> str:
        return RATING_LABELS.get(self.rating, "") if self.rating is not None else ""

    @property
    def derived_label(self) -> str:
        return RATING_LABELS.get(self.derived, "") if self.derived is not None else ""


NO_VALUE = YearValue(rating=None)


@dataclass
class YearResult:
    """One child's year results at one school: a value (or NO_VALUE) for every aspect of rules.YEAR_ASPECTS."""

    person_id: int
    academic_year_id: int
    year_be: int
    school_id: int
    school_name: str
    roll_up: rules.RollUp
    values: dict[str, YearValue]

    def value(self, aspect: str) -> YearValue:
        return self.values.get(aspect, NO_VALUE)


def year_ratings(
    *,
    actor: Any,
    person_ids: Collection[int],
    academic_year: AcademicYear | None = None,
    school: School | None = None,
) -> dict[int, list[YearResult]]:
    """Each child's year results, oldest year first, one per year and school with a rated course or an entered
    value (optionally only one year, one school). Reading and the overall characteristics are rolled up from
    every course rating of that year at that school (both terms) by the school's rule; an entered value wins.
    Five reads whatever the number of children: the forms (ปพ.1, ปพ.6), the class page and the API use it."""
    results = Result.objects.filter(scope.visible(actor, Result), person_id__in=person_ids).filter(
        Q(reading_rating__isnull=False) | Q(character_rating__isnull=False)
    )
    entered = YearRating.objects.filter(scope.visible(actor, YearRating), person_id__in=person_ids)
    if academic_year is not None:
        results = results.filter(course__academic_year=academic_year)
        entered = entered.filter(academic_year=academic_year)
    if school is not None:
        results = results.filter(course__school=school)
        entered = entered.filter(school=school)
    Key = tuple[int, int, int]  # person, academic year, school
    rated: dict[Key, dict[str, list[int]]] = {}
    for person_id, year_id, school_id, reading, character in results.values_list(
        "person_id", "course__academic_year_id", "course__school_id", "reading_rating", "character_rating"
    ):
        by_field = rated.setdefault((person_id, year_id, school_id), {})
        for name, value in (("reading_rating", reading), ("character_rating", character)):
            if value is not None:
                by_field.setdefault(name, []).append(value)
    typed: dict[Key, dict[str, YearRating]] = {}
    for row in entered:
        typed.setdefault((row.person_id, row.academic_year_id, row.school_id), {})[row.aspect] = row
    keys = set(rated) | set(typed)
    years = dict(AcademicYear.objects.filter(pk__in={k[1] for k in keys}).values_list("pk", "year_be"))
    schools = dict(School.objects.filter(pk__in={k[2] for k in keys}).values_list("pk", "name_th"))
    roll_ups = rules.roll_ups_for(schools)
    found: dict[int, list[YearResult]] = {}
    for key in sorted(keys, key=lambda k: (k[0], years[k[1]], k[2])):
        person_id, year_id, school_id = key
        roll_up = roll_ups[school_id]
        values = {}
        for aspect in rules.YEAR_ASPECTS:
            ratings = rated.get(key, {}).get(aspect.course_field, []) if aspect.derived else []
            derived = rules.roll_up(roll_up.code, ratings)
            own = typed.get(key, {}).get(aspect.code)
            if own is not None:
                values[aspect.code] = YearValue(own.rating, derived, own.source, own.reason)
            elif derived is not None:
                values[aspect.code] = YearValue(derived, derived, DERIVED)
        found.setdefault(person_id, []).append(
            YearResult(person_id, year_id, years[year_id], school_id, schools[school_id], roll_up, values)
        )
    return found


def year_results_at(
    *, actor: Any, person_ids: Collection[int], academic_year: AcademicYear, school: School
) -> dict[int, YearResult]:
    """One year at one school (a class's page, ปพ.6, the API): each child's results, where there are any."""
    found = year_ratings(actor=actor, person_ids=person_ids, academic_year=academic_year, school=school)
    return {person_id: results[0] for person_id, results in found.items()}


def class_in_year(classroom: Classroom) -> list[tuple[Enrolment, bool]]:
    """Everyone enrolled in the class during its year, student-number order, each with whether the child
    stayed to the year's end (a child who left or moved room is shown, not entered). Callers check access."""
    ends_on = classroom.academic_year.ends_on
    found: dict[int, tuple[Enrolment, bool]] = {}
    for enrolment in (
        Enrolment.objects.filter(classroom=classroom)
        .select_related("person")
        .order_by("student_number", "person__first_name_th", "pk")
    ):
        stayed = enrolment.ends_on is None or enrolment.ends_on >= ends_on
        known = found.get(enrolment.person_id)
        found[enrolment.person_id] = (known[0] if known else enrolment, stayed or bool(known and known[1]))
    return list(found.values())


@dataclass
class YearRow:
    number: int
    enrolment: Enrolment
    editable: bool
    result: YearResult | None

    def value(self, aspect: str) -> YearValue:
        return self.result.value(aspect) if self.result else NO_VALUE


@dataclass
class YearSheet:
    classroom: Classroom
    rows: list[YearRow]
    roll_up: rules.RollUp
    can_edit: bool
    locked: bool  # the year's last term is closed: only the principal changes the year results


def last_term(year: AcademicYear) -> Term | None:
    """The year's last term: its closing closes the year results too."""
    return year.terms.order_by("-number").first()


def writable_children(
    *, actor: Any, classroom: Classroom, children: list[tuple[Enrolment, bool]]
) -> set[int]:
    """The children whose year results the actor may enter for this class: there to the year's end, and still
    followed now (a child who transferred out after the year is the new school's to change)."""
    if not scope.can(actor, Perm.ENTER_SCORES, classroom):
        return set()
    stayed = [e.person_id for e, to_the_end in children if to_the_end]
    return scope.followed(actor, Perm.ENTER_SCORES, stayed)


def year_sheet(*, actor: Any, classroom: Classroom) -> YearSheet:
    """The homeroom page: every child of the class's year with each aspect's value (entered or derived)."""
    scope.require(actor, Perm.VIEW_STUDENTS, classroom)
    children = class_in_year(classroom)
    found = year_results_at(
        actor=actor,
        person_ids=[e.person_id for e, _ in children],
        academic_year=classroom.academic_year,
        school=classroom.school,
    )
    writable = writable_children(actor=actor, classroom=classroom, children=children)
    last = last_term(classroom.academic_year)
    rows = [
        YearRow(
            number=n,
            enrolment=enrolment,
            editable=enrolment.person_id in writable,
            result=found.get(enrolment.person_id),
        )
        for n, (enrolment, _) in enumerate(children, start=1)
    ]
    return YearSheet(
        classroom=classroom,
        rows=rows,
        roll_up=rules.roll_ups_for([classroom.school_id])[classroom.school_id],
        can_edit=bool(writable),
        locked=last is not None
        and TermLock.objects.filter(school_id=classroom.school_id, term=last).exists(),
    )
