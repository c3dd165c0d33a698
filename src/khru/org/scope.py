"""The one access policy. Every selector starts here; a model with no rule is visible to nobody.

`visible(actor, Model, perm)` gives a Q filter for the rows the actor may see with that permission;
`can(actor, perm, obj)` asks the same question of one object; `require` refuses. Reach comes only from
memberships, and only while they last:

- A school follows a child while the child is enrolled there: the whole record (it follows the child from
  school to school). After the child leaves, the school keeps read-only access to the facts it recorded
  while the child was there, nothing dated later, and no write.
- A class's teachers reach the class while the membership lasts (at most to the end of the class's
  academic year); afterwards they keep read-only reach to that class's facts of the year taught.
- Each rule answers only the permissions it declares, and nothing for the others.
- Offices (area, agency) get aggregates; a named child needs an explicit, audited look-up.
- System jobs that must act everywhere say `dangerously_unscoped(reason=...)`, which is audited.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from khru.core.errors import NotAllowed
from khru.org.roles import READS, ROLE_PERMS, Perm, Role

NOTHING = Q(pk__in=[])
# A condition that is always true. Not Q(): an empty Q vanishes when OR-ed with another condition.
ALL = Q(pk__isnull=False)


@dataclass
class _Reach:
    """The organisation units where an actor holds one permission today."""

    everything: bool = False
    agency_ids: set[int] = field(default_factory=set)
    area_ids: set[int] = field(default_factory=set)
    school_ids: set[int] = field(default_factory=set)
    classroom_ids: set[int] = field(default_factory=set)
    classroom_school_ids: set[int] = field(default_factory=set)  # schools seen through a class taught
    # Classes taught under memberships that have ended: read-only reach to that year's facts.
    past_classroom_ids: set[int] = field(default_factory=set)

    def schools(self, path: str = "") -> Q:
        """Rows whose school (at `path`, e.g. 'school__') lies in reach through a school, area or agency."""
        if self.everything:
            return ALL
        pk = f"{path}pk" if path else "pk"
        q = NOTHING
        if self.school_ids:
            q |= Q(**{f"{pk}__in": self.school_ids})
        if self.area_ids:
            q |= Q(**{f"{path}area_id__in": self.area_ids})
        if self.agency_ids:
            q |= Q(**{f"{path}area__agency_id__in": self.agency_ids})
        return q

    def units(self, school_path: str, classroom_field: str, past: bool = False) -> Q:
        """Rows of a school or a class in reach (with `past`, also classes taught before)."""
        q = self.schools(school_path)
        classrooms = self.classroom_ids | (self.past_classroom_ids if past else set())
        if classrooms and not self.everything:
            q |= Q(**{f"{classroom_field}__in": classrooms})
        return q

    @property
    def empty(self) -> bool:
        return not (
            self.everything
            or self.agency_ids
            or self.area_ids
            or self.school_ids
            or self.classroom_ids
            or self.past_classroom_ids
        )


def _today() -> dt.date:
    return timezone.localdate()


def _reach(actor: Any, perm: Perm) -> _Reach:
    """Memberships are read once per request and cached on the user object."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return _Reach()
    cache: dict[Perm, _Reach] | None = getattr(actor, "_khru_reach", None)
    if cache is None:
        cache = {p: _Reach() for p in Perm}
        today = _today()
        memberships = actor.memberships.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=today)
        ).values_list(
            "role",
            "agency_id",
            "area_id",
            "school_id",
            "classroom_id",
            "classroom__school_id",
            "ends_on",
            "classroom__academic_year__ends_on",
        )
        for (
            role,
            agency_id,
            area_id,
            school_id,
            classroom_id,
            classroom_school_id,
            ends_on,
            year_end,
        ) in memberships:
            # A class's membership ends with the class's academic year at the latest.
            ends = min((day for day in (ends_on, year_end) if day is not None), default=None)
            current = ends is None or ends >= today
            for p in ROLE_PERMS.get(role, frozenset()):
                reach = cache[p]
                if not current:
                    if classroom_id and p in READS:
                        reach.past_classroom_ids.add(classroom_id)
                elif role == Role.SYSTEM_ADMIN:
                    reach.everything = True
                elif classroom_id:
                    reach.classroom_ids.add(classroom_id)
                    reach.classroom_school_ids.add(classroom_school_id)
                elif school_id:
                    reach.school_ids.add(school_id)
                elif area_id:
                    reach.area_ids.add(area_id)
                elif agency_id:
                    reach.agency_ids.add(agency_id)
        actor._khru_reach = cache
    return cache[perm]


