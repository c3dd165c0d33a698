import datetime as dt

from khru.care import services
from khru.care.models import Questionnaire

# The twenty difficulty items, emotional → peer; the reverse-scored ones are answered the other way round.
DIFFICULTY = [3, 8, 13, 16, 24, 5, 7, 12, 18, 22, 2, 10, 15, 21, 25, 6, 11, 14, 19, 23]
REVERSED = {7, 11, 14, 21, 25}
PROSOCIAL = [1, 4, 9, 17, 20]
DAY = dt.date(2026, 6, 15)


def sdq() -> Questionnaire:
    return Questionnaire.objects.get(code="SDQ", school__isnull=True)


def answers_for(total: int, prosocial: int = 2) -> dict[int, int]:
    """SDQ answers whose total difficulties score is `total` (points spread two at a time)."""
    scored = dict.fromkeys(range(1, 26), 0)
    for n in PROSOCIAL:
        scored[n] = prosocial
    left = total
    for n in DIFFICULTY:
        scored[n] = min(2, left)
        left -= scored[n]
    assert left == 0
    return {n: 2 - s if n in REVERSED else s for n, s in scored.items()}


def record(world, answers, respondent="teacher", actor=None, person=None, questionnaire=None):
    return services.record_response(
        actor=actor or world.teacher1,
        questionnaire=questionnaire or sdq(),
        person=person or world.student1,
        respondent=respondent,
        answers=answers,
        answered_on=DAY,
    )
