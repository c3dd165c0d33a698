"""The one shape of every API refusal: a short code and each problem in Thai and English."""

from collections.abc import Iterable
from typing import Any

from ninja import Schema

from khru.core.errors import Problem


class ProblemItemOut(Schema):
    field: str
    row: int | None
    th: str
    en: str


class ProblemOut(Schema):
    """Every refusal: a short code in `detail` and each problem in Thai and English, naming field and row."""

    detail: str
    problems: list[ProblemItemOut]


def problem_body(detail: str, problems: Iterable[Problem]) -> dict[str, Any]:
    return {
        "detail": detail,
        "problems": [{"field": p.field, "row": p.row, "th": p.th, "en": p.en} for p in problems],
    }
