"""Demo care data: SDQ teacher-version answers for about 30% of this year's children (most normal, about 10%
at risk, 5–8% with a problem) and a screening in every area for every current child this term, mostly normal.
Answers are generated from a target total, then scored by the same code as a real save.
"""

import datetime as dt
import math
import random
from collections import defaultdict

from django.utils import timezone

from khru.care import scoring
from khru.care.models import Answer, Area, Band, CareNote, Intervention, Respondent, Response, Screening
from khru.care.selectors import builtin
from khru.demo.context import CURRENT_YEAR, DemoContext
from khru.org.models import Membership, Term
from khru.org.roles import Role

SCREENED_AFTER_DAYS = 25
_REASONS = {
    Area.LEARNING: "ผลการเรียนต่ำกว่าเกณฑ์หลายวิชา",
    Area.HEALTH: "เจ็บป่วยบ่อย ขาดเรียนเพราะป่วย",
    Area.BEHAVIOUR: "ทะเลาะกับเพื่อนบ่อย",
    Area.FAMILY: "ผู้ปกครองทำงานต่างจังหวัด อยู่กับตายาย",
    Area.SAFETY: "เดินทางมาโรงเรียนไกล ผ่านถนนใหญ่",
}


def _answers(
    rng: random.Random, form: scoring.Form, target: int, subscales: dict[str, tuple[int, ...]]
) -> dict[int, int]:
    """Answers whose difficulties total is `target`: raise random difficulty items one point at a time."""
    difficulty = [n for code in form.in_total for n in subscales[code]]
    scored = dict.fromkeys(form.item_numbers, 0)
    for n in subscales.get("prosocial", ()):
        scored[n] = rng.choice((1, 2, 2, 2)) if rng.random() < 0.9 else rng.choice((0, 1))
    for _ in range(target):
        open_items = [n for n in difficulty if scored[n] < 2]
        scored[rng.choice(open_items)] += 1
    # Reverse-scored items are answered the other way round (a score of 0 is "certainly true").
    return {n: form.score(n, s) for n, s in scored.items()}


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    sdq = builtin()
    if sdq is None:
        return
    form = scoring.load(sdq)
    today = timezone.localdate()
    current_years = {y.pk for (_, year_be), y in ctx.years.items() if year_be == CURRENT_YEAR}
    current = [
        e
        for e in ctx.enrolments
        if e.academic_year_id in current_years and e.ends_on is None and e.classroom_id is not None
    ]
    homeroom: dict[int | None, int] = dict(
        Membership.objects.filter(
            role=Role.HOMEROOM_TEACHER, classroom__academic_year__in=current_years
        ).values_list("classroom_id", "user_id")
    )
    terms: dict[int, Term] = {}
    for begun in Term.objects.filter(academic_year__in=current_years, starts_on__lte=today).order_by(
        "number"
    ):
        terms[begun.academic_year_id] = begun  # the latest term begun

    responses: list[Response] = []
    given: list[dict[int, int]] = []
    bands: dict[int, Response] = {}
    for enrolment in current:
        if rng.random() >= 0.30:
            continue
        draw = rng.random() / math.exp(0.9 * ctx.risk.get(enrolment.person_id, 0.0))
        target = (
            rng.randint(18, 27)
            if draw < 0.065
            else rng.randint(16, 17)
            if draw < 0.165
            else rng.randint(1, 14)
        )
        answers = _answers(rng, form, target, form.subscales)
        scores = scoring.compute(form, Respondent.TEACHER, answers)
        term = terms.get(enrolment.academic_year_id)
        answered_on = (term.starts_on if term else enrolment.starts_on) + dt.timedelta(
            days=rng.randint(7, 20)
        )
        response = Response(
            questionnaire=sdq,
            person_id=enrolment.person_id,
            school_id=enrolment.school_id,
            academic_year_id=enrolment.academic_year_id,
            respondent=Respondent.TEACHER,
            answered_on=min(answered_on, today),
            total=scores.total,
            total_band=scores.total_band,
            subscale_scores=scores.subscales,
            recorded_by_id=homeroom.get(enrolment.classroom_id),
        )
        responses.append(response)
        given.append(answers)
        bands[enrolment.person_id] = response
    Response.objects.bulk_create(responses, batch_size=2000)
    items = dict(sdq.items.values_list("number", "pk"))
    Answer.objects.bulk_create(
        (
            Answer(response_id=r.pk, item_id=items[n], value=v)
            for r, answers in zip(responses, given, strict=True)
            for n, v in answers.items()
        ),
        batch_size=5000,
    )

    # This term's screening for every current child, and each earlier year's first-term screening for the
    # children then in class (early warning learns from the years before).
    screened = [(e, terms[e.academic_year_id]) for e in current if e.academic_year_id in terms]
    for term in Term.objects.filter(
        academic_year__in=[y for (_, year_be), y in ctx.years.items() if year_be < CURRENT_YEAR], number=1
    ):
        on = term.starts_on + dt.timedelta(days=SCREENED_AFTER_DAYS)
        screened += [
            (e, term)
            for e in ctx.enrolments
            if e.academic_year_id == term.academic_year_id
            and e.classroom_id is not None
            and e.starts_on <= on
            and (e.ends_on is None or e.ends_on >= on)
        ]
    screenings = []
    by_status: dict[str, int] = defaultdict(int)
    for enrolment, term in screened:
        sdq_response = bands.get(enrolment.person_id) if term.academic_year_id in current_years else None
        for area in Area.values:
            if area == Area.BEHAVIOUR and sdq_response is not None:
                status, source, reason = (
                    sdq_response.total_band,
                    Screening.Source.DERIVED,
                    f"SDQ (teacher) {sdq_response.total}",
                )
            else:
                draw = rng.random()
                if area == Area.BEHAVIOUR:  # a child at risk of leaving is screened at risk more often
                    draw /= math.exp(1.0 * ctx.risk.get(enrolment.person_id, 0.0))
                status = Band.PROBLEM if draw < 0.03 else Band.RISK if draw < 0.12 else Band.NORMAL
                source, reason = (
                    Screening.Source.TEACHER,
                    "" if status == Band.NORMAL else _REASONS[Area(area)],
                )
            by_status[status] += 1
            screenings.append(
                Screening(
                    person_id=enrolment.person_id,
                    school_id=enrolment.school_id,
                    academic_year_id=enrolment.academic_year_id,
                    term=term,
                    area=area,
                    status=status,
                    reason=reason,
                    source=source,
                    response=sdq_response if source == Screening.Source.DERIVED else None,
                    recorded_by_id=homeroom.get(enrolment.classroom_id),
                )
            )
    Screening.objects.bulk_create(screenings, batch_size=5000)
    for term in {term for _, term in screened}:  # as teachers record them: in the term's first weeks
        on = term.starts_on + dt.timedelta(days=SCREENED_AFTER_DAYS)
        at = min(timezone.now(), timezone.make_aware(dt.datetime.combine(on, dt.time(15, 30))))
        Screening.objects.filter(term=term).update(recorded_at=at)
    ctx.counts["sdq_responses"] = len(responses)
    ctx.counts["screenings"] = len(screenings)


