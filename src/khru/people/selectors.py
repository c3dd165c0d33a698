"""Reads about people: every one filtered by the access policy; sensitive reads are audited."""

import base64
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Upper

from khru.core import audit
from khru.core.db import byte_order
from khru.core.errors import NotAllowed, problem
from khru.core.identity import normalise_identifier
from khru.org import scope
from khru.org.models import Classroom, School
from khru.org.roles import Perm
from khru.people.models import (
    DEFAULT_REPEAT_FROM_FAILURES,
    Enrolment,
    Guardianship,
    Person,
    PromotionRule,
    RosterImport,
)
from khru.people.prefixes import derived_prefix

SEARCH_LIMIT = 20


def enrolments(*, actor: Any, perm: Perm = Perm.VIEW_STUDENTS) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(scope.visible(actor, Enrolment, perm))


def class_list(*, actor: Any, classroom: Classroom) -> list[Enrolment]:
    """A class's current students; the list is a bulk read of identities, audited once."""
    rows = list(
        enrolments(actor=actor)
        .filter(classroom=classroom, ends_on__isnull=True)
        .select_related("person")
        .order_by("student_number", "person__first_name_th")
    )
    audit.record_bulk_read(
        actor=actor,
        model=Person,
        filters={"classroom": str(classroom.uuid)},
        count=len(rows),
        school_id=classroom.school_id,
    )
    return rows


THAI = re.compile(r"[\u0e00-\u0e7f]")


def _name_searches(text: str) -> list[tuple[Q, Any]]:
    """(filter, order) pairs for a name query. Each pair is served by one byte-ordered index, so the query
    stops after SEARCH_LIMIT rows instead of sorting every match (a first-or-last OR defeats that)."""
    words = text.split()
    thai = bool(THAI.search(text))
    first_field, last_field = ("first_name_th", "last_name_th") if thai else ("first_name_en", "last_name_en")
    lookup = "startswith" if thai else "istartswith"

    def order(field: str) -> Any:
        return byte_order(field) if thai else byte_order(Upper(field))

    if len(words) > 1:
        both = Q(**{f"{first_field}__{lookup}": words[0], f"{last_field}__{lookup}": words[1]})
        return [(both, order(first_field))]
    return [(Q(**{f"{field}__{lookup}": words[0]}), order(field)) for field in (first_field, last_field)]


def search_students(*, actor: Any, query: str, school: School | None = None) -> list[Enrolment]:
    """Find a student by citizen ID / G code, student number, or name parts (prefix match, Thai or English).

    Returns each student's latest visible enrolment, at most SEARCH_LIMIT.
    """
    text = query.strip()
    if not text:
        return []
    visible = enrolments(actor=actor)
    if school is not None:
        visible = visible.filter(school=school)
    students = Person.objects.filter(pk__in=visible.values("person_id"))
    identifier = normalise_identifier(text)
    if re.fullmatch(r"\d{13}|G\d{12}", identifier):
        searches = [(Q(citizen_id=identifier), F("pk"))]
    elif identifier.isdigit():
        searches = [(Q(pk__in=visible.filter(student_number=identifier).values("person_id")), F("pk"))]
    else:
        searches = _name_searches(text)
        if len(searches) > 1 and (
            school is not None or not scope.holds(actor, Perm.VIEW_STUDENTS, above_school=True)
        ):
            # A school's few thousand children are found from the school's side in one query: no need to
            # walk each name index separately.
            combined = Q()
            for condition, _ in searches:
                combined |= condition
            searches = [(combined, searches[0][1])]
    person_ids: list[int] = []
    for condition, order in searches:
        found = students.filter(condition).order_by(order, "pk").values_list("pk", flat=True)[:SEARCH_LIMIT]
        person_ids += [pk for pk in found if pk not in person_ids]
    person_ids = person_ids[:SEARCH_LIMIT]
    latest: dict[int, Enrolment] = {}
    for enrolment in visible.filter(person_id__in=person_ids).select_related("person", "school", "classroom"):
        known = latest.get(enrolment.person_id)
        if known is None or (enrolment.starts_on, enrolment.pk) > (known.starts_on, known.pk):
            latest[enrolment.person_id] = enrolment
    results = [latest[pk] for pk in person_ids if pk in latest]
    audit.record_bulk_read(
        actor=actor,
        model=Person,
        filters={"q": text, "school": school.code if school else None},
        count=len(results),
        school_id=school.pk if school else _shared_school(results),
    )
    return results


