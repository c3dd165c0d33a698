"""Reads of licences: a holder's own, a school's staff with alerts, the council's queue and dashboard, the
public verification (the one read without a login: a fixed, small set of fields), competency test results."""

import datetime as dt
import statistics
import uuid as uuid_module
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from khru.core.errors import NotAllowed, problem
from khru.core.models import Province
from khru.core.suppression import MIN_CELL, Suppressed, suppress, suppress_counts
from khru.licences import tallies
from khru.licences.models import (
    Licence,
    LicenceTally,
    LicenceTier,
    LicenceType,
    Registration,
    RenewalRequest,
    TestCentre,
    TestResult,
    TestRound,
)
from khru.licences.services import NUMBER_PATTERN, add_years, is_council, normalise_number, require_council
from khru.org import scope
from khru.org.models import Agency, Area, School
from khru.org.roles import Perm
from khru.people.models import Person, StaffPost

Dimension = LicenceTally.Dimension
ALERT_DAYS = (30, 90, 180)  # a school is warned this many days before a licence expires
Position = StaffPost.Position
# Which licences a post needs; a teacher may also teach on a temporary permit.
REQUIRED = {
    Position.TEACHER: ("teacher", "permit"),
    Position.ASSISTANT_TEACHER: ("teacher", "permit"),
    Position.PRINCIPAL: ("school_admin",),
    Position.DEPUTY: ("school_admin",),
}
TEACHING = (Position.TEACHER, Position.ASSISTANT_TEACHER)


def _visible(actor: Any, perm: Perm = Perm.VIEW_STAFF) -> QuerySet[Licence]:
    return Licence.objects.filter(scope.visible(actor, Licence, perm))


def public_status(licence_status: str, expires_on: dt.date, today: dt.date) -> str:
    if licence_status == Licence.Status.ACTIVE and expires_on < today:
        return "expired"
    return licence_status


STATUS_LABELS = {
    "active": ("ใช้ได้", "valid"),
    "expired": ("หมดอายุ", "expired"),
    "renewed": ("ต่ออายุแล้ว (มีใบใหม่)", "renewed (a newer licence replaces it)"),
    "suspended": ("พักใช้", "suspended"),
    "revoked": ("เพิกถอน", "revoked"),
}


def alert_of(expires_on: dt.date | None, today: dt.date) -> str:
    """'expired', '30', '90', '180' or '' (more than 180 days left)."""
    if expires_on is None:
        return ""
    days = (expires_on - today).days
    if days < 0:
        return "expired"
    return next((str(limit) for limit in ALERT_DAYS if days <= limit), "")


# The holder ---------------------------------------------------------------------------------------------


def my_licences(*, actor: Any) -> list[Licence]:
    return list(
        _visible(actor)
        .filter(person__user=actor)
        .select_related("licence_type", "tier")
        .prefetch_related("renewals")
        .order_by("-expires_on")
    )


def get_licence(*, actor: Any, uuid: str, perm: Perm = Perm.VIEW_STAFF) -> Licence:
    licence = _visible(actor, perm).filter(uuid=uuid).select_related("licence_type", "tier", "person").first()
    if licence is None:
        raise NotAllowed()
    return licence


def get_renewal(*, actor: Any, uuid: str) -> RenewalRequest:
    renewal = (
        RenewalRequest.objects.filter(scope.visible(actor, RenewalRequest, Perm.VIEW_STAFF), uuid=uuid)
        .select_related("licence__person", "licence__licence_type", "licence__tier", "new_licence")
        .first()
    )
    if renewal is None:
        raise NotAllowed()
    return renewal


def renewal_file(*, actor: Any, uuid: str, part: str) -> FieldFile:
    """A renewal's supporting document ("attachment") or the evidence of an activity attached to it (by the
    activity's uuid): for whoever may see the request, the council included."""
    renewal = get_renewal(actor=actor, uuid=uuid)
    found: FieldFile | None
    if part == "attachment":
        found = renewal.attachment
    else:
        activity = renewal.activities.filter(uuid=part).first() if _is_uuid(part) else None
        found = activity.evidence if activity is not None else None
    if found is None or not found:
        raise NotAllowed()
    return found


def _is_uuid(text: str) -> bool:
    try:
        uuid_module.UUID(text)
    except ValueError:
        return False
    return True


# A school's staff ---------------------------------------------------------------------------------------


@dataclass
class StaffRow:
    post: StaffPost
    licence: Licence | None  # the best one for the post: valid with the latest expiry, else the last one
    alert: str
    days_left: int | None
    flagged: bool  # teaching without a valid licence or permit