def remember(actor: Any) -> None:
    """Read the memberships now, so the reach travels with an actor kept in the cache (the API's token,
    for as long as the token is remembered: a membership that ends is seen within that window)."""
    _reach(actor, Perm.VIEW_SCHOOL)


def forget(actor: Any) -> None:
    """Drop the cached reach (after memberships change within a request or test)."""
    actor.__dict__.pop("_khru_reach", None)


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _enrolments_now(actor: Any, perm: Perm) -> models.QuerySet:
    """Person ids of children enrolled today in a school or a class the actor reaches with perm."""
    today = _today()
    return (
        _model("people.enrolment")
        ._default_manager.filter(
            _reach(actor, perm).units("school__", "classroom_id"),
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            starts_on__lte=today,
        )
        .values("person_id")
    )


def _looked_up(actor: Any) -> models.QuerySet:
    """Person ids an office has looked up, with a stated purpose, in the last hour (people.lookup)."""
    return (
        _model("people.personlookup")
        ._default_manager.filter(user=actor, expires_at__gt=timezone.now())
        .values("person_id")
    )


def _followed(actor: Any, perm: Perm, path: str) -> Q:
    """Rows (person at `path`) of children the actor follows now: their whole record, wherever recorded."""
    if _reach(actor, perm).everything:
        return ALL
    key = f"{path}_id__in" if path else "pk__in"  # "" is the person itself
    q = Q(**{key: _enrolments_now(actor, perm)})
    if perm == Perm.VIEW_STUDENTS:
        q |= Q(**{key: _looked_up(actor)})
    return q


def _recorded_while_there(actor: Any, perm: Perm, prefix: str, day: str) -> Q:
    """Facts (person and school at `prefix`, dated at `prefix + day`) that a school in reach, or a class
    taught now or before, recorded while the child was enrolled there. Read-only: nothing for a write."""
    reach = _reach(actor, perm)
    if perm not in READS or reach.empty:
        return NOTHING
    on = OuterRef(f"{prefix}{day}")
    stays = _model("people.enrolment")._default_manager.filter(
        reach.units("school__", "classroom_id", past=True),
        Q(ends_on__gte=on) | Q(ends_on__isnull=True, academic_year__ends_on__gte=on),
        person_id=OuterRef(f"{prefix}person_id"),
        school_id=OuterRef(f"{prefix}school_id"),
        starts_on__lte=on,
    )
    return Q(Exists(stays))


def _schools(actor: Any, perm: Perm) -> Q:
    reach = _reach(actor, perm)
    return reach.schools() | Q(pk__in=reach.classroom_school_ids)


def _at_school(actor: Any, perm: Perm, path: str) -> Q:
    """Rows recorded at a school in reach (through the school, its area or agency, or a class taught)."""
    if _reach(actor, perm).everything:
        return ALL
    return Q(
        **{
            f"{path}school__in": _model("org.school")
            ._default_manager.filter(_schools(actor, perm))
            .values("pk")
        }
    )


Rule = Callable[[Any, Perm], Q]


@dataclass(frozen=True)
class _Entry:
    default: Perm  # the permission a plain "view" asks
    perms: frozenset[Perm]  # the permissions this rule answers; any other gets nothing
    rule: Rule


def _entry(default: Perm, rule: Rule, *others: Perm) -> _Entry:
    return _Entry(default, frozenset({default, *others}), rule)


def _reference(actor: Any, perm: Perm) -> Q:
    """Reference tables: readable by everyone signed in, writable only by the system admin."""
    return ALL if perm in READS or _reach(actor, perm).everything else NOTHING


def _child_fact(prefix: str = "", day: str = "", at_school: bool = False) -> Rule:
    """A fact about a child (person at `prefix`). Those who follow the child now see the whole record
    (with `at_school`, only what was recorded at a school in their reach: care and welfare stay with the
    school that wrote them); with `day`, the school that recorded it keeps it, read-only, after the child
    leaves."""

    def rule(actor: Any, perm: Perm) -> Q:
        q = _followed(actor, perm, f"{prefix}person")
        if at_school:
            q &= _at_school(actor, perm, prefix)
        if day:
            q |= _recorded_while_there(actor, perm, prefix, day)
        return q

    return rule


