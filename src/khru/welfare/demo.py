"""Demo welfare data: a household for every current student (siblings with the same guardians share one),
built from the guardians the people builder made, with incomes and conditions drawn so that about a quarter
of the children are eligible for the EEF transfer; home visits for most homeroom classes this year (most
done, some planned, a few risks and follow-ups); aptitudes for some children; the poverty screening of the
term and the care screenings derived from all the data.
"""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import timezone

from khru.care import derived
from khru.core import audit
from khru.core.dates import be_year
from khru.demo.context import CURRENT_YEAR, DemoContext
from khru.org.models import AcademicYear, Membership
from khru.org.roles import Role
from khru.org.selectors import filing_term
from khru.people.models import Enrolment, Guardianship
from khru.welfare import services
from khru.welfare.models import (
    Aptitude,
    AptitudeArea,
    HomeVisit,
    Household,
    HouseholdChild,
    HouseholdMember,
    HouseholdVersion,
    PovertyScreening,
    VisitStatus,
)

LOW_INCOME = 0.36  # households at or under 3,000 baht per person; most of them meet two conditions too
VISITED_CLASSES = 0.85
RISKS = {  # risk code → chance on a visit (poor households: debt three times as often)
    "violence": 0.015,
    "substance": 0.03,
    "neglect": 0.02,
    "unsafe_house": 0.04,
    "debt": 0.08,
    "health": 0.05,
    "route": 0.04,
    "child_labour": 0.01,
}
FOLLOW_UPS = {
    "debt": "ประสานทุนการศึกษาและอาหารกลางวัน",
    "violence": "ส่งต่อนักจิตวิทยา/พม. และติดตามทุกสัปดาห์",
    "neglect": "ประสานญาติและผู้นำชุมชน",
    "substance": "พูดคุยกับผู้ปกครอง ติดตามพฤติกรรม",
    "unsafe_house": "ประสานเทศบาลซ่อมแซมบ้าน",
    "health": "ประสาน รพ.สต. เยี่ยมบ้าน",
    "route": "จัดรถรับส่งหรือเพื่อนเดินทาง",
    "child_labour": "พูดคุยกับผู้ปกครองเรื่องเวลาเรียน",
}
APTITUDES = {
    AptitudeArea.SPORTS: ["ฟุตบอล", "วอลเลย์บอล", "ว่ายน้ำ", "กรีฑา", "เซปักตะกร้อ"],
    AptitudeArea.ARTS: ["วาดภาพ", "งานประดิษฐ์", "ถ่ายภาพ"],
    AptitudeArea.MUSIC: ["ร้องเพลง", "ดนตรีไทย", "กลองชุด", "รำไทย"],
    AptitudeArea.LANGUAGES: ["ภาษาอังกฤษ", "ภาษาจีน", "การอ่านออกเสียง"],
    AptitudeArea.SCIENCE_MATHS: ["คณิตคิดเร็ว", "โครงงานวิทยาศาสตร์"],
    AptitudeArea.TECHNOLOGY: ["เขียนโปรแกรม", "หุ่นยนต์", "ตัดต่อวิดีโอ"],
    AptitudeArea.VOCATIONAL: ["ทำอาหาร", "ช่างไม้", "ขายของออนไลน์", "เกษตร"],
    AptitudeArea.LEADERSHIP: ["ประธานนักเรียน", "หัวหน้าห้อง"],
}


class Guardian(NamedTuple):
    prefix: str
    first_name: str
    last_name: str
    birth_date: dt.date | None
    occupation: str
    house_no: str
    subdistrict_id: int | None


_RELATIONS: dict[str, str] = {
    Guardianship.Relation.FATHER: "father",
    Guardianship.Relation.MOTHER: "mother",
    Guardianship.Relation.GRANDPARENT: "grandparent",
}


def _conditions(rng: random.Random, hardships: int) -> dict[str, Any]:
    """Household conditions with about `hardships` of the seven non-dependant factors met."""
    chosen = set(
        rng.sample(
            [
                "housing_tenure",
                "house_condition",
                "farm_land",
                "water_source",
                "electricity_source",
                "vehicles",
            ],
            min(hardships, 6),
        )
    )
    return {
        "housing_tenure": rng.choice(["rent", "relatives"]) if "housing_tenure" in chosen else "own",
        "house_condition": rng.choice(["worn", "no_toilet"]) if "house_condition" in chosen else "good",
        "farm_land": rng.choice(["no_land", "upto_1_rai"])
        if "farm_land" in chosen
        else rng.choice(["not_farming", "not_farming", "over_1_rai"]),
        "water_source": rng.choice(["well", "rain"])
        if "water_source" in chosen
        else rng.choice(["tap", "bottled"]),
        "electricity_source": "borrowed" if "electricity_source" in chosen else "grid",
        "vehicles": ["motorcycle"]
        if "vehicles" in chosen
        else rng.choice([["car"], ["pickup", "motorcycle"]]),
        "appliances": rng.sample(["tv", "fridge", "washer"], rng.randint(1, 3)),
    }