_NOTES = {
    Area.LEARNING: ["อ่านออกเสียงยังไม่คล่อง ต้องสะกดทีละคำ", "ส่งงานไม่ครบหลายวิชา", "สมาธิสั้นในคาบเรียน"],
    Area.HEALTH: ["บ่นปวดท้องบ่อยช่วงเช้า", "ไม่ได้กินอาหารเช้ามาโรงเรียน", "ง่วงนอนในห้องเรียนบ่อย"],
    Area.BEHAVIOUR: ["ทะเลาะกับเพื่อนในช่วงพัก", "เก็บตัว ไม่ค่อยพูดกับเพื่อน", "ใช้คำพูดรุนแรงกับเพื่อน"],
    Area.FAMILY: ["ผู้ปกครองแยกทาง อยู่กับยาย", "ผู้ปกครองตกงาน ขาดค่าอาหาร", "ไม่มีผู้ดูแลหลังเลิกเรียน"],
    Area.SAFETY: ["เดินกลับบ้านคนเดียวผ่านถนนใหญ่", "มีรอยช้ำที่แขน สอบถามแล้วไม่ยอมเล่า", "ถูกรุ่นพี่ข่มขู่"],
}
_HELP = {
    Area.LEARNING: (Intervention.Kind.REMEDIAL, "สอนซ่อมเสริมหลังเลิกเรียนสัปดาห์ละ 2 วัน", ""),
    Area.HEALTH: (Intervention.Kind.HEALTH_REFERRAL, "ส่งตรวจที่ รพ.สต. ใกล้บ้าน", "รพ.สต.ใกล้บ้าน"),
    Area.BEHAVIOUR: (Intervention.Kind.COUNSELLING, "ครูแนะแนวพูดคุยรายสัปดาห์", ""),
    Area.FAMILY: (Intervention.Kind.SCHOLARSHIP, "เสนอชื่อรับทุนอาหารกลางวันและอุปกรณ์การเรียน", ""),
    Area.SAFETY: (Intervention.Kind.SOCIAL_REFERRAL, "แจ้งนักสังคมสงเคราะห์ของเทศบาล", "นักสังคมสงเคราะห์เทศบาล"),
}


