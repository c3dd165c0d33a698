"""Staff persons for the world's users: the teachers, the principal, with posts at their schools."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from khru.people.models import Person, StaffPost
from khru.teachers.models import (
    PAAssessment,
    PerformanceAgreement,
    StandingRecord,
    TrainingCourse,
    TrainingProvider,
)
from tests import factories as f
from tests.conftest import World


@dataclass
class Staff:
    teacher1: Person  # world.teacher1, at school 1
    teacher2: Person  # world.teacher2, at school 2
    principal1: Person


def _person(user: object, school: object, position: str, n: int) -> Person:
    person = f.PersonFactory(
        user=user,
        prefix="นาง",
        first_name_th=f"สมศรี{n}",
        last_name_th="รักสอน",
        first_name_en=f"Somsri{n}",
        last_name_en="Raksorn",
        sex="F",
        birth_date=dt.date(1980, 3, 1),
    )
    StaffPost.objects.create(person=person, school=school, position=position, starts_on=dt.date(2010, 5, 16))
    return person


@pytest.fixture
def staff(world: World) -> Staff:
    return Staff(
        teacher1=_person(world.teacher1, world.school1, "teacher", 1),
        teacher2=_person(world.teacher2, world.school2, "teacher", 2),
        principal1=_person(world.principal1, world.school1, "principal", 3),
    )


def give_good_record(person: Person, *, since: dt.date, years: list[int], score: str = "85") -> None:
    """A standing since `since` and PA rounds for `years`, scored by two assessors."""
    StandingRecord.objects.create(person=person, standing="senior", since=since)
    for year in years:
        pa = PerformanceAgreement.objects.create(
            person=person, fiscal_year_be=year, agreed_on=dt.date(year - 544, 10, 15)
        )
        for assessor in ("ผู้อำนวยการ", "กรรมการ"):
            PAAssessment.objects.create(
                agreement=pa, assessor=assessor, score=Decimal(score), assessed_on=dt.date(year - 543, 9, 1)
            )


@pytest.fixture
def provider(db: object) -> TrainingProvider:
    provider = TrainingProvider.objects.create(code="TEPE", name_th="ระบบ TEPE Online", name_en="TEPE Online")
    TrainingCourse.objects.create(
        provider=provider, code="C101", title="การจัดการเรียนรู้เชิงรุก", hours=Decimal(12)
    )
    TrainingCourse.objects.create(provider=provider, code="C102", title="การวัดและประเมินผล", hours=Decimal(6))
    return provider
