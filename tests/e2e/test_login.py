"""Signing in: Thai by default, the language switch, citizen-ID sign-in and the lockout after five misses."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.conftest import World
from tests.e2e.conftest import PASSWORD, login, open_menu
from tests.factories import PersonFactory, citizen_id

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_thai_and_switches_language(page: Page, live_server: LiveServer) -> None:
    page.goto("/login/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "th")
    # The stylesheet and htmx come from /static/ through the live server's static files handler.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(245, 247, 249)", "khru.css did not load"
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load"

    open_menu(page)
    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Khru")
    expect(page).to_have_url(f"{live_server.url}/login/")

    open_menu(page)
    page.get_by_role("button", name="ภาษาไทย").click()
    expect(html).to_have_attribute("lang", "th")
    open_menu(page)
    expect(page.get_by_role("button", name="English")).to_be_visible()


def test_login_page_text_is_thai(page: Page) -> None:
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("เข้าสู่ระบบ", timeout=500)


def printed(identifier: str) -> str:
    """1-2345-67890-12-1, as the ID card prints it."""
    return "-".join((identifier[0], identifier[1:5], identifier[5:10], identifier[10:12], identifier[12]))


@pytest.mark.parametrize("typed", [str, printed], ids=["13-digits", "as-printed"])
def test_login_with_citizen_id(
    page: Page, live_server: LiveServer, world: World, typed: Callable[[str], str]
) -> None:
    teacher_id = citizen_id(987_654)
    PersonFactory(
        citizen_id=teacher_id, prefix="นาง", first_name_th="สมศรี", last_name_th="สอนดี", user=world.teacher1
    )
    login(page, live_server, typed(teacher_id))
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("สมศรี")
    expect(page.get_by_role("link", name="ป.4/1")).to_be_visible()


def test_wrong_citizen_id_password_is_refused(page: Page, live_server: LiveServer, world: World) -> None:
    teacher_id = citizen_id(987_655)
    PersonFactory(citizen_id=teacher_id, user=world.teacher1)
    login(page, live_server, teacher_id, "not-the-password")
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_role("alert")).to_be_visible()


def test_five_wrong_passwords_lock_the_account(page: Page, live_server: LiveServer, world: World) -> None:
    username = world.teacher1.get_username()
    password_box = page.locator("input[name=password]")
    for _ in range(4):
        answer = login(page, live_server, username, "wrong-pass")
        assert answer is not None and answer.status == 200
        expect(page.get_by_role("alert")).to_be_visible()  # "wrong username/citizen ID or password"
        expect(password_box).to_be_visible()  # the form is offered again
    answer = login(page, live_server, username, "wrong-pass")  # the fifth miss locks at once
    assert answer is not None and answer.status == 429
    expect(password_box).to_have_count(0)
    answer = login(page, live_server, username, PASSWORD)  # the right password no longer helps
    assert answer is not None and answer.status == 429
    expect(page.get_by_role("alert")).to_be_visible()  # "too many failed sign-ins" (web/locked.html)
    expect(password_box).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
