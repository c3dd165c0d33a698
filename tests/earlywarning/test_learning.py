"""The daily scores and what the area learns from them: children flagged, cases, and the leavers missed."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from khru.core.errors import NotAllowed
from khru.core.suppression import HIDDEN
from khru.earlywarning import selectors, services
from khru.earlywarning.models import RiskScore
from khru.people.models import EndReason
from tests import factories as f
from tests.earlywarning.test_flags import START, _registers, _school_days

pytestmark = pytest.mark.django_db


def test_the_daily_scores_keep_each_childs_warning_and_a_rerun_replaces_the_day(world):
    days = _school_days(START, 20)
    _registers(world, days, {world.student1.pk: "absent"})
    day = days[-1] + dt.timedelta(days=1)
    classmate = f.EnrolmentFactory(classroom=world.class1).person
    assert services.score_area(area=world.school1.area, as_of=day) >= 2
    assert services.score_area(area=world.school1.area, as_of=day) >= 2
    mine = RiskScore.objects.get(person=world.student1, as_of=day)
    assert (mine.flagged, mine.abc, mine.chance, mine.school) == (True, True, None, world.school1)
    assert not RiskScore.objects.get(person=classmate, as_of=day).flagged
    assert RiskScore.objects.filter(person=world.student1).count() == 1


def test_the_area_sees_who_left_unwarned_and_without_a_case_counts_only(world):
    days = _school_days(START, 30)
    warned = [f.EnrolmentFactory(classroom=world.class1).person for _ in range(5)]
    unwarned = f.EnrolmentFactory(classroom=world.class1).person
    for i, day in enumerate(days):
        _registers(world, [day], {p.pk: "absent" for p in warned if i >= 20})
    left_on = days[-1] + dt.timedelta(days=3)
    for person in [*warned, unwarned]:
        person.enrolments.update(ends_on=left_on, end_reason=EndReason.DROPPED_OUT, dropout_reason="family")
    today = left_on + dt.timedelta(days=7)
    board = selectors.learning(actor=world.officer, area=world.school1.area, today=today)
    columns = [name for name, _label in board.columns]
    (school, cells), *_others = [row for row in board.rows if row[0] == world.school1]
    shown = dict(zip(columns, cells, strict=True))
    # Six left; the five who stopped coming were warned a week before (no daily score existed yet), the one
    # who left with no sign was not: a count under 5, shown as <5. None was followed up.
    assert (shown["left"], shown["left_unflagged"], shown["left_without_case"]) == (6, HIDDEN, 6)
    leavers = list(world.class1.enrolments.filter(end_reason=EndReason.DROPPED_OUT).select_related("person"))
    assert selectors._flagged_before_leaving(leavers, world.school1.area) == {p.pk for p in warned}
    for outsider in (world.principal1, world.teacher1):
        with pytest.raises(NotAllowed):
            selectors.learning(actor=outsider, area=world.school1.area, today=today)
    office = Client()
    office.force_login(world.officer)
    page = office.get(reverse("earlywarning:learning", args=[world.school1.area.code])).content.decode()
    assert "ออกโดยไม่เคยถูกแจ้งเตือน" in page and world.school1.name_th in page
    assert unwarned.first_name_th not in page  # counts, never names
