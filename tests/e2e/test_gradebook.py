"""A teacher on a phone types a column of scores; a refused value is shown in place and nothing typed is lost."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.assessment.models import AssessmentItem, Score
from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_score_over_full_marks_is_shown_by_name_and_the_typed_column_is_kept(
    page: Page, live_server: LiveServer, world: World, scored_item: AssessmentItem
) -> None:
    item = scored_item
    other = f.EnrolmentFactory(classroom=world.class1).person

    login(page, live_server, world.teacher1.get_username())
    page.goto(f"{live_server.url}/assessment/items/{item.uuid}/")
    page.locator(f"#s{world.student1.pk}").fill("25")
    page.locator(f"#s{other.pk}").fill("18")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="บันทึกคะแนน").tap()
    assert answer.value.status == 400

    problems = page.locator(".problems")
    expect(problems).to_contain_text("ไม่ได้บันทึก")
    expect(problems).to_contain_text("เกินคะแนนเต็ม")
    expect(problems).to_contain_text(world.student1.first_name_th)
    expect(page.locator(f"#s{world.student1.pk}")).to_have_value("25")  # what was typed, both rows
    expect(page.locator(f"#s{other.pk}")).to_have_value("18")
    assert not Score.objects.filter(item=item).exists()

    page.locator(f"#s{world.student1.pk}").fill("20")
    page.get_by_role("button", name="บันทึกคะแนน").tap()
    expect(page.locator(".messages")).to_contain_text("2")
    expect(page.locator(".problems")).to_have_count(0)
    saved = dict(Score.objects.filter(item=item).values_list("person_id", "score"))
    assert saved == {world.student1.pk: Decimal(20), other.pk: Decimal(18)}


def test_a_paste_that_does_not_fit_says_why_and_stays_in_the_box(
    page: Page, live_server: LiveServer, world: World, scored_item: AssessmentItem
) -> None:
    item = scored_item
    login(page, live_server, world.teacher1.get_username())
    page.goto(f"{live_server.url}/assessment/items/{item.uuid}/")
    page.get_by_text("วางคะแนนทั้งคอลัมน์จากตารางคำนวณ").tap()
    page.locator("textarea[name=paste]").fill("12\nสิบ\n14")
    page.get_by_role("button", name="บันทึกคะแนน").tap()
    problems = page.locator(".problems")
    expect(problems).to_contain_text("'สิบ' ไม่ใช่ตัวเลข")
    expect(problems).to_contain_text("วางมา 3 บรรทัด แต่ห้องนี้มีนักเรียน 1 คน")
    expect(page.locator("textarea[name=paste]")).to_have_value("12\nสิบ\n14")
    assert not Score.objects.filter(item=item).exists()
