"""Reads for early warning, within the actor's scope: the class's slipping watch, each child's indicators
as of a date, the ABC rule's flags with their reasons, and an area's preview of a rule change (counts only).

Scores and reasons are for those who teach or care for the child now (the class's current teachers, the
school's care team and principal): the gate is VIEW_RISK on the child's current classroom, which an area
office, the registrar's office and a teacher of another class do not hold. Offices see counts, suppressed.
"""

import datetime as dt
import pickle
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from khru.assessment import rules
from khru.assessment.grading import gpa_of
from khru.assessment.models import Result
from khru.attendance.models import AttendanceCode, Mark, Register
from khru.care.models import Area as CareArea
from khru.care.models import Case, Screening
from khru.core import audit
from khru.core.errors import NotAllowed
from khru.core.suppression import HIDDEN, MIN_CELL, suppress, suppress_counts
from khru.earlywarning import indicators, risk
from khru.earlywarning.indicators import (
    INDICATORS,
    ChildFacts,
    CourseResult,
    DatedFact,
    Day,
    Indicator,
    Reading,
    ScreeningFact,
)
from khru.earlywarning.models import AbcRule, OnTrackRule, RiskModel, RiskScore
from khru.earlywarning.rules import abc_signs, off_track
from khru.health.growth import ShapeBand
from khru.health.models import Measurement
from khru.insights import summaries
from khru.insights.charts import Figure
from khru.org import scope
from khru.org.models import AcademicYear, Area, Classroom, School
from khru.org.roles import Perm
from khru.org.selectors import current_term
from khru.people.models import EndReason, Enrolment, Person
from khru.welfare.models import PovertyScreening

LEFT_SCHOOL = (EndReason.DROPPED_OUT, EndReason.UNKNOWN)  # the exits early warning tries to prevent

# Results are read from the terms begun in this span (the indicators compare the latest two terms).
RESULTS_BACK = dt.timedelta(days=550)
# Attendance is read back this many calendar days at least (the trend's earlier window may cross into the
# year before), and from the start of the school year.
LOOKBACK_DAYS = 70


# ---------------------------------------------------------------- class (teacher) --------------------------


@dataclass
class ChildRow:
    person: Person
    absent_today: str  # the code's Thai label, "" when present or not yet taken
    missed_this_month: int
    missed_last_month: int
    gpa_now: Decimal | None
    gpa_before: Decimal | None
    band_now: str
    band_before: str
    screening: list[str]  # care areas at risk or with a problem
    reasons: list[str] = field(default_factory=list)

    @property
    def slipping(self) -> bool:
        return bool(self.reasons)


