"""A principal on a phone: dashboards → the school's picture (charts drawn) → a class → one child."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.attendance import services as attendance
from khru.org.models import School
from tests.conftest import World
from tests.e2e.conftest import login, open_menu

pytestmark = pytest.mark.django_db(transaction=True)

DAY = dt.date(2026, 6, 15)
# The lines a cell's text takes: its text boxes' distinct tops.
LINES = """td => { const range = document.createRange(); range.selectNodeContents(td);
  return new Set([...range.getClientRects()].map(box => Math.round(box.top))).size; }"""


def test_principal_drills_down_from_the_school_to_a_child(
    page: Page, live_server: LiveServer, world: World
) -> None:
    attendance.record_register(
        actor=world.teacher1, classroom=world.class1, date=DAY, marks={world.student1.pk: "absent"}
    )
    login(page, live_server, world.principal1.username)
    open_menu(page)
    page.get_by_role("link", name="แดชบอร์ด").click()
    page.get_by_role("link", name=world.school1.name_th).click()
    page.get_by_role("link", name="2569").click()
    expect(page.locator(".kpi-attendance")).to_have_text("0.0%")
    chart = page.locator("img[src*='figures/by_class.svg']")
    expect(chart).to_be_visible()
    # The first chart of the run starts the Vega renderer in the server (seconds on a busy machine).
    page.wait_for_function(
        "() => document.querySelector(\"img[src*='by_class.svg']\").naturalWidth > 0", timeout=30_000
    )
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= 360
    )  # readable on the phone, no sideways scroll
    page.get_by_role("link", name="ป.4/1").click()
    expect(page.locator("h1")).to_contain_text("ป.4/1")
    page.get_by_role("link", name=world.student1.full_name).first.click()
    expect(page.locator("h1")).to_contain_text(world.student1.full_name)
    expect(page.get_by_text(world.school1.name_th).first).to_be_visible()


def test_the_area_comparison_keeps_school_names_on_two_lines_at_360_px(
    page: Page, live_server: LiveServer, world: World
) -> None:
    School.objects.filter(pk=world.school1.pk).update(name_th="โรงเรียนเทศบาลนครตัวอย่างวิทยาคม")
    login(page, live_server, world.officer.username)
    page.goto(reverse("insights:area", args=[world.school1.area.code]))
    for table in ("side", "reporting", "grades"):
        cell = page.locator(f"table.{table} tbody tr:first-child td:first-child")
        expect(cell).to_contain_text("โรงเรียนเทศบาลนครตัวอย่างวิทยาคม")
        assert cell.evaluate(LINES) <= 2, table
