"""Reads about people: every one filtered by the access policy; sensitive reads are audited."""

import base64
import re
from typing import Any

from django.db.models import Q, QuerySet

from khru.core import audit
from khru.core.errors import NotAllowed
from khru.core.identity import normalise_identifier
from khru.org import scope
from khru.org.models import Classroom, School
from khru.org.roles import Perm
from khru.people.models import Enrolment, Guardianship, Person, RosterImport

SEARCH_LIMIT = 20


def enrolments(*, actor: Any, perm: Perm = Perm.VIEW_STUDENTS) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(scope.visible(actor, Enrolment, perm))


def current_students(*, actor: Any, school: School) -> QuerySet[Enrolment]:
    """Open enrolments at a school, with the person, in a stable order."""
    return (
        enrolments(actor=actor)
        .filter(school=school, ends_on__isnull=True)
        .select_related("person", "classroom")
        .order_by("person_id")
    )


def class_list(*, actor: Any, classroom: Classroom) -> QuerySet[Enrolment]:
    return (
        enrolments(actor=actor)
        .filter(classroom=classroom, ends_on__isnull=True)
        .select_related("person")
        .order_by("student_number", "person__first_name_th")
    )


def search_students(*, actor: Any, query: str, school: School | None = None) -> list[Enrolment]:
    """Find a student by citizen ID / G code, student number, or name parts (prefix match, Thai or English).

    Returns each student's latest visible enrolment, at most SEARCH_LIMIT.
    """
    text = query.strip()
    if not text:
        return []
    identifier = normalise_identifier(text)
    persons = Person.objects.all()
    if re.fullmatch(r"\d{13}|G\d{12}", identifier):
        persons = persons.filter(citizen_id=identifier)
    elif identifier.isdigit():
        numbers = enrolments(actor=actor).filter(student_number=identifier)
        if school is not None:
            numbers = numbers.filter(school=school)
        persons = persons.filter(Q(pk__in=numbers.values("person_id")) | Q(citizen_id__startswith=identifier))
    else:
        words = text.split()
        first = words[0]
        name_q = (
            Q(first_name_th__startswith=first)
            | Q(last_name_th__startswith=first)
            | Q(first_name_en__istartswith=first)
            | Q(last_name_en__istartswith=first)
        )
        if len(words) > 1:
            rest = words[1]
            name_q = (Q(first_name_th__startswith=first) & Q(last_name_th__startswith=rest)) | (
                Q(first_name_en__istartswith=first) & Q(last_name_en__istartswith=rest)
            )
        persons = persons.filter(name_q)
    visible = enrolments(actor=actor)
    if school is not None:
        visible = visible.filter(school=school)
    person_ids = list(
        persons.filter(pk__in=visible.values("person_id"))
        .order_by("first_name_th", "pk")
        .values_list("pk", flat=True)[:SEARCH_LIMIT]
    )
    latest: dict[int, Enrolment] = {}
    for enrolment in visible.filter(person_id__in=person_ids).select_related("person", "school", "classroom"):
        known = latest.get(enrolment.person_id)
        if known is None or (enrolment.starts_on, enrolment.pk) > (known.starts_on, known.pk):
            latest[enrolment.person_id] = enrolment
    return [latest[pk] for pk in person_ids if pk in latest]


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
    """Every enrolment of the person, across schools and agencies, oldest first.

    Whoever may see the student sees the whole path: a receiving school needs to know where a child came from.
    """
    if not Person.objects.filter(scope.visible(actor, Person), pk=person.pk).exists():
        raise NotAllowed()
    return (
        Enrolment.objects.filter(person=person)
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


def students_page(
    *, actor: Any, school: School, after: str | None, limit: int
) -> tuple[list[Enrolment], str | None]:
    """A page of a school's current students by keyset (person id), so deep pages cost the same as the first."""
    rows = current_students(actor=actor, school=school)
    if after:
        rows = rows.filter(person_id__gt=decode_cursor(after))
    page = list(rows[: limit + 1])
    next_cursor = encode_cursor(page[limit - 1].person_id) if len(page) > limit else None
    return page[:limit], next_cursor


def person_by_identifier(*, identifier: str) -> Person:
    """The person with a citizen ID / G code, for a receiving school that knows the number from the papers.

    Visibility is not required: the transfer service checks that the actor may enrol at the destination.
    """
    from khru.core.errors import problem

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
