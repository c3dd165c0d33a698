"""Reads of people through the access policy."""

import datetime as dt
import uuid

import pytest

from khru.core.errors import KhruError
from khru.org.roles import Perm
from khru.people import selectors, services
from tests import factories as f


def _children(world, uuids: list) -> dict:
    return selectors.class_children(
        actor=world.teacher1, classroom=world.class1, uuids=uuids, perm=Perm.TAKE_ATTENDANCE
    )


def _refusal(world, student: uuid.UUID) -> list[tuple[str, str, str, str]]:
    with pytest.raises(KhruError) as refused:
        _children(world, [world.student1.uuid, student])
    # The English words echo the UUID sent; apart from that, one answer for every UUID.
    return [(p.field, p.th, p.field_th, p.en.replace(str(student), "<uuid>")) for p in refused.value.problems]


def test_a_save_names_only_the_class_children_followed_now_and_any_other_uuid_gets_one_answer(world):
    left = f.EnrolmentFactory(classroom=world.class1).person
    both = _children(world, [world.student1.uuid, left.uuid])
    assert both == {world.student1.uuid: world.student1.pk, left.uuid: left.pk}

    services.transfer_student(
        actor=world.admin2, person=left, to_school=world.school2, grade="P4", room=1, on=dt.date(2026, 11, 2)
    )
    assert _children(world, [world.student1.uuid]) == {world.student1.uuid: world.student1.pk}
    # A child who transferred out, another school's child and a UUID nobody has: the same refusal.
    answers = [_refusal(world, u) for u in (left.uuid, world.student2.uuid, uuid.uuid4())]
    expected = [("student", "ไม่พบนักเรียนในห้องนี้", "นักเรียน", "student <uuid> is not in this class")]
    assert answers[0] == answers[1] == answers[2] == expected
