"""Demo care data: SDQ teacher-version answers for about 30% of this year's children (most normal, about 10%
at risk, 5–8% with a problem) and a screening in every area for every current child this term, mostly normal.
Answers are generated from a target total, then scored by the same code as a real save.
"""

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from khru.care import scoring
from khru.care.models import Answer, Area, Band, Respondent, Response, Screening
from khru.care.selectors import builtin
from khru.demo.context import CURRENT_YEAR, DemoContext
from khru.org.models import Membership, Term
from khru.org.roles import Role

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
        draw = rng.random()
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

    screenings = []
    by_status: dict[str, int] = defaultdict(int)
    for enrolment in current:
        term = terms.get(enrolment.academic_year_id)
        if term is None:
            continue
        sdq_response = bands.get(enrolment.person_id)
        for area in Area.values:
            if area == Area.BEHAVIOUR and sdq_response is not None:
                status, source, reason = (
                    sdq_response.total_band,
                    Screening.Source.DERIVED,
                    f"SDQ (teacher) {sdq_response.total}",
                )
            else:
                draw = rng.random()
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
    ctx.counts["sdq_responses"] = len(responses)
    ctx.counts["screenings"] = len(screenings)
