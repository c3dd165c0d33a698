"""Reads of teacher records: one record book, a school's staff list, an area's counts by standing."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from khru.assessment.models import Course
from khru.core import audit
from khru.core.dates import ce_year
from khru.core.errors import NotAllowed
from khru.core.suppression import suppress
from khru.org import scope
from khru.org.models import Membership, School
from khru.org.roles import Perm, Role
from khru.people.models import Person, StaffPost
from khru.teachers import pacheck
from khru.teachers.models import (
    Appointment,
    Award,
    CompletionImport,
    DevelopmentActivity,
    DisciplineLevel,
    DisciplineRecord,
    PAAssessment,
    PARule,
    PerformanceAgreement,
    Standing,
    StandingRecord,
    TrainingCourse,
    TrainingProvider,
)

TEACHING_POSTS = {"teacher", "assistant", "deputy", "principal"}


def staff_posts(*, actor: Any) -> QuerySet[StaffPost]:
    return StaffPost.objects.filter(scope.visible(actor, StaffPost, Perm.VIEW_STAFF))


def get_staff(*, actor: Any, uuid: Any) -> Person:
    """A member of staff whose record the actor may read (their own, or their schools' staff)."""
    person = (
        Person.objects.filter(uuid=uuid, pk__in=staff_posts(actor=actor).values("person_id"))
        .select_related("user")
        .first()
    )
    if person is None:
        raise NotAllowed()
    return person


def me(*, actor: Any) -> Person:
    person = Person.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    if person is None:
        raise NotAllowed()
    return person


def can_manage(*, actor: Any, person: Person) -> bool:
    return StaffPost.objects.filter(
        scope.school_filter(actor, Perm.MANAGE_STAFF_RECORDS, "school__"), person=person
    ).exists()


@dataclass
class TermLoad:
    label: str
    courses: list[Course]
    hours: int
    per_week: Decimal


@dataclass
class RecordBook:
    person: Person
    posts: list[StaffPost]
    appointments: list[Appointment]
    standings: list[StandingRecord]
    agreements: list[PerformanceAgreement]
    awards: list[Award]
    disciplines: list[DisciplineRecord]
    activities: list[DevelopmentActivity]
    teaching: list[TermLoad]
    homerooms: list[Membership]
    check: pacheck.Result
    can_manage: bool = False
    can_see_discipline: bool = False
    hours_by_fiscal_year: list[tuple[int, Decimal]] = field(default_factory=list)

    @property
    def standing(self) -> StandingRecord | None:
        return self.standings[-1] if self.standings else None


LEVEL_EN = {1: "warning", 2: "probation", 3: "pay cut", 4: "salary step cut", 5: "discharge", 6: "dismissal"}


def rules() -> list[pacheck.Rule]:
    labels = dict(Standing.choices)
    levels = dict(DisciplineLevel.choices)
    return [
        pacheck.Rule(
            from_standing=r.from_standing,
            to_standing=r.to_standing,
            to_label=labels[r.to_standing],
            min_years=r.min_years,
            rounds=r.rounds,
            min_score=r.min_score,
            discipline_years=r.discipline_years,
            max_discipline=r.max_discipline,
            max_discipline_label=levels.get(r.max_discipline, str(r.max_discipline)),
            max_discipline_label_en=LEVEL_EN.get(r.max_discipline, ""),
        )
        for r in PARule.objects.all()
    ]


def _checks(person_ids: list[int], today: dt.date) -> dict[int, pacheck.Result]:
    """The PA check of many people with a fixed number of queries (the staff list)."""
    current: dict[int, StandingRecord] = {}
    for record in StandingRecord.objects.filter(person_id__in=person_ids).order_by("person_id", "since"):
        current[record.person_id] = record
    agreements: dict[int, list[tuple[int, int]]] = defaultdict(list)  # person → (agreement, fiscal year)
    for pk, person_id, year in PerformanceAgreement.objects.filter(person_id__in=person_ids).values_list(
        "pk", "person_id", "fiscal_year_be"
    ):
        agreements[person_id].append((pk, year))
    scores: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for agreement_id, assessor, score in PAAssessment.objects.filter(
        agreement__person_id__in=person_ids
    ).values_list("agreement_id", "assessor", "score"):
        scores[agreement_id].append((assessor, score))
    penalties: dict[int, list[pacheck.Penalty]] = defaultdict(list)
    levels = dict(DisciplineLevel.choices)
    for person_id, level, decided_on in DisciplineRecord.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "level", "decided_on"
    ):
        penalties[person_id].append(
            pacheck.Penalty(level, levels.get(level, ""), decided_on, LEVEL_EN.get(level, ""))
        )
    known = rules()
    results = {}
    for person_id in person_ids:
        standing = current.get(person_id)
        results[person_id] = pacheck.check(
            standing=standing.standing if standing else None,
            since=standing.since if standing else None,
            rules=known,
            rounds=[pacheck.Round(year, scores[pk]) for pk, year in agreements[person_id]],
            penalties=penalties[person_id],
            today=today,
        )
    return results


