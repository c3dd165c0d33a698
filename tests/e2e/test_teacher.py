"""A homeroom teacher on a 360 px phone: from the home page to a student's record, and the search scope."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.people.models import Person
from tests.conftest import World
from tests.e2e.conftest import PHONE, login

pytestmark = pytest.mark.django_db(transaction=True)

# Set KHRU_E2E_SCREENSHOTS=/some/dir to keep a screenshot of the class page for a human to look at.
SCREENSHOTS = os.environ.get("KHRU_E2E_SCREENSHOTS")


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_teacher_goes_from_home_to_a_student_on_a_phone(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, world.teacher1.get_username())
    expect(page).to_have_url(f"{live_server.url}/")
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="ป.4/1").tap()
    expect(page).to_have_url(f"{live_server.url}/org/classrooms/{world.class1.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ป.4/1")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.school1.name_th)
    student = page.get_by_role("link", name=world.student1.full_name)
    expect(student).to_be_visible()
    expect(page.get_by_role("link", name=world.student2.full_name)).to_have_count(0)
    assert_no_horizontal_scroll(page)
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "e2e-class.png"), full_page=True)

    student.tap()
    expect(page).to_have_url(f"{live_server.url}/people/students/{world.student1.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.student1.full_name)
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text(world.school1.name_th)
    expect(timeline).to_contain_text("2569 · ป.4/1")
    assert_no_horizontal_scroll(page)


def test_teacher_search_finds_only_students_in_scope(
    page: Page, live_server: LiveServer, world: World
) -> None:
    # Distinct first names, so a prefix search for one cannot match the other by accident.
    Person.objects.filter(pk=world.student1.pk).update(first_name_th="ปิติ")
    Person.objects.filter(pk=world.student2.pk).update(first_name_th="มานะ")
    student1 = Person.objects.get(pk=world.student1.pk)
    student2 = Person.objects.get(pk=world.student2.pk)
    login(page, live_server, world.teacher1.get_username())

    page.goto("/people/search/")
    page.evaluate("window.stillTheSamePage = true")  # gone if the results came by a full page load
    box = page.get_by_role("searchbox")
    results = page.locator("#results")

    box.press_sequentially(student2.first_name_th, delay=20)
    expect(results.locator("ul.results li")).to_have_count(1)  # "no student found in your scope"
    expect(results.get_by_role("link")).to_have_count(0)
    expect(results).not_to_contain_text(student2.full_name)
    expect(page).to_have_url(re.compile(r"/people/search/\?q="))

    box.fill("")
    box.press_sequentially(student1.first_name_th, delay=20)
    found = results.get_by_role("link", name=student1.full_name)
    expect(found).to_be_visible()
    expect(results).to_contain_text(world.school1.name_th)
    assert page.evaluate("window.stillTheSamePage") is True, "the search reloaded the page instead of htmx"
    assert_no_horizontal_scroll(page)

    response = page.goto(f"/people/students/{student2.uuid}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text(student2.full_name)


def test_back_from_a_search_result_shows_the_search_page(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, world.teacher1.get_username())
    page.goto("/people/search/")
    page.get_by_role("searchbox").press_sequentially(world.student1.first_name_th, delay=20)
    page.locator("#results").get_by_role("link", name=world.student1.full_name).tap()
    expect(page).to_have_url(f"{live_server.url}/people/students/{world.student1.uuid}/")

    page.go_back()
    expect(page.get_by_role("searchbox")).to_have_value(world.student1.first_name_th, timeout=1_000)
    expect(page.locator("#results")).to_contain_text(world.student1.full_name)
