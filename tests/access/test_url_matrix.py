"""URL pattern × role × id kind: every URL of the project, asked by every role about objects of every kind.

The patterns come from the resolver (the API's included), so a new URL without an entry in expected.csv
fails. Each request runs in a savepoint that is rolled back (a POST that succeeds changes no later cell).
Regenerate the table with `KHRU_MATRIX_WRITE=1 pytest tests/access/test_url_matrix.py`, then review the diff
cell by cell: the notes column survives regeneration."""

import csv
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from khru.care.models import Questionnaire
from khru.org.models import Membership
from tests.access.conftest import KINDS, ROLES
from tests.access.rows import Place

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("expected.csv")
COLUMNS = ["name", "pattern", "method", "role", "kind", "outcome", "shows", "note"]
# A token of a row's free text (tests/access/rows.py) found in an answer names the row it came from.
TOKEN = re.compile(rb"q\d{5}z")
OUT_OF_REACH = {"other_school", "other_agency", "moved_out"}  # places whose rows nobody here should read
NO_CHILDREN = {"teacher", "area_officer", "analyst", "council"}  # roles that name no child (offices: look-up)
TEXT_TYPES = ("text/", "application/json", "image/svg")

Value = Callable[[Place], Any]


def _row(label: str, attr: str = "uuid") -> Value:
    return lambda place: getattr(place.rows[label], attr)


CHILD: Value = lambda place: place.child.uuid  # noqa: E731
CLASS: Value = lambda place: place.classroom.uuid  # noqa: E731
SCHOOL: Value = lambda place: place.school.code  # noqa: E731
STAFF: Value = lambda place: place.staff.uuid  # noqa: E731
SDQ: Value = lambda place: Questionnaire.objects.filter(school__isnull=True).order_by("pk").first().uuid  # noqa: E731


def _class_membership(place: Place) -> int:
    """A teacher's membership of the class (or, for a class with none, of its school)."""
    found = Membership.objects.filter(classroom=place.classroom).order_by("pk").first()
    return (found or place.rows["org.membership"]).pk


PLACES = KINDS[:4]  # own class, other class of the same school, other school, other agency
ALL = KINDS  # ... and the children who transferred out and in (their facts after / before)
AREAS = ["own", "other_school", "other_agency"]  # school 1's area, another area, another agency's area
NONE = ["-"]


@dataclass(frozen=True)
class Params:
    kinds: list[str]
    values: dict[str, Value]
    query: dict[str, Value]  # a list's required filters (the id it is about), sent in the query string


def _values(values: dict[str, Value | str]) -> dict[str, Value]:
    return {k: (v if callable(v) else (lambda place, v=v: v)) for k, v in values.items()}


def _p(kinds: list[str], query: dict[str, Value | str] | None = None, **values: Value | str) -> Params:
    return Params(kinds, _values(values), _values(query or {}))


STUDENT = _p(ALL, uuid=CHILD)
CLASSROOM = _p(PLACES, uuid=CLASS)
SCHOOL_CODE = _p(PLACES, code=SCHOOL)