def _class_rows(prefix: str, person: str = "") -> Rule:
    """Rows of a class (school and classroom at `prefix`): the class's school and teachers; classes taught
    before, read-only. With `person`, the row is also a fact about a child: it follows the child (read) and
    a child who left can no longer be written."""

    def rule(actor: Any, perm: Perm) -> Q:
        reach = _reach(actor, perm)
        units = reach.units(f"{prefix}school__", f"{prefix}classroom_id", past=perm in READS)
        if not person:
            return units
        if perm in READS:
            return units | _followed(actor, perm, person)
        return units & _followed(actor, perm, person)

    return rule


def _registers(actor: Any, perm: Perm) -> Q:
    """A class's registers; also, to read, the registers of every class a followed child was in."""
    q = _class_rows("")(actor, perm)
    if perm in READS and not _reach(actor, perm).everything:
        classes = _model("people.enrolment")._default_manager.filter(_followed(actor, perm, "person"))
        q |= Q(classroom_id__in=classes.values("classroom_id"))
    return q


def _persons(actor: Any, perm: Perm) -> Q:
    reach = _reach(actor, perm)
    if reach.everything:
        return ALL
    q = NOTHING
    if perm in (Perm.VIEW_STUDENTS, Perm.VIEW_SENSITIVE, Perm.MANAGE_ENROLMENT):
        q |= _followed(actor, perm, "")
    if perm == Perm.VIEW_STUDENTS:
        # Identity of every child ever enrolled in reach (a school prints the ปพ.1 of a child who left).
        ever = _model("people.enrolment")._default_manager.filter(
            reach.units("school__", "classroom_id", past=True)
        )
        q |= Q(pk__in=ever.values("person_id"))
    if perm in (Perm.VIEW_STAFF, Perm.MANAGE_STAFF_RECORDS):
        q |= Q(pk__in=_staff(actor, perm))
    if perm in (Perm.VIEW_STUDENTS, Perm.VIEW_SENSITIVE, Perm.VIEW_STAFF):
        q |= Q(user=actor)  # one's own record, to read
    return q


def _staff(actor: Any, perm: Perm) -> models.QuerySet:
    """Person ids of people working now at a school where the actor holds perm."""
    today = _today()
    return (
        _model("people.staffpost")
        ._default_manager.filter(
            _reach(actor, perm).schools("school__"), Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )
        .values("person_id")
    )


def _enrolments(actor: Any, perm: Perm) -> Q:
    """An enrolment at a school or class in reach; to read, the whole path of a child followed now."""
    reach = _reach(actor, perm)
    q = reach.units("school__", "classroom_id", past=perm in READS)
    if perm in (Perm.VIEW_STUDENTS, Perm.VIEW_SENSITIVE):
        q |= _followed(actor, perm, "person")
    return q


def _staff_record(path: str) -> Rule:
    """A teacher's record (person at `path`): their own to read, their school's staff with perm."""

    def rule(actor: Any, perm: Perm) -> Q:
        q = Q(**{f"{path}_id__in": _staff(actor, perm)})
        return q | Q(**{f"{path}__user": actor}) if perm == Perm.VIEW_STAFF else q

    return rule


def _households(actor: Any, perm: Perm) -> models.QuerySet:
    """A household (its present state) follows the children living in it, now."""
    return (
        _model("welfare.householdchild")
        ._default_manager.filter(_followed(actor, perm, "person"))
        .values("household_id")
    )


def _council(actor: Any) -> bool:
    return not _reach(actor, Perm.MANAGE_LICENCES).empty


def _licence_holders(actor: Any, perm: Perm, path: str) -> Q:
    """Own licences; a school's staff for VIEW_STAFF or MANAGE_STAFF_RECORDS there; the council sees (and
    manages) every licence but does not act as a school's office."""
    if perm in (Perm.VIEW_STAFF, Perm.MANAGE_LICENCES) and _council(actor):
        return ALL
    own = Q(**{f"{path}person__user": actor})
    if perm == Perm.MANAGE_LICENCES:
        return NOTHING
    return own | Q(**{f"{path}person_id__in": _staff(actor, perm)})


def _candidates(actor: Any, perm: Perm, path: str) -> Q:
    """A candidate sees their own registrations and results; the council sees all."""
    if _council(actor):
        return ALL
    return Q(**{f"{path}person__user": actor}) if perm != Perm.MANAGE_LICENCES else NOTHING


