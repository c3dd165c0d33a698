"""Assigning a teacher to a class: the membership and its audit event are written together or not at all."""

import pytest

from khru.core.models import AuditEvent
from khru.org import services
from khru.org.models import Membership
from khru.org.roles import Role


def test_an_assignment_is_saved_with_its_audit_event(world):
    membership = services.assign_teacher(
        actor=world.admin1, classroom=world.class1, teacher=world.teacher1, role=Role.SUBJECT_TEACHER
    )
    assert membership.classroom == world.class1 and membership.role == Role.SUBJECT_TEACHER
    event = AuditEvent.objects.get(object_type="org.membership", object_id=str(membership.pk))
    assert event.actor == world.admin1 and event.action == "create"


def test_a_failed_audit_leaves_no_assignment_behind(world, monkeypatch):
    def audit_down(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services.audit, "record", audit_down)
    with pytest.raises(RuntimeError):
        services.assign_teacher(
            actor=world.admin1, classroom=world.class1, teacher=world.teacher1, role=Role.SUBJECT_TEACHER
        )
    assert not Membership.objects.filter(
        user=world.teacher1, classroom=world.class1, role=Role.SUBJECT_TEACHER
    ).exists()  # teacher1 stays only the homeroom teacher
