"""Every welfare write: households (with history), poverty screening, criteria edits, home visits and their
photos, aptitudes. Each checks the actor on the child first, validates everything, then writes in one
transaction with an audit event; a refused save leaves nothing behind.
"""

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from khru.care.services import care_enrolment, term_for
from khru.core import audit, files
from khru.core.dates import be_year
from khru.core.errors import KhruError, NotAllowed, Problem, problem
from khru.org import scope
from khru.org.models import School, Term
from khru.org.roles import Perm
from khru.people.models import Enrolment, Person
from khru.welfare import poverty
from khru.welfare.models import (
    Appliance,
    Aptitude,
    AptitudeArea,
    ElectricitySource,
    FamilyStatus,
    FarmLand,
    HomeVisit,
    HouseCondition,
    Household,
    HouseholdChild,
    HouseholdMember,
    HouseholdVersion,
    HousingTenure,
    PovertyCriteria,
    PovertyFactor,
    PovertyScreening,
    Relation,
    TravelMode,
    Vehicle,
    VisitPhoto,
    VisitRisk,
    VisitStatus,
    WaterSource,
)

PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_INCOME_BAHT = 1_000_000

# field → (choices, Thai label)
_CHOICE_FIELDS: dict[str, tuple[Any, str]] = {
    "family_status": (FamilyStatus, "สถานภาพครอบครัว"),
    "housing_tenure": (HousingTenure, "การอยู่อาศัย"),
    "house_condition": (HouseCondition, "สภาพบ้าน"),
    "farm_land": (FarmLand, "ที่ดินทำกิน"),
    "water_source": (WaterSource, "แหล่งน้ำดื่ม"),
    "electricity_source": (ElectricitySource, "แหล่งไฟฟ้า"),
}
_LIST_FIELDS: dict[str, tuple[Any, str]] = {
    "vehicles": (Vehicle, "ยานพาหนะ"),
    "appliances": (Appliance, "เครื่องใช้ในบ้าน"),
}
HOUSEHOLD_FIELDS = [
    "house_no",
    "subdistrict_id",
    *_CHOICE_FIELDS,
    *_LIST_FIELDS,
    "distance_km",
    "travel_mode",
    "travel_minutes",
]


def _be_year(day: dt.date | None = None) -> int:
    return be_year((day or timezone.localdate()).year)


# Households -------------------------------------------------------------------------------------------------


def _clean_household(data: Mapping[str, Any]) -> dict[str, Any]:
    problems: list[Problem] = []
    clean: dict[str, Any] = {"house_no": str(data.get("house_no") or "").strip()[:100]}
    if "subdistrict_id" in data:  # the phone form leaves the address code as it is
        clean["subdistrict_id"] = data.get("subdistrict_id") or None
    for name, (choices, label) in _CHOICE_FIELDS.items():
        value = data.get(name) or ""
        if value not in choices.values:
            problems.append(
                Problem(
                    name, "โปรดเลือกจากรายการ", f"choose one of {', '.join(choices.values)}", field_th=label
                )
            )
        clean[name] = value
    for name, (choices, label) in _LIST_FIELDS.items():
        values = list(dict.fromkeys(data.get(name) or []))
        unknown = [v for v in values if v not in choices.values]
        if unknown:
            problems.append(
                Problem(name, f"ไม่รู้จัก {', '.join(unknown)}", f"unknown {', '.join(unknown)}", field_th=label)
            )
        clean[name] = values
    distance = data.get("distance_km")
    if distance in (None, ""):
        clean["distance_km"] = None
    else:
        try:
            clean["distance_km"] = Decimal(str(distance)).quantize(Decimal("0.1"))
            if not 0 <= clean["distance_km"] <= 500:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            problems.append(
                Problem(
                    "distance_km",
                    "ต้องเป็นตัวเลข 0–500 กม.",
                    "must be a number from 0 to 500 km",
                    field_th="ระยะทาง",
                )
            )
    travel_mode = data.get("travel_mode") or ""
    if travel_mode and travel_mode not in TravelMode.values:
        problems.append(
            Problem("travel_mode", "โปรดเลือกจากรายการ", "choose from the list", field_th="การเดินทาง")
        )
    clean["travel_mode"] = travel_mode
    minutes = data.get("travel_minutes")
    if minutes in (None, ""):
        clean["travel_minutes"] = None
    else:
        try:
            clean["travel_minutes"] = int(minutes)
            if not 0 <= clean["travel_minutes"] <= 600:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    "travel_minutes",
                    "ต้องเป็นจำนวนนาที 0–600",
                    "must be 0 to 600 minutes",
                    field_th="เวลาเดินทาง",
                )
            )
    if problems:
        raise KhruError(*problems)
    return clean