def _audit(actor: Any, perm: Perm) -> Q:
    """Events of the schools where the actor holds VIEW_AUDIT (a principal's school, an officer's area);
    events with no school (system jobs, reference data) only for the system admin."""
    reach = _reach(actor, perm)
    if reach.everything:
        return ALL
    return Q(school_id__in=_model("org.school")._default_manager.filter(reach.schools()).values("pk"))


# VIEW_AGGREGATES on a fact table is for selectors that return counts only (monthly reports, dashboards).
_CLASS_WORK = (
    Perm.VIEW_STUDENTS,
    Perm.TAKE_ATTENDANCE,
    Perm.ENTER_SCORES,
    Perm.OVERRIDE_LOCK,
    Perm.VIEW_AGGREGATES,
)
_CARE = (Perm.VIEW_SENSITIVE,)
_STAFF = (Perm.VIEW_STAFF, Perm.MANAGE_STAFF_RECORDS)
_ALL_PERMS = tuple(Perm)


def _calendar_days(actor: Any, perm: Perm) -> Q:
    """Whoever sees a school reads its calendar: its own days and its agency's. A school's rows are changed
    by its office, an agency's by that agency's central office."""
    reach = _reach(actor, perm)
    if reach.everything:
        return ALL
    agencies = Q(agency_id__in=reach.agency_ids)
    if perm not in READS:
        return reach.schools("school__") | agencies
    schools = _model("org.school")._default_manager.filter(_schools(actor, perm))
    return Q(school__in=schools.values("pk")) | Q(agency__in=schools.values("area__agency_id")) | agencies


def _ref() -> _Entry:
    return _entry(Perm.VIEW_SCHOOL, _reference, *_ALL_PERMS)