def school_staff(*, actor: Any, school: School, today: dt.date | None = None) -> list[StaffRow]:
    """Each current staff member's licence status and expiry; three queries whatever the school's size."""
    scope.require(actor, Perm.VIEW_STAFF, school)
    today = today or timezone.localdate()
    posts = list(
        StaffPost.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), school=school)
        .select_related("person")
        .order_by("position", "person__first_name_th")
    )
    licences: dict[int, list[Licence]] = defaultdict(list)
    for licence in (
        _visible(actor)
        .filter(person_id__in=[p.person_id for p in posts])
        .exclude(status=Licence.Status.RENEWED)
        .select_related("licence_type", "tier")
        .order_by("-expires_on")
    ):
        licences[licence.person_id].append(licence)
    rows = []
    for post in posts:
        needed = REQUIRED.get(post.position)  # type: ignore[call-overload]
        held = [
            lic for lic in licences.get(post.person_id, []) if not needed or lic.licence_type.code in needed
        ]
        valid = [lic for lic in held if lic.status == Licence.Status.ACTIVE and lic.expires_on >= today]
        best = valid[0] if valid else (held[0] if held else None)
        rows.append(
            StaffRow(
                post=post,
                licence=best,
                alert=alert_of(best.expires_on, today) if best else "",
                days_left=(best.expires_on - today).days if best else None,
                flagged=post.position in TEACHING and not valid,
            )
        )
    return rows


def staff_schools(*, actor: Any) -> QuerySet[School]:
    return School.objects.filter(scope.school_filter(actor, Perm.VIEW_STAFF)).order_by("code")


@dataclass
class SchoolSummary:
    school: School
    teaching: int = 0
    unlicensed: int = 0  # teaching without a valid licence or permit
    expiring_90: int = 0  # their only valid licence ends within 90 days


def staff_summary(*, actor: Any, today: dt.date | None = None) -> list[SchoolSummary]:
    """For an area or municipal officer: per school in reach, teaching staff, those without a valid licence
    and those whose licence ends within 90 days. One grouped query (the officer may open each school's list,
    so these counts reveal nothing new and are not suppressed)."""
    today = today or timezone.localdate()
    schools = list(staff_schools(actor=actor))
    valid = _visible(actor).filter(
        person=OuterRef("person"),
        status=Licence.Status.ACTIVE,
        licence_type__code__in=REQUIRED[Position.TEACHER],
        expires_on__gte=today,
    )
    rows = (
        StaffPost.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today), school__in=schools, position__in=TEACHING
        )
        .annotate(
            has_valid=Exists(valid),
            has_long=Exists(valid.filter(expires_on__gt=today + dt.timedelta(days=90))),
        )
        .values("school_id", "has_valid", "has_long")
        .annotate(n=Count("pk"))
        .order_by()
    )
    summaries = {school.pk: SchoolSummary(school=school) for school in schools}
    for row in rows:
        summary = summaries[row["school_id"]]
        summary.teaching += row["n"]
        if not row["has_valid"]:
            summary.unlicensed += row["n"]
        elif not row["has_long"]:
            summary.expiring_90 += row["n"]
    return list(summaries.values())


# The council --------------------------------------------------------------------------------------------


def renewal_queue(*, actor: Any) -> list[RenewalRequest]:
    require_council(actor)
    return list(
        RenewalRequest.objects.filter(status=RenewalRequest.Status.SUBMITTED)
        .select_related("licence__person", "licence__licence_type", "licence__tier", "licence__school")
        .prefetch_related("activities")
        .order_by("submitted_at")
    )


@dataclass
class CountTable:
    """One dashboard table after suppression: a title, column heads, rows of (label, cells)."""

    key: str
    title_th: str
    title_en: str
    columns: list[str]
    rows: list[tuple[str, list[int | None]]]
    totals: list[int | None] = field(default_factory=list)


@dataclass
class Dashboard:
    on: dt.date
    holders: int | None
    tables: list[CountTable]
    pending_renewals: int
    median_processing_days: float | None
    decided_renewals: int


def _table_from(
    key: str, th: str, en: str, columns: list[str], labels: list[str], grid: Suppressed
) -> CountTable:
    return CountTable(
        key=key,
        title_th=th,
        title_en=en,
        columns=columns,
        rows=[
            (label, [*cells, total])
            for label, cells, total in zip(labels, grid.cells, grid.row_totals, strict=True)
        ],
        totals=[*grid.column_totals, grid.total],
    )


def _single(key: str, th: str, en: str, counts: dict[str, int]) -> CountTable:
    shown = suppress_counts(counts)
    total = sum(counts.values())
    return CountTable(
        key=key, title_th=th, title_en=en, columns=[str(_("licences"))],
        rows=[(label, [shown[label]]) for label in counts], totals=[total if total >= 5 or total == 0 else None],
    )  # fmt: skip