@dataclass
class ClassDashboard:
    classroom: Classroom
    today: dt.date
    taken_today: bool
    rows: list[ChildRow]
    figures: dict[str, Figure]
    as_of: dict[str, dt.datetime]

    @property
    def absent_today_count(self) -> int:
        return sum(1 for row in self.rows if row.absent_today)


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    month = day.month - back
    year = day.year
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def class_dashboard(*, actor: Any, classroom: Classroom, today: dt.date | None = None) -> ClassDashboard:
    """A teacher's class: who is absent today, how often this month, and who is slipping (attendance or
    grades falling, weight band changed, a care screening at risk). Seven queries whatever the class size."""
    if not scope.can(actor, Perm.VIEW_STUDENTS, classroom):
        raise NotAllowed()
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(classroom=classroom)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("person")
        .order_by("student_number", "person__first_name_th")
    )
    person_ids = [e.person_id for e in enrolments]
    last_month = _month_start(today, 1)
    marks = Mark.objects.filter(
        scope.visible(actor, Mark),
        register__classroom=classroom,
        register__period=0,
        register__date__gte=last_month,
        register__date__lte=today,
    ).values_list("person_id", "register__date", "code__label_th", "code__attended")
    this_month = _month_start(today)
    today_code: dict[int, str] = {}
    missed_now: dict[int, int] = defaultdict(int)
    missed_before: dict[int, int] = defaultdict(int)
    for person_id, day, label_th, attended in marks:
        if day == today:
            today_code[person_id] = label_th
        if attended:
            continue
        if day >= this_month:
            missed_now[person_id] += 1
        else:
            missed_before[person_id] += 1
    taken_today = Register.objects.filter(classroom=classroom, date=today, period=0).exists()
    # Grades: the two latest terms in which each child has results (any class, any school in reach).
    by_term: dict[int, dict[tuple[int, int], list[tuple[str, Decimal, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for person_id, year_be, number, grade, credits, hours in Result.objects.filter(
        scope.visible(actor, Result), person_id__in=person_ids
    ).values_list(
        "person_id",
        "course__academic_year__year_be",
        "course__term__number",
        "grade",
        "course__credits",
        "course__hours",
    ):
        by_term[person_id][(year_be, number)].append((grade, credits, hours))
    bands: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for person_id, day, band in Measurement.objects.filter(
        scope.visible(actor, Measurement, Perm.VIEW_SENSITIVE), person_id__in=person_ids
    ).values_list("person_id", "measured_on", "shape_band"):
        bands[person_id].append((day, band))
    screened: dict[int, dict[str, tuple[Any, str]]] = defaultdict(dict)
    for person_id, area, status, at in Screening.objects.filter(
        scope.visible(actor, Screening, Perm.VIEW_SENSITIVE), person_id__in=person_ids
    ).values_list("person_id", "area", "status", "recorded_at"):
        known = screened[person_id].get(area)
        if known is None or at > known[0]:
            screened[person_id][area] = (at, status)
    shape_th = {b.code: b.label_th for b in ShapeBand}
    rows = []
    for enrolment in enrolments:
        pid = enrolment.person_id
        terms = sorted(by_term.get(pid, {}).items())
        gpa_now = gpa_of(terms[-1][1]) if terms else None
        gpa_before = gpa_of(terms[-2][1]) if len(terms) > 1 else None
        measured = sorted(bands.get(pid, []))
        band_now = measured[-1][1] if measured else ""
        band_before = measured[-2][1] if len(measured) > 1 else ""
        at_risk = [
            CareArea(a).label for a, (_at, status) in screened.get(pid, {}).items() if status != "normal"
        ]
        row = ChildRow(
            person=enrolment.person,
            absent_today=today_code.get(pid, ""),
            missed_this_month=missed_now.get(pid, 0),
            missed_last_month=missed_before.get(pid, 0),
            gpa_now=gpa_now,
            gpa_before=gpa_before,
            band_now=shape_th.get(band_now, ""),
            band_before=shape_th.get(band_before, ""),
            screening=sorted(at_risk),
        )
        if (
            row.missed_this_month >= rules.SLIPPING_MISSED_DAYS
            and row.missed_this_month > row.missed_last_month
        ):
            row.reasons.append("attendance")
        if gpa_now is not None and gpa_before is not None and gpa_now <= gpa_before - rules.SLIPPING_GPA_DROP:
            row.reasons.append("grades")
        if band_now and band_before and band_now != band_before:
            row.reasons.append("growth")
        if at_risk:
            row.reasons.append("screening")
        rows.append(row)
    figures = {
        "missed": Figure(
            "missed",
            "Days missed this month",
            ["student", "missed_this_month", "missed_last_month"],
            [
                {
                    "student": r.person.first_name_th,
                    "missed_this_month": r.missed_this_month,
                    "missed_last_month": r.missed_last_month,
                }
                for r in rows
                if r.missed_this_month or r.missed_last_month
            ],
            x="student",
            y="missed_this_month",
        )
    }
    return ClassDashboard(
        classroom=classroom,
        today=today,
        taken_today=taken_today,
        rows=rows,
        figures=figures,
        as_of=summaries.as_of(),
    )


# ---------------------------------------------------------------- indicators and the ABC rule -------------


def on_track_rules(area: Area) -> dict[str, OnTrackRule]:
    """The area's on-track rule per level, the defaults (unsaved) where the office has not changed it."""
    saved = {rule.level: rule for rule in OnTrackRule.objects.filter(area=area)}
    return {
        level: saved.get(level) or OnTrackRule(area=area, level=level) for level in OnTrackRule.Level.values
    }


def rule_for(area: Area) -> AbcRule:
    """The area's ABC rule, or the published one (unsaved) when the office has not changed it."""
    return AbcRule.objects.filter(area=area).first() or AbcRule(area=area)


def load_facts(*, actor: Any, enrolments: list[Enrolment], as_of: dt.date) -> dict[int, ChildFacts]:
    """Each child's facts up to `as_of` that the actor may read: their class's daily registers since shortly
    before the term, results, screenings, measurements, poverty screenings and school moves. Eight queries
    whatever the number of children."""
    facts: dict[int, ChildFacts] = {}
    since = as_of - dt.timedelta(days=LOOKBACK_DAYS)
    for enrolment in enrolments:
        classroom = enrolment.classroom
        term = current_term(year=classroom.academic_year, on=as_of) if classroom else None
        if classroom is not None:  # the year's rate reads every register since the year began
            since = min(since, classroom.academic_year.starts_on)
        facts[enrolment.person_id] = ChildFacts(
            person_id=enrolment.person_id,
            grade=classroom.grade if classroom else "",
            birth_date=enrolment.person.birth_date,
            term_starts_on=term.starts_on if term else None,
            year_starts_on=classroom.academic_year.starts_on if classroom else None,
        )
    ids = list(facts)
    # A fact recorded before the end of `as_of`, local time (a range the database can use, not a cast).
    zone = timezone.get_current_timezone()
    known_before = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=zone)

    def local_day(moment: dt.datetime) -> dt.date:
        return moment.astimezone(zone).date()

    late_codes = set(
        AttendanceCode.objects.filter(kind=AttendanceCode.Kind.LATE).values_list("pk", flat=True)
    )
    # A register lists only the children who were not simply present; a child enrolled that day without a
    # mark came to school.
    registers = Register.objects.filter(
        scope.visible(actor, Register),
        classroom_id__in={e.classroom_id for e in enrolments},
        period=0,
        date__gte=since,
        date__lte=as_of,
    )
    by_class: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for register_id, classroom_id, day, taken_at in registers.values_list(
        "pk", "classroom_id", "date", "taken_at"
    ):
        by_class[classroom_id].append((register_id, day, max(day, local_day(taken_at))))
    marked = {
        (register_id, person_id): (attended, code_id)
        for register_id, person_id, attended, code_id in Mark.objects.filter(
            scope.visible(actor, Mark), register__in=registers, person_id__in=ids
        ).values_list("register_id", "person_id", "code__attended", "code_id")
    }
    for enrolment in enrolments:
        days = facts[enrolment.person_id].days
        for register_id, day, known_on in by_class.get(enrolment.classroom_id or 0, []):
            if day < enrolment.starts_on or (enrolment.ends_on is not None and day > enrolment.ends_on):
                continue
            attended, code_id = marked.get((register_id, enrolment.person_id), (True, None))
            days.append(Day(day, known_on, attended, code_id in late_codes))
    for person_id, year_be, number, code, grade, credits, hours, recorded_at in Result.objects.filter(
        scope.visible(actor, Result),
        person_id__in=ids,
        recorded_at__lt=known_before,
        course__term__starts_on__gte=as_of - RESULTS_BACK,
    ).values_list(
        "person_id",
        "course__academic_year__year_be",
        "course__term__number",
        "course__code",
        "grade",
        "course__credits",
        "course__hours",
        "recorded_at",
    ):
        facts[person_id].results.append(
            CourseResult((year_be, number), local_day(recorded_at), code[:1], grade, credits, hours)
        )
    for person_id, area, status, recorded_at in Screening.objects.filter(
        scope.visible(actor, Screening, Perm.VIEW_SENSITIVE), person_id__in=ids, recorded_at__lt=known_before
    ).values_list("person_id", "area", "status", "recorded_at"):
        facts[person_id].screenings.append(ScreeningFact(local_day(recorded_at), area, status))
    for person_id, measured_on, band in Measurement.objects.filter(
        scope.visible(actor, Measurement, Perm.VIEW_SENSITIVE), person_id__in=ids, measured_on__lte=as_of
    ).values_list("person_id", "measured_on", "shape_band"):
        facts[person_id].growth.append(DatedFact(measured_on, band))
    for person_id, computed_at, eligible in PovertyScreening.objects.filter(
        scope.visible(actor, PovertyScreening, Perm.VIEW_SENSITIVE),
        person_id__in=ids,
        computed_at__lt=known_before,
    ).values_list("person_id", "computed_at", "eligible"):
        facts[person_id].poverty.append(DatedFact(local_day(computed_at), "poor" if eligible else "not_poor"))
    for person_id, ends_on in Enrolment.objects.filter(
        scope.visible(actor, Enrolment),
        person_id__in=ids,
        end_reason=EndReason.TRANSFERRED,
        ends_on__lte=as_of,
    ).values_list("person_id", "ends_on"):
        facts[person_id].moves.append(DatedFact(ends_on, "moved"))  # type: ignore[arg-type]  # filtered on ends_on
    return facts


def _current(queryset: Any, as_of: dt.date) -> list[Enrolment]:
    return list(
        queryset.filter(starts_on__lte=as_of)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=as_of))
        .select_related("person", "classroom__academic_year")
        .prefetch_related("classroom__academic_year__terms")
        .order_by("student_number", "person__first_name_th")
    )


@dataclass
class Flag:
    person: Person
    readings: dict[str, Reading]
    signs: list[Reading]  # the rule's reasons, each in Thai with the child's own values
    chance: float | None = None  # the model's chance of leaving school within a year
    reasons: list[Reading] = field(default_factory=list)  # the readings that raised the chance most
    off_track: list[Reading] = field(default_factory=list)  # what puts the child off track for the level
    above: bool = False  # the chance is in the area's top tenth

    @property
    def flagged(self) -> bool:
        return bool(self.signs) or self.above

    @property
    def percent(self) -> int | None:
        return None if self.chance is None else round(100 * self.chance)


@dataclass
class ClassFlags:
    classroom: Classroom
    as_of: dt.date
    rule: AbcRule
    flags: list[Flag]
    model: RiskModel | None = None
    columns: list[Indicator] = field(default_factory=lambda: list(INDICATORS.values()))

    @property
    def flagged(self) -> list[Flag]:
        return [f for f in self.flags if f.flagged]

    @property
    def off_track(self) -> list[Flag]:
        return [f for f in self.flags if f.off_track]


def class_flags(*, actor: Any, classroom: Classroom, as_of: dt.date | None = None) -> ClassFlags:
    """The ABC rule's flags for a class's children now enrolled, with every indicator and its reasons.
    Only for the class's current teachers, the care team and the principal; the read is audited."""
    as_of = as_of or timezone.localdate()
    if not scope.can(actor, Perm.VIEW_RISK, classroom) or classroom.academic_year.ends_on < as_of:
        raise NotAllowed()
    enrolments = _current(Enrolment.objects.filter(classroom=classroom), as_of)
    facts = load_facts(actor=actor, enrolments=enrolments, as_of=as_of)
    rule = rule_for(classroom.school.area)
    model = latest_model(classroom.school.area)
    read = [(e.person, indicators.read_all(facts[e.person_id], as_of)) for e in enrolments]
    flags = warn(rule, model, read)
    on_track = on_track_rules(classroom.school.area).get(OnTrackRule.level_of(classroom.grade) or "")
    for flag in flags:
        flag.off_track = off_track(on_track, flag.readings)
    audit.record_bulk_read(
        actor=actor,
        model=Person,
        filters={"earlywarning": "class_flags", "classroom": classroom.uuid, "as_of": as_of},
        count=len(flags),
        school_id=classroom.school_id,
    )
    return ClassFlags(classroom, as_of, rule, flags, model)


def warn(
    rule: AbcRule, model: RiskModel | None, children: list[tuple[Person, dict[str, Reading]]]
) -> list[Flag]:
    """Each child's warning: the rule's signs and, with a model, the chance, its reasons and whether it is
    in the area's top tenth."""
    flags = [Flag(person, readings, abc_signs(rule, readings)) for person, readings in children]
    if model is not None:
        threshold = model.evaluation["threshold"]
        scored = risk.score(_fitted(model), model.features, model.typical, [f.readings for f in flags])
        for flag, (chance, reasons) in zip(flags, scored, strict=True):
            flag.chance, flag.reasons, flag.above = chance, reasons, chance >= threshold
    return flags


def latest_model(area: Area) -> RiskModel | None:
    """The area's newest risk model (None: too little history yet, the ABC rule stands alone)."""
    return RiskModel.objects.filter(area=area).defer("blob").order_by("-trained_at", "-pk").first()


_FITTED: dict[int, Any] = {}


def _fitted(model: RiskModel) -> Any:
    """The model's scikit-learn objects, unpickled once per process (a model row never changes)."""
    if model.pk not in _FITTED:
        blob = RiskModel.objects.values_list("blob", flat=True).get(pk=model.pk)
        _FITTED[model.pk] = pickle.loads(bytes(blob))  # noqa: S301 -- written by khru evaluate_risk only
    return _FITTED[model.pk]


@dataclass
class SchoolCount:
    school: School
    now: int | str  # children the rule in force flags (HIDDEN when a small cell)
    proposed: int | str  # children the proposed rule would flag


@dataclass
class Preview:
    area: Area
    as_of: dt.date
    children: int
    rows: list[SchoolCount]
    now: int | str
    proposed: int | str


Test = Callable[[str, dict[str, Reading]], bool]  # (the child's grade, readings) → flagged


def preview_rule(*, actor: Any, area: Area, proposed: AbcRule, as_of: dt.date | None = None) -> Preview:
    """How many of the area's children the ABC rule in force flags today, and how many the proposed one
    would: counts per school, suppressed, for the office that may change the rule."""
    current = rule_for(area)
    return _preview(
        actor=actor,
        area=area,
        as_of=as_of,
        now=lambda _grade, readings: bool(abc_signs(current, readings)),
        proposed=lambda _grade, readings: bool(abc_signs(proposed, readings)),
    )


def preview_on_track(
    *, actor: Any, area: Area, proposed: dict[str, OnTrackRule], as_of: dt.date | None = None
) -> Preview:
    """The same for the on-track rule: children off track now, and under the proposed thresholds."""
    current = on_track_rules(area)

    def off(rules: dict[str, OnTrackRule]) -> Test:
        return lambda grade, readings: bool(off_track(rules.get(OnTrackRule.level_of(grade) or ""), readings))

    return _preview(actor=actor, area=area, as_of=as_of, now=off(current), proposed=off(proposed))


def _preview(*, actor: Any, area: Area, as_of: dt.date | None, now: Test, proposed: Test) -> Preview:
    """The children's facts are read by the system (the office names no child); only counts leave here."""
    as_of = as_of or timezone.localdate()
    if not Area.objects.filter(scope.area_filter(actor, Perm.SET_GOALS), pk=area.pk).exists():
        raise NotAllowed()
    system = scope.dangerously_unscoped(reason=f"early-warning rule preview for area {area.code}")
    enrolments = _current(
        Enrolment.objects.filter(classroom__school__area=area).select_related("classroom__school"), as_of
    )
    facts = load_facts(actor=system, enrolments=enrolments, as_of=as_of)
    schools: dict[int, School] = {}
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for enrolment in enrolments:
        assert enrolment.classroom is not None  # filtered on its school above
        school = enrolment.classroom.school
        schools[school.pk] = school
        readings = indicators.read_all(facts[enrolment.person_id], as_of)
        counts[school.pk][0] += now(enrolment.classroom.grade, readings)
        counts[school.pk][1] += proposed(enrolment.classroom.grade, readings)
    order = sorted(schools, key=lambda pk: schools[pk].name_th)
    if not order:
        return Preview(area, as_of, 0, [], 0, 0)
    table = suppress([counts[pk] for pk in order])

    def shown(value: int | None) -> int | str:
        return HIDDEN if value is None else value

    rows = [
        SchoolCount(schools[pk], shown(table.cells[i][0]), shown(table.cells[i][1]))
        for i, pk in enumerate(order)
    ]
    return Preview(
        area, as_of, len(enrolments), rows, shown(table.column_totals[0]), shown(table.column_totals[1])
    )


def rule_area(*, actor: Any, code: str) -> Area:
    """An area whose ABC rule the actor may change (its office)."""
    area = Area.objects.filter(code=code).first()
    if area is None or not Area.objects.filter(scope.area_filter(actor, Perm.SET_GOALS), pk=area.pk).exists():
        raise NotAllowed()
    return area


# ---------------------------------------------------------------- area (learning from it) -----------------

LEARNING_COLUMNS = [
    ("flagged", "เด็กที่ถูกแจ้งเตือน (ล่าสุด)"),
    ("cases", "เปิดการติดตาม"),
    ("actions", "สิ่งที่ต้องทำที่มีกำหนด"),
    ("on_time", "ทำทันกำหนด"),
    ("back_in_class", "กลับมาเรียนตามปกติ"),
    ("improved", "ดีขึ้น"),
    ("transferred", "ย้ายสถานศึกษา"),
    ("left_school", "ปิดการติดตาม: ออกจากโรงเรียน"),
    ("left", "ออกจากโรงเรียนปีนี้"),
    ("left_unflagged", "ออกโดยไม่เคยถูกแจ้งเตือน"),
    ("left_without_case", "ออกโดยไม่ได้ติดตาม"),
]
# A leaver with no daily score before leaving is judged on the facts known this many days before.
RETRO_DAYS = 7


@dataclass
class Learning:
    area: Area
    year_start: dt.date
    scored_on: dt.date | None  # the latest day of daily scores
    columns: list[tuple[str, str]]
    rows: list[tuple[School, list[int | str]]]
    totals: list[int | str]


def _flagged_before_leaving(leavers: list[Enrolment], area: Area) -> set[int]:
    """The leavers (person ids) warned before they left: by a daily score, or, for days before the scoring
    began, by the rule and the model on the facts known a week before they left."""
    left_on = {e.person_id: e.ends_on for e in leavers if e.ends_on is not None}
    scores = RiskScore.objects.filter(person_id__in=list(left_on)).values_list(
        "person_id", "as_of", "flagged"
    )
    before = [(person_id, flagged) for person_id, as_of, flagged in scores if as_of < left_on[person_id]]
    warned = {person_id for person_id, flagged in before if flagged}
    scored = {person_id for person_id, _flagged in before}
    system = scope.dangerously_unscoped(reason=f"early-warning misses for area {area.code}")
    rule, model = rule_for(area), latest_model(area)
    # One read of facts per term (the facts are filtered to each child's own day by the indicators).
    by_term: dict[Any, list[tuple[Enrolment, dt.date]]] = defaultdict(list)
    for enrolment in leavers:
        if enrolment.person_id not in scored and enrolment.ends_on is not None:
            day = max(enrolment.starts_on, enrolment.ends_on - dt.timedelta(days=RETRO_DAYS))
            term = (
                current_term(year=enrolment.classroom.academic_year, on=day) if enrolment.classroom else None
            )
            by_term[term.pk if term else None].append((enrolment, day))
    for group in by_term.values():
        facts = load_facts(actor=system, enrolments=[e for e, _d in group], as_of=max(d for _e, d in group))
        read = [(e.person, indicators.read_all(facts[e.person_id], day)) for e, day in group]
        warned |= {flag.person.pk for flag in warn(rule, model, read) if flag.flagged}
    return warned


def learning(*, actor: Any, area: Area, today: dt.date | None = None) -> Learning:
    """Per school of the area this school year: children flagged, cases opened, actions done on time,
    outcomes, and the children who left school without a warning or without a case (the misses to learn
    from). Counts only, each column suppressed under 5; for the area's office."""
    today = today or timezone.localdate()
    if not Area.objects.filter(scope.area_filter(actor, Perm.SET_GOALS), pk=area.pk).exists():
        raise NotAllowed()
    year = (
        AcademicYear.objects.filter(agency=area.agency, starts_on__lte=today).order_by("-starts_on").first()
    )
    start = year.starts_on if year else today
    schools = list(School.objects.filter(area=area).order_by("name_th"))
    counts: dict[str, dict[int, int]] = {
        name: dict.fromkeys((s.pk for s in schools), 0) for name, _ in LEARNING_COLUMNS
    }
    scored_on = (
        RiskScore.objects.filter(area=area, as_of__lte=today)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    if scored_on:
        for school_id, n in (
            RiskScore.objects.filter(area=area, as_of=scored_on, flagged=True)
            .values_list("school_id")
            .annotate(n=Count("pk"))
        ):
            counts["flagged"][school_id] = n
    cases = list(Case.objects.filter(school__area=area, opened_on__gte=start).prefetch_related("actions"))
    for case in cases:
        counts["cases"][case.school_id] += 1
        if case.outcome:
            counts[case.outcome][case.school_id] += 1
        for action in case.actions.all():
            if action.follow_up_on is None:
                continue
            counts["actions"][case.school_id] += 1
            done_on = timezone.localdate(action.updated_at)
            counts["on_time"][case.school_id] += (
                action.status == action.Status.DONE and done_on <= action.follow_up_on
            )
    leavers = list(
        Enrolment.objects.filter(
            school__area=area, end_reason__in=LEFT_SCHOOL, ends_on__gte=start, ends_on__lte=today
        )
        .select_related("person", "classroom__academic_year", "classroom__school")
        .prefetch_related("classroom__academic_year__terms")
    )
    warned = _flagged_before_leaving(leavers, area)
    followed = set(
        Case.objects.filter(person_id__in=[e.person_id for e in leavers]).values_list("person_id", flat=True)
    )
    for enrolment in leavers:
        counts["left"][enrolment.school_id] += 1
        counts["left_unflagged"][enrolment.school_id] += enrolment.person_id not in warned
        counts["left_without_case"][enrolment.school_id] += enrolment.person_id not in followed
    shown = {name: suppress_counts(counts[name]) for name, _ in LEARNING_COLUMNS}

    def cell(value: int | None) -> int | str:
        return HIDDEN if value is None else value

    rows = [(s, [cell(shown[name][s.pk]) for name, _ in LEARNING_COLUMNS]) for s in schools]
    totals = [sum(counts[name].values()) for name, _ in LEARNING_COLUMNS]
    return Learning(
        area,
        start,
        scored_on,
        LEARNING_COLUMNS,
        rows,
        [cell(t if t >= MIN_CELL or t == 0 else None) for t in totals],
    )
