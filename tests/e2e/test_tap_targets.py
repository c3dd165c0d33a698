"""Every control on the pages a class teacher uses can be hit with a thumb on a 360 px phone.

The rule (WCAG 2.2 target size, as the phone issue states it): a control smaller than 44 px in both
dimensions is at least 24 × 24 px and no closer than 24 px to another control.
"""

import datetime as dt

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from khru.assessment.models import AssessmentItem
from khru.people.models import StaffPost
from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import login
from tests.teachers.conftest import give_good_record

pytestmark = pytest.mark.django_db(transaction=True)

# The controls of the page that break the rule, as "tag 'text' width×height".
SMALL_TARGETS = """() => {
  const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
    // A box ticked through its label: the whole label is what the thumb hits.
    .map((e) => [e, ((/^(checkbox|radio)$/.test(e.type) && e.closest('label')) || e).getBoundingClientRect()]);
  const gap = (a, b) => Math.max(0, Math.max(a.left, b.left) - Math.min(a.right, b.right),
                                    Math.max(a.top, b.top) - Math.min(a.bottom, b.bottom));
  return controls.filter(([e, r]) => r.width < 44 && r.height < 44 && (r.width < 24 || r.height < 24 ||
      controls.some(([o, q]) => o !== e && !o.contains(e) && !e.contains(o) && gap(r, q) < 24)))
    .map(([e, r]) => `${e.tagName.toLowerCase()} '${(e.innerText || e.name || '').trim().slice(0, 30)}' ` +
                     `${Math.round(r.width)}×${Math.round(r.height)}`);
}"""


def test_no_control_on_a_teachers_pages_is_too_small_to_tap(
    page: Page, live_server: LiveServer, world: World, scored_item: AssessmentItem
) -> None:
    for _ in range(3):
        f.EnrolmentFactory(classroom=world.class1)
    item, course = scored_item, scored_item.course
    person = f.PersonFactory(
        user=world.teacher1, prefix="นาง", first_name_th="มาลี", last_name_th="ใจงาม", sex="F"
    )
    StaffPost.objects.create(
        person=person, school=world.school1, position="teacher", starts_on=dt.date(2010, 5, 16)
    )
    give_good_record(
        person, since=dt.date(2018, 1, 1), years=[2567, 2568]
    )  # the record book's rows and their buttons
    room, child = world.class1.uuid, world.student1.uuid
    pages = [
        "/",
        f"/attendance/classrooms/{room}/",
        f"/attendance/classrooms/{room}/register",
        f"/health/classrooms/{room}/measure",
        f"/health/students/{child}/growth",
        f"/care/classrooms/{room}/",
        f"/care/students/{child}/",
        f"/welfare/classrooms/{room}/visits/",
        f"/welfare/students/{child}/visit/",
        f"/people/students/{child}/",
        "/people/search/",
        "/teachers/me/",
        f"/assessment/classrooms/{room}/",
        f"/assessment/courses/{course.uuid}/",
        f"/assessment/courses/{course.uuid}/results",
        f"/assessment/items/{item.uuid}/",
    ]
    login(page, live_server, world.teacher1.get_username())
    found = {}
    for path in pages:
        answer = page.goto(f"{live_server.url}{path}")
        assert answer and answer.status == 200, path
        small = page.evaluate(SMALL_TARGETS)
        if small:
            found[path] = small
    assert not found, found