def _clean_members(members: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    problems: list[Problem] = []
    clean = []
    this_year = _be_year()
    for row, member in enumerate(members, start=1):
        name = str(member.get("name") or "").strip()
        if not name:
            problems.append(Problem("name", "ต้องมีชื่อ", "a name is needed", row=row, field_th="ชื่อ"))
        relation = member.get("relation") or ""
        if relation not in Relation.values:
            problems.append(
                Problem("relation", "โปรดเลือกความสัมพันธ์", "choose a relation", row=row, field_th="ความสัมพันธ์")
            )
        income_raw = member.get("monthly_income_baht")
        income = 0
        if income_raw not in (None, ""):
            try:
                income = int(Decimal(str(income_raw)))
                if not 0 <= income <= MAX_INCOME_BAHT:
                    raise ValueError
            except (InvalidOperation, ValueError):
                problems.append(
                    Problem(
                        "monthly_income_baht",
                        f"รายได้ต่อเดือนต้องเป็น 0–{MAX_INCOME_BAHT:,} บาท",
                        f"monthly income must be 0 to {MAX_INCOME_BAHT:,} baht",
                        row=row,
                        field_th="รายได้ต่อเดือน",
                    )
                )
        birth_raw = member.get("birth_year_be")
        birth_year = None
        if birth_raw not in (None, ""):
            try:
                birth_year = int(birth_raw)
                if not this_year - 120 <= birth_year <= this_year:
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(
                    Problem(
                        "birth_year_be",
                        f"ปีเกิด (พ.ศ.) ต้องอยู่ระหว่าง {this_year - 120}–{this_year}",
                        f"birth year (BE) must be {this_year - 120} to {this_year}",
                        row=row,
                        field_th="ปีเกิด",
                    )
                )
        clean.append(
            {
                "name": name[:200],
                "relation": relation,
                "birth_year_be": birth_year,
                "occupation": str(member.get("occupation") or "").strip()[:100],
                "monthly_income_baht": income,
                "disabled": bool(member.get("disabled")),
                "no_income": bool(member.get("no_income")),
            }
        )
    if problems:
        raise KhruError(*problems)
    return clean


def _snapshot(household: Household) -> dict[str, Any]:
    fields = {name: audit._plain(getattr(household, name)) for name in HOUSEHOLD_FIELDS}
    fields["vehicles"], fields["appliances"] = household.vehicles, household.appliances
    members = list(
        household.members.values(
            "name", "relation", "birth_year_be", "occupation", "monthly_income_baht", "disabled", "no_income"
        )
    )
    children = list(household.children.values_list("person_id", flat=True))
    return {"fields": fields, "members": members, "children": children}


@transaction.atomic
def save_household(
    *, actor: Any, person: Person, fields: Mapping[str, Any], members: Sequence[Mapping[str, Any]]
) -> Household:
    """Enter or update the home of a child (and of siblings who share it). Every save keeps a snapshot, is
    audited with what changed, and rescreens the children living there for the current term."""
    enrolment = care_enrolment(actor=actor, person=person)
    clean = _clean_household(fields)
    clean_members = _clean_members(members)
    link = HouseholdChild.objects.select_related("household").filter(person=person).first()
    if link is None:
        # A new home starts from the child's registered address.
        clean.setdefault("subdistrict_id", person.subdistrict_id)
        clean["house_no"] = clean["house_no"] or person.house_no
        household = Household.objects.create(school_id=enrolment.school_id, updated_by=actor, **clean)
        HouseholdChild.objects.create(household=household, person=person)
        changes: dict[str, Any] = {"created": True}
        action = audit.Action.CREATE
    else:
        household = Household.objects.select_for_update().get(pk=link.household_id)
        changes = audit.diff(household, clean)
        before = _snapshot(household)["members"]
        if before != clean_members:
            changes["members"] = [len(before), len(clean_members)]
        for name, value in clean.items():
            setattr(household, name, value)
        household.version += 1
        household.updated_by = actor
        household.save()
        household.members.all().delete()
        action = audit.Action.UPDATE
    HouseholdMember.objects.bulk_create([HouseholdMember(household=household, **m) for m in clean_members])
    HouseholdVersion.objects.create(
        household=household, version=household.version, data=_snapshot(household), saved_by=actor
    )
    audit.record(
        actor=actor,
        action=action,
        obj=household,
        school_id=enrolment.school_id,
        person=person,
        summary=f"household v{household.version} for {person.pk}",
        changes=changes,
    )
    rescreen_household(household=household)
    return household


@transaction.atomic
def share_household(*, actor: Any, person: Person, sibling: Person) -> Household:
    """A child lives in the same home as a sibling already entered: link them instead of typing it twice."""
    enrolment = care_enrolment(actor=actor, person=person)
    care_enrolment(actor=actor, person=sibling)
    link = HouseholdChild.objects.filter(person=sibling).first()
    if link is None:
        raise problem(
            "sibling", "ยังไม่ได้บันทึกข้อมูลบ้านของพี่น้องคนนี้", "this sibling has no household yet", field_th="พี่น้อง"
        )
    HouseholdChild.objects.update_or_create(person=person, defaults={"household_id": link.household_id})
    household = Household.objects.get(pk=link.household_id)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=household,
        school_id=enrolment.school_id,
        person=person,
        summary=f"child {person.pk} lives here (sibling {sibling.pk})",
    )
    rescreen_household(household=household)
    return household


