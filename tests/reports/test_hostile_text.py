"""Exports: a hostile name is text in every CSV and XLSX Khru produces, never a formula."""

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from khru.attendance import services as attendance
from khru.earlywarning import selectors as earlywarning
from khru.insights.views import _figure_response
from khru.org.models import Area
from khru.people.models import Person
from khru.reports import catalog, selectors, services
from tests.core.test_csvfile import HOSTILE, assert_no_formula, csv_cells

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 15)  # a Monday in the world fixture's term 1 of 2569


def _report(actor, code: str, fmt: str, **where: str) -> bytes:
    report, params = selectors.params_for(actor=actor, code=code, **where)
    out = io.BytesIO()
    services.generate(actor=actor, report=report, params=params, fmt=fmt, out=out)
    return out.getvalue()


def test_a_hostile_name_is_text_in_every_report_csv_and_xlsx(world, graded):
    Person.objects.filter(pk=world.student1.pk).update(first_name_th=HOSTILE, last_name_th="+1+1")
    named = set()
    for report in catalog.load().values():
        if report.level == catalog.Level.AREA:
            actor, where = world.officer, {"area_code": world.school1.area.code}
        else:
            actor, where = world.principal1, {"school_code": world.school1.code}
        cells = csv_cells(_report(actor, report.code, "csv", **where))
        assert_no_formula(cells)
        if "'" + HOSTILE in cells:
            named.add(report.code)
        if any("HYPERLINK" in cell for cell in cells):
            named.add(f"{report.code} (in a cell)")
        book = openpyxl.load_workbook(io.BytesIO(_report(actor, report.code, "xlsx", **where)))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (report.code, cell.coordinate, cell.value)
                    if cell.value == HOSTILE:
                        named.add(f"{report.code}.xlsx")
    # The name really is in the census alone in its cell (as text), and in the class lists beside the prefix.
    assert {"dmc", "dmc.xlsx", "pp1 (in a cell)", "pp5 (in a cell)", "pp6 (in a cell)"} <= named, named


def test_a_hostile_name_is_text_in_the_class_chart_csv(world):
    Person.objects.filter(pk=world.student1.pk).update(first_name_th=HOSTILE)
    for day in (DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)):
        attendance.record_register(
            actor=world.teacher1, classroom=world.class1, date=day, marks={world.student1.pk: "absent"}
        )
    board = earlywarning.class_dashboard(
        actor=world.teacher1, classroom=world.class1, today=DAY + dt.timedelta(3)
    )
    cells = csv_cells(_figure_response(board.figures["missed"], "csv").content)
    assert cells == ["student", "missed_this_month", "missed_last_month", "'" + HOSTILE, "3", "0"]


def test_a_hostile_area_name_is_text_in_the_analysis_csv(world, django_capture_on_commit_callbacks):
    Area.objects.filter(pk=world.school1.area_id).update(name_th=HOSTILE)
    with django_capture_on_commit_callbacks(execute=True):  # the school's roll-up is queued after commit
        attendance.record_register(
            actor=world.teacher1, classroom=world.class1, date=DAY, marks={world.student1.pk: "absent"}
        )
    admin = Client()
    admin.force_login(world.sysadmin)
    table = admin.get(
        reverse("insights:analysis_figure", args=["csv"]) + "?measure=absence&by=area&year=2569"
    )
    cells = csv_cells(table.content)
    assert_no_formula(cells)
    assert "'" + HOSTILE in cells
