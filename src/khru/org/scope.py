"""The one access policy. Every selector starts here; a model with no rule is visible to nobody.

`visible(actor, Model, perm)` gives a Q filter for the rows the actor may see with that permission;
`can(actor, perm, obj)` asks the same question of one object. Reach comes only from memberships.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

from khru.core.errors import NotAllowed
from khru.org.roles import ROLE_PERMS, Perm, Role

NOTHING = Q(pk__in=[])
# A condition that is always true. Not Q(): an empty Q vanishes when OR-ed with another condition.
ALL = Q(pk__isnull=False)


@dataclass
class Reach:
    """The organisation units where an actor holds one permission."""

    everything: bool = False
    agency_ids: set[int] = field(default_factory=set)
    area_ids: set[int] = field(default_factory=set)
    school_ids: set[int] = field(default_factory=set)
    classroom_ids: set[int] = field(default_factory=set)
    classroom_school_ids: set[int] = field(default_factory=set)  # schools seen through a class taught

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

    def schools_or_classrooms(self, school_path: str, classroom_field: str) -> Q:
        q = self.schools(school_path)
        if self.classroom_ids and not self.everything:
            q |= Q(**{f"{classroom_field}__in": self.classroom_ids})
        return q


def _reach(actor: Any, perm: Perm) -> Reach:
    """Memberships are read once per request and cached on the user object."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Reach()
    cache: dict[Perm, Reach] | None = getattr(actor, "_khru_reach", None)
    if cache is None:
        cache = {p: Reach() for p in Perm}
        today = date.today()
        memberships = actor.memberships.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=today),
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        ).values_list("role", "agency_id", "area_id", "school_id", "classroom_id", "classroom__school_id")
        for role, agency_id, area_id, school_id, classroom_id, classroom_school_id in memberships:
            for p in ROLE_PERMS.get(role, frozenset()):
                reach = cache[p]
                if role == Role.SYSTEM_ADMIN:
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


def forget(actor: Any) -> None:
    """Drop the cached reach (after memberships change within a request or test)."""
    actor.__dict__.pop("_khru_reach", None)


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _student_ids(actor: Any, perm: Perm) -> models.QuerySet:
    """Persons enrolled (now or before) where the actor holds perm: a subquery, so no duplicate rows."""
    return _model("people.enrolment")._default_manager.filter(_enrolments(actor, perm)).values("person_id")


def _enrolments(actor: Any, perm: Perm) -> Q:
    return _reach(actor, perm).schools_or_classrooms("school__", "classroom_id")


def _class_unit(actor: Any, perm: Perm, path: str) -> Q:
    """Rows that belong to a school and a classroom (at `path`), in reach through either."""
    return _reach(actor, perm).schools_or_classrooms(f"{path}school__", f"{path}classroom_id")


def _persons(actor: Any, perm: Perm) -> Q:
    staff = _model("people.staffpost")._default_manager.filter(
        _reach(actor, Perm.VIEW_STAFF).schools("school__")
    )
    return Q(user=actor) | Q(pk__in=_student_ids(actor, perm)) | Q(pk__in=staff.values("person_id"))


def _everyone(actor: Any, perm: Perm) -> Q:
    return ALL


def _schools(actor: Any, perm: Perm) -> Q:
    reach = _reach(actor, perm)
    return reach.schools() | Q(pk__in=reach.classroom_school_ids)


def _audit(actor: Any, perm: Perm) -> Q:
    """Events of the schools where the actor holds VIEW_AUDIT (a principal's school, an officer's area);
    events with no school (system jobs, reference data) only for the system admin. Answers VIEW_AUDIT only."""
    if perm != Perm.VIEW_AUDIT:
        return NOTHING
    reach = _reach(actor, perm)
    if reach.everything:
        return ALL
    schools = _model("org.school")._default_manager.filter(reach.schools()).values("pk")
    return Q(school_id__in=schools)


def _own(actor: Any, perm: Perm) -> Q:
    return Q(user=actor)


Rule = Callable[[Any, Perm], Q]


def _staff_record(path: str) -> Rule:
    """A teacher's record (person at `path`): their own to read, their school's staff with perm."""

    def rule(actor: Any, perm: Perm) -> Q:
        posts = _model("people.staffpost")._default_manager.filter(_reach(actor, perm).schools("school__"))
        q = Q(**{f"{path}_id__in": posts.values("person_id")})
        return q | Q(**{f"{path}__user": actor}) if perm == Perm.VIEW_STAFF else q

    return rule