_RULES: dict[str, _Entry] = {
    "core.province": _ref(),
    "core.district": _ref(),
    "core.subdistrict": _ref(),
    "core.auditevent": _entry(Perm.VIEW_AUDIT, _audit),
    "org.agency": _ref(),
    "org.area": _ref(),
    "org.academicyear": _ref(),
    "org.term": _ref(),
    # Units themselves answer every permission: "may this actor take attendance at this school?"
    "org.school": _entry(Perm.VIEW_SCHOOL, _schools, *_ALL_PERMS),
    "org.classroom": _entry(
        Perm.VIEW_SCHOOL,
        lambda a, p: _reach(a, p).units("school__", "pk", past=p in READS),
        *_ALL_PERMS,
    ),
    "org.membership": _entry(
        Perm.MANAGE_CLASSES,
        lambda a, p: (
            _reach(a, p).schools("school__")
            | _reach(a, p).schools("classroom__school__")
            | (Q(user=a) if p in READS else NOTHING)
        ),
        Perm.VIEW_SCHOOL,
    ),
    "org.user": _entry(
        Perm.VIEW_AUDIT, lambda a, p: ALL if _reach(a, p).everything else Q(pk=a.pk), Perm.VIEW_SCHOOL
    ),
    "people.person": _entry(
        Perm.VIEW_STUDENTS,
        _persons,
        Perm.VIEW_SENSITIVE,
        Perm.MANAGE_ENROLMENT,
        Perm.VIEW_STAFF,
        Perm.MANAGE_STAFF_RECORDS,
        Perm.TAKE_ATTENDANCE,
        Perm.ENTER_SCORES,
    ),
    "people.enrolment": _entry(
        Perm.VIEW_STUDENTS,
        _enrolments,
        Perm.VIEW_SENSITIVE,
        Perm.MANAGE_ENROLMENT,
        Perm.TAKE_ATTENDANCE,
        Perm.VIEW_AGGREGATES,
    ),
    "people.guardianship": _entry(
        Perm.VIEW_SENSITIVE, lambda a, p: _followed(a, p, "student"), Perm.MANAGE_ENROLMENT
    ),
    "people.staffpost": _entry(
        Perm.VIEW_STAFF,
        lambda a, p: (
            (Q(person__user=a) if p == Perm.VIEW_STAFF else NOTHING) | _reach(a, p).schools("school__")
        ),
        Perm.MANAGE_STAFF_RECORDS,
    ),
    "people.promotionrule": _entry(
        Perm.VIEW_SCHOOL, lambda a, p: _reach(a, p).schools("school__"), Perm.MANAGE_ENROLMENT
    ),
    "people.rosterimport": _entry(Perm.MANAGE_ENROLMENT, lambda a, p: _reach(a, p).schools("school__")),
    "people.personlookup": _entry(Perm.LOOKUP_PERSONS, lambda a, p: Q(user=a) | _audit_lookups(a)),
    "exchange.apitoken": _entry(Perm.VIEW_SCHOOL, lambda a, p: Q(user=a)),
    "org.calendarday": _entry(Perm.VIEW_SCHOOL, _calendar_days, Perm.MANAGE_CALENDAR),
    "org.termlock": _entry(
        Perm.VIEW_SCHOOL, lambda a, p: _reach(a, p).schools("school__"), Perm.LOCK_TERM, Perm.OVERRIDE_LOCK
    ),
    "org.unlockrequest": _entry(
        Perm.LOCK_TERM,
        lambda a, p: _reach(a, p).schools("school__"),
        Perm.OVERRIDE_LOCK,
        Perm.VIEW_AGGREGATES,
    ),
    "attendance.attendancecode": _ref(),
    "attendance.register": _entry(Perm.VIEW_STUDENTS, _registers, *_CLASS_WORK),
    "attendance.mark": _entry(Perm.VIEW_STUDENTS, _class_rows("register__", "person"), *_CLASS_WORK),
    "attendance.markchange": _entry(Perm.VIEW_STUDENTS, _class_rows("register__", "person"), *_CLASS_WORK),
    "attendance.submission": _entry(Perm.VIEW_STUDENTS, _class_rows("register__"), *_CLASS_WORK),
    "attendance.leaverequest": _entry(
        Perm.VIEW_STUDENTS, _child_fact(day="starts_on"), Perm.TAKE_ATTENDANCE, Perm.VIEW_SENSITIVE
    ),
    "assessment.course": _entry(Perm.VIEW_STUDENTS, _class_rows(""), *_CLASS_WORK),
    "assessment.assessmentitem": _entry(Perm.VIEW_STUDENTS, _class_rows("course__"), *_CLASS_WORK),
    "assessment.score": _entry(Perm.VIEW_STUDENTS, _class_rows("item__course__", "person"), *_CLASS_WORK),
    "assessment.scorechange": _entry(
        Perm.VIEW_STUDENTS, _class_rows("item__course__", "person"), *_CLASS_WORK
    ),
    "assessment.result": _entry(Perm.VIEW_STUDENTS, _class_rows("course__", "person"), *_CLASS_WORK),
    "assessment.remedialstep": _entry(
        Perm.VIEW_STUDENTS, _class_rows("result__course__", "result__person"), *_CLASS_WORK
    ),
    "assessment.assessmentrules": _ref(),
    # A curriculum template is public reference (the national time structure); no child data.
    "assessment.curriculumtemplate": _ref(),
    "assessment.templatecourse": _ref(),
    # A child's year results: the class that entered them and those who follow the child (like a result);
    # a child who left is no longer written. The school's roll-up rule: set by its office (LOCK_TERM, the
    # same office that closes the terms), read by whoever sees the school.
    "assessment.yearrating": _entry(Perm.VIEW_STUDENTS, _class_rows("", "person"), *_CLASS_WORK),
    "assessment.yearratingchange": _entry(Perm.VIEW_STUDENTS, _class_rows("", "person"), *_CLASS_WORK),
    "assessment.yearresultrule": _entry(
        Perm.VIEW_SCHOOL, lambda a, p: _reach(a, p).schools("school__"), Perm.LOCK_TERM
    ),
    # A child's measurements follow the child (growth over the years, across classes and schools).
    "health.measurement": _entry(
        Perm.VIEW_SENSITIVE,
        _child_fact(day="measured_on"),
        Perm.TAKE_ATTENDANCE,
        Perm.OVERRIDE_LOCK,
        Perm.VIEW_AGGREGATES,
    ),
    "health.measurementchange": _entry(
        Perm.VIEW_SENSITIVE, _child_fact("measurement__", day="measured_on"), Perm.TAKE_ATTENDANCE
    ),
    # Built-in questionnaires are for everyone, a school's own form for that school. Answers and screenings
    # are sensitive: the child's homeroom teacher or the school's care team, at the school that recorded them.
    "care.questionnaire": _entry(
        Perm.VIEW_SCHOOL, lambda a, p: Q(school__isnull=True) | _at_school(a, p, ""), Perm.VIEW_SENSITIVE
    ),
    "care.response": _entry(Perm.VIEW_SENSITIVE, _child_fact(day="answered_on", at_school=True)),
    "care.answer": _entry(Perm.VIEW_SENSITIVE, _child_fact("response__", day="answered_on", at_school=True)),
    "care.screening": _entry(Perm.VIEW_SENSITIVE, _child_fact(day="term__starts_on", at_school=True)),
    "care.carenote": _entry(Perm.VIEW_SENSITIVE, _child_fact(day="noted_on", at_school=True)),
    "care.carenoteversion": _entry(
        Perm.VIEW_SENSITIVE, _child_fact("note__", day="noted_on", at_school=True)
    ),
    # A case carries the early warning's reasons: the readers of risk (the child's teachers, care team, principal).
    "care.case": _entry(Perm.VIEW_RISK, _child_fact(day="opened_on", at_school=True)),
    "care.intervention": _entry(Perm.VIEW_SENSITIVE, _child_fact(day="started_on", at_school=True)),
    "care.interventionchange": _entry(
        Perm.VIEW_SENSITIVE, _child_fact("intervention__", day="started_on", at_school=True)
    ),
    # Issued documents: the school's own (the public verify page reads by code, not through this rule).
    "reports.issueddocument": _entry(Perm.VIEW_SCHOOL, lambda a, p: _reach(a, p).schools("school__")),
    "reports.reportrun": _entry(Perm.VIEW_SCHOOL, lambda a, p: Q(requested_by=a)),
    "teachers.developmentactivity": _entry(Perm.VIEW_STAFF, _staff_record("person"), *_STAFF),
    "teachers.appointment": _entry(Perm.VIEW_STAFF, _staff_record("person"), *_STAFF),
    "teachers.standingrecord": _entry(Perm.VIEW_STAFF, _staff_record("person"), *_STAFF),
    "teachers.performanceagreement": _entry(Perm.VIEW_STAFF, _staff_record("person"), *_STAFF),
    "teachers.paassessment": _entry(Perm.VIEW_STAFF, _staff_record("agreement__person"), *_STAFF),
    "teachers.award": _entry(Perm.VIEW_STAFF, _staff_record("person"), *_STAFF),
    # Discipline: the person and their school's office, not the area's read-only view.
    "teachers.disciplinerecord": _entry(
        Perm.MANAGE_STAFF_RECORDS, lambda a, p: _staff_record("person")(a, p) | Q(person__user=a)
    ),
    "teachers.parule": _ref(),
    "teachers.trainingcourse": _ref(),
    # Providers are listed to anyone; importing for one needs IMPORT_TRAINING (system admin).
    "teachers.trainingprovider": _entry(
        Perm.VIEW_SCHOOL,
        lambda a, p: ALL if p == Perm.VIEW_SCHOOL or _reach(a, p).everything else NOTHING,
        Perm.IMPORT_TRAINING,
    ),
    "teachers.completionimport": _entry(
        Perm.IMPORT_TRAINING, lambda a, p: ALL if _reach(a, p).everything else NOTHING
    ),
    # Family and welfare (sensitive): those who follow the child now, at the school that recorded it; the
    # school that recorded a dated fact keeps it, read-only, after the child leaves. A household (its
    # present state) follows the children living in it.
    "welfare.povertycriteria": _ref(),
    "welfare.povertyfactor": _ref(),
    "welfare.householdchild": _entry(Perm.VIEW_SENSITIVE, lambda a, p: _followed(a, p, "person")),
    "welfare.household": _entry(Perm.VIEW_SENSITIVE, lambda a, p: Q(pk__in=_households(a, p))),
    "welfare.householdmember": _entry(
        Perm.VIEW_SENSITIVE, lambda a, p: Q(household_id__in=_households(a, p))
    ),
    "welfare.householdversion": _entry(
        Perm.VIEW_SENSITIVE, lambda a, p: Q(household_id__in=_households(a, p))
    ),
    "welfare.povertyscreening": _entry(
        Perm.VIEW_SENSITIVE, _child_fact(day="term__starts_on", at_school=True), *_CARE
    ),
    "welfare.homevisit": _entry(Perm.VIEW_SENSITIVE, _child_fact(day="recorded_at__date", at_school=True)),
    "welfare.visitphoto": _entry(
        Perm.VIEW_SENSITIVE, _child_fact("visit__", day="recorded_at__date", at_school=True)
    ),
    "welfare.aptitude": _entry(Perm.VIEW_SENSITIVE, _child_fact(day="recorded_on", at_school=True)),
    # Licences: the holder, their school's staff office (VIEW_STAFF / MANAGE_STAFF_RECORDS) and the
    # Teachers Council (MANAGE_LICENCES anywhere means nationwide). Types and test rounds are open.
    "licences.licencetype": _ref(),
    "licences.licencetier": _ref(),
    "licences.licence": _entry(
        Perm.VIEW_STAFF,
        lambda a, p: _licence_holders(a, p, ""),
        Perm.MANAGE_STAFF_RECORDS,
        Perm.MANAGE_LICENCES,
    ),
    "licences.renewalrequest": _entry(
        Perm.VIEW_STAFF,
        lambda a, p: _licence_holders(a, p, "licence__"),
        Perm.MANAGE_STAFF_RECORDS,
        Perm.MANAGE_LICENCES,
    ),
    "licences.testround": _ref(),
    "licences.testsubject": _ref(),
    "licences.testcentre": _ref(),
    "licences.registration": _entry(
        Perm.VIEW_STAFF, lambda a, p: _candidates(a, p, ""), Perm.MANAGE_LICENCES
    ),
    "licences.testresult": _entry(
        Perm.VIEW_STAFF, lambda a, p: _candidates(a, p, "registration__"), Perm.MANAGE_LICENCES
    ),
    # Summary counts: a school's own for its principal, an area's or agency's for its officers and analysts
    # (who see them only as suppressed aggregates); a teacher's class through VIEW_STUDENTS.
    "insights.fillstate": _ref(),
    "insights.classday": _entry(
        Perm.VIEW_AGGREGATES, lambda a, p: _reach(a, p).units("school__", "classroom_id"), Perm.VIEW_STUDENTS
    ),
    "insights.classmonthcode": _entry(
        Perm.VIEW_AGGREGATES, lambda a, p: _reach(a, p).units("school__", "classroom_id"), Perm.VIEW_STUDENTS
    ),
    "insights.schoolmonth": _entry(Perm.VIEW_AGGREGATES, lambda a, p: _reach(a, p).schools("school__")),
    "insights.gradecount": _entry(
        Perm.VIEW_AGGREGATES, lambda a, p: _reach(a, p).units("school__", "classroom_id"), Perm.VIEW_STUDENTS
    ),
    "insights.nutritioncount": _entry(Perm.VIEW_AGGREGATES, lambda a, p: _reach(a, p).schools("school__")),
    "insights.goal": _entry(
        Perm.VIEW_AGGREGATES, lambda a, p: _reach(a, p).schools("school__"), Perm.SET_GOALS
    ),
    # An area's early-warning rule: read by whoever reaches one of its schools (a flag says which rule
    # fired), changed by its office (SET_GOALS: the same office that sets the schools' targets).
    "earlywarning.abcrule": _entry(
        Perm.VIEW_SCHOOL,
        lambda a, p: Q(
            area_id__in=_model("org.school")._default_manager.filter(_schools(a, p)).values("area_id")
        ),
        Perm.SET_GOALS,
    ),
}


