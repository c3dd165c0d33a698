"""Poverty screening (EEF นร.01): the criteria at their edges, household history, the eligible list, scope."""

import pytest

from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.exchange.services import issue_token
from khru.welfare import selectors, services
from khru.welfare.models import (
    Household,
    HouseholdMember,
    HouseholdVersion,
    PovertyCriteria,
    PovertyScreening,
)
from tests import factories as f
from tests.welfare.helpers import COMFORTABLE, TWO_FACTORS, login, parents, save, term


def screening(world, person=None) -> PovertyScreening:
    return PovertyScreening.objects.get(person=person or world.student1, term=term(world))


def test_exactly_3000_baht_per_person_with_two_factors_is_eligible(world):
    # Father 6,000 + mother 3,000 over three people (two parents and the child) = 3,000.00 per person.
    save(world)
    found = screening(world)
    assert found.household_size == 3
    assert str(found.income_per_person) == "3000.00"
    assert found.factors_met == ["housing_tenure", "vehicles"]
    assert found.eligible
    assert "ไม่เกิน 3,000 บาท" in found.reasons and "เข้าเกณฑ์ 2 ใน 8 ข้อ" in found.reasons


def test_a_baht_over_the_limit_per_household_is_not_eligible(world):
    save(world, members=parents(6001, 3000))  # 3,000.33 per person
    assert not screening(world).eligible
    assert "เกิน 3,000 บาท" in screening(world).reasons


def test_one_factor_is_not_enough(world):
    save(world, fields={**COMFORTABLE, "housing_tenure": "rent"}, members=parents(1000, 0))
    found = screening(world)
    assert found.factors_met == ["housing_tenure"] and not found.eligible


def test_dependants_count_as_a_factor(world):
    members = [*parents(1000, 1000), {"name": "ยาย", "relation": "grandparent", "birth_year_be": 2490}]
    save(world, fields={**COMFORTABLE, "water_source": "rain"}, members=members)
    found = screening(world)
    assert found.factors_met == ["dependants", "water_source"] and found.eligible
    assert found.household_size == 4


def test_criteria_are_data_a_new_version_rescreens(world):
    save(world)
    with pytest.raises(NotAllowed):
        services.update_criteria(actor=world.principal1, version="X", income_limit_baht=2500, min_factors=2)
    criteria = services.update_criteria(
        actor=world.sysadmin, version="EEF-2570", income_limit_baht=2500, min_factors=2
    )
    assert PovertyCriteria.objects.get(active=True) == criteria
    assert criteria.factors.count() == 8
    services.screen_school(actor=world.principal1, school=world.school1, term=term(world))
    found = screening(world)
    assert not found.eligible and found.criteria == criteria


def test_bad_household_input_names_the_field_and_saves_nothing(world):
    bad = {**TWO_FACTORS, "water_source": "lake", "distance_km": "-3", "travel_minutes": "abc"}
    members = [*parents(6000, 3000), {"name": "", "relation": "uncle", "monthly_income_baht": "-5"}]
    with pytest.raises(KhruError) as refused:
        save(world, fields=bad, members=members)
    fields = {(p.field, p.row) for p in refused.value.problems}
    assert ("water_source", None) in fields and ("distance_km", None) in fields
    assert ("travel_minutes", None) in fields
    with pytest.raises(KhruError) as refused:
        save(world, members=members)
    assert {(p.field, p.row) for p in refused.value.problems} == {
        ("name", 3),
        ("relation", 3),
        ("monthly_income_baht", 3),
    }
    assert "แถว 3" in str(refused.value)
    assert Household.objects.count() == 0 and HouseholdMember.objects.count() == 0
    assert PovertyScreening.objects.count() == 0


def test_household_changes_keep_history_and_rescreen(world):
    household = save(world, members=parents(20000, 10000))
    assert not screening(world).eligible
    save(world, members=parents(3000, 0))
    household.refresh_from_db()
    assert household.version == 2
    versions = list(HouseholdVersion.objects.filter(household=household).order_by("version"))
    assert [v.data["members"][0]["monthly_income_baht"] for v in versions] == [20000, 3000]
    assert screening(world).eligible and screening(world).household_version == 2
    event = AuditEvent.objects.filter(object_type="welfare.household", action="update").get()
    assert event.changes["members"] == [2, 2]


def test_siblings_share_a_household(world):
    sibling = f.EnrolmentFactory(classroom=world.class1).person
    household = save(world, members=parents(6000, 3000))
    services.share_household(actor=world.teacher1, person=sibling, sibling=world.student1)
    # Now four people share 9,000 baht: 2,250 each, for both children.
    assert str(screening(world).income_per_person) == "2250.00"
    assert screening(world, sibling).household_id == household.pk


def test_eligible_list_and_counts_for_the_school(world):
    save(world)
    rows = selectors.eligible_children(actor=world.principal1, school=world.school1, term=term(world))
    assert [r.person for r in rows] == [world.student1]
    assert rows[0].classroom_label == str(world.class1) and rows[0].eligible
    counts = selectors.poverty_counts(actor=world.principal1, school=world.school1, term=term(world))
    assert (counts.screened, counts.eligible, counts.suppressed) == (1, 1, False)
    assert [(r.grade, r.screened, r.eligible) for r in counts.rows] == [("P4", 1, 1)]
    assert AuditEvent.objects.filter(action="read", summary__startswith="poverty list").exists()


def test_scope_other_school_teacher_and_area_officer(world, client):
    save(world)
    t = term(world)
    assert selectors.eligible_children(actor=world.teacher2, school=world.school1, term=t) == []
    with pytest.raises(NotAllowed):
        selectors.poverty_counts(actor=world.teacher2, school=world.school1, term=t)
    with pytest.raises(NotAllowed):
        save(world, actor=world.teacher2)
    with pytest.raises(NotAllowed):
        selectors.child_welfare(actor=world.officer, person=world.student1)
    # The area officer: counts, suppressed below five, and no children.
    assert selectors.eligible_children(actor=world.officer, school=world.school1, term=t) == []
    counts = selectors.poverty_counts(actor=world.officer, school=world.school1, term=t)
    assert counts.suppressed and counts.eligible is None and counts.rows[0].eligible is None
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.officer)}"}
    body = client.get(f"/api/v1/welfare/poverty?school={world.school1.code}&term=1/2569", **headers).json()
    assert body["suppressed"] and body["children"] == [] and body["eligible"] is None
    other = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher2)}"}
    assert client.get(f"/api/v1/welfare/poverty?school={world.school1.code}", **other).status_code == 404


def test_api_gives_the_school_its_list(world):
    save(world)
    body = (
        login(world.principal1).get(f"/api/v1/welfare/poverty?school={world.school1.code}&term=1/2569").json()
    )
    assert body["eligible"] == 1 and body["children"][0]["student"] == str(world.student1.uuid)
    assert body["children"][0]["income_per_person"] == "3000.00"
    # The homeroom teacher sees their own class's children, without school counts.
    body = login(world.teacher1).get(f"/api/v1/welfare/poverty?school={world.school1.code}").json()
    assert [c["student"] for c in body["children"]] == [str(world.student1.uuid)]
    response = login(world.principal1).get(f"/api/v1/welfare/poverty?school={world.school1.code}&term=9/2569")
    assert response.status_code == 400 and response.json()["problems"][0]["field"] == "term"
