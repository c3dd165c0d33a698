"""Small helpers the domains' report declarations share: chunks, names, values."""

from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from khru.core.dates import format_be
from khru.org.grades import label
from khru.reports.catalog import Column, Kind

T = TypeVar("T")
CHUNK = 500


def chunks(rows: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def col(key: str, th: str, en: str, kind: Kind = Kind.TEXT, *reads: str, typed: bool = False) -> Column:
    return Column(key=key, th=th, en=en, kind=kind, reads=tuple(reads), typed=typed)


def full_name(row: dict[str, Any], prefix: str = "person__") -> str:
    return f"{row[prefix + 'prefix']}{row[prefix + 'first_name_th']} {row[prefix + 'last_name_th']}"


def class_name(row: dict[str, Any]) -> str:
    return (
        f"{label(row['grade'])}/{row['classroom__room']}"
        if row.get("classroom__room")
        else label(row["grade"])
    )


def grade_value(grade: str) -> Decimal | str:
    """A numeric grade as a number (so spreadsheets can average it), ร / มส / ผ / มผ as text."""
    try:
        return Decimal(grade)
    except ArithmeticError:
        return grade


def be(value: Any, style: str = "numeric") -> str:
    return format_be(value, style=style)


SEX_TH = {"M": "ชาย", "F": "หญิง"}

NAME = ("people.person.prefix", "people.person.first_name_th", "people.person.last_name_th")