def _audit_lookups(actor: Any) -> Q:
    """Look-ups: one's own, and every one for the system admin."""
    return ALL if _reach(actor, Perm.VIEW_AUDIT).everything else NOTHING


def rules() -> dict[str, frozenset[Perm]]:
    """Model label → the permissions its rule answers (for the authorisation matrix and the docs)."""
    return {label: entry.perms for label, entry in _RULES.items()}


def visible(actor: Any, model: type[models.Model], perm: Perm | None = None) -> Q:
    """Fail-closed: an anonymous actor, a model with no rule, or a permission the rule does not answer
    sees nothing."""
    entry = _RULES.get(model._meta.label_lower)
    if entry is None or actor is None or not getattr(actor, "is_authenticated", False):
        return NOTHING
    perm = perm or entry.default
    if perm not in entry.perms:
        return NOTHING
    return entry.rule(actor, perm)


def followed(actor: Any, perm: Perm, person_ids: Any) -> set[int]:
    """Those of the children (person ids) the actor follows now with perm: enrolled today in a school or a
    class in reach. A write about a child who has left (transferred, graduated) is refused by this."""
    person = _model("people.person")._default_manager
    return set(person.filter(_followed(actor, perm, ""), pk__in=person_ids).values_list("pk", flat=True))


def can(actor: Any, perm: Perm, obj: models.Model) -> bool:
    model = type(obj)
    # Units on the hot paths: when the memberships already read say yes, that is the rule's answer.
    label = model._meta.label_lower
    if label == "org.classroom" and _class_in_reach(actor, perm, obj):
        return True
    if label == "org.school" and (
        obj.pk in _reach(actor, perm).classroom_school_ids or school_in_reach(actor, perm, obj)
    ):
        return True
    return model._default_manager.filter(visible(actor, model, perm), pk=obj.pk).exists()


