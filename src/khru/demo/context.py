"""What the demo builders share: the seed and its Random, the scale, and the rows made so far."""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from khru.core.dates import ce_year
from khru.core.identity import citizen_id_check_digit
from khru.org.models import AcademicYear, Area, Classroom, School
from khru.people.models import Enrolment, Person

PASSWORD = "khru-demo"
MUNICIPALITY_CODE = "LAO-DEMO"
OBEC_AREA_CODE = "OBEC-DEMO"
YEARS = (2567, 2568, 2569)
CURRENT_YEAR = YEARS[-1]


@dataclass(frozen=True)
class SchoolPlan:
    """One demo school as designed: rooms per grade by stage (kindergarten, primary, lower, upper secondary)."""

    code: str
    name_th: str
    name_en: str
    address: str
    subdistrict_code: str
    lowest_grade: str
    highest_grade: str
    rooms_k: int = 0
    rooms_p: int = 0
    rooms_m: int = 0
    rooms_u: int = 0

    def rooms(self, grade: str) -> int:
        if grade.startswith("K"):
            return self.rooms_k
        if grade.startswith("P"):
            return self.rooms_p
        return self.rooms_m if grade in ("M1", "M2", "M3") else self.rooms_u


@dataclass
class DemoContext:
    """Handed to every builder in turn; a builder reads what earlier ones made and adds its own."""

    seed: int
    scale: float
    password_hash: str  # computed once: hashing hundreds of passwords one by one takes minutes
    # Each builder gets its own Random, derived from the seed and the builder's name (see registry.run).
    rng: random.Random = field(default_factory=random.Random)
    municipality: Area | None = None
    obec_area: Area | None = None
    schools: list[School] = field(default_factory=list)  # the municipality's schools, school 1 first
    obec_school: School | None = None
    plans: dict[str, SchoolPlan] = field(default_factory=dict)  # by school code
    years: dict[tuple[int, int], AcademicYear] = field(default_factory=dict)  # (agency id, BE year)
    # By (school id, BE year, grade, room).
    classrooms: dict[tuple[int, int, str, int], Classroom] = field(default_factory=dict)
    students: list[Person] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)  # all years; open ones have ends_on None
    staff: list[Person] = field(default_factory=list)
    # Each student's hidden pull away from school (a standard normal draw), by person id: it raises absence,
    # lowers results, colours behaviour screenings and makes leaving likelier (docs/earlywarning.md).
    risk: dict[int, float] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    _id_running: int = field(default=-1, init=False, repr=False)

    def citizen_id(self, first_digit: str, office: str) -> str:
        """A valid 13-digit ID. One running number for the whole demo, so no two people ever share an ID;
        random gaps keep neighbours from looking consecutive."""
        if self._id_running < 0:
            self._id_running = random.Random(f"khru-demo-ids:{self.seed}").randrange(100_000, 900_000)
        self._id_running += 1 + self.rng.randrange(7)
        if self._id_running >= 10_000_000:
            raise OverflowError("the demo ran out of 7-digit running numbers: use a smaller --scale")
        first_twelve = f"{first_digit}{office}{self._id_running:07d}"
        return first_twelve + citizen_id_check_digit(first_twelve)

    @property
    def all_schools(self) -> list[School]:
        return self.schools + ([self.obec_school] if self.obec_school else [])

    def year(self, school: School, year_be: int) -> AcademicYear:
        return self.years[(school.area.agency_id, year_be)]

    def classroom(self, school: School, year_be: int, grade: str, room: int) -> Classroom:
        return self.classrooms[(school.pk, year_be, grade, room)]


def academic_year_dates(year_be: int) -> tuple[dt.date, dt.date]:
    """16 May to 15 May next year (ministry regulation 2006); BE year 2569 starts in CE 2026."""
    year_ce = ce_year(year_be)
    return dt.date(year_ce, 5, 16), dt.date(year_ce + 1, 5, 15)


def term_dates(year_be: int) -> list[tuple[int, dt.date, dt.date]]:
    year_ce = ce_year(year_be)
    return [
        (1, dt.date(year_ce, 5, 16), dt.date(year_ce, 10, 11)),
        (2, dt.date(year_ce, 11, 1), dt.date(year_ce + 1, 4, 1)),
    ]
