"""The one access policy: fail-closed, scoped by memberships, tried through every way in."""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from khru.core.models import AuditEvent
from khru.org import scope
from khru.org.models import Classroom, School
from khru.org.roles import Perm
from khru.people import selectors as people_selectors
from khru.people.models import Enrolment, Guardianship, Person


def test_a_model_with_no_rule_is_visible_to_nobody(world):
    Session.objects.create(session_key="k" * 32, session_data="x", expire_date=timezone.now())
    assert Session.objects.count() == 1
    for actor in (world.sysadmin, world.principal1, world.teacher1):
        assert not Session.objects.filter(scope.visible(actor, Session)).exists()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not School.objects.filter(scope.visible(AnonymousUser(), School)).exists()
    assert not Person.objects.filter(scope.visible(None, Person)).exists()


def test_teacher_of_school_1_sees_nothing_of_school_2(world):
    t = world.teacher1
    assert set(School.objects.filter(scope.visible(t, School))) == {world.school1}
    assert world.class2 not in Classroom.objects.filter(scope.visible(t, Classroom))
    persons = Person.objects.filter(scope.visible(t, Person))
    assert world.student1 in persons and world.student2 not in persons
    assert not Enrolment.objects.filter(scope.visible(t, Enrolment), school=world.school2).exists()
    assert not scope.can(t, Perm.VIEW_STUDENTS, world.student2)
    assert people_selectors.search_students(actor=t, query=world.student2.first_name_th) == []
    assert people_selectors.search_students(actor=t, query=world.student2.citizen_id) == []


def test_homeroom_teacher_reads_sensitive_data_of_own_class_only(world):
    assert scope.can(world.teacher1, Perm.VIEW_SENSITIVE, world.student1)
    assert not scope.can(world.teacher1, Perm.VIEW_SENSITIVE, world.student2)
    assert not scope.can(world.teacher1, Perm.MANAGE_ENROLMENT, world.school1)


def test_area_officer_sees_their_area_but_cannot_change_it(world):
    schools = School.objects.filter(scope.visible(world.officer, School))
    assert list(schools) == [world.school1]
    assert scope.can(world.officer, Perm.VIEW_STUDENTS, world.student1)
    assert not scope.can(world.officer, Perm.MANAGE_ENROLMENT, world.school1)
    assert not scope.can(world.officer, Perm.VIEW_SENSITIVE, world.student1)


def test_system_admin_sees_all_schools(world):
    assert School.objects.filter(scope.visible(world.sysadmin, School)).count() == School.objects.count()


def test_guardians_need_the_sensitive_permission(world, django_user_model):
    parent = Person.objects.create(
        citizen_id=None, prefix="นาง", first_name_th="แม่", last_name_th="ทดสอบ", sex="F"
    )
    Guardianship.objects.create(student=world.student1, guardian=parent, relation="mother")
    assert Guardianship.objects.filter(scope.visible(world.teacher1, Guardianship)).count() == 1
    assert Guardianship.objects.filter(scope.visible(world.admin2, Guardianship)).count() == 0
    assert Guardianship.objects.filter(scope.visible(world.officer, Guardianship)).count() == 0


def test_ended_membership_gives_nothing(world):
    from datetime import date, timedelta

    world.teacher1.memberships.update(ends_on=date.today() - timedelta(days=1))
    scope.forget(world.teacher1)
    assert not School.objects.filter(scope.visible(world.teacher1, School)).exists()


def test_principal_reads_own_school_audit_only(world):
    AuditEvent.objects.create(action="read", object_type="people.person", school_id=world.school1.pk)
    AuditEvent.objects.create(action="read", object_type="people.person", school_id=world.school2.pk)
    seen = AuditEvent.objects.filter(scope.visible(world.principal1, AuditEvent))
    assert [e.school_id for e in seen] == [world.school1.pk]
    assert not AuditEvent.objects.filter(scope.visible(world.teacher1, AuditEvent)).exists()


@pytest.mark.parametrize("perm", list(Perm))
def test_every_permission_is_scoped_for_school_admins(world, perm):
    """No permission of a school-2 admin reaches school 1's students."""
    assert not scope.can(world.admin2, perm, world.student1)
