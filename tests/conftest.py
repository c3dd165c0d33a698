"""Shared fixtures: two schools in two areas, staff with memberships, students in classes.

Every test runs against the real database named by DATABASE_URL (SQLite, then PostgreSQL in CI).
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate

from khru.attendance.codes import seed as seed_attendance_codes
from khru.care.sdq import seed as seed_sdq
from khru.core.geography import load as load_geography
from khru.licences.reference import seed as seed_licence_types
from khru.org.agencies import seed as seed_agencies
from khru.org.models import Agency, Classroom, School, User
from khru.org.roles import Role
from khru.people.models import Person
from khru.teachers.rules import seed as seed_pa_rules
from khru.welfare.criteria import seed as seed_poverty_criteria
from tests import factories as f


def _restore_reference_data(sender: AppConfig, apps: Any = global_apps, **kwargs: Any) -> None:
    """Put back the rows data migrations load once (agencies, geography, attendance codes, SDQ, poverty rules).

    A transactional test (e2e) ends with a flush of every table, which also empties those rows; Django
    sends post_migrate after the flush. The loaders are idempotent, so running them after migrate is harmless.
    """
    if sender.name == "khru.org":
        seed_agencies(apps)
    elif sender.name == "khru.attendance":
        seed_attendance_codes(apps)
    elif sender.name == "khru.care":
        seed_sdq(apps)
    elif sender.name == "khru.teachers":
        seed_pa_rules(apps)
    elif sender.name == "khru.welfare":
        seed_poverty_criteria(apps)
    elif sender.name == "khru.licences":
        seed_licence_types(apps)
    elif sender.name == "khru.core" and not apps.get_model("core", "Subdistrict").objects.exists():
        load_geography(apps)


post_migrate.connect(_restore_reference_data, dispatch_uid="khru-tests-restore-reference-data")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """SQLite tests use a database file, not Django's shared in-memory one.

    The browser asks the live server for a page, its charts and its icon at once, and the server answers
    each from its own thread; an in-memory database is one connection shared by every thread, so two of
    those requests collide ("cannot start a transaction within a transaction"). A file gives each thread
    its own connection, as in production.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = Path(f"{database['NAME']}.test")
        name.parent.mkdir(parents=True, exist_ok=True)  # var/ is not in a clean clone
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache (tokens, rate limits, dashboards are kept there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def school_clock() -> Iterator[dt.datetime]:
    """The clock starts at SCHOOL_DAY, inside the world's 2569 school year, and ticks on from there (so later
    events still come later)."""
    with time_machine.travel(f.SCHOOL_DAY, tick=True):
        yield f.SCHOOL_DAY


@dataclass
class World:
    school1: School
    school2: School
    class1: Classroom  # ป.4/1 at school 1
    class2: Classroom  # ป.4/1 at school 2
    teacher1: User  # homeroom teacher of class1, teacher at school 1
    teacher2: User  # homeroom teacher of class2
    principal1: User
    admin1: User  # school admin at school 1
    admin2: User
    officer: User  # area officer over school 1's area only
    sysadmin: User
    student1: Person  # in class1
    student2: Person  # in class2


@pytest.fixture
def world(db, school_clock) -> World:
    year = f.AcademicYearFactory(year_be=2569)
    f.TermFactory(academic_year=year, number=1)
    school1 = f.SchoolFactory(name_th="โรงเรียนเทศบาลหนึ่ง")
    school2 = f.SchoolFactory(
        name_th="โรงเรียนสอง", area=f.AreaFactory(agency=Agency.objects.get(code="OBEC"), name_th="สพป.ทดสอบ")
    )
    f.AcademicYearFactory(agency=school2.area.agency, year_be=2569)
    class1 = f.ClassroomFactory(school=school1, academic_year=year, grade="P4", room=1)
    class2 = f.ClassroomFactory(
        school=school2, academic_year=f.AcademicYearFactory(agency=school2.area.agency), grade="P4", room=1
    )

    def member(role: Role, **unit: object) -> User:
        membership = f.MembershipFactory(role=role, **unit)
        return membership.user

    teacher1 = member(Role.TEACHER, school=school1)
    f.MembershipFactory(user=teacher1, role=Role.HOMEROOM_TEACHER, classroom=class1)
    teacher2 = member(Role.TEACHER, school=school2)
    f.MembershipFactory(user=teacher2, role=Role.HOMEROOM_TEACHER, classroom=class2)
    student1 = f.EnrolmentFactory(classroom=class1).person
    student2 = f.EnrolmentFactory(classroom=class2).person
    return World(
        school1=school1,
        school2=school2,
        class1=class1,
        class2=class2,
        teacher1=teacher1,
        teacher2=teacher2,
        principal1=member(Role.PRINCIPAL, school=school1),
        admin1=member(Role.SCHOOL_ADMIN, school=school1),
        admin2=member(Role.SCHOOL_ADMIN, school=school2),
        officer=member(Role.AREA_OFFICER, area=school1.area),
        sysadmin=member(Role.SYSTEM_ADMIN),
        student1=student1,
        student2=student2,
    )
