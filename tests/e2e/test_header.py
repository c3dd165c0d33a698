"""The header on a 360 px phone: one row (≤ 56 px) with a menu; every link in it a thumb's size."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.conftest import World
from tests.e2e.conftest import login, open_menu

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_phone_header_is_one_row_and_its_menu_holds_every_link(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, world.teacher1.get_username())
    header = page.locator("header.top").bounding_box()
    assert header and header["height"] <= 56, header
    expect(page.get_by_role("link", name="ค้นหานักเรียน")).to_be_hidden()
    expect(page.get_by_role("button", name="ออกจากระบบ")).to_be_hidden()  # not a stray tap away

    open_menu(page)
    for control in page.locator(".menu-body a, .menu-body button").all():
        box = control.bounding_box()
        assert box and box["height"] >= 44, (control.inner_text(), box)
    page.get_by_role("link", name="ค้นหานักเรียน").tap()
    expect(page).to_have_url(f"{live_server.url}/people/search/")


def test_a_wide_screen_shows_the_links_without_a_menu_button(
    page: Page, live_server: LiveServer, world: World
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, world.teacher1.get_username())
    expect(page.locator(".menu > summary")).to_be_hidden()
    expect(page.get_by_role("link", name="ค้นหานักเรียน")).to_be_visible()
    expect(page.get_by_role("button", name="ออกจากระบบ")).to_be_visible()
