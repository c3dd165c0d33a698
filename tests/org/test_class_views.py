"""Class pages refuse (404) those without the permission before reading the form; found by the matrix."""

import pytest
from django.test import Client

from khru.core.errors import NotAllowed
from khru.org import selectors
from khru.org.models import Classroom, Membership
from khru.org.roles import Role
from tests import factories as f


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_plain_teacher_cannot_create_a_class_or_assign_teachers(world):
    teacher = f.MembershipFactory(role=Role.TEACHER, school=world.school1).user
    client = _client(teacher)
    created = client.post(f"/org/schools/{world.school1.code}/classrooms/new", {"grade": "P5", "room": 9})
    assert created.status_code == 404
    assert not Classroom.objects.filter(school=world.school1, grade="P5", room=9).exists()
    assigned = client.post(
        f"/org/classrooms/{world.class1.uuid}/teachers", {"teacher": teacher.pk, "role": Role.SUBJECT_TEACHER}
    )
    assert assigned.status_code == 404
    assert not Membership.objects.filter(user=teacher, classroom=world.class1).exists()


def test_an_area_officer_cannot_post_a_class_leave_form(world):
    response = _client(world.officer).post(f"/attendance/classrooms/{world.class1.uuid}/leave", {})
    assert response.status_code == 404


def test_removing_a_school_membership_through_a_class_address_is_not_found(world):
    """A membership that is not an assignment of the class in the address: 404 (it was a 500)."""
    school_membership = world.teacher1.memberships.get(school=world.school1)
    url = f"/org/classrooms/{world.class1.uuid}/teachers/{school_membership.pk}/remove"
    assert _client(world.admin1).post(url).status_code == 404
    assert Membership.objects.filter(pk=school_membership.pk).exists()
    # ...and an assignment of another class named through this class's address is not removed either.
    other = f.ClassroomFactory(school=world.school1, academic_year=world.class1.academic_year, room=7)
    assignment = f.MembershipFactory(user=world.teacher1, role=Role.SUBJECT_TEACHER, classroom=other)
    url = f"/org/classrooms/{world.class1.uuid}/teachers/{assignment.pk}/remove"
    assert _client(world.admin1).post(url).status_code == 404
    assert Membership.objects.filter(pk=assignment.pk).exists()


def test_the_school_office_assigns_one_of_its_staff_to_a_class_and_no_one_else(world):
    client = _client(world.admin1)
    url = f"/org/classrooms/{world.class1.uuid}/teachers"
    other_school = client.post(url, {"teacher": world.teacher2.pk, "role": Role.SUBJECT_TEACHER})
    assert other_school.status_code == 400
    with pytest.raises(NotAllowed):  # the selector behind the form refuses the same teacher
        selectors.staff_user(actor=world.admin1, school=world.school1, pk=world.teacher2.pk)
    teacher = f.MembershipFactory(role=Role.TEACHER, school=world.school1).user
    assigned = client.post(url, {"teacher": teacher.pk, "role": Role.SUBJECT_TEACHER})
    assert assigned.status_code == 302
    assert Membership.objects.filter(user=teacher, classroom=world.class1, role=Role.SUBJECT_TEACHER).exists()
    assert not Membership.objects.filter(user=world.teacher2, classroom=world.class1).exists()
