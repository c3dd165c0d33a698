"""Demo licences: every teaching post of the municipality holds a licence or permit (a few none, a few expired,
some expiring within 180/90/30 days); principals and deputies also an administrator's licence; teacher-1 may
renew now; two renewals wait for the council, one was returned; a competency test round is open, an earlier
one has results. The `council` login is a Teachers Council officer."""

import datetime as dt
import random

from django.utils import timezone

from khru.core.dates import be_year
from khru.demo.context import DemoContext
from khru.licences import tallies
from khru.licences.models import (
    Licence,
    LicenceTier,
    LicenceType,
    Registration,
    RenewalRequest,
    TestCentre,
    TestResult,
    TestRound,
    TestSubject,
)
from khru.licences.services import add_years
from khru.org.models import Agency, Membership, User
from khru.org.roles import Role
from khru.people.models import StaffPost
from khru.teachers.models import DevelopmentActivity

Position = StaffPost.Position
BATCH = 1000
TEACHING = (Position.TEACHER, Position.ASSISTANT_TEACHER)
LEADERS = (Position.PRINCIPAL, Position.DEPUTY)
DEMO_ACTIVITIES = [
    ("training", "อบรมการจัดการเรียนรู้เชิงรุก (Active Learning)", "สพฐ.", 18),
    ("online", "หลักสูตรออนไลน์ การสอนอ่านออกเขียนได้", "คุรุสภา (TEPE Online)", 12),
    ("plc", "ชุมชนการเรียนรู้ทางวิชาชีพ กลุ่มสาระภาษาไทย", "โรงเรียน", 20),
    ("seminar", "สัมมนาการวัดและประเมินผลตามสภาพจริง", "มหาวิทยาลัยราชภัฏภูเก็ต", 6),
]


def _expiry(rng: random.Random, today: dt.date) -> dt.date:
    """Mostly spread over the coming years; about 4% already expired, 3% within 30 days, 4% within 31–90, 6%
    within 91–180."""
    roll = rng.random()
    for limit, low, high in ((0.04, -300, -5), (0.07, 1, 30), (0.11, 31, 90), (0.17, 91, 180)):
        if roll < limit:
            return today + dt.timedelta(days=rng.randint(low, high))
    return today + dt.timedelta(days=rng.randint(181, 5 * 365))


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    types = {t.code: t for t in LicenceType.objects.all()}
    tiers = {t.code: t for t in LicenceTier.objects.filter(licence_type__code="teacher")}
    posts = list(
        StaffPost.objects.filter(person__in=ctx.staff, ends_on__isnull=True).select_related("school__area")
    )
    licences: list[Licence] = []
    running: dict[str, int] = {}

    def add(
        post: StaffPost, licence_type: LicenceType, tier: LicenceTier | None, expires: dt.date
    ) -> Licence:
        years = tier.years if tier else licence_type.years
        issued = add_years(expires, -years)
        stem = f"{licence_type.number_prefix}{be_year(issued.year) % 100:02d}-"
        running[stem] = running.get(stem, 0) + 1
        licence = Licence(
            number=f"{stem}{running[stem]:07d}",
            person=post.person,
            licence_type=licence_type,
            tier=tier,
            issued_on=issued,
            expires_on=expires,
            school=post.school,
            area=post.school.area,
            agency_id=post.school.area.agency_id,
            province_id=post.school.area.province_id,
        )
        licences.append(licence)
        return licence

    teacher_1 = User.objects.filter(username="teacher-1").values_list("person", flat=True).first()
    renewable: list[Licence] = []
    own: Licence | None = None
    for post in posts:
        if post.position in TEACHING:
            roll = rng.random()
            if post.person_id == teacher_1:
                own = add(post, types["teacher"], tiers["B"], today + dt.timedelta(days=75))
            elif roll < 0.02:
                continue  # teaching without a licence: the school page flags them
            elif roll < 0.06:
                add(post, types["permit"], None, today + dt.timedelta(days=rng.randint(30, 700)))
            else:
                tier = tiers["P"] if post.position == Position.ASSISTANT_TEACHER else rng.choice(
                    [tiers["B"]] * 7 + [tiers["A"]] * 2 + [tiers["P"]]
                )  # fmt: skip
                licence = add(post, types["teacher"], tier, _expiry(rng, today))
                if 20 <= (licence.expires_on - today).days <= 150 and tier.code != "P":
                    renewable.append(licence)
        elif post.position in LEADERS:
            add(post, types["teacher"], tiers["A"], _expiry(rng, today))
            add(post, types["school_admin"], None, _expiry(rng, today))
    Licence.objects.bulk_create(licences, batch_size=BATCH)

    # Development activities for the holders who renew, within their licence period.
    renewing = ([own] if own else []) + renewable[:3]
    activities: dict[int, list[DevelopmentActivity]] = {}
    rows = []
    for licence in renewing:
        for n, (kind, title, provider, hours) in enumerate(DEMO_ACTIVITIES):
            started = licence.issued_on + dt.timedelta(days=200 + 300 * n + rng.randrange(60))
            activity = DevelopmentActivity(
                person=licence.person, kind=kind, title=title, provider=provider, started_on=started,
                ended_on=started + dt.timedelta(days=2), hours=hours, source=DevelopmentActivity.Source.IMPORT,
            )  # fmt: skip
            activities.setdefault(licence.pk, []).append(activity)
            rows.append(activity)
    DevelopmentActivity.objects.bulk_create(rows, batch_size=BATCH)

    now = timezone.now()
    for n, licence in enumerate(renewable[:3]):
        renewal = RenewalRequest.objects.create(
            licence=licence,
            channel=Licence.Channel.SELF if n else Licence.Channel.SCHOOL,
            submitted_by=licence.person.user,
            submitted_at=now - dt.timedelta(days=3 + 4 * n, hours=rng.randrange(8)),
            **(
                {"status": RenewalRequest.Status.RETURNED, "decided_at": now - dt.timedelta(days=2),
                 "reason": "หลักฐานกิจกรรมที่ 2 ไม่ระบุจำนวนชั่วโมง โปรดแนบใหม่"}
                if n == 2 else {}
            ),
        )  # fmt: skip
        renewal.activities.set(activities[licence.pk][:3])

    council = User.objects.create(
        username="council", password=ctx.password_hash, first_name="เจ้าหน้าที่", last_name="คุรุสภา"
    )
    Membership.objects.create(user=council, role=Role.COUNCIL_OFFICER, agency=Agency.objects.get(code="KSP"))
    _tests(ctx, posts, today)
    tallies.rebuild()
    ctx.counts["licences"] = len(licences)
    ctx.counts["renewal requests"] = min(3, len(renewable))