def pa_check(*, person: Person) -> pacheck.Result:
    """The check of one person whose record the caller has already been allowed to read (get_staff)."""
    return _checks([person.pk], timezone.localdate())[person.pk]


def _teaching(person: Person) -> tuple[list[TermLoad], list[Membership]]:
    """Subjects and classes from the courses a teacher teaches and their homeroom classes: never retyped."""
    if person.user_id is None:
        return [], []
    courses = (
        Course.objects.filter(teacher_id=person.user_id)
        .select_related("classroom", "term", "academic_year")
        .order_by("-academic_year__year_be", "-term__number", "classroom__grade", "classroom__room", "code")
    )
    by_term: dict[int, list[Course]] = defaultdict(list)
    for course in courses:
        by_term[course.term_id].append(course)
    loads = []
    for group in by_term.values():
        term = group[0].term
        weeks = max(1, round((term.ends_on - term.starts_on).days / 7))
        hours = sum(c.hours for c in group)
        loads.append(
            TermLoad(
                label=f"{term.number}/{group[0].academic_year.year_be}",
                courses=group,
                hours=hours,
                per_week=(Decimal(hours) / weeks).quantize(Decimal("0.1")),
            )
        )
    homerooms = list(
        Membership.objects.filter(user_id=person.user_id, role=Role.HOMEROOM_TEACHER, classroom__isnull=False)
        .select_related("classroom__school", "classroom__academic_year")
        .order_by("-classroom__academic_year__year_be")
    )
    return loads, homerooms


def _hours_by_fiscal_year(activities: Iterable[DevelopmentActivity]) -> list[tuple[int, Decimal]]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for activity in activities:
        totals[pacheck.fiscal_year_be(activity.ended_on)] += activity.hours
    return sorted(totals.items(), reverse=True)


def record_book(*, actor: Any, person: Person) -> RecordBook:
    """Everything in one teacher's record, each part read through the access policy."""

    def rows(model: Any, perm: Perm | None = None) -> QuerySet[Any]:
        return model.objects.filter(scope.visible(actor, model, perm), person=person)

    teaching, homerooms = _teaching(person)
    activities = list(rows(DevelopmentActivity))
    disciplines = list(rows(DisciplineRecord))
    book = RecordBook(
        person=person,
        posts=list(StaffPost.objects.filter(person=person).select_related("school").order_by("starts_on")),
        appointments=list(rows(Appointment).select_related("school", "agency")),
        standings=list(rows(StandingRecord).order_by("since")),
        agreements=list(rows(PerformanceAgreement).prefetch_related("assessments").select_related("school")),
        awards=list(rows(Award)),
        disciplines=disciplines,
        activities=activities,
        teaching=teaching,
        homerooms=homerooms,
        check=pa_check(person=person),
        can_manage=can_manage(actor=actor, person=person),
        can_see_discipline=person.user_id == actor.pk or can_manage(actor=actor, person=person),
        hours_by_fiscal_year=_hours_by_fiscal_year(activities),
    )
    if person.user_id != actor.pk:
        audit.record(actor=actor, action=audit.Action.READ, obj=person, summary="teacher record book")
    return book


def get_activity(*, actor: Any, uuid: Any) -> DevelopmentActivity:
    found = (
        DevelopmentActivity.objects.filter(scope.visible(actor, DevelopmentActivity), uuid=uuid)
        .select_related("person")
        .first()
    )
    if found is None:
        raise NotAllowed()
    return found


