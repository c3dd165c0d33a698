"""Staff of the seven municipal schools (about 650), their logins and roles, and the demo logins."""

import datetime as dt
import random
from dataclasses import dataclass

from khru.core.models import Subdistrict
from khru.demo import names
from khru.demo.context import CURRENT_YEAR, DemoContext
from khru.demo.org import SCHOOLS, seeded_uuid
from khru.demo.people import ADULT_OFFICES, HOME_SUBDISTRICTS, phone, weighted
from khru.org.models import Classroom, Membership, School, User
from khru.org.roles import Role
from khru.people.models import Person, Sex, StaffPost

Position = StaffPost.Position
BATCH = 1000
TEACHING_STAFF_PER_CLASS = 2.13  # Thai schools: about two teachers per class, more in secondary
SUBJECT_TEACHERS_PER_SECONDARY_CLASS = 3
HOMEROOM_DEMO = ("P4", 1)  # teacher-1 is homeroom teacher of ป.4/1 at school 1
OCCUPATION = {
    Position.PRINCIPAL: "รับราชการ",
    Position.DEPUTY: "รับราชการ",
    Position.TEACHER: "รับราชการ",
    Position.ASSISTANT_TEACHER: "รับราชการ",
    Position.OFFICER: "พนักงานเทศบาล",
    Position.SUPPORT: "ลูกจ้าง",
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    where: str


SCHOOL_1 = SCHOOLS[0].name_th
LOGINS = [
    DemoLogin("admin", Role.SYSTEM_ADMIN, "ทั้งระบบ / whole system"),
    DemoLogin(
        "municipality",
        Role.AREA_OFFICER,
        "เทศบาลนครตัวอย่าง (สาธิต): ตัวเลขสรุป, ค้นเด็กรายคนพร้อมเหตุผล / aggregates; named look-up with a purpose",
    ),
    DemoLogin("principal-1", Role.PRINCIPAL, SCHOOL_1),
    DemoLogin("registrar-1", Role.SCHOOL_ADMIN, SCHOOL_1),
    DemoLogin("teacher-1", Role.HOMEROOM_TEACHER, f"ป.4/1 ปีการศึกษา {CURRENT_YEAR}, {SCHOOL_1}"),
    DemoLogin("council", Role.COUNCIL_OFFICER, "คุรุสภา / Teachers Council (licences nationwide)"),
]


@dataclass
class StaffMember:
    person: Person
    user: User
    school: School
    position: Position


def _positions(classes: int) -> list[Position]:
    """Principal, deputies, teachers (some still assistants), office staff and support, by school size."""
    teaching = round(classes * TEACHING_STAFF_PER_CLASS)
    assistants = teaching // 8
    return (
        [Position.PRINCIPAL]
        + [Position.DEPUTY] * (1 + classes // 20)
        + [Position.TEACHER] * (teaching - assistants)
        + [Position.ASSISTANT_TEACHER] * assistants
        + [Position.OFFICER] * (2 + classes // 15)
        + [Position.SUPPORT] * (2 + classes // 15)
    )


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    subdistricts = Subdistrict.objects.in_bulk(HOME_SUBDISTRICTS)
    staff: list[StaffMember] = []
    memberships: list[Membership] = []

    for school in ctx.schools:
        for number, position in enumerate(_positions(len(_current_classes(ctx, school))), start=1):
            sex = Sex.FEMALE if rng.random() < (0.45 if position == Position.PRINCIPAL else 0.7) else Sex.MALE
            first = rng.choice(names.MEN if sex == Sex.MALE else names.WOMEN)
            surname = rng.choice(names.SURNAMES)
            oldest, youngest = (1966, 1978) if position == Position.PRINCIPAL else (1966, 2000)
            born = rng.randint(oldest, youngest)
            prefix = "นาย" if sex == Sex.MALE else ("นาง" if rng.random() < 0.55 else "นางสาว")
            subdistrict = subdistricts[rng.choice(HOME_SUBDISTRICTS)]
            person = Person(
                uuid=seeded_uuid(rng),
                citizen_id=ctx.citizen_id("3" if born < 1984 else "1", weighted(rng, ADULT_OFFICES)),
                prefix=prefix,
                first_name_th=first[0],
                last_name_th=surname[0],
                first_name_en=first[1],
                last_name_en=surname[1],
                birth_date=dt.date(born, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                sex=sex,
                house_no=f"{rng.randint(1, 300)}/{rng.randint(1, 40)}",
                subdistrict=subdistrict,
                postal_code=subdistrict.postal_code,
                phone=phone(rng),
                occupation=OCCUPATION[position],
            )
            user = User(
                username=f"t{school.code}-{number:03d}",
                password=ctx.password_hash,
                first_name=person.first_name_th,
                last_name=person.last_name_th,
            )
            staff.append(StaffMember(person=person, user=user, school=school, position=position))

    by_school: dict[int, list[StaffMember]] = {}
    for member in staff:
        by_school.setdefault(member.school.pk, []).append(member)
    school_1 = ctx.schools[0]
    for school in ctx.schools:
        members = by_school[school.pk]
        principal = next(m for m in members if m.position == Position.PRINCIPAL)
        registrar = next(m for m in members if m.position == Position.OFFICER)
        memberships += [
            Membership(user=principal.user, role=Role.PRINCIPAL, school=school),
            Membership(user=registrar.user, role=Role.SCHOOL_ADMIN, school=school),
        ]
        memberships += [Membership(user=m.user, role=Role.TEACHER, school=school) for m in members]
        teachers = [m for m in members if m.position in (Position.TEACHER, Position.ASSISTANT_TEACHER)]
        rng.shuffle(teachers)
        for classroom, homeroom in zip(_current_classes(ctx, school), teachers, strict=False):
            memberships.append(
                Membership(user=homeroom.user, role=Role.HOMEROOM_TEACHER, classroom=classroom)
            )
            if school == school_1 and (classroom.grade, classroom.room) == HOMEROOM_DEMO:
                homeroom.user.username = "teacher-1"
            if classroom.grade.startswith("M"):
                others = [m for m in teachers if m is not homeroom]
                for subject in rng.sample(others, SUBJECT_TEACHERS_PER_SECONDARY_CLASS):
                    memberships.append(
                        Membership(user=subject.user, role=Role.SUBJECT_TEACHER, classroom=classroom)
                    )
        if school == school_1:
            principal.user.username = "principal-1"
            registrar.user.username = "registrar-1"

    admin = User(
        username="admin", password=ctx.password_hash, is_staff=True, is_superuser=True, first_name="ผู้ดูแลระบบ"
    )
    officer = User(
        username="municipality", password=ctx.password_hash, first_name="เจ้าหน้าที่", last_name="กองการศึกษา"
    )
    users = [admin, officer] + [m.user for m in staff]
    User.objects.bulk_create(users, batch_size=BATCH)
    memberships += [
        Membership(user=admin, role=Role.SYSTEM_ADMIN),
        Membership(user=officer, role=Role.AREA_OFFICER, area=ctx.municipality),
    ]
    for member in staff:
        member.person.user = member.user
    Person.objects.bulk_create([m.person for m in staff], batch_size=BATCH)
    StaffPost.objects.bulk_create(
        [
            StaffPost(
                person=m.person,
                school=m.school,
                position=m.position,
                starts_on=_hired_on(rng, m.person),
            )
            for m in staff
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    ctx.staff = [m.person for m in staff]
    ctx.counts["staff"] = len(staff)
    ctx.counts["users"] = len(users)
    ctx.counts["memberships"] = len(memberships)


def _hired_on(rng: random.Random, person: Person) -> dt.date:
    """Some day after the person turned 23 (a graduate teacher), from 1990 to the start of the demo."""
    born = person.birth_date.year if person.birth_date else 1970
    year = rng.randint(max(born + 23, 1990), 2025)
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _current_classes(ctx: DemoContext, school: School) -> list[Classroom]:
    return [
        classroom
        for (school_id, year_be, _, _), classroom in ctx.classrooms.items()
        if school_id == school.pk and year_be == CURRENT_YEAR
    ]
