"""Demo careers for the municipality's staff: appointments, standing history, PA rounds (fiscal 2565 onwards,
when ว9/2564 began), some awards, a few penalties, development activities, and an online-training provider
whose completions arrived by import.

teacher-1 has a complete story: ชำนาญการ since 2020 with three good PA rounds, so the PA check says
they may apply for ชำนาญการพิเศษ.
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from khru.core.dates import be_year, ce_year
from khru.demo.context import DemoContext
from khru.demo.org import seeded_uuid
from khru.org.models import User
from khru.people.models import StaffPost
from khru.teachers.models import (
    ActivityKind,
    Appointment,
    Award,
    DevelopmentActivity,
    DisciplineLevel,
    DisciplineRecord,
    PAAssessment,
    PerformanceAgreement,
    Position,
    Standing,
    StandingRecord,
    TrainingCourse,
    TrainingProvider,
)
from khru.teachers.pacheck import fiscal_year_be
from khru.teachers.selectors import TEACHING_POSTS

BATCH = 2000
STAR_HIRED = dt.date(2010, 5, 17)
FIRST_PA_YEAR = 2565  # ว9/2564 applies from fiscal year 2565
ASSESSORS = ("ผู้อำนวยการสถานศึกษา", "กรรมการผู้ทรงคุณวุฒิ")
# The next standing, the years the one before needs (ว9/2564), and how likely a teacher is to move up once
# eligible: most reach ชำนาญการพิเศษ, few เชี่ยวชาญ; the demo stops there.
LADDER = [(Standing.SENIOR, 6, 0.9), (Standing.SPECIAL, 4, 0.65), (Standing.EXPERT, 4, 0.06)]
ACTIVITIES = [
    (ActivityKind.TRAINING, "การจัดการเรียนรู้เชิงรุก (Active Learning)", "สำนักงานเขตพื้นที่การศึกษา"),
    (ActivityKind.TRAINING, "การวัดและประเมินผลตามสภาพจริง", "กองการศึกษา เทศบาลนครตัวอย่าง"),
    (ActivityKind.TRAINING, "การสอนอ่านเขียนภาษาไทยระดับประถม", "สถาบันภาษาไทย"),
    (ActivityKind.SEMINAR, "สัมมนาวิชาการครูท้องถิ่น", "กรมส่งเสริมการปกครองท้องถิ่น"),
    (ActivityKind.PLC, "ชุมชนการเรียนรู้ทางวิชาชีพ กลุ่มสาระคณิตศาสตร์", "โรงเรียน"),
    (ActivityKind.PLC, "ชุมชนการเรียนรู้ทางวิชาชีพ การแก้ปัญหาการอ่าน", "โรงเรียน"),
    (ActivityKind.STUDY_VISIT, "ศึกษาดูงานโรงเรียนต้นแบบ", "กองการศึกษา เทศบาลนครตัวอย่าง"),
    (ActivityKind.TRAINING, "การดูแลช่วยเหลือนักเรียนและการคัดกรอง SDQ", "สำนักงานสาธารณสุขจังหวัด"),
]
COURSES = [
    ("TP-101", "การออกแบบการเรียนรู้ด้วย Coding", Decimal(20)),
    ("TP-102", "สื่อดิจิทัลเพื่อการเรียนรู้", Decimal(12)),
    ("TP-103", "การประเมินผลด้วยเครื่องมือออนไลน์", Decimal(6)),
    ("TP-104", "จิตวิทยาสำหรับครู", Decimal(9)),
]
AWARDS = [
    ("ครูดีในดวงใจ", "กระทรวงศึกษาธิการ", Award.Level.NATIONAL),
    ("ครูผู้สอนดีเด่น", "กองการศึกษา เทศบาลนครตัวอย่าง", Award.Level.AREA),
    ("ครูที่ปรึกษาโครงงานวิทยาศาสตร์ ระดับเหรียญทอง", "สพฐ.", Award.Level.REGION),
    ("ครูผู้ดูแลนักเรียนดีเด่น", "โรงเรียน", Award.Level.SCHOOL),
]


def _years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    admin = User.objects.get(username="admin")
    teacher_1 = User.objects.filter(username="teacher-1").values_list("pk", flat=True).first()
    posts = list(StaffPost.objects.filter(person__in=ctx.staff).select_related("person"))
    other_schools = ctx.schools
    appointments, standings, agreements, awards, penalties, activities = [], [], [], [], [], []
    scores: list[tuple[PerformanceAgreement, str, Decimal, dt.date]] = []

    provider = TrainingProvider.objects.create(
        code="TEPE", name_th="ระบบพัฒนาครูออนไลน์ (สาธิต)", name_en="Demo online teacher development"
    )
    courses = TrainingCourse.objects.bulk_create(
        [
            TrainingCourse(provider=provider, code=code, title=title, hours=hours)
            for code, title, hours in COURSES
        ]
    )
    certificate = 0

    for post in posts:
        person, start = post.person, post.starts_on
        star = person.user_id == teacher_1
        if star and start > STAR_HIRED:
            start = STAR_HIRED  # long enough in post for the story below
            StaffPost.objects.filter(pk=post.pk).update(starts_on=start)
        if post.position not in TEACHING_POSTS:
            appointments.append(
                Appointment(
                    person=person,
                    school_id=post.school_id,
                    position=Position.OFFICER,
                    started_on=start,
                    recorded_by=admin,
                )
            )
            continue
        # ครูผู้ช่วย for two years (sometimes at another school), then ครู; leaders promoted later.
        became_teacher = _years(start, 2)
        if post.position == "assistant" or became_teacher >= today:
            appointments.append(
                Appointment(
                    person=person,
                    school_id=post.school_id,
                    position=Position.ASSISTANT_TEACHER,
                    started_on=start,
                    recorded_by=admin,
                )
            )
            continue
        first_school = rng.choice(other_schools).pk if rng.random() < 0.3 else post.school_id
        appointments.append(
            Appointment(
                person=person, school_id=first_school, position=Position.ASSISTANT_TEACHER, started_on=start,
                ended_on=became_teacher - dt.timedelta(days=1), order_ref=f"คำสั่งที่ {rng.randint(1, 400)}/{be_year(start.year)}",
                recorded_by=admin,
            )
        )  # fmt: skip
        leader_from = None
        if post.position in ("deputy", "principal"):
            leader_from = (
                _between(rng, _years(became_teacher, 6), today) if _years(became_teacher, 7) < today else None
            )
        teacher_until = leader_from - dt.timedelta(days=1) if leader_from else None
        appointments.append(
            Appointment(
                person=person, school_id=post.school_id, position=Position.TEACHER, started_on=became_teacher,
                ended_on=teacher_until, order_ref=f"คำสั่งที่ {rng.randint(1, 400)}/{be_year(became_teacher.year)}", recorded_by=admin,
            )
        )  # fmt: skip
        if leader_from:
            appointments.append(
                Appointment(
                    person=person,
                    school_id=post.school_id,
                    position=post.position,
                    started_on=leader_from,
                    recorded_by=admin,
                )
            )

        # Standing: climb the ladder while the years allow, each step a little after it became possible.
        since = became_teacher
        standings.append(
            StandingRecord(person=person, standing=Standing.NONE, since=since, recorded_by=admin)
        )
        for next_standing, years, applies in LADDER:
            if rng.random() >= applies:
                break
            eligible = _years(since, years)
            promoted = _between(rng, eligible, _years(eligible, 3))
            if promoted >= today:
                break
            since = promoted
            standings.append(
                StandingRecord(
                    person=person,
                    standing=next_standing,
                    since=since,
                    order_ref=f"ก.ท.จ. {rng.randint(1, 99)}/{be_year(since.year)}",
                    recorded_by=admin,
                )
            )
        if star:
            standings[:] = [s for s in standings if s.person is not person]
            standings += [
                StandingRecord(person=person, standing=Standing.NONE, since=became_teacher, recorded_by=admin),
                StandingRecord(person=person, standing=Standing.SENIOR, since=dt.date(2020, 4, 1), order_ref="ก.ท.จ. 4/2563", recorded_by=admin),
            ]  # fmt: skip

        # PA rounds from the later of 2565 and the teacher's first full year; the current year is agreed only.
        good = rng.random() < 0.9 or star
        for year in range(max(FIRST_PA_YEAR, fiscal_year_be(became_teacher) + 1), fiscal_year_be(today) + 1):
            agreed_on = dt.date(year - 544, 10, rng.randint(1, 28))
            if agreed_on > today:
                continue
            pa = PerformanceAgreement(
                uuid=seeded_uuid(rng),
                person=person,
                school_id=post.school_id,
                fiscal_year_be=year,
                agreed_on=agreed_on,
                recorded_by=admin,
            )
            agreements.append(pa)
            assessed_on = dt.date(ce_year(year), 9, rng.randint(1, 25))
            if assessed_on > today or (not star and rng.random() < 0.03):
                continue  # not assessed yet (or the score sheet is still missing)
            for assessor in ASSESSORS:
                mean = 84 if good else 72
                score = Decimal(str(round(min(100.0, max(55.0, rng.gauss(mean, 6))), 2)))
                scores.append((pa, assessor, max(score, Decimal(71)) if star else score, assessed_on))

        if rng.random() < 0.15:
            for title, given_by, level in rng.sample(AWARDS, rng.randint(1, 2)):
                awards.append(
                    Award(
                        person=person,
                        title=title,
                        given_by=given_by,
                        level=level,
                        awarded_on=_between(rng, became_teacher, today),
                        recorded_by=admin,
                    )
                )
        if rng.random() < 0.012:
            penalty = rng.choice(
                [DisciplineLevel.WARNING, DisciplineLevel.PROBATION, DisciplineLevel.PAY_CUT]
            )
            penalties.append(
                DisciplineRecord(
                    person=person,
                    level=penalty,
                    decided_on=_between(rng, _years(today, -6), today),
                    order_ref=f"คำสั่งที่ {rng.randint(1, 300)}/2566",
                    recorded_by=admin,
                )
            )

        # Development: a few activities a year since 2566, some of them online courses imported from TEPE.
        for year in range(2566, fiscal_year_be(today) + 1):
            for _ in range(rng.randint(1, 4)):
                ended = _between(rng, dt.date(ce_year(year) - 1, 10, 1), dt.date(ce_year(year), 9, 30))
                if ended > today or ended < start:
                    continue
                if rng.random() < 0.3:
                    course = rng.choice(courses)
                    certificate += 1
                    activities.append(
                        DevelopmentActivity(
                            uuid=seeded_uuid(rng), person=person, kind=ActivityKind.ONLINE_COURSE, title=course.title,
                            provider=provider.name_th, started_on=ended, ended_on=ended, hours=course.hours,
                            source=DevelopmentActivity.Source.IMPORT, external_ref=f"TEPE-{certificate:06d}", recorded_by=admin,
                        )
                    )  # fmt: skip
                    continue
                kind, title, organiser = rng.choice(ACTIVITIES)
                days = rng.randint(0, 2)
                activities.append(
                    DevelopmentActivity(
                        uuid=seeded_uuid(rng), person=person, kind=kind, title=title, provider=organiser,
                        started_on=ended - dt.timedelta(days=days), ended_on=ended,
                        hours=Decimal(rng.choice((3, 6, 6, 12, 12, 18, 24)) if days else rng.choice((3, 6))),
                        source=DevelopmentActivity.Source.SCHOOL, recorded_by=admin,
                    )
                )  # fmt: skip

    Appointment.objects.bulk_create(appointments, batch_size=BATCH)
    StandingRecord.objects.bulk_create(standings, batch_size=BATCH)
    PerformanceAgreement.objects.bulk_create(agreements, batch_size=BATCH)
    PAAssessment.objects.bulk_create(
        [
            PAAssessment(agreement=pa, assessor=a, score=s, assessed_on=on, recorded_by=admin)
            for pa, a, s, on in scores
        ],
        batch_size=BATCH,
    )
    Award.objects.bulk_create(awards, batch_size=BATCH)
    DisciplineRecord.objects.bulk_create(penalties, batch_size=BATCH)
    DevelopmentActivity.objects.bulk_create(activities, batch_size=BATCH)
    ctx.counts["appointments"] = len(appointments)
    ctx.counts["pa_rounds"] = len(agreements)
    ctx.counts["development_activities"] = len(activities)
