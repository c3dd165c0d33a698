"""Poverty screening (EEF นร.01): the criteria at their edges, household history, the eligible list, scope."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.exchange.services import issue_token
from khru.org.roles import Role
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


def test_criteria_page_read_by_all_changed_by_the_system_administrator(world):
    url = reverse("welfare:criteria")
    page = login(world.teacher1).get(url).content.decode()
    assert "3000" in page and 'name="version"' not in page and "เกณฑ์คัดกรองนักเรียนยากจน" in page
    assert login(world.teacher1).post(url, {"version": "X"}).status_code == 404
    form = {
        "version": "EEF-2570",
        "income_limit_baht": "3500",
        "min_factors": "2",
        "factor_housing_tenure": ["rent"],
    }
    assert login(world.sysadmin).post(url, form).status_code == 302
    criteria = PovertyCriteria.objects.get(active=True)
    assert criteria.income_limit_baht == 3500
    assert criteria.factors.get(code="housing_tenure").options == ["rent"]
    bad = login(world.sysadmin).post(url, {**form, "version": "EEF-2571", "min_factors": "9"})
    assert (
        bad.status_code == 400 and "min_factors" in bad.content.decode() or "จำนวนข้อ" in bad.content.decode()
    )


def test_school_command_screens_and_derives(world):
    save(world)
    out = io.StringIO()
    call_command(
        "screen_school", world.school1.code, user=world.principal1.username, term="1/2569", stdout=out
    )
    assert "1 children" in out.getvalue() and "derived care screenings: 1" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("screen_school", world.school1.code, user=world.teacher2.username, stdout=out)


def test_officer_counts_hide_small_cells_of_eligible_and_not_eligible(world):
    t = term(world)
    criteria = PovertyCriteria.objects.get(active=True)
    # P4: 10 screened, 8 eligible (2 not eligible: small); P5: 20 screened, 10 eligible.
    plan = [("P4", True)] * 8 + [("P4", False)] * 2 + [("P5", True)] * 10 + [("P5", False)] * 10
    PovertyScreening.objects.bulk_create(
        [
            PovertyScreening(
                person=f.PersonFactory(),
                school=world.school1,
                academic_year=t.academic_year,
                term=t,
                grade=grade,
                criteria=criteria,
                eligible=eligible,
            )  # fmt: skip
            for grade, eligible in plan
        ]
    )
    school_view = selectors.poverty_counts(actor=world.principal1, school=world.school1, term=t)
    assert [(r.grade, r.screened, r.eligible) for r in school_view.rows] == [("P4", 10, 8), ("P5", 20, 10)]
    officer = selectors.poverty_counts(actor=world.officer, school=world.school1, term=t)
    # 8 of 10 would tell that two P4 children are not eligible: hidden, and so is P5's (else the total tells).
    assert [(r.grade, r.screened, r.eligible) for r in officer.rows] == [("P4", 10, None), ("P5", 20, None)]
    assert (officer.screened, officer.eligible) == (30, 18)


def test_api_household_and_visit_behave_like_the_pages(world, client):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher1)}"}
    url = f"/api/v1/welfare/students/{world.student1.uuid}"
    body = {**TWO_FACTORS, "members": parents(6000, 3000)}
    answer = client.put(f"{url}/household", body, content_type="application/json", **headers)
    assert answer.status_code == 200, answer.content
    assert (
        answer.json()["screening"]["eligible"]
        and answer.json()["screening"]["income_per_person"] == "3000.00"
    )
    bad = client.put(
        f"{url}/household", {**body, "water_source": "lake"}, content_type="application/json", **headers
    )
    assert bad.status_code == 400 and bad.json()["problems"][0]["field"] == "water_source"
    visit = {
        "visited_on": "2026-07-01",
        "met": "มารดา",
        "risks": ["debt"],
        "latitude": "7.88",
        "longitude": "98.39",
    }
    assert client.post(f"{url}/visits", visit, content_type="application/json", **headers).status_code == 200
    shown = client.get(url, **headers).json()
    assert shown["household_version"] == 1 and shown["visits"][0]["risks"] == ["debt"]
    other = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.officer)}"}
    assert client.get(url, **other).status_code == 404
    assert client.put(f"{url}/household", body, content_type="application/json", **other).status_code == 404


def test_the_schools_care_team_sees_and_screens_the_whole_school(world):
    care = f.MembershipFactory(role=Role.CARE_TEAM, school=world.school1).user
    save(world, actor=care)
    assert [
        r.person for r in selectors.eligible_children(actor=care, school=world.school1, term=term(world))
    ] == [world.student1]
    assert services.screen_school(actor=care, school=world.school1, term=term(world)) == 1
    assert selectors.child_welfare(actor=care, person=world.student1).household is not None
    with pytest.raises(NotAllowed):
        selectors.child_welfare(actor=care, person=world.student2)