# URL name → how to fill its path parameters, and which id kinds make sense for them.
PARAMS: dict[str, Params] = {
    "people:student": STUDENT,
    "people:census": STUDENT,
    "people:access_log": STUDENT,
    "reports:person_export": STUDENT,
    "exchange:revoke": _p(PLACES, pk=_row("exchange.apitoken", "pk")),
    "people:enrol": SCHOOL_CODE,
    "people:transfer": SCHOOL_CODE,
    "people:promote": SCHOOL_CODE,
    "people:prefixes": SCHOOL_CODE,
    "people:import": SCHOOL_CODE,
    "people:import_preview": _p(PLACES, uuid=_row("people.rosterimport")),
    "people:move": _p(ALL, pk=_row("people.enrolment", "pk")),
    "people:exit": _p(ALL, pk=_row("people.enrolment", "pk")),
    "org:school": SCHOOL_CODE,
    "org:classroom_create": SCHOOL_CODE,
    "org:school_calendar": SCHOOL_CODE,
    "org:agency_calendar": _p(PLACES, code=lambda place: place.school.area.agency.code),
    "org:calendar_day_remove": _p(PLACES, pk=_row("org.calendarday", "pk")),
    "org:classroom": CLASSROOM,
    "org:teacher_assign": CLASSROOM,
    "org:teacher_remove": _p(PLACES, uuid=CLASS, membership_id=_class_membership),
    "assessment:terms": SCHOOL_CODE,
    "assessment:area_terms": _p(AREAS, code=lambda place: place.school.area.code),
    "assessment:school_curriculum": SCHOOL_CODE,
    "assessment:agency_curriculum": _p(PLACES, code=lambda place: place.school.area.agency.code),
    "assessment:year_rule": SCHOOL_CODE,
    "assessment:year_results": CLASSROOM,
    "assessment:classroom": CLASSROOM,
    "assessment:course_create": CLASSROOM,
    "assessment:course": _p(ALL, uuid=_row("assessment.course")),
    "assessment:results": _p(ALL, uuid=_row("assessment.course")),
    "assessment:course_edit": _p(ALL, uuid=_row("assessment.course")),
    "assessment:gradebook": _p(ALL, uuid=_row("assessment.assessmentitem")),
    "assessment:remedial": _p(ALL, pk=_row("assessment.result", "pk")),
    "attendance:register": CLASSROOM,
    "attendance:overview": CLASSROOM,
    "attendance:leave": CLASSROOM,
    "attendance:history": _p(ALL, uuid=_row("attendance.register")),
    "care:classroom": CLASSROOM,
    "care:derive": CLASSROOM,
    "care:student": STUDENT,
    "care:respond": _p(ALL, uuid=CHILD, questionnaire=SDQ),
    "care:response": _p(ALL, uuid=_row("care.response")),
    "care:school_forms": SCHOOL_CODE,
    "health:measure": CLASSROOM,
    "health:growth": STUDENT,
    "welfare:student": STUDENT,
    "welfare:household": STUDENT,
    "welfare:visit": STUDENT,
    "welfare:follow_up_done": _p(ALL, uuid=_row("welfare.homevisit")),
    "welfare:photo": _p(ALL, uuid=_row("welfare.visitphoto")),
    "welfare:classroom": CLASSROOM,
    "welfare:poverty": SCHOOL_CODE,
    "teachers:staff_record": _p(PLACES, uuid=STAFF),
    "teachers:staff_part": _p(PLACES, uuid=STAFF, part="appointment"),
    "teachers:record_pdf": _p(PLACES, uuid=STAFF),
    "teachers:evidence": _p(PLACES, uuid=_row("teachers.developmentactivity")),
    "teachers:delete_activity": _p(PLACES, uuid=_row("teachers.developmentactivity")),
    "teachers:import_preview": _p(PLACES, uuid=_row("teachers.completionimport")),
    "licences:renew": _p(PLACES, uuid=_row("licences.licence")),
    "licences:pdf": _p(PLACES, uuid=_row("licences.licence")),
    "licences:school": SCHOOL_CODE,
    "licences:council_export": _p(NONE, key="expiring"),
    "licences:decide": _p(PLACES, uuid=_row("licences.renewalrequest")),
    "licences:renewal_file": _p(PLACES, uuid=_row("licences.renewalrequest"), part="attachment"),
    "licences:test_round": _p(["own"], code=_row("licences.testround", "code")),
    "verify_licence": _p(PLACES, number=_row("licences.licence", "number")),
    "reports:run": _p(PLACES, uuid=_row("reports.reportrun")),
    "reports:download": _p(PLACES, uuid=_row("reports.reportrun")),
    "reports:generate": _p(NONE, code="pp1"),
    "verify": _p(PLACES, code=_row("reports.issueddocument", "code")),
    "insights:class": CLASSROOM,
    "insights:class_figure": _p(PLACES, uuid=CLASS, name="missed", fmt="csv"),
    "insights:school_pdf": SCHOOL_CODE,
    "insights:school": SCHOOL_CODE,
    "insights:school_registers": SCHOOL_CODE,
    "insights:school_figure": _p(PLACES, code=SCHOOL, name="by_class", fmt="csv"),
    "insights:area": _p(AREAS, code=lambda place: place.school.area.code),
    "insights:area_figure": _p(
        AREAS, code=lambda place: place.school.area.code, name="attendance_trend", fmt="csv"
    ),
    "insights:analysis_figure": _p(NONE, fmt="csv"),
    "earlywarning:class": CLASSROOM,
    "earlywarning:rule": _p(AREAS, code=lambda place: place.school.area.code),
    "earlywarning:model": _p(AREAS, code=lambda place: place.school.area.code),
    "earlywarning:on_track": _p(AREAS, code=lambda place: place.school.area.code),
    "earlywarning:learning": _p(AREAS, code=lambda place: place.school.area.code),
    "earlywarning:follow_up": _p(ALL, uuid=CLASS, person=CHILD),
    "care:follow_up": SCHOOL_CODE,
    "insights:student": STUDENT,
    "insights:student_figure": _p(ALL, uuid=CHILD, name="gpa", fmt="csv"),
    "api:list_students": _p(PLACES, query={"school": SCHOOL}),
    "api:list_courses": _p(PLACES, query={"classroom": CLASS}),
    "api:read_register": _p(PLACES, query={"classroom": CLASS, "date": lambda place: place.day.isoformat()}),
    "api:poverty": _p(PLACES, query={"school": SCHOOL}),
    "api:aggregate": _p(NONE, query={"year": "2569"}),
    "api:post_scores": _p(ALL, uuid=_row("assessment.assessmentitem")),
    "api:course_results": _p(ALL, uuid=_row("assessment.course")),
    "api:class_year_results": CLASSROOM,
    "api:student_screenings": STUDENT,
    "api:student_grades": STUDENT,
    "api:student_notes": STUDENT,
    "api:add_student_note": STUDENT,
    "api:student_interventions": STUDENT,
    "api:add_student_intervention": STUDENT,
    "api:student_measurements": STUDENT,
    "api:child": STUDENT,
    "api:put_household": STUDENT,
    "api:post_visit": STUDENT,
    "api:pa_check": _p(PLACES, uuid=STAFF),
    "api:verify": _p(PLACES, number=_row("licences.licence", "number")),
    "api:request_renewal": _p(PLACES, uuid=_row("licences.licence")),
    "api:approve_renewal": _p(PLACES, uuid=_row("licences.renewalrequest")),
    "api:return_renewal": _p(PLACES, uuid=_row("licences.renewalrequest")),
    "api:run_status": _p(PLACES, uuid=_row("reports.reportrun")),
    "api:school": SCHOOL_CODE,
}


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str  # the path with its parameters, as written in the URLconf
    method: str | None  # the API operation's method; None: GET, or POST when the view answers GET with 405

    @property
    def api(self) -> bool:
        return self.route.startswith("api/")


