"""axe-core on the pages a teacher, a registrar, a principal and an area officer reach: no critical or serious violation.

axe-core is vendored under tests/e2e/vendor/axe-core (MPL 2.0, see SOURCE.md) and evaluated in the page
through the browser's devtools channel, so the page's own security policy is left as served.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from khru.assessment.models import AssessmentItem
from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
VIOLATIONS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.length, first: v.nodes[0].target.join(' ')}))"""


def test_no_critical_or_serious_violation_on_the_pages_staff_reach(
    page: Page, live_server: LiveServer, world: World, scored_item: AssessmentItem
) -> None:
    for _ in range(3):
        f.EnrolmentFactory(classroom=world.class1)
    item, course = scored_item, scored_item.course
    room, child, school = world.class1.uuid, world.student1.uuid, world.school1.code
    visits = {
        world.teacher1: [
            reverse("web:home"),
            reverse("attendance:overview", args=[room]),
            reverse("attendance:register", args=[room]),
            reverse("health:measure", args=[room]),
            reverse("health:growth", args=[child]),
            reverse("care:classroom", args=[room]),
            reverse("care:student", args=[child]),
            reverse("welfare:classroom", args=[room]),
            reverse("welfare:visit", args=[child]),
            reverse("people:student", args=[child]),
            reverse("people:search"),
            reverse("assessment:classroom", args=[room]),
            reverse("assessment:course", args=[course.uuid]),
            reverse("assessment:results", args=[course.uuid]),
            reverse("assessment:gradebook", args=[item.uuid]),
            reverse("reports:catalog"),
            reverse("insights:index"),
            reverse("licences:mine"),
            reverse("exchange:tokens"),
        ],
        world.admin1: [
            reverse("web:home"),
            reverse("org:school", args=[school]),
            reverse("people:enrol", args=[school]),
            reverse("people:import", args=[school]),
            reverse("people:promote", args=[school]),
            reverse("people:prefixes", args=[school]),
        ],
        world.principal1: [
            reverse("web:home"),
            reverse("insights:school", args=[school]),
            reverse("insights:school_registers", args=[school]),
            reverse("org:audit"),
            reverse("reports:catalog"),
        ],
        world.officer: [
            reverse("insights:area", args=[world.school1.area.code]),
            reverse("insights:analysis"),
        ],
    }
    grave: dict[str, list[dict[str, object]]] = {}
    moderate = 0
    for user, paths in visits.items():
        page.context.clear_cookies()
        login(page, live_server, user.get_username())
        for path in paths:
            answer = page.goto(f"{live_server.url}{path}")
            assert answer and answer.status == 200, path
            page.evaluate(AXE + ";0")
            found = page.evaluate(VIOLATIONS)
            moderate += sum(1 for v in found if v["impact"] in ("moderate", "minor"))
            if bad := [v for v in found if v["impact"] in ("critical", "serious")]:
                grave[f"{user.get_username()} {path}"] = bad
    print(
        f"axe-core: {sum(map(len, visits.values()))} pages, 0 critical or serious expected, {moderate} moderate or minor"
    )
    assert not grave, grave
