"""Students, their families, and three years of enrolment history, simulated year by year in memory.

Everything is decided in Python first (one Random, so the same seed gives the same children), then
written with a few bulk inserts. The history follows the rules of `people.services`: one open enrolment
per child; year-end closes each as promoted, repeated or graduated; a transfer closes the day before the
new school's enrolment starts; exits carry a reason.
"""

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from khru.core.dates import ce_year
from khru.core.models import Subdistrict
from khru.demo import names
from khru.demo.context import CURRENT_YEAR, YEARS, DemoContext
from khru.demo.org import seeded_uuid
from khru.org import grades
from khru.org.models import School
from khru.people.models import DropoutReason, EndReason, Enrolment, Guardianship, IdKind, Person, Sex
from khru.people.prefixes import derived_prefix

BATCH = 1000
# Mueang Phuket's subdistricts; families mostly live in the school's own.
HOME_SUBDISTRICTS = ["830101", "830102", "830103", "830104", "830105", "830106", "830107", "830108"]
# Registration offices (province + district) where IDs were issued: many Phuket families moved from elsewhere.
CHILD_OFFICES = [
    ("8301", 55),
    ("8302", 10),
    ("8303", 10),
    ("8001", 6),
    ("9001", 4),
    ("8401", 5),
    ("8201", 5),
    ("1001", 5),
]
ADULT_OFFICES = [
    ("8301", 35),
    ("8302", 8),
    ("8303", 7),
    ("8001", 12),
    ("9001", 8),
    ("8401", 10),
    ("9201", 8),
    ("1001", 12),
]

# Students per room at scale 1, by stage; each room varies a little around it (within 25–40).
CLASS_SIZE = {"K": 30, "P": 38, "M": 40, "U": 38}
OBEC_CLASS_SIZE = 30
ENTRY_GRADES = ("K1", "P1", "M1", "M4")  # where schools take in children from outside

# Yearly shares of the municipal students (Phuket's reported figures are of this order).
TRANSFER_WITHIN = 0.012
TRANSFER_TO_OBEC = 0.004
TRANSFER_FROM_OBEC = 0.004
DROPOUT = 0.015
DECEASED = 0.0002
UNKNOWN = 0.0008
REPEAT = 0.01
SIBLING = 0.18  # a new child joins a family already at the school
GRANDPARENT = 0.10  # lives with a grandparent instead of the parents
SINGLE_MOTHER = 0.05
UNDOCUMENTED = 0.01  # family without Thai IDs: the child gets a G code
CONTINUE_TO_NEXT_STAGE = 0.6  # graduates who go on to a demo school's M1 / M4 if there is room
DROPOUT_WEIGHT = {"K": 0.2, "P": 0.5, "M": 1.5, "U": 2.5}  # older students leave more often
# How strongly the hidden risk draws a child out of school (leaving odds ∝ exp(RISK_PULL × risk)), and the
# share of leavers chosen without regard to it: children who leave with no warning signs (docs/earlywarning.md).
RISK_PULL = 3.0
WITHOUT_WARNING = 0.15
DROPOUT_REASONS: list[tuple[str, int]] = [
    (DropoutReason.POVERTY, 25), (DropoutReason.FAMILY, 20), (DropoutReason.MIGRATION, 15),
    (DropoutReason.WORK, 12), (DropoutReason.LEARNING, 6), (DropoutReason.HEALTH, 5),
    (DropoutReason.BEHAVIOUR, 5), (DropoutReason.MARRIAGE, 5), (DropoutReason.TRAVEL, 4), (DropoutReason.OTHER, 3),
]  # fmt: skip
# Children are เด็กชาย / เด็กหญิง until 15, then นาย / นางสาว (age on the start of the current year).
ADULT_ONLY_REASONS = {DropoutReason.WORK, DropoutReason.MARRIAGE}
# The DMC census facts. Drawn from their own Random so the rest of the demo stays as it was for a seed.
BLOOD_GROUPS: list[tuple[str, int]] = [("O", 38), ("B", 33), ("A", 22), ("AB", 7)]
RELIGIONS: list[tuple[str, int]] = [("buddhist", 930), ("islam", 50), ("christian", 15), ("unstated", 5)]
DISABILITIES: list[tuple[str, int]] = [
    ("learning", 45), ("intellectual", 15), ("autism", 10), ("speech", 8), ("physical", 7),
    ("hearing", 5), ("visual", 4), ("behavioural", 4), ("multiple", 2),
]  # fmt: skip
DISABLED = 0.02
# "poor" is left blank: the DMC export derives it from the poverty screening.
DISADVANTAGES: list[tuple[str, int]] = [("abandoned", 5), ("working", 3), ("hiv", 1), ("abused", 1)]
DISADVANTAGED = 0.01
MIGRANT_NATIONALITIES = ["เมียนมา", "ลาว", "กัมพูชา"]


