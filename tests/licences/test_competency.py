"""Competency tests: registration at a centre with seats, results imported from a file, pass rates."""

import datetime as dt
from decimal import Decimal

import pytest

from khru.core.errors import KhruError, NotAllowed
from khru.licences import selectors, services
from khru.licences.models import Registration, TestCentre, TestResult, TestRound, TestSubject
from tests.licences.conftest import staff, today


@pytest.fixture
def test_round(db) -> TestRound:
    found = TestRound.objects.create(
        code="KSP-69-1",
        name_th="การทดสอบสมรรถนะทางวิชาชีพครู รอบ 1/2569",
        held_on=today() + dt.timedelta(days=30),
        registration_opens=today() - dt.timedelta(days=5),
        registration_closes=today() + dt.timedelta(days=5),
    )
    TestSubject.objects.create(round=found, code="PROF", name_th="วิชาชีพครู", max_score=100, pass_score=60)
    TestSubject.objects.create(round=found, code="THAI", name_th="ภาษาไทย", max_score=100, pass_score=50)
    TestCentre.objects.create(round=found, code="C1", name_th="มหาวิทยาลัยราชภัฏภูเก็ต", capacity=2)
    TestCentre.objects.create(round=found, code="C2", name_th="มหาวิทยาลัยสงขลานครินทร์", capacity=50)
    return found


def test_registration_refused_when_full_duplicate_or_closed(holders, world, test_round):
    small = test_round.centres.get(code="C1")
    services.register_candidate(actor=world.teacher1, person=holders.teacher1, centre=small)
    with pytest.raises(KhruError) as error:
        services.register_candidate(actor=world.teacher1, person=holders.teacher1, centre=small)
    assert "already registered" in str(error.value)
    services.register_candidate(actor=world.teacher2, person=holders.teacher2, centre=small)
    third = staff(None, world.school1)
    with pytest.raises(KhruError) as error:
        services.register_candidate(actor=holders.council, person=third, centre=small)
    assert "is full (2 seats)" in str(error.value)
    with pytest.raises(KhruError) as error:
        services.register_candidate(
            actor=holders.council,
            person=third,
            centre=small,
            today=test_round.registration_closes + dt.timedelta(days=1),
        )
    assert "registration is open" in str(error.value)
    assert Registration.objects.count() == 2


def test_candidate_registers_on_the_page_and_sees_results(holders, world, test_round, client):
    client.force_login(world.teacher1)
    centre = test_round.centres.get(code="C2")
    assert client.post("/licences/tests/", {"centre": centre.pk}).status_code == 302
    services.import_results(
        actor=holders.council,
        test_round=test_round,
        content=f"citizen_id,subject,score\n{holders.teacher1.citizen_id},PROF,72.5\n{holders.teacher1.citizen_id},THAI,41\n".encode(),
    )
    page = client.get("/licences/tests/").content.decode()
    assert "72.50" in page and "ผ่าน" in page and "ไม่ผ่าน" in page
    assert "49 / 50" in page  # seats left at the centre


def test_results_import_is_all_or_nothing_with_row_errors(holders, world, test_round):
    centre = test_round.centres.get(code="C2")
    services.register_candidate(actor=world.teacher1, person=holders.teacher1, centre=centre)
    content = (
        "citizen_id,subject,score\n"
        f"{holders.teacher1.citizen_id},PROF,80\n"
        f"{holders.teacher1.citizen_id},MATH,70\n"
        "1111111111119,PROF,50\n"
        f"{holders.teacher1.citizen_id},THAI,abc\n"
    ).encode()
    with pytest.raises(KhruError) as error:
        services.import_results(actor=holders.council, test_round=test_round, content=content)
    found = {(p.row, p.field) for p in error.value.problems}
    assert found == {(3, "subject"), (4, "citizen_id"), (5, "score")}
    assert "แถว 3" in str(error.value) and "row 3" in str(error.value)
    assert not TestResult.objects.exists()
    with pytest.raises(KhruError) as error:
        services.import_results(actor=holders.council, test_round=test_round, content=b"id;score\n1;2\n")
    assert "missing column" in str(error.value)
    with pytest.raises(NotAllowed):  # a teacher may not import
        services.import_results(actor=world.teacher1, test_round=test_round, content=content)


def test_council_sees_pass_rates_per_centre_with_small_counts_hidden(holders, world, test_round, client):
    centre = test_round.centres.get(code="C2")
    people = [staff(None, world.school1) for _ in range(8)]
    for person in people:
        services.register_candidate(actor=holders.council, person=person, centre=centre)
    lines = [f"{p.citizen_id},PROF,{70 if i < 6 else 40}" for i, p in enumerate(people)]
    lines += [f"{p.citizen_id},THAI,60" for p in people[:3]]
    saved = services.import_results(
        actor=holders.council,
        test_round=test_round,
        content=("citizen_id,subject,score\n" + "\n".join(lines)).encode(),
    )
    assert saved == 11
    rates = {r.centre.code: r for r in selectors.pass_rates(actor=holders.council, test_round=test_round)}
    assert rates["C2"].registered == 8
    assert rates["C2"].subjects["PROF"] == (8, 6, 75.0)
    assert rates["C2"].subjects["THAI"] == (None, None, None)  # three takers: hidden
    assert TestResult.objects.get(registration__person=people[0], subject__code="PROF").score == Decimal("70")
    client.force_login(holders.council)
    page = client.get(f"/licences/council/tests/{test_round.code}/").content.decode()
    assert "75.0%" in page
    client.force_login(world.principal1)
    assert client.get(f"/licences/council/tests/{test_round.code}/").status_code == 404