# Poverty screening ------------------------------------------------------------------------------------------


def active_rules() -> poverty.Rules:
    criteria = PovertyCriteria.objects.filter(active=True).order_by("-created_at", "-pk").first()
    if criteria is None:
        raise problem("criteria", "ยังไม่มีเกณฑ์คัดกรอง", "no poverty criteria are set up", field_th="เกณฑ์")
    return poverty.Rules(
        criteria_id=criteria.pk,
        income_limit_baht=criteria.income_limit_baht,
        min_factors=criteria.min_factors,
        elderly_age=criteria.elderly_age,
        working_age_from=criteria.working_age_from,
        working_age_to=criteria.working_age_to,
        factors=tuple(
            poverty.Factor(code=f.code, name_th=f.name_th, rule=f.rule, options=frozenset(f.options))
            for f in criteria.factors.order_by("order")
        ),
    )


_SCREEN_FIELDS = [f for f in HOUSEHOLD_FIELDS if f in _CHOICE_FIELDS or f in _LIST_FIELDS]


def screen_enrolments(enrolments: Sequence[Enrolment], term: Term, rules: poverty.Rules | None = None) -> int:
    """Compute and store the screening of each enrolled child for the term from their household, in bulk.

    No access check: the callers (services below, the demo, the school command) check first. A child
    without a household gets no screening row (they are "not screened").
    """
    rules = rules or active_rules()
    person_ids = [e.person_id for e in enrolments]
    links: dict[int, int] = {}
    for chunk in _chunks(person_ids):
        links.update(
            HouseholdChild.objects.filter(person_id__in=chunk).values_list("person_id", "household_id")
        )
    household_ids = sorted(set(links.values()))
    households: dict[int, dict[str, Any]] = {}
    members: dict[int, list[poverty.MemberFacts]] = defaultdict(list)
    children: dict[int, int] = defaultdict(int)
    for chunk in _chunks(household_ids):
        for row in Household.objects.filter(pk__in=chunk).values("pk", "version", *_SCREEN_FIELDS):
            households[row["pk"]] = row
        for household_id, income, birth, disabled, no_income in HouseholdMember.objects.filter(
            household_id__in=chunk
        ).values_list("household_id", "monthly_income_baht", "birth_year_be", "disabled", "no_income"):
            members[household_id].append(poverty.MemberFacts(income, birth, disabled, no_income))
        for household_id in HouseholdChild.objects.filter(household_id__in=chunk).values_list(
            "household_id", flat=True
        ):
            children[household_id] += 1
    year_be = term.academic_year.year_be
    rows = []
    for enrolment in enrolments:
        linked = links.get(enrolment.person_id)
        if linked is None:
            continue
        household_id = linked
        household = households[household_id]
        result = poverty.screen(rules, household, members[household_id], children[household_id], year_be)
        rows.append(
            PovertyScreening(
                person_id=enrolment.person_id,
                school_id=enrolment.school_id,
                academic_year_id=term.academic_year_id,
                term=term,
                classroom_id=enrolment.classroom_id,
                grade=enrolment.grade,
                household_id=household_id,
                household_version=household["version"],
                criteria_id=rules.criteria_id,
                household_size=result.household_size,
                income_total=result.income_total,
                income_per_person=result.income_per_person,
                factors_met=result.factors_met,
                eligible=result.eligible,
                reasons=result.reasons,
            )
        )
    for chunk in _chunks(person_ids):
        PovertyScreening.objects.filter(term=term, person_id__in=chunk).delete()
    PovertyScreening.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _chunks(ids: Sequence[int], size: int = 900) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rescreen_household(*, household: Household, on: dt.date | None = None) -> int:
    """After a household changes: rescreen the children living there, each in the current term."""
    enrolments = list(
        Enrolment.objects.filter(
            person_id__in=household.children.values("person_id"), ends_on__isnull=True
        ).select_related("academic_year")
    )
    done = 0
    by_term: dict[int, tuple[Term, list[Enrolment]]] = {}
    for enrolment in enrolments:
        try:
            term = term_for(enrolment=enrolment, day=on or timezone.localdate())
        except KhruError:
            continue
        by_term.setdefault(term.pk, (term, []))[1].append(enrolment)
    for term, group in by_term.values():
        done += screen_enrolments(group, term)
    return done