@dataclass
class StaffRow:
    post: StaffPost
    standing: StandingRecord | None
    check: pacheck.Result
    hours: Decimal

    @property
    def teaching(self) -> bool:
        """Officers and support staff have no academic standing: no PA check for them."""
        return self.post.position in TEACHING_POSTS


def schools_with_staff(*, actor: Any) -> QuerySet[School]:
    return School.objects.filter(scope.school_filter(actor, Perm.VIEW_STAFF)).order_by("code")


def staff_list(*, actor: Any, school: School) -> list[StaffRow]:
    """A school's current staff with standing, PA check and development hours this fiscal year."""
    if not scope.school_in_reach(actor, Perm.VIEW_STAFF, school):
        raise NotAllowed()
    today = timezone.localdate()
    posts = list(
        staff_posts(actor=actor)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), school=school)
        .select_related("person")
        .order_by("position", "person__first_name_th")
    )
    ids = [p.person_id for p in posts]
    checks = _checks(ids, today)
    current: dict[int, StandingRecord] = {}
    for record in StandingRecord.objects.filter(person_id__in=ids).order_by("person_id", "since"):
        current[record.person_id] = record
    year = pacheck.fiscal_year_be(today)
    starts = dt.date(ce_year(year) - 1, 10, 1)
    hours = dict(
        DevelopmentActivity.objects.filter(person_id__in=ids, ended_on__gte=starts)
        .values("person_id")
        .annotate(total=Sum("hours"))
        .values_list("person_id", "total")
    )
    return [
        StaffRow(
            post, current.get(post.person_id), checks[post.person_id], hours.get(post.person_id, Decimal(0))
        )
        for post in posts
    ]


@dataclass
class StandingTable:
    schools: list[School]
    standings: list[tuple[str, str]]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    @property
    def rows(self) -> list[tuple[School, list[int | None], int | None]]:
        return list(zip(self.schools, self.cells, self.row_totals, strict=True))


def standing_counts(*, actor: Any) -> StandingTable:
    """Teachers per school and current standing, for an area officer: small cells suppressed."""
    schools = list(schools_with_staff(actor=actor))
    today = timezone.localdate()
    posts = StaffPost.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), school__in=schools
    ).values_list("school_id", "person_id")
    school_of = dict((person_id, school_id) for school_id, person_id in posts)
    current: dict[int, str] = {}
    for person_id, standing in (
        StandingRecord.objects.filter(person_id__in=list(school_of))
        .order_by("since")
        .values_list("person_id", "standing")
    ):
        current[person_id] = standing
    standings = list(Standing.choices)
    counts = [[0] * len(standings) for _ in schools]
    row_of = {s.pk: i for i, s in enumerate(schools)}
    column_of = {value: i for i, (value, _) in enumerate(standings)}
    for person_id, standing in current.items():
        counts[row_of[school_of[person_id]]][column_of[standing]] += 1
    table = suppress(counts) if counts else None
    return StandingTable(
        schools=schools,
        standings=standings,
        cells=table.cells if table else [],
        row_totals=table.row_totals if table else [],
        column_totals=table.column_totals if table else [],
        total=table.total if table else None,
    )


def providers(*, actor: Any) -> QuerySet[TrainingProvider]:
    return TrainingProvider.objects.filter(scope.visible(actor, TrainingProvider))


def get_provider(*, actor: Any, code: str, perm: Perm = Perm.IMPORT_TRAINING) -> TrainingProvider:
    found = TrainingProvider.objects.filter(scope.visible(actor, TrainingProvider, perm), code=code).first()
    if found is None:
        raise NotAllowed()
    return found


def courses(*, actor: Any, provider: TrainingProvider) -> QuerySet[TrainingCourse]:
    return TrainingCourse.objects.filter(scope.visible(actor, TrainingCourse), provider=provider)


def completion_imports(*, actor: Any) -> QuerySet[CompletionImport]:
    return CompletionImport.objects.filter(scope.visible(actor, CompletionImport)).order_by("-uploaded_at")


def get_import(*, actor: Any, uuid: Any) -> CompletionImport:
    found = completion_imports(actor=actor).filter(uuid=uuid).select_related("provider").first()
    if found is None:
        raise NotAllowed()
    return found
