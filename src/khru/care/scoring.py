"""Pure scoring: answers → subscale scores, total and bands, from a questionnaire's rows loaded once."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from khru.care.models import CutOff, Questionnaire


@dataclass(frozen=True)
class Form:
    """What scoring needs of a questionnaire, read in a fixed number of queries."""

    values: tuple[int, ...]  # the scale's allowed values
    reversed_items: frozenset[int]
    item_numbers: tuple[int, ...]
    subscales: dict[str, tuple[int, ...]]  # code → item numbers, in order
    in_total: tuple[str, ...]
    # (respondent or "", subscale code or "") → [(low, high, band)]
    cut_offs: dict[tuple[str, str], list[tuple[int, int, str]]] = field(default_factory=dict)

    def score(self, number: int, value: int) -> int:
        if number in self.reversed_items:
            return min(self.values) + max(self.values) - value
        return value

    def band(self, respondent: str, subscale: str, score: int) -> str:
        """The band of a score: rows for this respondent type win over rows for any respondent."""
        rows = self.cut_offs.get((respondent, subscale)) or self.cut_offs.get(("", subscale), [])
        return next((band for low, high, band in rows if low <= score <= high), "")


def load(questionnaire: Questionnaire) -> Form:
    items = list(questionnaire.items.order_by("number").values_list("number", "reverse_scored"))
    subscales: dict[str, list[int]] = {}
    in_total = []
    for subscale in questionnaire.subscales.prefetch_related("items").order_by("order"):
        subscales[subscale.code] = sorted(i.number for i in subscale.items.all())
        if subscale.in_total:
            in_total.append(subscale.code)
    cut_offs: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for row in CutOff.objects.filter(questionnaire=questionnaire).select_related("subscale"):
        key = (row.respondent, row.subscale.code if row.subscale else "")
        cut_offs.setdefault(key, []).append((row.low, row.high, row.band))
    return Form(
        values=tuple(questionnaire.options.values_list("value", flat=True)),
        reversed_items=frozenset(n for n, reverse in items if reverse),
        item_numbers=tuple(n for n, _ in items),
        subscales={code: tuple(numbers) for code, numbers in subscales.items()},
        in_total=tuple(in_total),
        cut_offs=cut_offs,
    )


@dataclass(frozen=True)
class Scores:
    total: int
    total_band: str
    subscales: dict[str, dict[str, int | str]]  # code → {"score": n, "band": b}


def compute(form: Form, respondent: str, answers: Mapping[int, int]) -> Scores:
    """Answers must be complete and valid (services check). Without subscales the total is every item."""
    scored = {n: form.score(n, answers[n]) for n in form.item_numbers}
    subscales: dict[str, dict[str, int | str]] = {}
    for code, numbers in form.subscales.items():
        score = sum(scored[n] for n in numbers)
        subscales[code] = {"score": score, "band": form.band(respondent, code, score)}
    if form.subscales:
        total = sum(int(subscales[code]["score"]) for code in form.in_total)
    else:
        total = sum(scored.values())
    return Scores(total=total, total_band=form.band(respondent, "", total), subscales=subscales)