# model label → (permission a plain "view" needs, rule). Reference data is open to any signed-in user.
_RULES: dict[str, tuple[Perm, Rule]] = {
    "core.province": (Perm.VIEW_SCHOOL, _everyone),
    "core.district": (Perm.VIEW_SCHOOL, _everyone),
    "core.subdistrict": (Perm.VIEW_SCHOOL, _everyone),
    "core.auditevent": (Perm.VIEW_AUDIT, _audit),
    "org.agency": (Perm.VIEW_SCHOOL, _everyone),
    "org.area": (Perm.VIEW_SCHOOL, _everyone),
    "org.academicyear": (Perm.VIEW_SCHOOL, _everyone),
    "org.term": (Perm.VIEW_SCHOOL, _everyone),
    "org.school": (Perm.VIEW_SCHOOL, _schools),
    "org.classroom": (
        Perm.VIEW_SCHOOL,
        lambda a, p: _reach(a, p).schools("school__") | Q(pk__in=_reach(a, p).classroom_ids),
    ),
    "org.membership": (
        Perm.MANAGE_CLASSES,
        lambda a, p: (
            Q(user=a) | _reach(a, p).schools("school__") | _reach(a, p).schools("classroom__school__")
        ),
    ),
    "org.user": (Perm.VIEW_AUDIT, lambda a, p: Q(pk=a.pk) | (ALL if _reach(a, p).everything else NOTHING)),
    "people.person": (Perm.VIEW_STUDENTS, _persons),
    "people.enrolment": (Perm.VIEW_STUDENTS, _enrolments),
    "people.guardianship": (Perm.VIEW_SENSITIVE, lambda a, p: Q(student__in=_student_ids(a, p))),
    "people.staffpost": (Perm.VIEW_STAFF, lambda a, p: Q(person__user=a) | _reach(a, p).schools("school__")),
    "people.rosterimport": (Perm.MANAGE_ENROLMENT, lambda a, p: _reach(a, p).schools("school__")),
    "exchange.apitoken": (Perm.VIEW_SCHOOL, _own),
    "org.termlock": (Perm.VIEW_SCHOOL, lambda a, p: _reach(a, p).schools("school__")),
    "attendance.attendancecode": (Perm.VIEW_SCHOOL, _everyone),
    "attendance.register": (Perm.VIEW_STUDENTS, lambda a, p: _class_unit(a, p, "")),
    "attendance.mark": (Perm.VIEW_STUDENTS, lambda a, p: _class_unit(a, p, "register__")),
    "attendance.markchange": (Perm.VIEW_STUDENTS, lambda a, p: _class_unit(a, p, "register__")),
    "attendance.submission": (Perm.VIEW_STUDENTS, lambda a, p: _class_unit(a, p, "register__")),
    "attendance.leaverequest": (Perm.VIEW_STUDENTS, lambda a, p: Q(person_id__in=_student_ids(a, p))),
    "assessment.course": (Perm.VIEW_STUDENTS, lambda a, p: _class_unit(a, p, "")),
    "assessment.assessmentitem": (Perm.VIEW_STUDENTS, lambda a, p: _class_unit(a, p, "course__")),
    "assessment.score": (Perm.VIEW_STUDENTS, lambda a, p: _class_unit(a, p, "item__course__")),
    "assessment.scorechange": (Perm.VIEW_STUDENTS, lambda a, p: _class_unit(a, p, "item__course__")),
    "assessment.result": (Perm.VIEW_STUDENTS, lambda a, p: _class_unit(a, p, "course__")),
    # A child's measurements follow the child (growth over the years, across classes and schools).
    "health.measurement": (Perm.VIEW_SENSITIVE, lambda a, p: Q(person_id__in=_student_ids(a, p))),
    "health.measurementchange": (
        Perm.VIEW_SENSITIVE,
        lambda a, p: Q(measurement__person_id__in=_student_ids(a, p)),
    ),
    # Built-in questionnaires are for everyone, a school's own form for that school. Answers and screenings
    # are sensitive: the child's homeroom teacher or the school's care team, at the school that recorded them.
    "care.questionnaire": (
        Perm.VIEW_SCHOOL,
        lambda a, p: (
            Q(school__isnull=True)
            | Q(school__in=_model("org.school")._default_manager.filter(_schools(a, p)).values("pk"))
        ),
    ),
    "care.response": (
        Perm.VIEW_SENSITIVE,
        lambda a, p: Q(
            person_id__in=_student_ids(a, p),
            school__in=_model("org.school")._default_manager.filter(_schools(a, p)).values("pk"),
        ),
    ),
    "care.answer": (
        Perm.VIEW_SENSITIVE,
        lambda a, p: Q(
            response__in=_model("care.response")
            ._default_manager.filter(visible(a, _model("care.response"), p))
            .values("pk")
        ),
    ),
    "care.screening": (
        Perm.VIEW_SENSITIVE,
        lambda a, p: Q(
            person_id__in=_student_ids(a, p),
            school__in=_model("org.school")._default_manager.filter(_schools(a, p)).values("pk"),
        ),
    ),
    # Issued documents: the school's own (the public verify page reads by code, not through this rule).
    "reports.issueddocument": (Perm.VIEW_SCHOOL, lambda a, p: _reach(a, p).schools("school__")),
    "reports.reportrun": (Perm.VIEW_SCHOOL, lambda a, p: Q(requested_by=a)),
    "teachers.developmentactivity": (Perm.VIEW_STAFF, _staff_record("person")),
    "teachers.appointment": (Perm.VIEW_STAFF, _staff_record("person")),
    "teachers.standingrecord": (Perm.VIEW_STAFF, _staff_record("person")),
    "teachers.performanceagreement": (Perm.VIEW_STAFF, _staff_record("person")),
    "teachers.paassessment": (Perm.VIEW_STAFF, _staff_record("agreement__person")),
    "teachers.award": (Perm.VIEW_STAFF, _staff_record("person")),
    # Discipline: the person and their school's office, not the area's read-only view.
    "teachers.disciplinerecord": (
        Perm.MANAGE_STAFF_RECORDS,
        lambda a, p: _staff_record("person")(a, p) | Q(person__user=a),
    ),
    "teachers.parule": (Perm.VIEW_SCHOOL, _everyone),
    "teachers.trainingcourse": (Perm.VIEW_SCHOOL, _everyone),
    # Providers are listed to anyone; importing for one needs IMPORT_TRAINING (system admin).
    "teachers.trainingprovider": (
        Perm.VIEW_SCHOOL,
        lambda a, p: ALL if p == Perm.VIEW_SCHOOL or _reach(a, p).everything else NOTHING,
    ),
    "teachers.completionimport": (
        Perm.IMPORT_TRAINING,
        lambda a, p: ALL if _reach(a, p).everything else NOTHING,
    ),
    # Family and welfare (sensitive): those who see the child's sensitive data, at the school that recorded
    # it (homeroom teacher, care team, office, principal). A household follows any child living in it.
    "welfare.povertycriteria": (Perm.VIEW_SCHOOL, _everyone),
    "welfare.povertyfactor": (Perm.VIEW_SCHOOL, _everyone),
    "welfare.householdchild": (Perm.VIEW_SENSITIVE, lambda a, p: Q(person_id__in=_student_ids(a, p))),
    "welfare.household": (Perm.VIEW_SENSITIVE, lambda a, p: Q(pk__in=_households(a, p))),
    "welfare.householdmember": (Perm.VIEW_SENSITIVE, lambda a, p: Q(household_id__in=_households(a, p))),
    "welfare.householdversion": (Perm.VIEW_SENSITIVE, lambda a, p: Q(household_id__in=_households(a, p))),
    "welfare.povertyscreening": (Perm.VIEW_SENSITIVE, lambda a, p: _child_at_school(a, p)),
    "welfare.homevisit": (Perm.VIEW_SENSITIVE, lambda a, p: _child_at_school(a, p)),
    "welfare.visitphoto": (Perm.VIEW_SENSITIVE, lambda a, p: _child_at_school(a, p, "visit__")),
    "welfare.aptitude": (Perm.VIEW_SENSITIVE, lambda a, p: _child_at_school(a, p)),
    # Licences: the holder, their school's staff office (VIEW_STAFF / MANAGE_STAFF_RECORDS) and the
    # Teachers Council (MANAGE_LICENCES anywhere means nationwide). Types and test rounds are open.
    "licences.licencetype": (Perm.VIEW_SCHOOL, _everyone),
    "licences.licencetier": (Perm.VIEW_SCHOOL, _everyone),
    "licences.licence": (Perm.VIEW_STAFF, lambda a, p: _licence_holders(a, p, "")),
    "licences.renewalrequest": (Perm.VIEW_STAFF, lambda a, p: _licence_holders(a, p, "licence__")),
    "licences.testround": (Perm.VIEW_SCHOOL, _everyone),
    "licences.testsubject": (Perm.VIEW_SCHOOL, _everyone),
    "licences.testcentre": (Perm.VIEW_SCHOOL, _everyone),
    "licences.registration": (Perm.VIEW_STAFF, lambda a, p: _candidates(a, p, "")),
    "licences.testresult": (Perm.VIEW_STAFF, lambda a, p: _candidates(a, p, "registration__")),
    # Summary counts: a school's own for its principal, an area's or agency's for its officers and analysts
    # (who see them only as suppressed aggregates); a teacher's class through VIEW_STUDENTS.
    "insights.fillstate": (Perm.VIEW_SCHOOL, _everyone),
    "insights.classday": (Perm.VIEW_AGGREGATES, lambda a, p: _class_unit(a, p, "")),
    "insights.classmonthcode": (Perm.VIEW_AGGREGATES, lambda a, p: _class_unit(a, p, "")),
    "insights.schoolmonth": (Perm.VIEW_AGGREGATES, lambda a, p: _reach(a, p).schools("school__")),
    "insights.gradecount": (Perm.VIEW_AGGREGATES, lambda a, p: _class_unit(a, p, "")),
    "insights.nutritioncount": (Perm.VIEW_AGGREGATES, lambda a, p: _reach(a, p).schools("school__")),
    "insights.goal": (Perm.VIEW_AGGREGATES, lambda a, p: _reach(a, p).schools("school__")),
    # Care notes and interventions: the same rule as care screenings (homeroom teacher, school care team).
    "care.carenote": (Perm.VIEW_SENSITIVE, lambda a, p: _child_at_school(a, p)),
    "care.carenoteversion": (Perm.VIEW_SENSITIVE, lambda a, p: _child_at_school(a, p, "note__")),
    "care.intervention": (Perm.VIEW_SENSITIVE, lambda a, p: _child_at_school(a, p)),
    "care.interventionchange": (Perm.VIEW_SENSITIVE, lambda a, p: _child_at_school(a, p, "intervention__")),
}


