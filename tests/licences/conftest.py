import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone

from khru.licences import tallies
from khru.licences.models import Licence, LicenceTier, LicenceType
from khru.org.models import Agency, User
from khru.org.roles import Role
from khru.people.models import Person, StaffPost
from khru.teachers.models import DevelopmentActivity
from tests import factories as f


@dataclass
class Holders:
    council: User
    teacher1: Person  # teaches at school 1, signs in as world.teacher1
    teacher2: Person  # teaches at school 2, signs in as world.teacher2
    licence1: Licence  # teacher B, expires in 60 days: inside the renewal window
    licence2: Licence


def today() -> dt.date:
    return timezone.localdate()


def teacher_type() -> LicenceType:
    return LicenceType.objects.get(code="teacher")


def tier(code: str) -> LicenceTier:
    return LicenceTier.objects.get(licence_type__code="teacher", code=code)


def make_licence(person: Person, number: str, *, expires_in: int, years: int = 5, **extra: object) -> Licence:
    expires = today() + dt.timedelta(days=expires_in)
    issued = expires.replace(year=expires.year - years)
    values = {"licence_type": teacher_type(), "tier": tier("B"), **extra}
    licence = Licence.objects.create(
        person=person, number=number, issued_on=issued, expires_on=expires, **values
    )
    tallies.count(licence, +1)  # as record_licence does
    return licence


def activities(person: Person, count: int, *, since: dt.date) -> list[DevelopmentActivity]:
    return [
        DevelopmentActivity.objects.create(
            person=person,
            kind="training",
            title=f"อบรมการสอนอ่าน {n}",
            provider="สพฐ.",
            started_on=since + dt.timedelta(days=30 * (n + 1)),
            ended_on=since + dt.timedelta(days=30 * (n + 1) + 2),
            hours=12,
        )
        for n in range(count)
    ]


def staff(user: User, school: object, position: str = StaffPost.Position.TEACHER, **names: str) -> Person:
    person = f.PersonFactory(user=user, prefix="นาง", sex="F", birth_date=dt.date(1985, 3, 1), **names)
    StaffPost.objects.create(person=person, school=school, position=position, starts_on=dt.date(2015, 5, 16))
    return person


@pytest.fixture
def holders(world) -> Holders:
    cache.clear()  # the public page's rate limit
    council = f.MembershipFactory(role=Role.COUNCIL_OFFICER, agency=Agency.objects.get(code="KSP")).user
    teacher1 = staff(world.teacher1, world.school1, first_name_th="มาลี", last_name_th="สอนดี")
    teacher2 = staff(world.teacher2, world.school2, first_name_th="สมศรี", last_name_th="ใจงาม")
    licence1 = make_licence(teacher1, "T64-0000001", expires_in=60, school=world.school1)
    licence2 = make_licence(teacher2, "T64-0000002", expires_in=400, school=world.school2)
    return Holders(
        council=council, teacher1=teacher1, teacher2=teacher2, licence1=licence1, licence2=licence2
    )
