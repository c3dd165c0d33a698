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


def test_any_code_in_two_taps_and_one_save_sends_the_class(
    page: Page, live_server: LiveServer, world: World, term_today: None
) -> None:
    late = f.EnrolmentFactory(classroom=world.class1).person
    login(page, live_server, world.teacher1.get_username())
    page.goto(register_url(world))
    row = page.locator("button.mark", has_text=world.student1.full_name)
    row.tap()  # one tap: absent
    expect(row).to_contain_text("ขาด")
    row.tap()  # again: present
    expect(row).not_to_contain_text("ขาด")
    other = page.locator("li", has=row)
    other.locator("[data-more]").tap()  # two taps for any other code
    other.locator("[data-choose=sick]").tap()
    expect(row).to_contain_text("ลาป่วย")
    expect(other.locator(".choices")).to_have_count(0)
    second = page.locator("li", has=page.locator("button.mark", has_text=late.full_name))
    second.locator("[data-more]").tap()
    second.locator("[data-choose=late]").tap()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = other.locator("[data-more]").bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    with page.expect_response("**/api/v1/attendance/registers") as saved:
        page.locator("[data-save]").tap()
    assert saved.value.status == 200
    assert sorted(Mark.objects.values_list("person_id", "code__code")) == sorted(
        [(world.student1.pk, "sick"), (late.pk, "late")]
    )


def test_a_register_of_a_day_not_yet_come_opens_today_instead(
    page: Page, live_server: LiveServer, world: World, term_today: None
) -> None:
    login(page, live_server, world.teacher1.get_username())
    today = timezone.localdate()
    page.goto(register_url(world) + f"?date={(today + dt.timedelta(days=2)).isoformat()}")
    expect(page.locator(".messages")).to_contain_text("ยังไม่ถึงวันที่")
    assert f"date={today.isoformat()}" in page.url
    expect(page.locator("[data-day]")).to_contain_text(str(today.year + 543))
    expect(page.locator(".daynav a[aria-label]")).to_have_count(1)  # back only: no "next day" past today


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
    expect(pending).to_contain_text(str(timezone.localdate().year + 543))  # the day in BE, not 2026-12-02
    expect(pending).not_to_contain_text(timezone.localdate().isoformat())
    assert Mark.objects.count() == 0
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(pending).to_be_hidden(timeout=10_000)
    assert list(Mark.objects.values_list("code__code", flat=True)) == ["absent"]
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second flush finds nothing to send
    page.wait_for_timeout(300)
    assert Submission.objects.count() == 1


def test_a_refused_save_says_why_in_thai_only(
    page: Page, live_server: LiveServer, world: World, term_today: None
) -> None:
    login(page, live_server, world.teacher1.get_username())
    page.goto(register_url(world))
    # The school closes today after the page was opened: the save is refused, and says so in the page's language
    CalendarDay.objects.update_or_create(
        school=world.school1,
        date=timezone.localdate(),
        defaults={"kind": CalendarDay.Kind.CLOSURE, "name_th": "น้ำท่วม"},
    )
    said: list[str] = []
    page.on("dialog", lambda dialog: (said.append(dialog.message), dialog.dismiss()))
    with page.expect_response("**/api/v1/attendance/registers") as refused:
        page.locator("[data-save]").tap()
    assert refused.value.status == 400
    page.wait_for_function("() => !document.querySelector('[data-save]').disabled")
    assert said and "น้ำท่วม" in said[0]
    assert not any(letter.isascii() and letter.isalpha() for letter in said[0]), said[0]
