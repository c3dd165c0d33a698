"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against pytest-django's live server.

Every test here is marked ``e2e`` and needs a transactional database: the live server answers from
another thread, so the ``world`` rows must be committed for it to see them.
"""

import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "khru-test-pass"
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder (and only those) as e2e."""
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium); e2e tests need Debian's Chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def warm_server(live_server: LiveServer) -> None:
    """The live server's first page imports every view and the API schema: seconds on a busy machine, which
    the browser's 5 s budget for one page must not pay."""
    urllib.request.urlopen(f"{live_server.url}/login/", timeout=120).read()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, warm_server: None) -> Iterator[Page]:
    """A fresh phone-sized Thai browser context per test; fails on a JavaScript error or a CSP refusal."""
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="th-TH",
        base_url=live_server.url,
    )
    context.set_default_timeout(5_000)
    # Every CSP refusal fires `securitypolicyviolation`; report it to the console, where it fails the test.
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')))"
    )
    page = context.new_page()
    broken: list[str] = []
    page.on("pageerror", lambda error: broken.append(f"JavaScript error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            broken.append(f"CSP refusal: {message.text}")

    page.on("console", on_console)
    yield page
    context.close()
    _wait_for_requests_in_flight()
    assert not broken, broken


def _wait_for_requests_in_flight(seconds: float = 15.0) -> None:
    """Let the live server finish what the closed page had asked for.

    Why: the teardown flushes the tables; a request still running in a live-server thread (an HTMX
    fetch the page fired just before it closed) then holds SQLite's lock, the flush fails and the next
    test finds this test's rows.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any("process_request_thread" in thread.name for thread in threading.enumerate()):
            return
        time.sleep(0.02)


def login(page: Page, live_server: LiveServer, username: str, password: str = PASSWORD) -> Response | None:
    """Sign in through the (Thai) login page the way a teacher does; the answer to the form's POST."""
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation() as navigation:
        page.locator("main form button.primary").click()
    return navigation.value


def open_menu(page: Page) -> None:
    """On a phone the header's links are in the menu: open it as a teacher does (a tap on เมนู)."""
    menu = page.locator("[data-menu]")
    if menu.get_attribute("open") is None:
        menu.locator("summary").tap()


@pytest.fixture
def scored_item(world: Any) -> Any:
    """ท14101 ภาษาไทย for ป.4/1 in term 1, with one item "งาน 1" out of 20 (the gradebook the pages open)."""
    from decimal import Decimal

    from khru.assessment import services
    from khru.org.models import Term

    term = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    course = services.create_course(
        actor=world.teacher1, classroom=world.class1, term=term, code="ท14101", name_th="ภาษาไทย",
        name_en="Thai", credits=Decimal("1.5"), hours=10,
    )  # fmt: skip
    return services.add_item(
        actor=world.teacher1, course=course, name="งาน 1", part="coursework", max_score=Decimal(20)
    )
