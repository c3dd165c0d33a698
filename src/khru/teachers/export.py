"""The record book as one PDF (Typst, Sarabun): Thai names and Buddhist Era dates."""

from pathlib import Path
from typing import Any

from django.utils import timezone

from khru.core.dates import format_be
from khru.core.pdf import render_pdf
from khru.teachers.selectors import RecordBook

TEMPLATE = Path(__file__).resolve().parent / "typst" / "record.typ"


def record_data(book: RecordBook) -> dict[str, Any]:
    person = book.person
    current = next((p for p in reversed(book.posts) if p.ends_on is None), None)
    check = book.check
    return {
        "printed": f"พิมพ์เมื่อ {format_be(timezone.localdate(), style='long')} · Khru",
        "name": person.full_name,
        "name_en": person.full_name_en,
        "citizen_id": person.citizen_id or "-",
        "birth_date": format_be(person.birth_date, style="long") if person.birth_date else "-",
        "current_post": f"{current.get_position_display()} {current.school.name_th}" if current else "-",
        "standing": (
            f"{book.standing.get_standing_display()} (ตั้งแต่ {format_be(book.standing.since)})"
            if book.standing
            else "-"
        ),
        "appointments": [
            [
                a.get_position_display(),
                a.place,
                format_be(a.started_on),
                format_be(a.ended_on) or "ปัจจุบัน",
                a.order_ref,
            ]
            for a in book.appointments
        ],
        "standings": [[s.get_standing_display(), format_be(s.since), s.order_ref] for s in book.standings],
        "courses": [
            [load.label, f"{c.code} {c.name_th}", str(c.classroom), str(c.hours)]
            for load in book.teaching
            for c in load.courses
        ],
        "loads": [[load.label, str(load.hours), str(load.per_week)] for load in book.teaching],
        "activities": [
            [a.title, a.get_kind_display(), a.provider, format_be(a.ended_on), str(a.hours)]
            for a in book.activities
        ],
        "hours": [[str(year), str(total)] for year, total in book.hours_by_fiscal_year],
        "agreements": [
            [
                str(pa.fiscal_year_be),
                format_be(pa.agreed_on),
                ", ".join(f"{s.assessor} {s.score:g}%" for s in pa.assessments.all()) or "ยังไม่ประเมิน",
            ]
            for pa in book.agreements
        ],
        "check_title": (
            f"ขอเลื่อนเป็น{check.to_label}: " + ("มีคุณสมบัติครบ" if check.met else "ยังขาดคุณสมบัติ")
            if check.to_label
            else "-"
        ),
        "check": [[c.met, c.th] for c in check.conditions],
        "awards": [
            [a.title, a.given_by, a.get_level_display(), format_be(a.awarded_on)] for a in book.awards
        ],
    }


def record_pdf(book: RecordBook) -> bytes:
    return render_pdf(TEMPLATE, data=record_data(book))