def _require_school_wide(actor: Any, perm: Perm, school: School) -> None:
    """Reach over the whole school (office, care team, principal), not only through a class taught."""
    if not scope.school_in_reach(actor, perm, school):
        raise NotAllowed()


@transaction.atomic
def screen_school(*, actor: Any, school: School, term: Term) -> int:
    """Screen every child enrolled at the school for the term (9,500 children in a few seconds)."""
    _require_school_wide(actor, Perm.VIEW_SENSITIVE, school)
    if term.academic_year.agency_id != school.area.agency_id:
        raise problem("term", "ภาคเรียนนี้ไม่ใช่ของโรงเรียนนี้", "this term is not the school's", field_th="ภาคเรียน")
    enrolments = list(
        Enrolment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=term.starts_on),
            school=school,
            academic_year_id=term.academic_year_id,
            starts_on__lte=term.ends_on,
        ).order_by("person_id", "-starts_on")
    )
    latest = list({e.person_id: e for e in reversed(enrolments)}.values())
    count = screen_enrolments(latest, term)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=school,
        school_id=school.pk,
        summary=f"poverty screening term {term}: {count} children",
    )
    return count


@transaction.atomic
def update_criteria(
    *,
    actor: Any,
    version: str,
    income_limit_baht: int,
    min_factors: int,
    factor_options: Mapping[str, Sequence[str]] | None = None,
) -> PovertyCriteria:
    """A new criteria version (system administrator): copies the active one with the changes and makes it the
    active one. Earlier screenings keep naming the version they were computed with."""
    if not scope.is_system_admin(actor):
        raise NotAllowed()
    current = PovertyCriteria.objects.filter(active=True).order_by("-created_at", "-pk").first()
    if current is None:
        raise problem("criteria", "ยังไม่มีเกณฑ์คัดกรอง", "no poverty criteria are set up", field_th="เกณฑ์")
    factors = list(current.factors.order_by("order"))
    problems = []
    version = version.strip()
    if not version or PovertyCriteria.objects.filter(version=version).exists():
        problems.append(Problem("version", "ต้องมีรุ่นใหม่ที่ไม่ซ้ำ", "give a new, unused version", field_th="รุ่น"))
    if not 0 < income_limit_baht <= 100_000:
        problems.append(
            Problem(
                "income_limit_baht", "ต้องเป็น 1–100,000 บาท", "must be 1 to 100,000 baht", field_th="รายได้สูงสุด"
            )
        )
    if not 0 <= min_factors <= len(factors):
        problems.append(
            Problem(
                "min_factors",
                f"ต้องเป็น 0–{len(factors)} ข้อ",
                f"must be 0 to {len(factors)}",
                field_th="จำนวนข้อ",
            )
        )
    unknown = set(factor_options or {}) - {f.code for f in factors}
    if unknown:
        problems.append(
            Problem("factors", "ไม่มีข้อนี้ในเกณฑ์", f"unknown factor {', '.join(sorted(unknown))}", field_th="ข้อ")
        )
    if problems:
        raise KhruError(*problems)
    PovertyCriteria.objects.filter(active=True).update(active=False)
    criteria = PovertyCriteria.objects.create(
        version=version,
        name_th=current.name_th,
        income_limit_baht=income_limit_baht,
        min_factors=min_factors,
        elderly_age=current.elderly_age,
        working_age_from=current.working_age_from,
        working_age_to=current.working_age_to,
    )
    PovertyFactor.objects.bulk_create(
        [
            PovertyFactor(
                criteria=criteria,
                code=f.code,
                order=f.order,
                name_th=f.name_th,
                name_en=f.name_en,
                rule=f.rule,
                options=list((factor_options or {}).get(f.code, f.options)),
            )
            for f in factors
        ]
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=criteria,
        summary=f"poverty criteria {version}: {income_limit_baht} baht, {min_factors} factors",
        changes={"from": current.version},
    )
    return criteria