def council_dashboard(*, actor: Any, today: dt.date | None = None) -> Dashboard:
    """Licences in force by type × tier, by agency, area and province, expiring in 6 and 12 months; renewals
    pending and their processing time. Reads the pre-aggregated tallies (plus this month's licences exactly),
    never a scan of every licence; every count leaves through small-cell suppression."""
    require_council(actor)
    today = today or timezone.localdate()
    counts = tallies.in_force(today, today + dt.timedelta(days=183), add_years(today, 1))
    types = list(LicenceType.objects.all())
    tiers = list(LicenceTier.objects.all())

    def ids(key: str) -> tuple[int | None, ...]:
        return tuple(int(part) if part else None for part in key.split(":"))

    by_type_tier = {ids(k): v[0] for k, v in counts[Dimension.TYPE].items()}
    expiring: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for key, (_n, in_6, in_12) in counts[Dimension.TYPE].items():
        expiring[ids(key)[0] or 0][0] += in_6
        expiring[ids(key)[0] or 0][1] += in_12
    by_agency = {ids(k)[0]: v[0] for k, v in counts[Dimension.AGENCY].items() if v[0]}
    by_area = {ids(k)[0]: v[0] for k, v in counts[Dimension.AREA].items() if v[0]}
    by_province = {(k or None): v[0] for k, v in counts[Dimension.PROVINCE].items() if v[0]}
    tier_columns: list[LicenceTier | None] = [*tiers, None]
    type_tier = suppress(
        [[by_type_tier.get((t.pk, tier.pk if tier else None), 0) for tier in tier_columns] for t in types]
    )
    unknown = "ไม่ระบุ / not stated"
    agencies = dict(Agency.objects.filter(pk__in=[k for k in by_agency if k]).values_list("pk", "short_th"))
    areas = dict(Area.objects.filter(pk__in=[k for k in by_area if k]).values_list("pk", "name_th"))
    provinces = dict(
        Province.objects.filter(pk__in=[k for k in by_province if k]).values_list("pk", "name_th")
    )

    def named(counts: dict[Any, int], names: dict[Any, str]) -> dict[str, int]:
        labelled = {(names[k] if k else unknown): v for k, v in counts.items()}
        return dict(sorted(labelled.items(), key=lambda item: (item[0] == unknown, item[0])))

    tables = [
        _table_from(
            "type_tier", "ตามประเภทและระดับใบอนุญาต", "By licence type and tier",
            [t.code if t else "–" for t in tier_columns] + [pgettext("count of licences", "Total")], [t.name_th for t in types], type_tier,
        ),
        _single("agency", "ตามต้นสังกัด", "By agency", named(by_agency, agencies)),
        _single("area", "ตามเขตพื้นที่/หน่วยงาน", "By area", named(by_area, areas)),
        _single("province", "ตามจังหวัด", "By province", named(by_province, provinces)),
    ]  # fmt: skip
    soon = suppress([expiring[t.pk] for t in types])
    tables.append(
        CountTable(
            key="expiring", title_th="ใบอนุญาตที่จะหมดอายุ", title_en="Expiring",
            columns=[str(_("6 months")), str(_("12 months"))],
            rows=[(t.name_th, cells) for t, cells in zip(types, soon.cells, strict=True)],
            totals=soon.column_totals,
        )
    )  # fmt: skip
    pending = RenewalRequest.objects.filter(status=RenewalRequest.Status.SUBMITTED).count()
    since = timezone.now() - dt.timedelta(days=365)
    decided = [
        (decided_at - submitted_at).total_seconds() / 86400
        for submitted_at, decided_at in RenewalRequest.objects.filter(
            decided_at__isnull=False, decided_at__gte=since
        ).values_list("submitted_at", "decided_at")
        if decided_at is not None
    ]
    holders = type_tier.total
    return Dashboard(
        on=today,
        holders=holders,
        tables=tables,
        pending_renewals=pending,
        median_processing_days=round(statistics.median(decided), 1) if decided else None,
        decided_renewals=len(decided),
    )


# The public ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """Everything the public may learn of a licence: nothing more is ever read."""

    number: str
    name_th: str
    name_en: str
    licence_type_th: str
    licence_type_en: str
    tier: str
    status: str
    status_th: str
    status_en: str
    expires_on: dt.date


