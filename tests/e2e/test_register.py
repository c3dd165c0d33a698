"""The teacher's phone register in Chromium: taps, one save, and the offline queue sent exactly once."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from khru.attendance.models import Mark, Submission
from khru.org.models import CalendarDay
from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def term_today(world: World) -> None:
    """A term around today, so today's register can be taken."""
    today = timezone.localdate()
    world.class1.academic_year.terms.all().delete()
    year = world.class1.academic_year
    year.starts_on, year.ends_on = today - dt.timedelta(days=200), today + dt.timedelta(days=100)
    year.save()
    f.TermFactory(
        academic_year=year,
        number=1,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
    )
    if today.weekday() >= 5:  # a weekend has no school: make today a make-up day so its register can be taken
        CalendarDay.objects.create(
            school=world.school1, date=today, kind=CalendarDay.Kind.MAKEUP, name_th="วันเรียนชดเชย"
        )


def register_url(world: World) -> str:
    return f"/attendance/classrooms/{world.class1.uuid}/register"


def test_tap_cycles_and_one_save_sends_the_class(
    page: Page, live_server: LiveServer, world: World, term_today: None
) -> None:
    login(page, live_server, world.teacher1.get_username())
    page.goto(register_url(world))
    row = page.locator("button.mark", has_text=world.student1.full_name)
    row.tap()
    expect(row).to_contain_text("ขาด")
    row.tap()
    expect(row).to_contain_text("ลาป่วย")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("[data-save]").tap()
    expect(page.locator(".messages, [data-save]").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert list(Mark.objects.values_list("person_id", "code__code")) == [(world.student1.pk, "sick")]


def test_offline_save_waits_and_is_sent_once(
    page: Page, live_server: LiveServer, world: World, term_today: None
) -> None:
    login(page, live_server, world.teacher1.get_username())
    page.goto(register_url(world))
    page.context.set_offline(True)
    page.locator("button.mark", has_text=world.student1.full_name).tap()
    page.locator("[data-save]").tap()
    pending = page.locator("[data-pending]")
    expect(pending).to_be_visible()
    expect(pending).to_contain_text(str(world.class1))
    assert Mark.objects.count() == 0
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(pending).to_be_hidden(timeout=10_000)
    assert list(Mark.objects.values_list("code__code", flat=True)) == ["absent"]
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second flush finds nothing to send
    page.wait_for_timeout(300)
    assert Submission.objects.count() == 1