# Home visits ------------------------------------------------------------------------------------------------


def _visit_enrolment(actor: Any, person: Person) -> tuple[Enrolment, int]:
    """The child's enrolment and homeroom class id (a visit belongs to a class)."""
    enrolment = care_enrolment(actor=actor, person=person)
    if enrolment.classroom_id is None:
        raise problem(
            "classroom", "นักเรียนยังไม่มีห้องเรียน", "the child has no homeroom class", field_th="ห้องเรียน"
        )
    return enrolment, enrolment.classroom_id


@transaction.atomic
def plan_visit(*, actor: Any, person: Person, planned_on: dt.date) -> HomeVisit:
    """Plan (or move) this year's visit to the child's home."""
    enrolment, classroom_id = _visit_enrolment(actor, person)
    visit = (
        HomeVisit.objects.filter(
            person=person, academic_year_id=enrolment.academic_year_id, status=VisitStatus.PLANNED
        )
        .order_by("-pk")
        .first()
    )
    if visit is None:
        visit = HomeVisit.objects.create(
            person=person,
            school_id=enrolment.school_id,
            academic_year_id=enrolment.academic_year_id,
            classroom_id=classroom_id,
            planned_on=planned_on,
            recorded_by=actor,
        )
        changes: dict[str, Any] = {}
    else:
        changes = audit.diff(visit, {"planned_on": planned_on})
        visit.planned_on = planned_on
        visit.save(update_fields=["planned_on", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE if changes else audit.Action.CREATE,
        obj=visit,
        school_id=enrolment.school_id,
        summary=f"home visit planned {planned_on.isoformat()}",
        changes=changes,
    )
    return visit


@dataclass(frozen=True)
class PhotoUpload:
    name: str
    content: bytes


def _coordinate(value: Any, low: int, high: int, name: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
        if not low <= number <= high:
            raise InvalidOperation
    except (InvalidOperation, ValueError) as error:
        raise problem(
            name, f"ต้องเป็นตัวเลข {low} ถึง {high}", f"must be a number from {low} to {high}", field_th=label
        ) from error
    return number


def _check_photo(index: int, upload: PhotoUpload) -> str:
    """The photo's format (JPEG/PNG/WEBP) or a problem naming it: size first, then the real content type."""
    if len(upload.content) > files.PHOTO_MAX_BYTES:
        raise files.too_big(
            files.PHOTO_MAX_BYTES, field="photos", field_th="รูปถ่าย", name=upload.name, row=index
        )
    try:
        with Image.open(io.BytesIO(upload.content)) as image:
            kind = image.format or ""
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = ""
    if kind not in PHOTO_TYPES:
        raise problem(
            "photos",
            f"รูป {upload.name} ต้องเป็น JPEG, PNG หรือ WebP",
            f"photo {upload.name} must be a JPEG, PNG or WebP image",
            row=index,
            field_th="รูปถ่าย",
        )
    return kind


def strip_location(content: bytes, kind: str) -> bytes:
    """Re-save the image without its metadata (EXIF, with any GPS position): pixels only."""
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        if "icc_profile" in image.info:
            clean.info["icc_profile"] = image.info["icc_profile"]
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": 90} if kind in ("JPEG", "WEBP") else {}
    clean.save(out, format=kind, **options)
    return out.getvalue()


@transaction.atomic
def record_visit(
    *,
    actor: Any,
    person: Person,
    visited_on: dt.date,
    met: str,
    housing: str = "",
    risks: Sequence[str] = (),
    needs: str = "",
    latitude: Any = None,
    longitude: Any = None,
    follow_up: str = "",
    follow_up_due: dt.date | None = None,
    photos: Sequence[PhotoUpload] = (),
    strip_photo_location: bool = False,
) -> HomeVisit:
    """Record a done visit (completing this year's planned one, if any), with photos; all or nothing."""
    enrolment, classroom_id = _visit_enrolment(actor, person)
    problems: list[Problem] = []
    if visited_on > timezone.localdate():
        problems.append(Problem("visited_on", "ยังไม่ถึงวันที่นี้", "this date is in the future", field_th="วันที่เยี่ยม"))
    if not met.strip():
        problems.append(Problem("met", "โปรดระบุผู้ที่พบ", "say who was met", field_th="ผู้ที่พบ"))
    unknown = [r for r in risks if r not in VisitRisk.values]
    if unknown:
        problems.append(
            Problem(
                "risks",
                f"ไม่รู้จัก {', '.join(unknown)}",
                f"unknown risk {', '.join(unknown)}",
                field_th="ความเสี่ยง",
            )
        )
    if follow_up_due and not follow_up.strip():
        problems.append(
            Problem("follow_up", "โปรดระบุสิ่งที่ต้องติดตาม", "say what the follow-up is", field_th="การติดตาม")
        )
    if problems:
        raise KhruError(*problems)
    lat = _coordinate(latitude, -90, 90, "latitude", "ละติจูด")
    lon = _coordinate(longitude, -180, 180, "longitude", "ลองจิจูด")
    if (lat is None) != (lon is None):
        raise problem("latitude", "ต้องมีทั้งละติจูดและลองจิจูด", "give both latitude and longitude", field_th="พิกัด")
    kinds = [_check_photo(i, upload) for i, upload in enumerate(photos, start=1)]
    visit = (
        HomeVisit.objects.filter(
            person=person, academic_year_id=enrolment.academic_year_id, status=VisitStatus.PLANNED
        )
        .order_by("-pk")
        .first()
    ) or HomeVisit(
        person=person,
        school_id=enrolment.school_id,
        academic_year_id=enrolment.academic_year_id,
        classroom_id=classroom_id,
        recorded_by=actor,
    )
    action = audit.Action.UPDATE if visit.pk else audit.Action.CREATE
    visit.status = VisitStatus.DONE
    visit.visited_on = visited_on
    visit.met = met.strip()[:200]
    visit.housing = housing.strip()
    visit.risks = list(dict.fromkeys(risks))
    visit.needs = needs.strip()
    visit.latitude, visit.longitude = lat, lon
    visit.follow_up = follow_up.strip()[:300]
    visit.follow_up_due = follow_up_due
    visit.save()
    for upload, kind in zip(photos, kinds, strict=True):
        content = strip_location(upload.content, kind) if strip_photo_location else upload.content
        photo = VisitPhoto(
            visit=visit,
            content_type=PHOTO_TYPES[kind],
            size_bytes=len(content),
            location_stripped=strip_photo_location,
            uploaded_by=actor,
        )
        photo.file.save("photo", ContentFile(content), save=False)
        photo.save()
    audit.record(
        actor=actor,
        action=action,
        obj=visit,
        school_id=enrolment.school_id,
        summary=f"home visit done {visited_on.isoformat()}: {len(visit.risks)} risks, {len(photos)} photos",
    )
    return visit


@transaction.atomic
def finish_follow_up(*, actor: Any, visit: HomeVisit) -> HomeVisit:
    care_enrolment(actor=actor, person=visit.person)
    if not scope.can(actor, Perm.VIEW_SENSITIVE, visit):
        raise NotAllowed()
    visit.follow_up_done = True
    visit.save(update_fields=["follow_up_done", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=visit,
        school_id=visit.school_id,
        summary="follow-up done",
    )
    return visit


# Aptitude ---------------------------------------------------------------------------------------------------


@transaction.atomic
def record_aptitude(
    *,
    actor: Any,
    person: Person,
    area: str,
    detail: str,
    kind: str = Aptitude.Kind.TALENT,
    source: str = Aptitude.Source.TEACHER,
    recorded_on: dt.date | None = None,
) -> Aptitude:
    """What a child is good at or wants to do, as a teacher saw it or as the child said it."""
    enrolment = care_enrolment(actor=actor, person=person)
    problems = []
    if area not in AptitudeArea.values:
        problems.append(Problem("area", "โปรดเลือกด้าน", "choose an area", field_th="ด้าน"))
    if kind not in Aptitude.Kind.values:
        problems.append(Problem("kind", "โปรดเลือกประเภท", "choose talent or interest", field_th="ประเภท"))
    if source not in Aptitude.Source.values:
        problems.append(Problem("source", "โปรดเลือกผู้บอก", "choose who said it", field_th="ผู้บันทึก"))
    if not detail.strip():
        problems.append(Problem("detail", "โปรดระบุรายละเอียด", "give the detail", field_th="รายละเอียด"))
    day = recorded_on or timezone.localdate()
    if day > timezone.localdate():
        problems.append(Problem("recorded_on", "ยังไม่ถึงวันที่นี้", "this date is in the future", field_th="วันที่"))
    if problems:
        raise KhruError(*problems)
    aptitude = Aptitude.objects.create(
        person=person,
        school_id=enrolment.school_id,
        area=area,
        kind=kind,
        detail=detail.strip()[:300],
        source=source,
        recorded_on=day,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=aptitude,
        school_id=enrolment.school_id,
        summary=f"aptitude {area}",
    )
    return aptitude
