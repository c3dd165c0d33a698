"""A teacher on a 360 × 740 phone measures a class of 40: the last child can be reached above the save bar."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_last_child_is_not_hidden_under_the_save_bar(
    page: Page, live_server: LiveServer, world: World
) -> None:
    for _ in range(39):
        f.EnrolmentFactory(classroom=world.class1)
    login(page, live_server, world.teacher1.get_username())
    page.goto(f"{live_server.url}/health/classrooms/{world.class1.uuid}/measure")
    last = page.locator(".measures li").last
    height = last.locator("input[name^=height]")
    height.scroll_into_view_if_needed()
    height.tap()  # Playwright refuses the tap if the save bar is on top of the input
    expect(height).to_be_focused()
    bar = page.locator(".savebar").bounding_box()
    box = height.bounding_box()
    assert bar and box
    page.mouse.wheel(0, 10_000)  # scrolled to the very end, the last row sits above the bar
    box = height.bounding_box()
    assert box and box["y"] + box["height"] <= bar["y"], (box, bar)
