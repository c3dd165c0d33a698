"""A homeroom teacher on a 360 px phone records a done home visit: GPS from the phone, a photo, a risk."""

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.welfare.models import HomeVisit
from tests.conftest import World
from tests.e2e.conftest import PHONE, login

pytestmark = pytest.mark.django_db(transaction=True)

# Set KHRU_E2E_SCREENSHOTS=/some/dir to keep screenshots of the visit form and the class page.
SCREENSHOTS = os.environ.get("KHRU_E2E_SCREENSHOTS")


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (90, 140, 200)).save(out, format="JPEG")
    return out.getvalue()


def test_homeroom_teacher_records_a_home_visit(
    page: Page, live_server: LiveServer, world: World, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 7.884512, "longitude": 98.391234})
    login(page, live_server, world.teacher1.get_username())
    page.goto(f"{live_server.url}/org/classrooms/{world.class1.uuid}/")
    page.get_by_role("link", name="การเยี่ยมบ้าน").tap()
    expect(page.locator("p.progress")).to_contain_text("เยี่ยมแล้ว 0 จาก 1")
    expect(page.locator(".visit-list")).to_contain_text("ยังไม่นัดหมาย")

    page.get_by_role("link", name="บันทึก", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.student1.full_name)
    page.get_by_label("วันที่เยี่ยม").fill("01/07/2569")
    page.get_by_label("ผู้ที่พบ").fill("มารดาและยาย")
    page.get_by_label("หนี้สิน/รายได้ไม่พอใช้").check()
    page.get_by_label("ความต้องการช่วยเหลือ").fill("ทุนการศึกษา")
    page.get_by_role("button", name="ใช้ตำแหน่งปัจจุบัน").tap()
    expect(page.locator("#id_latitude")).to_have_value("7.884512")
    expect(page.locator("#id_longitude")).to_have_value("98.391234")
    page.locator("input[name=photos]").set_input_files(
        files=[{"name": "home.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the visit form is {width} px wide"
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "e2e-visit-form.png"), full_page=True)
    page.get_by_role("button", name="บันทึกการเยี่ยมบ้าน").tap()

    expect(page).to_have_url(f"{live_server.url}/welfare/classrooms/{world.class1.uuid}/visits/")
    expect(page.locator("p.progress")).to_contain_text("เยี่ยมแล้ว 1 จาก 1")
    expect(page.locator(".visit-list")).to_contain_text("เยี่ยมแล้ว")
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "e2e-visits-class.png"), full_page=True)
    visit = HomeVisit.objects.get()
    assert visit.status == "done" and visit.risks == ["debt"] and str(visit.latitude) == "7.884512"
    assert visit.photos.get().location_stripped

    page.get_by_role("link", name=world.student1.full_name).tap()
    expect(page.locator("img[alt='รูปถ่ายบ้าน']")).to_have_count(1)
    # The photo comes through the scoped view and really is an image (80 px wide once loaded).
    expect(page.locator("img[alt='รูปถ่ายบ้าน']")).to_have_js_property("naturalWidth", 80)
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "e2e-welfare-child.png"), full_page=True)
