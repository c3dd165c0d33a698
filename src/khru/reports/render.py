"""One renderer per format. Rows stream from the report's generators straight into the file.

CSV: UTF-8 with a BOM so Excel reads Thai. XLSX: xlsxwriter in constant-memory mode, numbers as numbers,
dates as dd/mm/BBBB text in the Buddhist Era (as the CSV, and as the receiving systems take them), Thai
headers. PDF: Typst with the Sarabun font; every page carries the school, the issue
date in BE, the verification code and the address to check it.
"""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import xlsxwriter

from khru.core import csvfile
from khru.core.dates import format_be
from khru.core.pdf import render_pdf
from khru.reports.catalog import Column, Kind, Params, Report

TEMPLATES = Path(__file__).resolve().parent / "typst"


def is_bundle(report: Report, params: Params, fmt: str) -> bool:
    """Per-student forms for more than one class: one PDF per class, in a ZIP file."""
    return fmt == "pdf" and report.documents is not None and params.classroom is None


def extension(report: Report, params: Params, fmt: str) -> str:
    return "zip" if is_bundle(report, params, fmt) else fmt


TYPES = {
    "zip": "application/zip",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def subtitle(report: Report, params: Params) -> str:
    parts = []
    if params.classroom is not None:
        parts.append(f"ชั้น {params.classroom}")
    if params.term is not None and report.per_term:
        parts.append(f"ภาคเรียนที่ {params.term.number}/{params.year.year_be}")
    else:
        parts.append(f"ปีการศึกษา {params.year.year_be}")
    if report.code in ("dmc",):
        parts.append(f"ข้อมูล ณ วันที่ {format_be(params.on, style='long')}")
    if report.code.endswith("monthly"):
        parts.append(f"ประจำเดือน {format_be(params.on, style='long').split(' ', 1)[1]}")
    return " · ".join(parts)


def unit_name(params: Params) -> str:
    if params.school is not None:
        return params.school.name_th
    return params.area.name_th if params.area is not None else ""


def _plain(value: Any, column: Column) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value) if column.kind == Kind.DECIMAL else str(value)
    if isinstance(value, dt.date):
        return format_be(value, style="numeric")
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_be(value, style="numeric")
    return str(value)


def _csv_value(value: Any) -> Any:
    """Numbers stay numbers (so -2 is not taken for a formula); dates in BE; text as text."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return _text(value)


def note(report: Report, params: Params) -> str:
    return report.note(params) if report.note is not None else ""


def write_csv(report: Report, params: Params, out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csvfile.SafeWriter(text)
    if line := note(report, params):
        writer.writerow([line])
    for number, section in enumerate(report.sections):
        if len(report.sections) > 1:
            if number:
                writer.writerow([])
            writer.writerow([section.th])
        writer.writerow([column.th for column in section.columns])
        for row in section.rows(params):
            writer.writerow([_csv_value(value) for value in row])
    text.flush()
    text.detach()


def write_xlsx(report: Report, params: Params, out: IO[bytes]) -> None:
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    decimal_format = book.add_format({"num_format": "0.00"})
    for section in report.sections:
        sheet = book.add_worksheet(section.th[:31])
        for c, column in enumerate(section.columns):
            sheet.write_string(0, c, column.th, bold)
        for c, column in enumerate(section.columns):
            sheet.set_column(c, c, 24 if column.kind == Kind.TEXT else 12)
        for r, row in enumerate(section.rows(params), start=1):
            for c, (column, value) in enumerate(zip(section.columns, row, strict=True)):
                if value is None:
                    continue
                if column.kind == Kind.INT:
                    sheet.write_number(r, c, int(value)) if isinstance(
                        value, int | Decimal | float
                    ) else sheet.write_string(r, c, str(value))
                elif column.kind == Kind.DECIMAL:
                    if isinstance(value, int | Decimal | float):
                        sheet.write_number(r, c, float(value), decimal_format)
                    else:
                        sheet.write_string(r, c, str(value))
                else:
                    sheet.write_string(r, c, _text(value))
    if line := note(report, params):
        # On a sheet of its own, so every data sheet keeps its header on row 1.
        book.add_worksheet("หมายเหตุ").write_string(0, 0, line)
    book.close()


def _table(
    section_th: str, columns: list[Column] | tuple[Column, ...], rows: Any, keys: tuple[str, ...] = ()
) -> dict[str, Any]:
    shown = [i for i, column in enumerate(columns) if not keys or column.key in keys]
    return {
        "title": section_th,
        "headers": [columns[i].th for i in shown],
        "numeric": [columns[i].numeric for i in shown],
        "rows": [[_text(row[i]) if row[i] is not None else None for i in shown] for row in rows],
    }


def pdf_data(
    report: Report, params: Params, *, code: str, issued_on: dt.date, verify_url: str
) -> dict[str, Any]:
    header = {
        "title": f"{report.form_th} {report.th}".strip(),
        "name": report.th,
        "school": unit_name(params),
        "subtitle": subtitle(report, params),
        "note": note(report, params),
        "issued": format_be(issued_on, style="long"),
        "code": code,
        "verify_url": verify_url,
    }
    if report.documents is not None:
        return {
            "header": header,
            "form": report.form_th,
            "documents": list(report.documents(params)),
            "signatures": list(report.signatures),
        }
    return {
        "header": header,
        "landscape": report.landscape,
        "sections": [
            _table(section.th, section.columns, section.rows(params), section.pdf_keys)
            for section in report.sections
        ],
    }


def write_pdf(
    report: Report, params: Params, out: IO[bytes], *, code: str, issued_on: dt.date, verify_url: str
) -> None:
    template = TEMPLATES / ("form.typ" if report.documents is not None else "table.typ")
    out.write(
        render_pdf(
            template, data=pdf_data(report, params, code=code, issued_on=issued_on, verify_url=verify_url)
        )
    )


def table(title: str, columns: list[Column] | tuple[Column, ...], rows: Any) -> dict[str, Any]:
    """A table inside a per-student form (used by the domains' document generators)."""
    return _table(title, columns, rows)
