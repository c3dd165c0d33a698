"""A homeroom teacher on a 360 px phone writes a note about a child, records help, then marks it done."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.care.models import CareNote, Intervention
from tests.conftest import World
from tests.e2e.conftest import PHONE, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_teacher_adds_a_note_and_an_intervention_on_a_phone(
    page: Page, live_server: LiveServer, world: World
):
    login(page, live_server, world.teacher1.get_username())
    page.goto(f"{live_server.url}/care/students/{world.student1.uuid}/")
    page.locator("textarea[name=note-text]").fill("ไม่ค่อยพูดกับเพื่อน นั่งคนเดียวช่วงพัก")
    page.locator("select[name=note-area]").select_option("behaviour")
    page.get_by_role("button", name="บันทึกข้อความ").tap()
    expect(page.locator(".care-notes")).to_contain_text("ไม่ค่อยพูดกับเพื่อน นั่งคนเดียวช่วงพัก")

    page.locator("select[name=iv-kind]").select_option("counselling")
    page.locator("textarea[name=iv-description]").fill("ครูแนะแนวพูดคุยทุกวันศุกร์")
    page.locator("input[name=iv-responsible]").fill("ครูแนะแนว")
    page.locator("input[name=iv-follow_up_on]").fill("01/01/2500")  # before the start: refused
    page.get_by_role("button", name="บันทึกการช่วยเหลือ").tap()
    expect(page.locator(".problems")).to_contain_text("วันติดตามผลต้องไม่ก่อนวันที่เริ่ม")
    assert Intervention.objects.count() == 0
    page.locator("input[name=iv-follow_up_on]").fill("")
    page.get_by_role("button", name="บันทึกการช่วยเหลือ").tap()
    expect(page.locator(".care-interventions")).to_contain_text("ครูแนะแนวพูดคุยทุกวันศุกร์")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the care page is {width} px wide"

    page.locator(".care-interventions summary").first.tap()
    page.locator("select[name=ivu-status]").select_option("done")
    page.locator("textarea[name=ivu-outcome]").fill("เล่นกับเพื่อนมากขึ้น")
    page.get_by_role("button", name="บันทึกการปรับปรุง").tap()
    expect(page.locator(".care-interventions")).to_contain_text("เสร็จสิ้น")
    assert Intervention.objects.get().outcome == "เล่นกับเพื่อนมากขึ้น"
    assert CareNote.objects.get().area == "behaviour"