def stage(grade: str) -> str:
    if grade in ("M4", "M5", "M6"):
        return "U"
    return grade[0]


def weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in options], weights=[weight for _, weight in options])[0]


def phone(rng: random.Random) -> str:
    return f"08{rng.randrange(10)}-{rng.randrange(1000):03d}-{rng.randrange(10000):04d}"


@dataclass
class Family:
    surname: names.Name
    house_no: str
    subdistrict: Subdistrict
    undocumented: bool
    guardians: list[tuple[Person, str, bool]]  # person, relation, is primary
    children: int = 0
    religion: str = ""
    nationality: str = "ไทย"


@dataclass
class Pupil:
    person: Person
    family: Family
    school: School
    grade: str
    room: int
    enrolment: Enrolment | None = None  # the open one
    risk: float = 0.0  # the hidden pull away from school (standard normal)
    numbers: dict[int, str] = field(default_factory=dict)  # student number at each school attended


class Simulation:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.persons: list[Person] = []
        self.students: list[Person] = []
        self.guardianships: list[Guardianship] = []
        self.enrolments: list[Enrolment] = []
        self.pupils: list[Pupil] = []  # enrolled now (one open enrolment each)
        self.ever: list[Pupil] = []  # every student simulated, those who left included
        self.families: dict[int, list[Family]] = {school.pk: [] for school in ctx.all_schools}
        self.subdistricts = Subdistrict.objects.in_bulk(HOME_SUBDISTRICTS)
        self.numbers = {school.pk: self.rng.randrange(8000, 20000) for school in ctx.all_schools}
        self.g_running = self.rng.randrange(1, 5000)
        self.targets: dict[tuple[int, str, int], int] = {}
        self.room_counts: Counter[tuple[int, str, int]] = Counter()
        self.reference_day = ctx.year(ctx.schools[0], CURRENT_YEAR).starts_on
        self.census_rng = random.Random(f"khru-demo-census:{ctx.seed}")
        self.risk_rng = random.Random(f"khru-demo-risk:{ctx.seed}")  # its own, so other draws stay

    # --- people -------------------------------------------------------------------------------------

    def _person(self, **fields: object) -> Person:
        person = Person(uuid=seeded_uuid(self.rng), **fields)
        self.persons.append(person)
        return person

    def _adult(
        self,
        *,
        sex: str,
        surname: names.Name,
        born: int,
        family_home: tuple[str, Subdistrict],
        occupations: list[tuple[str, int]],
        documented: bool,
    ) -> Person:
        first = self.rng.choice(names.MEN if sex == Sex.MALE else names.WOMEN)
        # Married women are mostly นาง; since 2008 a married woman may keep นางสาว, and some do.
        prefix = "นาย" if sex == Sex.MALE else self.rng.choices(["นาง", "นางสาว"], weights=[85, 15])[0]
        birth = dt.date(born, 1, 1) + dt.timedelta(days=self.rng.randrange(365))
        citizen_id = None
        if documented:
            # IDs starting with 3 were given to everyone registered when the system began (1984).
            citizen_id = self.ctx.citizen_id("3" if born < 1984 else "1", weighted(self.rng, ADULT_OFFICES))
        house_no, subdistrict = family_home
        return self._person(
            citizen_id=citizen_id,
            prefix=prefix,
            first_name_th=first[0],
            last_name_th=surname[0],
            first_name_en=first[1],
            last_name_en=surname[1],
            birth_date=birth,
            sex=sex,
            house_no=house_no,
            subdistrict=subdistrict,
            postal_code=subdistrict.postal_code,
            phone=phone(self.rng) if documented or self.rng.random() < 0.7 else "",
            occupation=weighted(self.rng, occupations),
        )

    def _new_family(self, school: School, child_birth: dt.date) -> Family:
        rng = self.rng
        undocumented = rng.random() < UNDOCUMENTED
        surname = rng.choice(names.SURNAMES)
        subdistrict = school.subdistrict if rng.random() < 0.7 and school.subdistrict else None
        subdistrict = subdistrict or self.subdistricts[rng.choice(HOME_SUBDISTRICTS)]
        house_no = f"{rng.randint(1, 250)}" + (f"/{rng.randint(1, 60)}" if rng.random() < 0.4 else "")
        if subdistrict.code >= "830106":  # outside the old town, addresses go by village (หมู่)
            house_no += f" หมู่ {rng.randint(1, 9)}"
        home = (house_no, subdistrict)
        occupations = names.UNDOCUMENTED_OCCUPATIONS if undocumented else names.PARENT_OCCUPATIONS
        guardians: list[tuple[Person, str, bool]] = []
        if rng.random() < GRANDPARENT:
            sex = Sex.FEMALE if rng.random() < 0.7 else Sex.MALE
            born = child_birth.year - rng.randint(45, 65)
            grandparent = self._adult(
                sex=sex, surname=surname, born=born, family_home=home,
                occupations=names.GRANDPARENT_OCCUPATIONS, documented=not undocumented,
            )  # fmt: skip
            guardians.append((grandparent, Guardianship.Relation.GRANDPARENT, True))
        else:
            mother_primary = rng.random() < 0.65
            if rng.random() >= SINGLE_MOTHER:
                born = min(max(child_birth.year - rng.randint(22, 42), 1970), 1995)
                father = self._adult(
                    sex=Sex.MALE, surname=surname, born=born, family_home=home,
                    occupations=occupations, documented=not undocumented,
                )  # fmt: skip
                guardians.append((father, Guardianship.Relation.FATHER, not mother_primary))
            else:
                mother_primary = True
            # Most mothers took the family surname; some kept their own.
            mother_surname = surname if rng.random() < 0.85 else rng.choice(names.SURNAMES)
            born = min(max(child_birth.year - rng.randint(20, 38), 1970), 1995)
            mother = self._adult(
                sex=Sex.FEMALE, surname=mother_surname, born=born, family_home=home,
                occupations=occupations, documented=not undocumented,
            )  # fmt: skip
            guardians.append((mother, Guardianship.Relation.MOTHER, mother_primary))
        family = Family(
            surname=surname,
            house_no=house_no,
            subdistrict=subdistrict,
            undocumented=undocumented,
            guardians=guardians,
        )
        self.families[school.pk].append(family)
        return family

    def _family_for(self, school: School, child_birth: dt.date) -> Family:
        known = self.families[school.pk]
        if known and self.rng.random() < SIBLING:
            family = self.rng.choice(known)
            if family.children < 4:
                return family
        return self._new_family(school, child_birth)

    def _birth_date(self, grade: str, year_be: int) -> dt.date:
        """Age on 16 May is 3 in K1, 6 in P1, 12 in M1; a few children are a year older or younger."""
        age = grades.ORDER.index(grade) + 3
        draw = self.rng.random()
        age += 1 if draw < 0.04 else -1 if draw < 0.05 else 0
        year_ce = ce_year(year_be)
        return dt.date(year_ce - age - 1, 5, 17) + dt.timedelta(days=self.rng.randrange(365))

    def _g_code(self, year_be: int) -> str:
        self.g_running += 1 + self.rng.randrange(3)
        return f"G{year_be % 100:02d}83{self.g_running:08d}"

    def new_student(self, school: School, grade: str, year_be: int) -> tuple[Person, Family]:
        rng = self.rng
        sex = Sex.MALE if rng.random() < 0.51 else Sex.FEMALE
        birth = self._birth_date(grade, year_be)
        family = self._family_for(school, birth)
        family.children += 1
        first = rng.choice(names.BOYS if sex == Sex.MALE else names.GIRLS)
        prefix = derived_prefix(sex=sex, birth_date=birth, on=self.reference_day)
        if family.undocumented:
            # The school asks for the G code in the year the child first enrols (or earlier, for older ones).
            citizen_id, id_kind = (
                self._g_code(year_be - rng.randint(0, grades.ORDER.index(grade))),
                IdKind.G_CODE,
            )
        else:
            citizen_id, id_kind = self.ctx.citizen_id("1", weighted(rng, CHILD_OFFICES)), IdKind.CITIZEN
        person = self._person(
            citizen_id=citizen_id,
            id_kind=id_kind,
            **self._census_facts(family),
            prefix=prefix,
            first_name_th=first[0],
            last_name_th=family.surname[0],
            first_name_en=first[1],
            last_name_en=family.surname[1],
            birth_date=birth,
            sex=sex,
            house_no=family.house_no,
            subdistrict=family.subdistrict,
            postal_code=family.subdistrict.postal_code,
        )
        self.students.append(person)
        for guardian, relation, is_primary in family.guardians:
            self.guardianships.append(
                Guardianship(student=person, guardian=guardian, relation=relation, is_primary=is_primary)
            )
        return person, family

    def _census_facts(self, family: Family) -> dict[str, str]:
        """What the registrar enters once for DMC; siblings share their family's religion and nationality."""
        rng = self.census_rng
        if not family.religion:
            family.religion = weighted(rng, RELIGIONS)
            if family.undocumented:
                family.nationality = rng.choice(MIGRANT_NATIONALITIES)
        migrant = family.nationality != "ไทย"
        return {
            "blood_group": weighted(rng, BLOOD_GROUPS) if rng.random() < 0.97 else "unknown",
            "religion": family.religion,
            "ethnicity": family.nationality,
            "nationality": family.nationality,
            "disability": weighted(rng, DISABILITIES) if rng.random() < DISABLED else "",
            "disadvantage": "minority"
            if migrant
            else (weighted(rng, DISADVANTAGES) if rng.random() < DISADVANTAGED else ""),
        }

    # --- enrolments ---------------------------------------------------------------------------------

    def _target(self, school: School, grade: str, room: int) -> int:
        key = (school.pk, grade, room)
        if key not in self.targets:
            base = OBEC_CLASS_SIZE if school == self.ctx.obec_school else CLASS_SIZE[stage(grade)]
            size = min(max(base + self.rng.randint(-3, 3), 25), 40)
            self.targets[key] = max(1, round(size * self.ctx.scale))
        return self.targets[key]

    def _rooms(self, school: School, grade: str) -> int:
        return self.ctx.plans[school.code].rooms(grade)

    def _emptiest_room(self, school: School, grade: str) -> int:
        rooms = range(1, self._rooms(school, grade) + 1)
        return min(rooms, key=lambda room: self.room_counts[(school.pk, grade, room)])

    def _enrol(
        self, pupil: Pupil, school: School, grade: str, room: int, year_be: int, starts_on: dt.date
    ) -> None:
        if school.pk not in pupil.numbers:
            self.numbers[school.pk] += 1
            pupil.numbers[school.pk] = f"{self.numbers[school.pk]:05d}"
        enrolment = Enrolment(
            person=pupil.person,
            school=school,
            academic_year=self.ctx.year(school, year_be),
            grade=grade,
            classroom=self.ctx.classroom(school, year_be, grade, room),
            student_number=pupil.numbers[school.pk],
            starts_on=starts_on,
        )
        self.enrolments.append(enrolment)
        pupil.school, pupil.grade, pupil.room, pupil.enrolment = school, grade, room, enrolment
        self.room_counts[(school.pk, grade, room)] += 1

    def _close(self, pupil: Pupil, on: dt.date, reason: str, **extra: object) -> None:
        enrolment = pupil.enrolment
        assert enrolment is not None and enrolment.ends_on is None, "closing a closed enrolment"
        enrolment.ends_on, enrolment.end_reason = on, reason
        for name, value in extra.items():
            setattr(enrolment, name, value)
        self.room_counts[(pupil.school.pk, pupil.grade, pupil.room)] -= 1

    def _admit(self, school: School, grade: str, room: int, year_be: int) -> None:
        person, family = self.new_student(school, grade, year_be)
        pupil = Pupil(
            person=person,
            family=family,
            school=school,
            grade=grade,
            room=room,
            risk=self.risk_rng.gauss(0, 1),
        )
        self.ever.append(pupil)
        self._enrol(pupil, school, grade, room, year_be, self.ctx.year(school, year_be).starts_on)
        self.pupils.append(pupil)

    def first_year(self, year_be: int) -> None:
        """The students already there in the first demo year; older grades first, so they hold lower numbers."""
        for school in self.ctx.all_schools:
            for grade in reversed(grades.between(school.lowest_grade, school.highest_grade)):
                for room in range(1, self._rooms(school, grade) + 1):
                    for _ in range(self._target(school, grade, room)):
                        self._admit(school, grade, room, year_be)

    def year_end(self, year_be: int) -> None:
        """Close every open enrolment of year_be as graduated, repeated or promoted; open year_be + 1."""
        staying: list[Pupil] = []
        graduates: dict[str, list[Pupil]] = {}  # by the grade they could go on to
        for pupil in self.pupils:
            school = pupil.school
            closes_on = self.ctx.year(school, year_be).ends_on
            if pupil.grade == school.highest_grade:
                self._close(pupil, closes_on, EndReason.GRADUATED)
                following = grades.next_grade(pupil.grade)
                if following in ("M1", "M4"):
                    graduates.setdefault(following, []).append(pupil)
                continue
            if not pupil.grade.startswith("K") and self.rng.random() < REPEAT:
                self._close(pupil, closes_on, EndReason.REPEATED)
                grade = pupil.grade
            else:
                self._close(pupil, closes_on, EndReason.PROMOTED)
                grade = grades.next_grade(pupil.grade) or pupil.grade
            room = (
                pupil.room if pupil.room <= self._rooms(school, grade) else self._emptiest_room(school, grade)
            )
            self._enrol(pupil, school, grade, room, year_be + 1, self.ctx.year(school, year_be + 1).starts_on)
            staying.append(pupil)
        self.pupils = staying
        self._intake(year_be + 1, graduates)

    def _intake(self, year_be: int, graduates: dict[str, list[Pupil]]) -> None:
        """Fill the entry grades up to size: some graduates of demo schools, the rest new children."""
        for school in self.ctx.all_schools:
            taught = grades.between(school.lowest_grade, school.highest_grade)
            for grade in ENTRY_GRADES:
                if grade not in taught:
                    continue
                pool = graduates.get(grade, [])
                for room in range(1, self._rooms(school, grade) + 1):
                    missing = self._target(school, grade, room) - self.room_counts[(school.pk, grade, room)]
                    for _ in range(max(missing, 0)):
                        if pool and self.rng.random() < CONTINUE_TO_NEXT_STAGE:
                            pupil = pool.pop(self.rng.randrange(len(pool)))
                            starts_on = self.ctx.year(school, year_be).starts_on
                            self._enrol(pupil, school, grade, room, year_be, starts_on)
                            self.pupils.append(pupil)
                        else:
                            self._admit(school, grade, room, year_be)

    def during_year(self, year_be: int) -> None:
        """Transfers, dropouts and other exits on dates inside the year (the current year: term 1 only)."""
        rng, ctx = self.rng, self.ctx
        municipal = [pupil for pupil in self.pupils if pupil.school != ctx.obec_school]
        at_obec = [pupil for pupil in self.pupils if pupil.school == ctx.obec_school]
        count = len(municipal)
        rng.shuffle(municipal)
        rng.shuffle(at_obec)
        starts_on = ctx.year(ctx.schools[0], year_be).starts_on
        last_day = 148 if year_be == CURRENT_YEAR else 320  # 11 October, or 1 April next year
        touched: set[int] = set()

        def day() -> dt.date:
            return starts_on + dt.timedelta(days=rng.randint(14, last_day))

        def pick(candidates: list[Pupil], wanted: int, allowed: Collection[str] | None = None) -> list[Pupil]:
            chosen: list[Pupil] = []
            for pupil in candidates:
                if len(chosen) == wanted:
                    break
                if id(pupil) not in touched and (allowed is None or pupil.grade in allowed):
                    touched.add(id(pupil))
                    chosen.append(pupil)
            return chosen

        # At least two of each, so even a tiny --scale shows every kind of movement.
        obec_grades = (
            grades.between(ctx.obec_school.lowest_grade, ctx.obec_school.highest_grade)
            if ctx.obec_school
            else []
        )
        for pupil in pick(municipal, max(2, round(count * TRANSFER_TO_OBEC)), obec_grades):
            assert ctx.obec_school is not None
            self._transfer(pupil, ctx.obec_school, day(), year_be)
        for pupil in pick(at_obec, max(2, round(count * TRANSFER_FROM_OBEC))):
            destinations = [
                s for s in ctx.schools if pupil.grade in grades.between(s.lowest_grade, s.highest_grade)
            ]
            self._transfer(pupil, rng.choice(destinations), day(), year_be)
        for pupil in pick(municipal, max(2, round(count * TRANSFER_WITHIN))):
            destinations = [
                s
                for s in ctx.schools
                if s != pupil.school and pupil.grade in grades.between(s.lowest_grade, s.highest_grade)
            ]
            if destinations:
                self._transfer(pupil, rng.choice(destinations), day(), year_be)

        # Older students and those with a high hidden risk drop out more: order by a weighted random key
        # (Efraimidis–Spirakis sampling); a few leave whatever their risk.
        def pull(pupil: Pupil) -> float:
            unwarned = self.risk_rng.random() < WITHOUT_WARNING
            return DROPOUT_WEIGHT[stage(pupil.grade)] * (
                1.0 if unwarned else math.exp(RISK_PULL * pupil.risk)
            )

        by_risk = sorted(municipal, key=lambda p: rng.random() ** (1 / pull(p)), reverse=True)
        leaving: set[int] = set()
        for pupil in pick(by_risk, max(2, round(count * DROPOUT))):
            reasons = DROPOUT_REASONS if stage(pupil.grade) in "MU" else [
                (reason, weight) for reason, weight in DROPOUT_REASONS if reason not in ADULT_ONLY_REASONS
            ]  # fmt: skip
            self._close(pupil, day(), EndReason.DROPPED_OUT, dropout_reason=weighted(rng, reasons))
            leaving.add(id(pupil))
        first = year_be == YEARS[0]
        for pupil in pick(municipal, max(1 if first else 0, round(count * DECEASED))):
            self._close(pupil, day(), EndReason.DECEASED)
            leaving.add(id(pupil))
        for pupil in pick(municipal, max(1, round(count * UNKNOWN))):
            self._close(pupil, day(), EndReason.UNKNOWN, end_note="ติดต่อผู้ปกครองไม่ได้ / guardians unreachable")
            leaving.add(id(pupil))
        self.pupils = [pupil for pupil in self.pupils if id(pupil) not in leaving]

    def _transfer(self, pupil: Pupil, to_school: School, on: dt.date, year_be: int) -> None:
        """As `transfer_student`: the old enrolment ends the day before the new school's starts."""
        self._close(pupil, on - dt.timedelta(days=1), EndReason.TRANSFERRED, to_school=to_school)
        self._enrol(pupil, to_school, pupil.grade, self._emptiest_room(to_school, pupil.grade), year_be, on)

    def run(self) -> None:
        for index, year_be in enumerate(YEARS):
            if index == 0:
                self.first_year(year_be)
            else:
                self.year_end(YEARS[index - 1])
            self.during_year(year_be)

    def save(self) -> None:
        Person.objects.bulk_create(self.persons, batch_size=BATCH)
        Guardianship.objects.bulk_create(self.guardianships, batch_size=BATCH)
        Enrolment.objects.bulk_create(self.enrolments, batch_size=BATCH)


def build(ctx: DemoContext) -> None:
    simulation = Simulation(ctx)
    simulation.run()
    simulation.save()
    ctx.students = simulation.students
    ctx.risk = {pupil.person.pk: pupil.risk for pupil in simulation.ever}
    ctx.enrolments = simulation.enrolments
    open_enrolments = [e for e in simulation.enrolments if e.ends_on is None]
    ctx.counts["students"] = len(simulation.students)
    ctx.counts["guardians"] = len(simulation.persons) - len(simulation.students)
    ctx.counts["enrolments"] = len(simulation.enrolments)
    ctx.counts["open_enrolments_municipal"] = sum(1 for e in open_enrolments if e.school != ctx.obec_school)
    for reason, total in Counter(e.end_reason for e in simulation.enrolments if e.end_reason).items():
        ctx.counts[f"ended_{reason}"] = total
