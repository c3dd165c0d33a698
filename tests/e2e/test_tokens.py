"""A teacher makes an API token on a phone, sees it once, and revokes it; the revoked token stops working."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.conftest import World
from tests.e2e.conftest import login, open_menu

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_see_once_and_revoke_a_token(page: Page, live_server: LiveServer, world: World) -> None:
    login(page, live_server, world.teacher1.username)
    open_menu(page)
    page.get_by_role("link", name="โทเค็น API").click()
    page.locator("input[name=name]").fill("ระบบเกรด")
    page.get_by_role("button", name="สร้างโทเค็น").click()
    raw = page.locator("#token-value").inner_text()
    assert raw.startswith("khru_")
    assert Client().get("/api/v1/schools", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    page.goto(f"{live_server.url}/tokens/")
    expect(page.locator("#token-value")).to_have_count(0)  # shown once only
    row = page.locator("#tokens tbody tr", has_text="ระบบเกรด")
    expect(row).to_contain_text(raw[5:13])
    row.get_by_role("button", name="เพิกถอน").click()
    expect(page.locator("#tokens tbody tr", has_text="ระบบเกรด")).to_contain_text("เพิกถอนแล้ว")
    assert Client().get("/api/v1/schools", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
