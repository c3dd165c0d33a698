"""The on-track rule per level: an area office edits it with a preview, and the class page follows it."""

import pytest
from django.test import Client
from django.urls import reverse

from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.earlywarning import selectors, services
from khru.earlywarning.models import OnTrackRule
from tests import factories as f
from tests.earlywarning.test_flags import START, _registers, _school_days

pytestmark = pytest.mark.django_db


def _typed(primary_attendance: str = "90", primary_failed: str = "1") -> dict[str, str]:
    typed = {f"{level}-max_failed_core": "1" for level in OnTrackRule.Level.values}
    typed |= {f"{level}-min_attendance": "90" for level in OnTrackRule.Level.values}
    return typed | {"P-min_attendance": primary_attendance, "P-max_failed_core": primary_failed}


def test_changing_an_on_track_threshold_changes_who_is_off_track_as_the_preview_said(world):
    """Class 1 is ป.4. Five children at about 86% attendance, five at about 93%: under 90% puts five off
    track; raising the primary threshold to 95% puts ten off, as the preview says and the class page shows."""
    low = [f.EnrolmentFactory(classroom=world.class1).person for _ in range(5)]
    mid = [f.EnrolmentFactory(classroom=world.class1).person for _ in range(5)]
    days = _school_days(START, 42)
    for i, day in enumerate(days):
        absent = {p.pk: "absent" for p in low if i % 7 == 0} | {p.pk: "absent" for p in mid if i % 14 == 0}
        _registers(world, [day], absent)
    as_of = days[-1]
    area = world.school1.area
    stricter = services.parse_on_track(area=area, typed=_typed("95"))
    preview = selectors.preview_on_track(actor=world.officer, area=area, proposed=stricter, as_of=as_of)
    assert (preview.now, preview.proposed) == (5, 10)
    board = selectors.class_flags(actor=world.teacher1, classroom=world.class1, as_of=as_of)
    assert set(flag.person for flag in board.off_track) == set(low)
    services.set_on_track(actor=world.officer, area=area, proposed=stricter)
    board = selectors.class_flags(actor=world.teacher1, classroom=world.class1, as_of=as_of)
    assert len(board.off_track) == preview.proposed
    assert board.off_track[0].off_track[0].indicator == "attendance_rate_term"
    # Each level's row is written once; only the primary one changes from the published defaults.
    events = AuditEvent.objects.filter(object_type="earlywarning.ontrackrule")
    assert sorted(e.summary[-1] for e in events) == ["M", "P", "U"]
    assert [e.changes for e in events if e.changes] == [{"min_attendance": ["90.0", "95.0"]}]


def test_bad_thresholds_name_the_level_and_field_and_change_nothing(world):
    area = world.school1.area
    with pytest.raises(KhruError) as refused:
        services.parse_on_track(area=area, typed=_typed("120", "x"))
    assert [p.field for p in refused.value.problems] == ["P-max_failed_core", "P-min_attendance"]
    assert "ประถมศึกษา" in str(refused.value)
    office = Client()
    office.force_login(world.officer)
    url = reverse("earlywarning:on_track", args=[area.code])
    page = office.post(url, _typed("120") | {"action": "save"})
    assert page.status_code == 400 and "ร้อยละ 0–100" in page.content.decode()
    assert 'value="120"' in page.content.decode()  # what the officer typed stays
    assert not OnTrackRule.objects.exists()
    assert office.post(url, _typed("95") | {"action": "save"}).status_code == 302
    assert OnTrackRule.objects.get(area=area, level="P").min_attendance == 95


def test_only_the_areas_office_may_change_or_preview_the_on_track_rule(world):
    area = world.school1.area
    proposed = services.parse_on_track(area=area, typed=_typed("95"))
    for outsider in (world.principal1, world.teacher1, world.admin2):
        with pytest.raises(NotAllowed):
            services.set_on_track(actor=outsider, area=area, proposed=proposed)
        with pytest.raises(NotAllowed):
            selectors.preview_on_track(actor=outsider, area=area, proposed=proposed)
    assert not OnTrackRule.objects.exists()
