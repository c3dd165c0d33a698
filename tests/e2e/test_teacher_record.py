"""A teacher on a 360 px phone adds a training with its certificate and reads the PA check."""

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.people.models import StaffPost
from khru.teachers.models import DevelopmentActivity
from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import PHONE, login, open_menu
from tests.teachers.conftest import give_good_record

pytestmark = pytest.mark.django_db(transaction=True)

# Set KHRU_E2E_SCREENSHOTS=/some/dir to keep a screenshot of the record book for a human to look at.
SCREENSHOTS = os.environ.get("KHRU_E2E_SCREENSHOTS")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_teacher_adds_an_activity_and_sees_the_pa_check(
    page: Page, live_server: LiveServer, world: World, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    person = f.PersonFactory(
        user=world.teacher1, prefix="นาง", first_name_th="มาลี", last_name_th="ใจงาม", sex="F"
    )
    StaffPost.objects.create(
        person=person, school=world.school1, position="teacher", starts_on=dt.date(2010, 5, 16)
    )
    give_good_record(person, since=dt.date(2018, 1, 1), years=[2567, 2568])

    login(page, live_server, world.teacher1.get_username())
    open_menu(page)
    page.get_by_role("link", name="ทะเบียนประวัติ").tap()
    expect(page).to_have_url(f"{live_server.url}/teachers/me/")
    check = page.locator("#pa-check")
    expect(check).to_contain_text("ชำนาญการพิเศษ")
    expect(check).to_contain_text("ยังไม่มีผลประเมิน PA ปีงบประมาณ 2569")

    page.get_by_text("เพิ่มกิจกรรม").tap()
    form = page.locator("#activities form")
    form.locator("select[name=kind]").select_option("online")
    form.get_by_label("ชื่อกิจกรรม").fill("การสอนคิดเชิงคำนวณ")
    form.locator("input[name=provider]").fill("สสวท.")
    form.locator("input[name=started_on]").fill("01/07/2569")
    form.locator("input[name=ended_on]").fill("02/07/2569")
    form.locator("input[name=hours]").fill("12")
    form.get_by_label("ไฟล์หลักฐาน").set_input_files(
        files=[{"name": "certificate.png", "mimeType": "image/png", "buffer": PNG}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึกกิจกรรม").tap()

    expect(page.locator(".messages")).to_contain_text("บันทึกกิจกรรมแล้ว")
    activities = page.locator("#activities")
    expect(activities).to_contain_text("การสอนคิดเชิงคำนวณ")
    expect(activities.get_by_role("link", name="หลักฐาน")).to_be_visible()
    expect(page.locator("#pa-check")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "e2e-teacher-record.png"), full_page=True)
    assert DevelopmentActivity.objects.get(person=person).evidence.name.endswith(".png")