def _households(actor: Any, perm: Perm) -> models.QuerySet:
    return (
        _model("welfare.householdchild")
        ._default_manager.filter(person_id__in=_student_ids(actor, perm))
        .values("household_id")
    )


def _child_at_school(actor: Any, perm: Perm, path: str = "") -> Q:
    """A child the actor may see (with perm), in a row recorded at a school within the actor's reach."""
    return Q(
        **{
            f"{path}person_id__in": _student_ids(actor, perm),
            f"{path}school__in": _model("org.school")
            ._default_manager.filter(_schools(actor, perm))
            .values("pk"),
        }
    )


def _council(actor: Any) -> bool:
    reach = _reach(actor, Perm.MANAGE_LICENCES)
    return bool(reach.everything or reach.agency_ids or reach.area_ids or reach.school_ids)


def _licence_holders(actor: Any, perm: Perm, path: str) -> Q:
    """Own licences; a school's staff for VIEW_STAFF or MANAGE_STAFF_RECORDS there; the council sees (and
    manages) every licence but does not act as a school's office."""
    if perm in (Perm.VIEW_STAFF, Perm.MANAGE_LICENCES) and _council(actor):
        return ALL
    own = Q(**{f"{path}person__user": actor})
    if perm not in (Perm.VIEW_STAFF, Perm.MANAGE_STAFF_RECORDS):
        return own if perm != Perm.MANAGE_LICENCES else NOTHING
    staff = _model("people.staffpost")._default_manager.filter(_reach(actor, perm).schools("school__"))
    return own | Q(**{f"{path}person_id__in": staff.values("person_id")})