def _households(ctx: DemoContext, current: list[Enrolment]) -> int:
    rng = ctx.rng
    person_ids = [e.person_id for e in current]
    guardians: dict[int, list[tuple[int, str, Guardian]]] = defaultdict(list)
    for chunk_start in range(0, len(person_ids), 900):
        for student_id, guardian_id, relation, *facts in Guardianship.objects.filter(
            student_id__in=person_ids[chunk_start : chunk_start + 900]
        ).values_list(
            "student_id", "guardian_id", "relation", "guardian__prefix", "guardian__first_name_th",
            "guardian__last_name_th", "guardian__birth_date", "guardian__occupation", "guardian__house_no",
            "guardian__subdistrict_id",
        ):  # fmt: skip
            guardians[student_id].append((guardian_id, relation, Guardian(*facts)))  # type: ignore[arg-type]
    groups: dict[Any, list[Enrolment]] = defaultdict(list)
    for enrolment in current:
        key = frozenset(g for g, _, _ in guardians[enrolment.person_id]) or ("alone", enrolment.person_id)
        groups[key].append(enrolment)

    households: list[Household] = []
    members: list[list[HouseholdMember]] = []
    children: list[list[Enrolment]] = []
    for group in groups.values():
        first = group[0]
        adults = guardians[first.person_id]
        low = rng.random() < LOW_INCOME
        hardships = (
            rng.choices([0, 1, 2, 3, 4], [10, 15, 35, 25, 15])[0]
            if low
            else rng.choices([0, 1, 2], [70, 25, 5])[0]
        )
        people: list[HouseholdMember] = []
        for _, relation, guardian in adults:
            born = be_year(guardian.birth_date.year) if guardian.birth_date else None
            people.append(
                HouseholdMember(
                    name=f"{guardian.prefix}{guardian.first_name} {guardian.last_name}",
                    relation=_RELATIONS.get(relation, "relative"),
                    birth_year_be=born,
                    occupation=guardian.occupation or "รับจ้างทั่วไป",
                )
            )
        if not people or rng.random() < 0.15:
            people.append(
                HouseholdMember(
                    name="ยาย",
                    relation="grandparent",
                    birth_year_be=CURRENT_YEAR - rng.randint(58, 80),
                    occupation="-",
                )
            )
        size = len(people) + len(group)
        per_person = rng.randint(900, 3000) if low else rng.randint(3200, 15000)
        total = per_person * size
        earners = [m for m in people if m.relation in ("father", "mother")] or people[:1]
        for i, earner in enumerate(earners):
            share = total // len(earners) + (total % len(earners) if i == 0 else 0)
            earner.monthly_income_baht = int(share)
        if low and rng.random() < 0.15 and len(earners) > 1:
            earners[-1].monthly_income_baht, earners[0].monthly_income_baht = 0, total
            earners[-1].no_income = True
        if rng.random() < 0.03:
            people[-1].disabled = True
        status = (
            "together"
            if len([m for m in people if m.relation in ("father", "mother")]) == 2
            else rng.choice(["separated", "separated", "away", "father_died"])
        )
        head = adults[0][2] if adults else None
        households.append(
            Household(
                school_id=first.school_id,
                house_no=head.house_no if head else "",
                subdistrict_id=head.subdistrict_id if head else None,
                family_status=status,
                distance_km=Decimal(str(round(rng.uniform(0.3, 12), 1))),
                travel_mode=rng.choice(["walk", "bicycle", "motorcycle", "motorcycle", "car", "school_bus"]),
                travel_minutes=rng.randint(5, 45),
                **_conditions(rng, hardships),
            )
        )
        members.append(people)
        children.append(group)
    Household.objects.bulk_create(households, batch_size=2000)
    for household, people in zip(households, members, strict=True):
        for member in people:
            member.household = household
    HouseholdMember.objects.bulk_create([m for people in members for m in people], batch_size=5000)
    HouseholdChild.objects.bulk_create(
        [
            HouseholdChild(household=h, person_id=e.person_id)
            for h, group in zip(households, children, strict=True)
            for e in group
        ],
        batch_size=5000,
    )
    HouseholdVersion.objects.bulk_create(
        [
            HouseholdVersion(
                household=h,
                version=1,
                data={
                    "fields": {name: audit._plain(getattr(h, name)) for name in services.HOUSEHOLD_FIELDS},
                    "members": [
                        {"name": m.name, "relation": m.relation, "monthly_income_baht": m.monthly_income_baht}
                        for m in people
                    ],
                    "children": [e.person_id for e in group],
                },
            )
            for h, people, group in zip(households, members, children, strict=True)
        ],
        batch_size=2000,
    )
    return len(households)


