"""A homeroom teacher on a phone asks for the class's ปพ.6 in the background, finds the file and its code."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.conftest import World
from tests.e2e.conftest import PHONE, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_teacher_generates_the_class_term_report_and_checks_its_code(
    page: Page, live_server: LiveServer, world: World, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    login(page, live_server, world.teacher1.get_username())
    page.goto("/reports/")
    card = page.locator("#report-pp6")
    expect(card).to_contain_text("ปพ.6")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card.get_by_label("ชั้นเรียน (ไม่เลือก: ทั้งโรงเรียน)").select_option(str(world.class1.uuid))
    card.get_by_label("สร้างเบื้องหลัง").check()
    card.get_by_role("button", name="สร้างรายงาน").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ไฟล์รายงาน")
    expect(page.get_by_role("link", name="ดาวน์โหลด")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="ดาวน์โหลด").tap()
    assert download.value.suggested_filename == "pp6.pdf"
    page.locator("#progress a[href^='/verify/']").tap()
    expect(page.locator("#issued")).to_contain_text(world.school1.name_th)