def _candidates(actor: Any, perm: Perm, path: str) -> Q:
    """A candidate sees their own registrations and results; the council sees all."""
    if _council(actor):
        return ALL
    return Q(**{f"{path}person__user": actor}) if perm != Perm.MANAGE_LICENCES else NOTHING


def visible(actor: Any, model: type[models.Model], perm: Perm | None = None) -> Q:
    """Fail-closed: an anonymous actor, or a model with no rule, sees nothing."""
    entry = _RULES.get(model._meta.label_lower)
    if entry is None or actor is None or not getattr(actor, "is_authenticated", False):
        return NOTHING
    default, function = entry
    return function(actor, perm or default)


def can(actor: Any, perm: Perm, obj: models.Model) -> bool:
    model = type(obj)
    return model._default_manager.filter(visible(actor, model, perm), pk=obj.pk).exists()


def require(actor: Any, perm: Perm, obj: models.Model) -> None:
    """Refuse (NotAllowed) unless the actor holds perm on obj: the one check every service starts with."""
    if not can(actor, perm, obj):
        raise NotAllowed()


def is_system_admin(actor: Any) -> bool:
    return _reach(actor, Perm.VIEW_AUDIT).everything


def reach(actor: Any, perm: Perm) -> Reach:
    return _reach(actor, perm)
