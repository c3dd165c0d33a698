"""A school administrator enrols a student and records a dropout."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.core.identity import citizen_id_check_digit
from khru.people.models import EndReason, Enrolment, Person
from tests.conftest import World
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = {
    "name_prefix": "เด็กหญิง",
    "first_name_th": "มาลี",
    "last_name_th": "มีสุข",
    "first_name_en": "Malee",
    "last_name_en": "Meesuk",
    "birth_date": "01/06/2559",
    "room": "1",
    "student_number": "20001",
    "starts_on": "16/05/2569",
}
CHOSEN = {"sex": "F", "grade": "P4"}


def test_enrol_keeps_what_was_typed_when_the_citizen_id_is_wrong(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, world.admin1.get_username())
    page.goto(f"/people/schools/{world.school1.code}/enrol")
    form = page.locator("main form")
    form.locator("[name=citizen_id]").fill("1234567890120")  # the check digit should be 1
    for name, value in TYPED.items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in CHOSEN.items():
        form.locator(f"[name={name}]").select_option(value)
    with page.expect_navigation():
        form.locator("button.primary").click()

    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("เลขประจำตัวประชาชน")  # the field, named in Thai
    expect(problems).to_contain_text("หลักตรวจสอบผิด")
    form = page.locator("main form")
    expect(form.locator("[name=citizen_id]")).to_have_value("1234567890120")
    for name, value in {**TYPED, **CHOSEN}.items():
        expect(form.locator(f"[name={name}]")).to_have_value(value)
    assert not Person.objects.filter(first_name_th="มาลี").exists()

    valid = "123456789012" + citizen_id_check_digit("123456789012")
    form.locator("[name=citizen_id]").fill(valid)
    with page.expect_navigation():
        form.locator("button.primary").click()

    person = Person.objects.get(citizen_id=valid)
    expect(page).to_have_url(f"{live_server.url}/people/students/{person.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("เด็กหญิงมาลี มีสุข")
    expect(page.locator("ol.timeline")).to_contain_text("2569 · ป.4/1")
    expect(page.locator("ol.timeline")).to_contain_text(world.school1.name_th)


def test_dropout_is_recorded_with_its_reason(page: Page, live_server: LiveServer, world: World) -> None:
    login(page, live_server, world.admin1.get_username())
    page.goto(f"/people/students/{world.student1.uuid}/")
    exit_link = page.locator("a[href$='/exit']")
    exit_link.tap()
    expect(page).to_have_url(re.compile(r"/people/enrolments/\d+/exit$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.student1.full_name)

    form = page.locator("main form")
    form.locator("[name=reason]").select_option(label="ออกกลางคัน")
    form.locator("[name=on]").fill("20/11/2569")
    with page.expect_navigation():
        form.locator("button.primary").click()
    # A dropout without its reason is refused, naming the missing field.
    expect(page.get_by_role("alert")).to_contain_text("สาเหตุการออกกลางคัน")
    form = page.locator("main form")
    expect(form.locator("[name=on]")).to_have_value("20/11/2569")

    form.locator("[name=dropout_reason]").select_option(label="ฐานะยากจน")
    with page.expect_navigation():
        form.locator("button.primary").click()

    expect(page).to_have_url(f"{live_server.url}/people/students/{world.student1.uuid}/")
    closed = page.locator("ol.timeline li").filter(has_text=world.school1.name_th)
    expect(closed).to_contain_text("ออกกลางคัน")
    expect(closed).to_contain_text("(ฐานะยากจน)")
    expect(closed).to_contain_text("– 20 พ.ย. 2569")  # the end date, where an open one says "now"
    expect(page.locator("a[href$='/exit']")).to_have_count(0)
    enrolment = Enrolment.objects.get(person=world.student1)
    assert enrolment.end_reason == EndReason.DROPPED_OUT
    assert enrolment.dropout_reason == "poverty"
