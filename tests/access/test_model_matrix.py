"""Model × role × permission, generated from the rule table (`scope.rules()`).

Every cell evaluates on the database; a permission a rule does not declare gives nothing, even to the system
admin; and the rows of a school of another agency stay out of every role's reach but the system admin's
(the Teachers Council's for licence tables). Each test collects every unexpected cell and fails once."""

from typing import Any

import pytest
from django.apps import apps

from khru.org import scope
from khru.org.roles import READS, Perm
from tests.access.conftest import ROLES
from tests.access.rows import REFERENCE

pytestmark = pytest.mark.django_db

# The API client is the homeroom teacher with a token: the same user, so the same cells.
MODEL_ROLES = [role for role in ROLES if role != "api_client"] + ["sysadmin"]
# Tables the council reads nationwide (the licence register and test candidates).
# One's own rows only, for everyone (the system admin included): API tokens and report runs.
OWN_ONLY = {"exchange.apitoken", "reports.reportrun"}
COUNCIL_TABLES = {
    "licences.licence",
    "licences.renewalrequest",
    "licences.registration",
    "licences.testresult",
}


def _actor(matrix: Any, role: str) -> Any:
    if role == "anonymous":
        return None
    return matrix.sysadmin if role == "sysadmin" else matrix.users[role]


def _cells() -> list[tuple[str, Perm]]:
    return [(label, perm) for label, perms in scope.rules().items() for perm in Perm]


def _report(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} unexpected cells:\n" + "\n".join(problems)


def test_every_cell_evaluates_and_undeclared_permissions_give_nothing(matrix: Any) -> None:
    problems = []
    declared = scope.rules()
    for label, perm in _cells():
        model = apps.get_model(label)
        for role in MODEL_ROLES:
            actor = _actor(matrix, role)
            try:
                count = model._default_manager.filter(scope.visible(actor, model, perm)).count()
            except Exception as error:  # noqa: BLE001 (the matrix lists every failing cell at once)
                problems.append(f"{label} {role} {perm}: {type(error).__name__}: {error}")
                continue
            if perm not in declared[label] and count:
                problems.append(f"{label} {role} {perm}: undeclared permission gives {count} rows")
    _report(problems)


def test_the_system_admin_sees_every_row_with_a_declared_permission(matrix: Any) -> None:
    """The other side of the cell above: the rule answers what it declares (else the test proves nothing)."""
    problems = []
    for label, perms in scope.rules().items():
        model = apps.get_model(label)
        row = matrix.places["other_agency"].rows.get(label)
        for perm in perms:
            if row is not None and label not in OWN_ONLY and not scope.can(matrix.sysadmin, perm, row):
                problems.append(f"{label} sysadmin {perm}: does not see the row")
        if not model._default_manager.exists():
            problems.append(f"{label}: the fixture has no row")
    _report(problems)


def _allowed_elsewhere(label: str, role: str) -> bool:
    return role == "sysadmin" or (role == "council" and label in COUNCIL_TABLES)


def test_rows_of_a_school_of_another_agency_stay_out_of_reach(matrix: Any) -> None:
    problems = []
    elsewhere = matrix.places["other_agency"]
    for label, perms in scope.rules().items():
        row = elsewhere.rows.get(label)
        if row is None or label in REFERENCE:  # reference tables are shared by everyone (test below)
            continue
        for role in MODEL_ROLES:
            actor = _actor(matrix, role)
            seen = sorted(perm.value for perm in perms if scope.can(actor, perm, row))
            if seen and not _allowed_elsewhere(label, role):
                problems.append(f"{label} {role}: sees the other agency's row with {', '.join(seen)}")
    _report(problems)


def test_reference_tables_are_readable_by_everyone_signed_in_and_writable_by_the_system_admin(
    matrix: Any,
) -> None:
    problems = []
    places = matrix.places.values()
    for label, perms in scope.rules().items():
        if label not in REFERENCE and any(label in place.rows for place in places):
            continue
        model = apps.get_model(label)
        row = model._default_manager.order_by("pk").first()
        if row is None:
            problems.append(f"{label}: no reference row")
            continue
        for role in MODEL_ROLES[1:]:
            actor = _actor(matrix, role)
            for perm in perms:
                expected = perm in READS or role == "sysadmin"
                if label == "teachers.trainingprovider":  # listed to anyone, importing for it is the admin's
                    expected = perm == Perm.VIEW_SCHOOL or role == "sysadmin"
                if scope.can(actor, perm, row) != expected:
                    problems.append(f"{label} {role} {perm}: expected {'yes' if expected else 'no'}")
    _report(problems)
