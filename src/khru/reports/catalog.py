"""The report catalog: each report declared once (data from selectors, layout from a Typst template).

A declaration names its purpose, recipients, due dates, the level it works at, the permission it needs,
and its sections: tables of columns, each column computed from captured fields or typed for the report.
Per-student forms (ปพ.1, ปพ.6, ปพ.8) add `documents`, one dict per student for the form template. Row and
document generators stream plain values built from `.values()` reads, one class or chunk at a time.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.module_loading import import_string

from khru.org.models import AcademicYear, Area, Classroom, School, Term
from khru.org.roles import Perm
from khru.reports.fields import register_reader


class Level(StrEnum):
    CLASSROOM = "classroom"  # a class (or every class of a school)
    SCHOOL = "school"
    AREA = "area"  # a municipality or service area: schools side by side


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    key: str
    th: str
    en: str
    kind: Kind = Kind.TEXT
    reads: tuple[str, ...] = ()  # captured fields it is computed from
    typed: bool = False  # Khru does not hold it: someone types it for this report

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.INT, Kind.DECIMAL)


@dataclass
class Params:
    """One request: who asks, for which unit and period. `tick` reports progress (units done)."""

    actor: Any
    year: AcademicYear
    term: Term | None
    on: dt.date  # census date or a day of the month reported
    school: School | None = None
    classroom: Classroom | None = None
    area: Area | None = None
    progress: Callable[[int], None] | None = None

    def tick(self, n: int = 1) -> None:
        if self.progress is not None:
            self.progress(n)

    def as_json(self) -> dict[str, Any]:
        return {
            "school": self.school.code if self.school else None,
            "classroom": str(self.classroom.uuid) if self.classroom else None,
            "area": self.area.code if self.area else None,
            "year": self.year.year_be,
            "term": self.term.number if self.term else None,
            "on": self.on.isoformat(),
        }


Rows = Callable[[Params], Iterable[Sequence[Any]]]


@dataclass(frozen=True)
class Section:
    key: str
    th: str
    en: str
    columns: tuple[Column, ...]
    rows: Rows
    pdf_keys: tuple[str, ...] = ()  # a wide export shows only these columns on paper (all in XLSX/CSV)


@dataclass(frozen=True)
class Due:
    """When a report is due: fixed days of the year (month, day), a day of every month, or term ends."""

    th: str
    en: str
    days: tuple[tuple[int, int], ...] = ()
    monthly_day: int | None = None
    term_end: bool = False

    def next_after(self, today: dt.date, terms: Iterable[Term] = ()) -> dt.date | None:
        candidates: list[dt.date] = []
        for year in (today.year, today.year + 1):
            candidates += [dt.date(year, month, day) for month, day in self.days]
        if self.monthly_day:
            first_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            candidates += [today.replace(day=self.monthly_day), first_next.replace(day=self.monthly_day)]
        if self.term_end:
            candidates += [term.ends_on for term in terms]
        upcoming = [day for day in candidates if day >= today]
        return min(upcoming) if upcoming else None


@dataclass(frozen=True)
class Report:
    code: str
    th: str
    en: str
    purpose_th: str
    purpose_en: str
    recipients_th: str
    recipients_en: str
    level: Level
    perm: Perm
    due: Due
    sections: tuple[Section, ...]
    count: Callable[[Params], int]  # units (students, schools) for the progress bar
    documents: Callable[[Params], Iterator[dict[str, Any]]] | None = None  # per-student PDF forms
    form_th: str = ""  # the form's number on the PDF (ปพ.6)
    signatures: tuple[str, ...] = ("ผู้รายงาน", "ผู้อำนวยการสถานศึกษา")
    reads: tuple[str, ...] = ()  # fields the PDF form reads beyond its columns
    landscape: bool = False
    per_term: bool = True  # False: a record over the years (ปพ.1, ปพ.8), no term on the title
    area_ok: bool = False  # may also run for a whole area (the municipality's census)
    formats: tuple[str, ...] = ("pdf", "xlsx", "csv")
    # A line every format carries under the title, e.g. the growth reference that produced the bands.
    note: Callable[[Params], str] | None = None

    @property
    def columns(self) -> list[Column]:
        return [column for section in self.sections for column in section.columns]

    @property
    def fields_read(self) -> set[str]:
        return {f for column in self.columns for f in column.reads} | set(self.reads)

    @property
    def fields_read_sorted(self) -> list[str]:
        return sorted(self.fields_read)

    @property
    def typed_columns(self) -> list[Column]:
        return [column for column in self.columns if column.typed]

    @property
    def computed_columns(self) -> list[Column]:
        return [column for column in self.columns if not column.typed]

    @property
    def computed_percent(self) -> int:
        return round(self.computed_share * 100)

    @property
    def computed_share(self) -> float:
        columns = self.columns
        return (len(columns) - len(self.typed_columns)) / len(columns) if columns else 1.0


REPORTS: dict[str, Report] = {}

# The domain modules that declare reports ("reports.py: this domain's entries in the report catalog").
SOURCES = [
    "khru.assessment.reports",
    "khru.people.reports",
    "khru.health.reports",
    "khru.attendance.reports",
    "khru.reports.cct",
]


def register(report: Report) -> Report:
    REPORTS[report.code] = report
    register_reader("report", f"{report.code} {report.th}", report.fields_read)
    return report


_loaded = False


def load() -> dict[str, Report]:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in SOURCES:
            import_string(f"{module}.REPORTS")
    return REPORTS


def get(code: str) -> Report | None:
    return load().get(code)