def build_notes(ctx: DemoContext) -> None:
    """A note, and most often an intervention, for children screened "problem" (a few hundred rows)."""
    rng = ctx.rng
    today = timezone.localdate()
    notes: list[CareNote] = []
    interventions: list[Intervention] = []
    seen: set[int] = set()
    first_school = ctx.schools[0].pk if ctx.schools else None
    for person_id, school_id, year_id, area, started, by in (
        Screening.objects.filter(
            status=Band.PROBLEM, term__starts_on__lte=today, academic_year__year_be=CURRENT_YEAR
        )
        .order_by("person_id", "area")
        .values_list(
            "person_id", "school_id", "academic_year_id", "area", "term__starts_on", "recorded_by_id"
        )
    ):
        # One area per child; half of them at school 1 (the demo logins' school), one in ten elsewhere.
        if person_id in seen or rng.random() >= (0.5 if school_id == first_school else 0.1):
            continue
        seen.add(person_id)
        noted_on = min(started + dt.timedelta(days=rng.randint(10, 40)), today)
        notes.append(
            CareNote(
                person_id=person_id,
                school_id=school_id,
                academic_year_id=year_id,
                area=area,
                noted_on=noted_on,
                text=rng.choice(_NOTES[Area(area)]),
                recorded_by_id=by,
            )
        )
        if rng.random() < 0.25:
            continue  # noted, no help recorded yet
        kind, description, referred_to = _HELP[Area(area)]
        began = min(noted_on + dt.timedelta(days=rng.randint(1, 10)), today)
        status = rng.choice(
            [Intervention.Status.PLANNED, Intervention.Status.IN_PROGRESS, Intervention.Status.DONE]
            + ([Intervention.Status.REFERRED] * 2 if referred_to else [])
        )
        interventions.append(
            Intervention(
                person_id=person_id,
                school_id=school_id,
                academic_year_id=year_id,
                area=area,
                kind=kind,
                description=description,
                responsible="ครูประจำชั้น" if kind != Intervention.Kind.COUNSELLING else "ครูแนะแนว",
                status=status,
                started_on=began,
                follow_up_on=began + dt.timedelta(days=rng.choice((14, 30, 60))),
                outcome="ดีขึ้น ติดตามต่อเนื่อง" if status == Intervention.Status.DONE else "",
                referred_to=referred_to if status == Intervention.Status.REFERRED else "",
                recorded_by_id=by,
            )
        )
    CareNote.objects.bulk_create(notes, batch_size=2000)
    Intervention.objects.bulk_create(interventions, batch_size=2000)
    ctx.counts["care_notes"] = len(notes)
    ctx.counts["interventions"] = len(interventions)