def _tests(ctx: DemoContext, posts: list[StaffPost], today: dt.date) -> None:
    """An open round with three centres, and last year's round with results for the younger teachers."""
    rng = ctx.rng
    rounds = []
    for code, name, held in (
        ("KSP-DEMO-1", "การทดสอบสมรรถนะทางวิชาชีพครู รอบที่ผ่านมา (สาธิต)", today - dt.timedelta(days=200)),
        ("KSP-DEMO-2", "การทดสอบสมรรถนะทางวิชาชีพครู รอบปัจจุบัน (สาธิต)", today + dt.timedelta(days=45)),
    ):
        test_round = TestRound.objects.create(
            code=code, name_th=name, held_on=held,
            registration_opens=held - dt.timedelta(days=60), registration_closes=held - dt.timedelta(days=10),
        )  # fmt: skip
        subjects = [
            TestSubject.objects.create(round=test_round, code=c, name_th=n, max_score=100, pass_score=60)
            for c, n in (("PROF", "ความเป็นครูและจรรยาบรรณ"), ("PED", "การจัดการเรียนรู้"), ("THAI", "ภาษาไทยเพื่อการสื่อสาร"))
        ]  # fmt: skip
        centres = [
            TestCentre.objects.create(round=test_round, code=c, name_th=n, capacity=cap)
            for c, n, cap in (("HKT", "มหาวิทยาลัยราชภัฏภูเก็ต", 120), ("PSU", "มหาวิทยาลัยสงขลานครินทร์ วิทยาเขตภูเก็ต", 80),
                              ("SKT", "มหาวิทยาลัยราชภัฏสุราษฎร์ธานี", 60))
        ]  # fmt: skip
        rounds.append((test_round, subjects, centres))
    past, subjects, centres = rounds[0]
    candidates = [p for p in posts if p.position == Position.ASSISTANT_TEACHER][:90]
    registrations = Registration.objects.bulk_create(
        [Registration(round=past, centre=centres[i % 3], person=p.person) for i, p in enumerate(candidates)]
    )
    results = []
    for registration in registrations:
        for subject in subjects:
            score = max(0, min(100, round(rng.gauss(66, 12), 1)))
            results.append(
                TestResult(registration=registration, subject=subject, score=score, passed=score >= 60)
            )
    TestResult.objects.bulk_create(results, batch_size=BATCH)
    ctx.counts["test results"] = len(results)