def _class_in_reach(actor: Any, perm: Perm, classroom: Any) -> bool:
    """The classroom rule's first clauses (a class taught, its school an office's), tested on one row."""
    reach = _reach(actor, perm)
    classes = reach.classroom_ids | (reach.past_classroom_ids if perm in READS else set())
    return reach.everything or classroom.pk in classes or classroom.school_id in reach.school_ids


def require(actor: Any, perm: Perm, obj: models.Model) -> None:
    """Refuse (NotAllowed) unless the actor holds perm on obj: the one check every service starts with."""
    if not can(actor, perm, obj):
        raise NotAllowed()


def school_filter(actor: Any, perm: Perm, path: str = "") -> Q:
    """Rows whose school (at `path`) the actor reaches as a whole (its office, principal, area or agency),
    not only through a class taught."""
    return _reach(actor, perm).schools(path)


def school_in_reach(actor: Any, perm: Perm, school: Any) -> bool:
    """Reach over the whole school with perm (office, care team, principal, area), not only a class's.
    Decided from the memberships already read: `school_filter` as a test of one row, with no query."""
    reach = _reach(actor, perm)
    if reach.everything or school.pk in reach.school_ids or school.area_id in reach.area_ids:
        return True
    return bool(reach.agency_ids) and school.area.agency_id in reach.agency_ids


