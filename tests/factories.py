"""factory-boy factories for the organisation and people models (real rows, no mocks)."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from khru.core.identity import citizen_id_check_digit
from khru.org.models import AcademicYear, Agency, Area, Classroom, Membership, School, Term, User
from khru.org.roles import Role
from khru.people.models import Enrolment, Person

# Thursday 3 December 2569 (2026), 09:00 in Bangkok: a weekday inside the 2569 school year the factories
# build. Tests of that year run on a clock that starts here (conftest's school_clock): on the real clock
# they fail once the year is over.
SCHOOL_DAY = dt.datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


def citizen_id(n: int) -> str:
    first = f"1{n:011d}"
    return first + citizen_id_check_digit(first)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    agency = factory.LazyFunction(lambda: Agency.objects.get(code="LAO"))
    code = factory.Sequence(lambda n: f"AREA{n}")
    name_th = factory.Sequence(lambda n: f"เทศบาลทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test municipality {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    area = factory.SubFactory(AreaFactory)
    code = factory.Sequence(lambda n: f"10{n:08d}")
    name_th = factory.Sequence(lambda n: f"โรงเรียนทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test School {n}")
    lowest_grade = "K1"
    highest_grade = "M3"


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("agency", "year_be")

    agency = factory.LazyFunction(lambda: Agency.objects.get(code="LAO"))
    year_be = 2569
    starts_on = factory.LazyAttribute(lambda o: dt.date(o.year_be - 543, 5, 16))
    ends_on = factory.LazyAttribute(lambda o: dt.date(o.year_be - 542, 5, 15))


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    academic_year = factory.SubFactory(AcademicYearFactory)
    number = 1
    starts_on = factory.LazyAttribute(lambda o: o.academic_year.starts_on)
    ends_on = factory.LazyAttribute(lambda o: dt.date(o.academic_year.starts_on.year, 10, 11))


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    school = factory.SubFactory(SchoolFactory)
    academic_year = factory.SubFactory(AcademicYearFactory)
    grade = "P4"
    room = factory.Sequence(lambda n: n % 90 + 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("khru-test-pass")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    citizen_id = factory.Sequence(lambda n: citizen_id(n + 1))
    prefix = "เด็กชาย"
    first_name_th = factory.Sequence(lambda n: f"สมชาย{n}")
    last_name_th = factory.Sequence(lambda n: f"ใจดี{n}")
    first_name_en = factory.Sequence(lambda n: f"Somchai{n}")
    last_name_en = factory.Sequence(lambda n: f"Jaidee{n}")
    sex = "M"
    birth_date = dt.date(2016, 6, 1)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    person = factory.SubFactory(PersonFactory)
    classroom = factory.SubFactory(ClassroomFactory)
    school = factory.LazyAttribute(lambda o: o.classroom.school)
    academic_year = factory.LazyAttribute(lambda o: o.classroom.academic_year)
    grade = factory.LazyAttribute(lambda o: o.classroom.grade)
    student_number = factory.Sequence(lambda n: f"{n + 10000}")
    starts_on = factory.LazyAttribute(lambda o: o.academic_year.starts_on)
