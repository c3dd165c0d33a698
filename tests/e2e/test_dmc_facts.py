"""A registrar on a 360 px phone corrects a student's DMC census facts from the student page."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.people.models import Person
from tests.conftest import World
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_registrar_corrects_the_census_facts(page: Page, live_server: LiveServer, world: World):
    login(page, live_server, world.admin1.get_username())
    page.goto(f"{live_server.url}/people/students/{world.student1.uuid}/")
    page.locator("#edit-census").tap()
    page.get_by_label("ศาสนา").select_option(label="อิสลาม")
    page.get_by_label("หมู่เลือด").select_option("B")
    page.get_by_label("สัญชาติ").fill("ไทย")
    page.get_by_label("ความพิการ").select_option(label="ออทิสติก")
    page.get_by_role("button", name="บันทึก").tap()
    expect(page.locator("main")).to_contain_text("อิสลาม")
    expect(page.locator("main")).to_contain_text("ออทิสติก")
    person = Person.objects.get(pk=world.student1.pk)
    assert (person.religion, person.blood_group, person.disability) == ("islam", "B", "autism")
