"""A teacher asks to renew a licence on a phone, the Teachers Council approves, the public page verifies it."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.licences.models import Licence
from khru.org.models import Agency
from khru.org.roles import Role
from tests.conftest import World
from tests.e2e.conftest import login
from tests.factories import MembershipFactory
from tests.licences.conftest import activities, make_licence, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_renewal_requested_approved_and_verified(page: Page, live_server: LiveServer, world: World) -> None:
    holder = staff(world.teacher1, world.school1, first_name_th="มาลี", last_name_th="สอนดี")
    licence = make_licence(holder, "T64-0000001", expires_in=60, school=world.school1)
    activities(holder, 3, since=licence.issued_on)
    council = MembershipFactory(role=Role.COUNCIL_OFFICER, agency=Agency.objects.get(code="KSP")).user

    login(page, live_server, world.teacher1.username)
    page.goto("/licences/")
    page.get_by_role("link", name="ขอต่ออายุใบอนุญาต").click()
    for n in range(3):
        page.get_by_text(f"อบรมการสอนอ่าน {n}").click()
    page.get_by_role("button", name="ส่งคำขอ").click()
    expect(page.locator(".messages")).to_contain_text("ส่งคำขอต่ออายุถึงคุรุสภาแล้ว")
    expect(page.locator(".licence")).to_contain_text("รอพิจารณา")

    page.context.clear_cookies()
    login(page, live_server, council.username)
    page.goto("/licences/council/renewals/")
    expect(page.locator(".renewal")).to_contain_text("มาลี")
    page.get_by_role("button", name="อนุมัติและออกใบอนุญาต").click()
    expect(page.locator(".messages")).to_contain_text(re.compile(r"ออกใบอนุญาตเลขที่ T\d\d-\d{7}"))
    new = Licence.objects.get(renews=licence)

    page.context.clear_cookies()
    page.goto(f"/verify/licence/{new.number}")
    verified = page.locator(".verified")
    expect(verified).to_contain_text("นางมาลี สอนดี")
    expect(verified).to_contain_text("ใช้ได้")
    expect(verified).to_contain_text(new.number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/verify/licence/T64-0000001")
    expect(page.locator(".verified")).to_contain_text("ต่ออายุแล้ว")
