"""The PA check: met, and each unmet condition named in Thai and English."""

import datetime as dt
from decimal import Decimal

import pytest

from khru.teachers import pacheck
from khru.teachers.models import DisciplineLevel, DisciplineRecord
from khru.teachers.selectors import record_book, rules
from tests.conftest import World
from tests.teachers.conftest import Staff, give_good_record

TODAY = dt.date(2026, 11, 25)  # fiscal year 2570: the last assessed rounds are 2567–2569


def _check(**kwargs: object) -> pacheck.Result:
    values: dict = {
        "standing": "senior",
        "since": dt.date(2020, 4, 1),
        "rounds": [
            pacheck.Round(y, [("ผอ.", Decimal(80)), ("กรรมการ", Decimal(75))]) for y in (2567, 2568, 2569)
        ],
        "penalties": [],
        "today": TODAY,
    }
    values.update(kwargs)
    return pacheck.check(rules=rules(), **values)


@pytest.mark.django_db
def test_rules_are_data_seeded_by_migration() -> None:
    found = {r.from_standing: (r.to_standing, r.min_years) for r in rules()}
    assert found["senior"] == ("special", 4)
    assert found["none"] == ("senior", 6)
    assert "high_expert" not in found


@pytest.mark.django_db
def test_all_conditions_met() -> None:
    result = _check()
    assert result.met
    assert result.to_label == "ชำนาญการพิเศษ"
    assert [c.code for c in result.conditions] == ["years", "rounds", "discipline"]


@pytest.mark.django_db
def test_too_few_years_names_the_day_they_are_reached() -> None:
    result = _check(since=dt.date(2023, 6, 1))
    [unmet] = result.unmet
    assert unmet.code == "years"
    assert "1 มิ.ย. 2570" in unmet.th
    assert "1 Jun 2570 BE" in unmet.en


@pytest.mark.django_db
def test_a_missing_round_is_named() -> None:
    rounds = [pacheck.Round(y, [("ผอ.", Decimal(80))]) for y in (2567, 2569)]
    [unmet] = _check(rounds=rounds).unmet
    assert unmet.code == "rounds"
    assert "2568" in unmet.th and "no PA assessment for fiscal year 2568" in unmet.en


@pytest.mark.django_db
def test_one_assessor_below_70_is_named() -> None:
    rounds = [pacheck.Round(y, [("ผอ.", Decimal(80)), ("กรรมการ", Decimal(75))]) for y in (2567, 2568)]
    rounds.append(pacheck.Round(2569, [("ผอ.", Decimal(90)), ("กรรมการ", Decimal("69.5"))]))
    [unmet] = _check(rounds=rounds).unmet
    assert unmet.code == "rounds"
    assert "กรรมการ" in unmet.th and "69.5" in unmet.en


@pytest.mark.django_db
def test_heavy_discipline_blocks_but_probation_does_not() -> None:
    probation = pacheck.Penalty(DisciplineLevel.PROBATION, "ภาคทัณฑ์", dt.date(2025, 1, 1))
    assert _check(penalties=[probation]).met
    pay_cut = pacheck.Penalty(DisciplineLevel.PAY_CUT, "ตัดเงินเดือน", dt.date(2024, 1, 1))
    [unmet] = _check(penalties=[probation, pay_cut]).unmet
    assert unmet.code == "discipline" and "ตัดเงินเดือน" in unmet.th
    old = pacheck.Penalty(DisciplineLevel.PAY_CUT, "ตัดเงินเดือน", dt.date(2021, 1, 1))
    assert _check(penalties=[old]).met  # outside the 4-year window


@pytest.mark.django_db
def test_no_standing_and_top_standing() -> None:
    assert _check(standing=None, since=None).unmet[0].code == "standing"
    top = _check(standing="high_expert")
    assert not top.met and "no higher standing" in top.unmet[0].en


def test_fiscal_year_starts_in_october() -> None:
    assert pacheck.fiscal_year_be(dt.date(2026, 9, 30)) == 2569
    assert pacheck.fiscal_year_be(dt.date(2026, 10, 1)) == 2570


def test_record_book_check_reads_the_record(world: World, staff: Staff) -> None:
    give_good_record(staff.teacher1, since=dt.date(2018, 1, 1), years=[2567, 2568, 2569])
    assert record_book(actor=world.teacher1, person=staff.teacher1).check.met
    DisciplineRecord.objects.create(
        person=staff.teacher1, level=DisciplineLevel.STEP_CUT, decided_on=dt.date.today()
    )
    book = record_book(actor=world.teacher1, person=staff.teacher1)
    assert [c.code for c in book.check.unmet] == ["discipline"]


def test_api_pa_check_in_scope(world: World, staff: Staff) -> None:
    from django.test import Client

    from khru.exchange.services import issue_token

    give_good_record(staff.teacher1, since=dt.date(2018, 1, 1), years=[2567, 2569])
    client = Client()
    own = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher1)}"}
    body = client.get(f"/api/v1/teachers/staff/{staff.teacher1.uuid}/pa-check", **own).json()
    assert body["to_standing"] == "special" and body["met"] is False
    assert [c["code"] for c in body["conditions"] if not c["met"]] == ["rounds"]
    assert "2568" in body["conditions"][1]["en"]
    other = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher2)}"}
    assert client.get(f"/api/v1/teachers/staff/{staff.teacher1.uuid}/pa-check", **other).status_code == 404