def _shared_school(rows: list[Enrolment]) -> int | None:
    """The school of a list's rows when they all share one (so that school's principal sees the read)."""
    schools = {e.school_id for e in rows}
    return schools.pop() if len(schools) == 1 else None


def class_children(
    *, actor: Any, classroom: Classroom, uuids: list[Any], perm: Perm, field: str = "student"
) -> dict[Any, int]:
    """Person ids for the children's UUIDs a save (with perm) names: children of this class whom the actor
    follows now. Any other UUID (unknown, another school's child, a child who has left) is refused with the
    same words, so a save never tells who exists or studies where."""
    enrolled = dict(
        Enrolment.objects.filter(classroom=classroom, person__uuid__in=uuids)
        .values_list("person__uuid", "person_id")
        .distinct()
    )
    # The policy, not the class list alone: the reach to a child who has left ends with the enrolment.
    followed = scope.followed(actor, perm, list(enrolled.values()))
    ids = {uuid: pk for uuid, pk in enrolled.items() if pk in followed}
    unknown = [u for u in uuids if u not in ids]
    if unknown:
        raise problem(
            field, "ไม่พบนักเรียนในห้องนี้", f"student {unknown[0]} is not in this class", field_th="นักเรียน"
        )
    return ids


def get_student(*, actor: Any, uuid: str, sensitive: bool = False) -> Person:
    """One student. With sensitive=True (address, guardians) the read needs VIEW_SENSITIVE and is audited."""
    perm = Perm.VIEW_SENSITIVE if sensitive else Perm.VIEW_STUDENTS
    person = Person.objects.filter(scope.visible(actor, Person, perm), uuid=uuid).first()
    if person is None:
        raise NotAllowed()
    if sensitive:
        audit.record(actor=actor, action=audit.Action.READ, obj=person, summary="student record")
    return person


def history(*, actor: Any, person: Person) -> QuerySet[Enrolment]:
    """The person's enrolments the actor may see, oldest first: the whole path, across schools and agencies,
    for a school that has the child now (it needs to know where the child came from); for a school the child
    has left, its own enrolments only (nothing after the exit but where the child went)."""
    if not Person.objects.filter(scope.visible(actor, Person), pk=person.pk).exists():
        raise NotAllowed()
    return (
        enrolments(actor=actor)
        .filter(person=person)
        .select_related("school__area__agency", "classroom", "academic_year", "to_school")
        .order_by("starts_on", "pk")
    )


def guardians(*, actor: Any, person: Person) -> QuerySet[Guardianship]:
    return Guardianship.objects.filter(scope.visible(actor, Guardianship), student=person).select_related(
        "guardian"
    )


def roster_imports(*, actor: Any, school: School) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(scope.visible(actor, RosterImport), school=school).defer("content")


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        return int(base64.urlsafe_b64decode(padded.encode()).decode())
    except ValueError as error:
        raise ValueError("bad cursor") from error


STUDENT_COLUMNS = {  # the API's field name: the column it comes from
    "uuid": "person__uuid",
    "citizen_id": "person__citizen_id",
    "prefix": "person__prefix",
    "first_name_th": "person__first_name_th",
    "last_name_th": "person__last_name_th",
    "first_name_en": "person__first_name_en",
    "last_name_en": "person__last_name_en",
    "birth_date": "person__birth_date",
    "sex": "person__sex",
    "grade": "grade",
    "student_number": "student_number",
}