def _visits(ctx: DemoContext, current: list[Enrolment], today: dt.date, poor: set[int]) -> int:
    rng = ctx.rng
    homeroom = dict(
        Membership.objects.filter(
            role=Role.HOMEROOM_TEACHER, classroom__academic_year__year_be=CURRENT_YEAR
        ).values_list("classroom_id", "user_id")
    )
    by_class: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in current:
        if enrolment.classroom_id:
            by_class[enrolment.classroom_id].append(enrolment)
    visits = []
    for classroom_id, group in by_class.items():
        if rng.random() >= VISITED_CLASSES:
            continue
        start = group[0].academic_year.starts_on + dt.timedelta(days=20)
        last = min(today, start + dt.timedelta(days=150))
        if last <= start:
            continue
        for enrolment in group:
            draw = rng.random()
            if draw >= 0.88:
                continue
            visit = HomeVisit(
                person_id=enrolment.person_id,
                school_id=enrolment.school_id,
                academic_year_id=enrolment.academic_year_id,
                classroom_id=classroom_id,
                recorded_by_id=homeroom.get(classroom_id),
            )
            if draw < 0.76:
                visit.status = VisitStatus.DONE
                visit.visited_on = start + dt.timedelta(days=rng.randint(0, (last - start).days))
                visit.met = rng.choice(["มารดา", "บิดา", "บิดาและมารดา", "ยาย", "ปู่ย่า", "น้า"])
                visit.housing = rng.choice(["บ้านไม้สองชั้น", "บ้านปูนชั้นเดียว", "ห้องเช่า", "ทาวน์เฮาส์", "บ้านไม้ชั้นเดียว"])
                risks = [
                    code
                    for code, chance in RISKS.items()
                    if rng.random() < chance * (3 if code == "debt" and enrolment.person_id in poor else 1)
                ]
                visit.risks = risks
                visit.needs = "ทุนการศึกษา" if enrolment.person_id in poor and rng.random() < 0.6 else ""
                visit.latitude = Decimal(str(round(7.88 + rng.gauss(0, 0.03), 6)))
                visit.longitude = Decimal(str(round(98.39 + rng.gauss(0, 0.03), 6)))
                if risks:
                    visit.follow_up = FOLLOW_UPS[risks[0]]
                    visit.follow_up_due = visit.visited_on + dt.timedelta(days=30)
                    visit.follow_up_done = visit.follow_up_due < today and rng.random() < 0.6
            else:
                visit.planned_on = today + dt.timedelta(days=rng.randint(1, 30))
            visits.append(visit)
    HomeVisit.objects.bulk_create(visits, batch_size=2000)
    return len(visits)


def _aptitudes(ctx: DemoContext, current: list[Enrolment], today: dt.date) -> int:
    rng = ctx.rng
    rows = []
    for enrolment in current:
        if rng.random() >= 0.25:
            continue
        for area in rng.sample(list(APTITUDES), rng.choice([1, 1, 2])):
            rows.append(
                Aptitude(
                    person_id=enrolment.person_id,
                    school_id=enrolment.school_id,
                    area=area,
                    kind=rng.choice([Aptitude.Kind.TALENT, Aptitude.Kind.INTEREST]),
                    detail=rng.choice(APTITUDES[area]),
                    source=Aptitude.Source.SELF if rng.random() < 0.4 else Aptitude.Source.TEACHER,
                    recorded_on=min(
                        today, enrolment.academic_year.starts_on + dt.timedelta(days=rng.randint(10, 90))
                    ),
                )
            )
    Aptitude.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def build(ctx: DemoContext) -> None:
    today = timezone.localdate()
    current_years = {y.pk for (_, year_be), y in ctx.years.items() if year_be == CURRENT_YEAR}
    current = [
        e
        for e in ctx.enrolments
        if e.academic_year_id in current_years and e.ends_on is None and e.classroom_id is not None
    ]
    years = {y.pk: y for y in ctx.years.values()}
    for enrolment in current:
        enrolment.academic_year = years[enrolment.academic_year_id]
    ctx.counts["households"] = _households(ctx, current)

    rules = services.active_rules()
    by_year: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in current:
        by_year[enrolment.academic_year_id].append(enrolment)
    for year_id, group in by_year.items():
        term = filing_term(year=AcademicYear.objects.get(pk=year_id), on=today)
        if term is not None:
            ctx.counts["poverty_screenings"] += services.screen_enrolments(group, term, rules)
    poor = set(
        PovertyScreening.objects.filter(eligible=True, academic_year_id__in=current_years).values_list(
            "person_id", flat=True
        )
    )
    ctx.counts["poverty_eligible"] = len(poor)
    ctx.counts["home_visits"] = _visits(ctx, current, today, poor)
    ctx.counts["aptitudes"] = _aptitudes(ctx, current, today)

    principals = Membership.objects.filter(role=Role.PRINCIPAL, school__in=ctx.all_schools).select_related(
        "user", "school"
    )
    for membership in principals:
        assert membership.school is not None
        ctx.counts["derived_screenings"] += derived.derive_for_school(
            actor=membership.user, school=membership.school, on=today
        ).written