def verify(*, number: str, today: dt.date | None = None) -> Verification | None:
    """A licence by its number, for anyone: one indexed query; unknown or malformed numbers give None."""
    number = normalise_number(number)
    if not NUMBER_PATTERN.match(number):
        return None
    row = (
        Licence.objects.filter(number=number)
        .values(
            "number",
            "status",
            "expires_on",
            "person__prefix",
            "person__first_name_th",
            "person__last_name_th",
            "person__first_name_en",
            "person__last_name_en",
            "licence_type__name_th",
            "licence_type__name_en",
            "tier__code",
        )  # fmt: skip
        .first()
    )
    if row is None:
        return None
    status = public_status(row["status"], row["expires_on"], today or timezone.localdate())
    status_th, status_en = STATUS_LABELS[status]
    return Verification(
        number=row["number"],
        name_th=f"{row['person__prefix']}{row['person__first_name_th']} {row['person__last_name_th']}",
        name_en=f"{row['person__first_name_en']} {row['person__last_name_en']}".strip(),
        licence_type_th=row["licence_type__name_th"],
        licence_type_en=row["licence_type__name_en"],
        tier=row["tier__code"] or "",
        status=status,
        status_th=status_th,
        status_en=status_en,
        expires_on=row["expires_on"],
    )


def person_to_license(*, actor: Any, citizen_id: str) -> Person:
    """The person the council records a licence for, by citizen ID (the council's reach is nationwide)."""
    require_council(actor)
    person = Person.objects.filter(citizen_id=citizen_id.strip()).first()
    if person is None:
        raise problem(
            "citizen_id",
            "ไม่พบบุคคลที่มีเลขประจำตัวนี้",
            "no person has this citizen ID",
            field_th="เลขประจำตัวประชาชน",
        )
    return person


# Competency tests -------------------------------------------------------------------------------------


def candidate(*, actor: Any) -> Person | None:
    """The signed-in user's own person record, the one a test registration is for (None without one)."""
    return Person.objects.filter(scope.visible(actor, Person, Perm.VIEW_STAFF), user=actor).first()


def get_round(*, actor: Any, code: str) -> TestRound:
    """A test round by its code, for the council (its pass rates and results import)."""
    require_council(actor)
    found = TestRound.objects.filter(scope.visible(actor, TestRound), code=code).first()
    if found is None:
        raise NotAllowed()
    return found


def recent_rounds(*, actor: Any) -> list[TestRound]:
    """The council's list of the latest rounds, open or not; nobody else's."""
    if not is_council(actor):
        return []
    return list(TestRound.objects.filter(scope.visible(actor, TestRound))[:20])


def get_centre(*, actor: Any, pk: Any) -> TestCentre:
    found = TestCentre.objects.filter(scope.visible(actor, TestCentre), pk=pk or 0).first()
    if found is None:
        raise NotAllowed()
    return found


def open_rounds(*, actor: Any, today: dt.date | None = None) -> list[TestRound]:
    today = today or timezone.localdate()
    return list(
        TestRound.objects.filter(
            scope.visible(actor, TestRound), registration_opens__lte=today, registration_closes__gte=today
        ).prefetch_related(
            Prefetch(
                "centres", TestCentre.objects.annotate(seats_left=F("capacity") - Count("registrations"))
            )
        )
    )


def my_registrations(*, actor: Any) -> list[Registration]:
    return list(
        Registration.objects.filter(scope.visible(actor, Registration), person__user=actor)
        .select_related("round", "centre")
        .prefetch_related("results__subject")
        .order_by("-round__held_on")
    )


@dataclass
class CentreRates:
    centre: TestCentre
    registered: int
    # subject code → (takers, passed, pass rate %), suppressed where small
    subjects: dict[str, tuple[int | None, int | None, float | None]]


def pass_rates(*, actor: Any, test_round: TestRound) -> list[CentreRates]:
    """Per centre and subject: takers, passes and the pass rate; hidden for fewer than MIN_CELL takers."""
    require_council(actor)
    registered = dict(
        Registration.objects.filter(round=test_round).values_list("centre").annotate(n=Count("pk")).order_by()
    )
    counts: dict[tuple[int, str], tuple[int, int]] = {}
    for row in (
        TestResult.objects.filter(registration__round=test_round)
        .values("registration__centre_id", "subject__code")
        .annotate(takers=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    ):
        counts[(row["registration__centre_id"], row["subject__code"])] = (row["takers"], row["passed"])
    out = []
    for centre in test_round.centres.all():
        subjects: dict[str, tuple[int | None, int | None, float | None]] = {}
        for subject in test_round.subjects.all():
            takers, passed = counts.get((centre.pk, subject.code), (0, 0))
            if 0 < takers < MIN_CELL:  # a rate over a handful of people would point at them
                subjects[subject.code] = (None, None, None)
            else:
                subjects[subject.code] = (takers, passed, round(100 * passed / takers, 1) if takers else None)
        out.append(CentreRates(centre=centre, registered=registered.get(centre.pk, 0), subjects=subjects))
    return out