def students_page(
    *, actor: Any, school: School, after: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a school's current students by keyset (person id), so deep pages cost the same as the first.

    One query of plain rows (only the columns the API returns, no model objects): the hot read of the API.
    """
    from khru.org.grades import label

    # Reach over the whole school sees every enrolment there: the general rule's subqueries would only cost
    # planning time on the hot read (a class teacher still goes through it).
    whole = scope.school_in_reach(actor, Perm.VIEW_STUDENTS, school)
    rows = (
        (Enrolment.objects.all() if whole else enrolments(actor=actor))
        .filter(school=school, ends_on__isnull=True)
        .order_by("person_id")
        .values(
            "person_id",
            "classroom__grade",
            "classroom__room",
            *(k for k, v in STUDENT_COLUMNS.items() if k == v),
            **{k: F(v) for k, v in STUDENT_COLUMNS.items() if k != v},
        )
    )
    if after:
        rows = rows.filter(person_id__gt=decode_cursor(after))
    page = cast(list[dict[str, Any]], list(rows[: limit + 1]))
    next_cursor = encode_cursor(page[limit - 1]["person_id"]) if len(page) > limit else None
    for row in page:
        grade, room = row.pop("classroom__grade"), row.pop("classroom__room")
        row["classroom"] = f"{label(grade)}/{room}" if grade else None
    audit.record_bulk_read(
        actor=actor,
        model=Person,
        filters={"school": school.code, "after": after, "limit": limit},
        count=len(page[:limit]),
        school_id=school.pk,
    )
    return page[:limit], next_cursor


def person_by_identifier(*, identifier: str) -> Person:
    """The person with a citizen ID / G code, for a receiving school that knows the number from the papers.

    Visibility is not required: the transfer service checks that the actor may enrol at the destination.
    """

    person = Person.objects.filter(citizen_id=normalise_identifier(identifier)).first()
    if person is None:
        raise problem(
            "citizen_id",
            "ไม่พบนักเรียนที่มีเลขนี้ ใช้การรับนักเรียนใหม่แทน",
            "no student has this ID: enrol them as new instead",
            field_th="เลขประจำตัวประชาชน",
        )
    return person


def open_counts_by_grade(*, actor: Any, school: School, year: Any) -> list[tuple[str, int]]:
    from django.db.models import Count

    from khru.org.grades import label

    rows = (
        enrolments(actor=actor)
        .filter(school=school, academic_year=year, ends_on__isnull=True)
        .values("grade")
        .annotate(n=Count("pk"))
    )
    counts = {r["grade"]: r["n"] for r in rows}
    from khru.org.grades import ORDER

    return [(label(g), counts[g]) for g in ORDER if g in counts]


def resolve_students(*, actor: Any, school: School, year: Any, identifiers: list[str]) -> set[int]:
    """Person ids of a school's students named by citizen ID or student number; unknown ones are refused."""
    from khru.core.errors import KhruError, Problem

    rows = enrolments(actor=actor).filter(school=school, academic_year=year, ends_on__isnull=True)
    by_key: dict[str, int] = {}
    for person_id, citizen_id, number in rows.values_list(
        "person_id", "person__citizen_id", "student_number"
    ):
        by_key[citizen_id or ""] = person_id
        if number:
            by_key[number] = person_id
    unknown = [i for i in identifiers if normalise_identifier(i) not in by_key]
    if unknown:
        raise KhruError(
            *(
                Problem(
                    "repeaters", f"ไม่พบนักเรียน {i} ในปีนี้", f"no student {i} this year", field_th="นักเรียนซ้ำชั้น"
                )
                for i in unknown
            )
        )
    return {by_key[normalise_identifier(i)] for i in identifiers}


def roster_import(*, actor: Any, uuid: str) -> RosterImport | None:
    return (
        RosterImport.objects.filter(scope.visible(actor, RosterImport), uuid=uuid)
        .select_related("school")
        .first()
    )


# For reports: one student per row as plain values, streamed (a municipality's census never becomes a list of
# model objects).
REPORT_STUDENT_FIELDS = (
    "person_id",
    "student_number",
    "grade",
    "classroom_id",
    "classroom__uuid",
    "classroom__room",
    "school__code",
    "school__name_th",
    "person__citizen_id",
    "person__prefix",
    "person__first_name_th",
    "person__last_name_th",
    "person__sex",
    "person__birth_date",
    "person__house_no",
    "person__postal_code",
    "person__subdistrict__name_th",
    "person__subdistrict__district__name_th",
    "person__subdistrict__district__province__name_th",
    "person__blood_group",
    "person__religion",
    "person__ethnicity",
    "person__nationality",
    "person__disability",
    "person__disadvantage",
)


def report_students(
    *,
    actor: Any,
    on: Any,
    school: School | None = None,
    classroom: Classroom | None = None,
    area: Any = None,
    perm: Perm = Perm.VIEW_STUDENTS,
) -> Any:
    """Children enrolled on a day (in a class, a school or an area), in school, grade, room and number order,
    as dicts of REPORT_STUDENT_FIELDS, streamed in chunks."""
    from khru.org.grades import in_order

    found = (
        enrolments(actor=actor, perm=perm)
        .filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
    )
    if classroom is not None:
        found = found.filter(classroom=classroom)
    elif school is not None:
        found = found.filter(school=school)
    elif area is not None:
        found = found.filter(school__area=area)
    else:
        return iter(())
    return (
        found.order_by(
            "school__code", in_order(), "classroom__room", "student_number", "person__first_name_th", "pk"
        )
        .values(*REPORT_STUDENT_FIELDS)
        .iterator(chunk_size=2000)
    )


def count_students(
    *,
    actor: Any,
    on: Any,
    school: School | None = None,
    classroom: Classroom | None = None,
    area: Any = None,
    perm: Perm = Perm.VIEW_STUDENTS,
) -> int:
    found = (
        enrolments(actor=actor, perm=perm)
        .filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
    )
    if classroom is not None:
        return found.filter(classroom=classroom).count()
    if school is not None:
        return found.filter(school=school).count()
    return found.filter(school__area=area).count() if area is not None else 0


def guardians_of(*, actor: Any, person_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each child's guardians (sensitive: VIEW_SENSITIVE), primary first, as plain values."""
    by_child: dict[int, list[dict[str, Any]]] = {}
    rows = (
        Guardianship.objects.filter(
            scope.visible(actor, Guardianship, Perm.VIEW_SENSITIVE), student_id__in=person_ids
        )
        .order_by("student_id", "-is_primary", "pk")
        .values(
            "student_id",
            "relation",
            "is_primary",
            "guardian__prefix",
            "guardian__first_name_th",
            "guardian__last_name_th",
            "guardian__occupation",
            "guardian__phone",
        )
    )
    for row in rows:
        by_child.setdefault(row["student_id"], []).append(dict(row))
    return by_child


def schools_attended(*, actor: Any, person_ids: list[int]) -> dict[int, list[str]]:
    """For transcripts: the schools each child was enrolled at, oldest first, as far as the actor may see."""
    names: dict[int, list[str]] = {}
    for person_id, name in (
        enrolments(actor=actor)
        .filter(person_id__in=person_ids)
        .order_by("person_id", "starts_on", "pk")
        .values_list("person_id", "school__name_th")
    ):
        attended = names.setdefault(person_id, [])
        if name not in attended:
            attended.append(name)
    return names


def counts_by_classroom(
    *, actor: Any, school_ids: list[int], on: Any
) -> dict[int, tuple[int, str, int, int]]:
    """Children enrolled on a day per classroom: {classroom id: (school id, grade, room, count)}. Counts
    only, so an office may ask."""
    from django.db.models import Count

    rows = (
        enrolments(actor=actor, perm=Perm.VIEW_AGGREGATES)
        .filter(school_id__in=school_ids, classroom__isnull=False, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .values("classroom_id", "school_id", "grade", "classroom__room")
        .annotate(n=Count("pk"))
    )
    return {r["classroom_id"]: (r["school_id"], r["grade"], r["classroom__room"], r["n"]) for r in rows}


@dataclass(frozen=True)
class PrefixChange:
    person: Person
    old: str
    new: str


def prefix_changes(*, actor: Any, school: School, on: dt.date) -> list[PrefixChange]:
    """Students enrolled at the school on `on` whose prefix differs from the one their sex and birth date
    give (a child who turned 15 is นาย / นางสาว), for the registrar to confirm."""
    scope.require(actor, Perm.MANAGE_ENROLMENT, school)
    students = Person.objects.filter(
        scope.visible(actor, Person, Perm.MANAGE_ENROLMENT),
        pk__in=Enrolment.objects.filter(school=school, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .values("person_id"),
    ).order_by("first_name_th", "pk")
    changes = []
    for person in students:
        new = derived_prefix(sex=person.sex, birth_date=person.birth_date, on=on, typed=person.prefix)
        if new != person.prefix:
            changes.append(PrefixChange(person=person, old=person.prefix, new=new))
    return changes


def promotion_rules(*, school: School) -> dict[str, int | None]:
    """The school's rule for each level (from how many failed courses a child is suggested to repeat; None:
    re-take the courses instead), its own where set, else the default."""
    own = dict(PromotionRule.objects.filter(school=school).values_list("stage", "repeat_from_failures"))
    return {stage: own.get(stage, default) for stage, default in DEFAULT_REPEAT_FROM_FAILURES.items()}