def agency_in_reach(actor: Any, perm: Perm, agency: models.Model) -> bool:
    """Whether the actor holds perm over a whole agency (its central office, or everything)."""
    reach = _reach(actor, perm)
    return reach.everything or agency.pk in reach.agency_ids


def area_filter(actor: Any, perm: Perm) -> Q:
    """Areas (org.Area rows) the actor reaches with perm, as an office or through its agency."""
    reach = _reach(actor, perm)
    if reach.everything:
        return ALL
    return Q(pk__in=reach.area_ids) | Q(agency_id__in=reach.agency_ids)


def holds(actor: Any, perm: Perm, *, above_school: bool = False) -> bool:
    """Whether the actor holds perm anywhere (with `above_school`, over an area, an agency or everything)."""
    reach = _reach(actor, perm)
    if above_school:
        return bool(reach.everything or reach.area_ids or reach.agency_ids)
    return not reach.empty


def only_school(actor: Any, perm: Perm) -> int | None:
    """The one school the actor reaches with perm as a school office, if exactly one and nothing above."""
    reach = _reach(actor, perm)
    if reach.everything or reach.area_ids or reach.agency_ids or len(reach.school_ids) != 1:
        return None
    return next(iter(reach.school_ids))


def is_system_admin(actor: Any) -> bool:
    return _reach(actor, Perm.VIEW_AUDIT).everything


def dangerously_unscoped(*, reason: str) -> Any:
    """The system actor for jobs that must act everywhere (scheduled reports, recounts): a real user row
    with no password and no memberships, whose reach over everything lives only in this process. Every use
    is audited with its reason."""
    from khru.core import audit  # core.audit imports nothing from org; imported here to keep scope light

    user_model = _model("org.user")
    user, created = user_model._default_manager.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": True}
    )
    if created:
        user.set_unusable_password()  # type: ignore[attr-defined]
        user.save(update_fields=["password"])
    user._khru_reach = {perm: _Reach(everything=True) for perm in Perm}  # type: ignore[attr-defined]
    audit.record(actor=user, action=audit.Action.READ, obj=user, summary=f"unscoped: {reason}")
    return user


SYSTEM_USERNAME = "khru-system"