def _api_method(pattern: URLPattern) -> str | None:
    """django-ninja puts the operations of one path behind one view; this pattern's is the one named so."""
    view = pattern.callback
    path_view = next(
        (
            cell.cell_contents
            for cell in getattr(view, "__closure__", None) or ()
            if hasattr(cell.cell_contents, "operations")
        ),
        None,
    )
    if path_view is None:
        return None
    for operation in path_view.operations:
        if operation.view_func.__name__ == pattern.name:
            return operation.methods[0]
    return None


def patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    """Every URL pattern of the project. No admin, static or debug URLs are mounted (none to skip)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from patterns(entry, prefix + str(entry.pattern), inner)
        else:
            name = ":".join(part for part in (namespace, entry.name or "") if part)
            route = prefix + str(entry.pattern)
            yield Pattern(name, route, _api_method(entry) if route.startswith("api/") else None)


def _shows(role: str, url: str, response: HttpResponse, texts: dict[str, tuple[str, str, bool]]) -> str:
    """The rows out of the role's reach whose text the answer shows ("kind:table", sorted); what the address
    itself carries (a code looked up) does not count."""
    if response.streaming or not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return ""
    found = set()
    for text in set(TOKEN.findall(response.content)) - set(TOKEN.findall(url.encode())):
        hit = texts.get(text.decode())
        if hit is None:
            continue
        kind, label, about_child = hit
        if kind in OUT_OF_REACH or (about_child and role in NO_CHILDREN):
            found.add(f"{kind}:{label}")
    return " ".join(sorted(found))


def _outcome(response: HttpResponse) -> str:
    code = response.status_code
    if 300 <= code < 400:
        return "login" if response["Location"].startswith(resolve_url("web:login")) else "302"
    return str(code)


class Asker:
    """One client per role, logged in once; each request in a rolled-back savepoint, cookies kept."""

    def __init__(self, matrix: Any) -> None:
        self.texts = {
            text: (kind, label, about_child)
            for kind, place in matrix.places.items()
            for text, (label, about_child) in place.texts.items()
        }
        self.clients: dict[str, Client] = {}
        for role in ROLES:
            if role == "api_client":
                client = Client(
                    raise_request_exception=False, headers={"Authorization": f"Bearer {matrix.token}"}
                )
            else:
                client = Client(raise_request_exception=False)
                if role != "anonymous":
                    client.force_login(matrix.users[role])
            self.clients[role] = client

    def ask(self, role: str, method: str, url: str) -> tuple[str, str]:
        client = self.clients[role]
        cookies = SimpleCookie(client.cookies)
        cache.clear()  # rate limits (verify, licence check) count per address; every cell starts afresh
        with transaction.atomic():
            response = getattr(client, method.lower())(url)
            transaction.set_rollback(True)
        client.cookies = cookies  # a logout or a language switch must not carry over to the next cell
        outcome = _outcome(response), _shows(role, url, response, self.texts)
        if response.streaming:
            # Read to the end: the client then closes the file without firing close_old_connections, which
            # would drop the connection (and the world's transaction) on PostgreSQL.
            b"".join(response.streaming_content)  # type: ignore[arg-type]
        return outcome


def _roles(pattern: Pattern) -> list[str]:
    # The API client holds only a token: it asks only the API.
    return ROLES if pattern.api else [role for role in ROLES if role != "api_client"]


def _read_expected() -> dict[tuple[str, str, str, str], dict[str, str]]:
    if not EXPECTED.exists():
        return {}
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        return {(r["name"], r["pattern"], r["role"], r["kind"]): r for r in csv.DictReader(handle)}


def test_every_url_answers_every_role_as_the_table_expects(matrix: Any) -> None:
    asker = Asker(matrix)
    expected = _read_expected()
    seen: dict[tuple[str, str, str, str], dict[str, str]] = {}
    problems: list[str] = []
    for pattern in patterns():
        params = PARAMS.get(pattern.name)
        has_params = "<" in pattern.route
        if has_params and params is None:
            problems.append(f"{pattern.name} {pattern.route}: no parameters in PARAMS (say how to fill them)")
            continue
        kinds = params.kinds if params else NONE
        for kind in kinds:
            place = matrix.places.get(kind, matrix.places["own"])
            url = reverse(
                pattern.name,
                kwargs={k: value(place) for k, value in (params.values.items() if params else ())},
            )
            if params and params.query:
                url += "?" + urlencode({k: value(place) for k, value in params.query.items()})
            for role in _roles(pattern):
                method = pattern.method or "GET"
                outcome, shows = asker.ask(role, method, url)
                if outcome == "405" and pattern.method is None:
                    method = "POST"  # a view that only takes a form: post it empty
                    outcome, shows = asker.ask(role, method, url)
                key = (pattern.name, pattern.route, role, kind)
                old = expected.get(key)
                seen[key] = {
                    "name": pattern.name,
                    "pattern": pattern.route,
                    "method": method,
                    "role": role,
                    "kind": kind,
                    "outcome": outcome,
                    "shows": shows,
                    "note": old["note"] if old else "",
                }
                if old is None:
                    problems.append(
                        f"{pattern.name} {role} {kind}: no entry in expected.csv (got {method} {outcome})"
                    )
                elif (old["outcome"], old.get("shows", "")) != (outcome, shows):
                    problems.append(
                        f"{pattern.name} {role} {kind}: {method} {url} expected {old['outcome']} {old.get('shows', '')}, "
                        f"got {outcome} {shows}"
                    )
    for key in expected.keys() - seen.keys():
        problems.append(f"{' '.join(key)}: in expected.csv but no such URL, role or kind any more")
    if os.environ.get("KHRU_MATRIX_WRITE") == "1":
        with EXPECTED.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(seen.values())
        return
    assert not problems, f"{len(problems)} unexpected cells of {len(seen)}:\n" + "\n".join(problems)


def test_the_text_check_finds_what_an_answer_shows(matrix: Any) -> None:
    """The "shows" column can fail: a page that names a row is found out (here, rows in reach, so allowed)."""
    asker = Asker(matrix)
    own = matrix.places["own"]
    client = asker.clients["homeroom"]
    page = client.get(reverse("people:student", kwargs={"uuid": own.child.uuid}))
    assert page.status_code == 200
    assert own.child.first_name_th.encode() in page.content
    listed = client.get(reverse("api:list_students") + "?" + urlencode({"school": own.school.code}))
    assert own.child.first_name_th in listed.content.decode()
    # The same answers, asked for a role that names no child, would be reported.
    texts = {own.child.first_name_th: ("moved_out", "people.person", True)}
    assert _shows("teacher", "/", page, texts) == "moved_out:people.person"
