"""Demo early warning: each area's risk model, trained on the demo's earlier years (as `khru evaluate_risk`
does), today's scores of every child (as `khru score_risk` does daily), and follow-up cases for some of the
children flagged most strongly: a few actions each, most done on time, some overdue, a few cases closed. How
the demo makes children leave school, and what warns of it, is written down in docs/earlywarning.md."""

import datetime as dt

from django.utils import timezone

from khru.care.models import Case, Intervention
from khru.demo.context import DemoContext
from khru.earlywarning import services, training
from khru.earlywarning.models import RiskScore
from khru.org.models import Area, Membership
from khru.org.roles import Role
from khru.people.models import Enrolment

FOLLOWED = 0.25  # of the flagged children with the highest chances (the top 2% of an area)
ACTIONS = [
    (Intervention.Kind.HOME_VISIT, "เยี่ยมบ้าน พูดคุยกับผู้ปกครองเรื่องการมาเรียน"),
    (Intervention.Kind.PARENT_MEETING, "นัดผู้ปกครองมาพบที่โรงเรียน"),
    (Intervention.Kind.REMEDIAL, "สอนซ่อมเสริมหลังเลิกเรียนสัปดาห์ละ 2 วัน"),
    (Intervention.Kind.EEF_APPLICATION, "ยื่นขอทุนเสมอภาค กสศ."),
    (Intervention.Kind.SOCIAL_REFERRAL, "ส่งต่อนักสังคมสงเคราะห์ของเทศบาล"),
]


def build(ctx: DemoContext) -> None:
    for area in (a for a in (ctx.municipality, ctx.obec_area) if a is not None):
        if training.evaluate_and_train(area=area) is not None:
            ctx.counts["risk_models"] += 1
        ctx.counts["risk_scores"] += services.score_area(area=area)
        ctx.counts["follow_up_cases"] += _cases(ctx, area)


def _cases(ctx: DemoContext, area: Area) -> int:
    rng, today = ctx.rng, timezone.localdate()
    top = list(
        RiskScore.objects.filter(area=area, as_of=today, flagged=True, chance__isnull=False)
        .order_by("-chance", "person_id")
        .values_list("person_id", "chance")
    )
    top = top[: max(1, len(top) // 12)]
    chosen = [(p, c) for p, c in top if rng.random() < FOLLOWED]
    enrolments = {
        e.person_id: e
        for e in Enrolment.objects.filter(person_id__in=[p for p, _c in chosen], ends_on__isnull=True)
    }
    homeroom = dict(
        Membership.objects.filter(
            role=Role.HOMEROOM_TEACHER, classroom_id__in=[e.classroom_id for e in enrolments.values()]
        ).values_list("classroom_id", "user_id")
    )
    cases, actions = [], []
    for person_id, chance in chosen:
        enrolment = enrolments.get(person_id)
        if enrolment is None:
            continue
        teacher = homeroom.get(enrolment.classroom_id or 0)
        opened = today - dt.timedelta(days=rng.randint(10, 60))
        closed = rng.random() < 0.2
        case = Case(
            person_id=person_id,
            school_id=enrolment.school_id,
            academic_year_id=enrolment.academic_year_id,
            reasons="ขาดเรียนบ่อยช่วงหลัง; ผลการเรียนลดลง",
            chance=chance,
            responsible_id=teacher,
            opened_on=opened,
            opened_by_id=teacher,
            closed_on=today - dt.timedelta(days=rng.randint(0, 5)) if closed else None,
            outcome=rng.choice([Case.Outcome.BACK_IN_CLASS, Case.Outcome.IMPROVED]) if closed else "",
        )
        cases.append(case)
        for kind, description in rng.sample(ACTIONS, rng.randint(1, 3)):
            due = opened + dt.timedelta(days=rng.randint(7, 30))
            status = (
                Intervention.Status.DONE
                if closed or rng.random() < 0.6
                else rng.choice([Intervention.Status.PLANNED, Intervention.Status.IN_PROGRESS])
            )
            actions.append(
                Intervention(
                    case=case,
                    person_id=person_id,
                    school_id=enrolment.school_id,
                    academic_year_id=enrolment.academic_year_id,
                    kind=kind,
                    description=description,
                    status=status,
                    started_on=opened,
                    follow_up_on=due,
                    recorded_by_id=teacher,
                )
            )
    Case.objects.bulk_create(cases)
    Intervention.objects.bulk_create(actions)  # each takes its case's id, given by the insert above
    for action in actions:  # done a few days before it was due (updated_at is the day it changed)
        if action.status == Intervention.Status.DONE and action.follow_up_on is not None:
            done = min(action.follow_up_on - dt.timedelta(days=rng.randint(0, 5)), today)
            at = timezone.make_aware(dt.datetime.combine(done, dt.time(15)))
            Intervention.objects.filter(pk=action.pk).update(updated_at=at)
    return len(cases)
