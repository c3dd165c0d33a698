"""The growth reference per agency: WHO unless the agency loads the Department of Health 2021 tables from a
CSV (here a SYNTHETIC table made for these tests, tests/health/data/synthetic_doh2021.csv, with round numbers
so that every band below is computed by hand), weight-for-age bands, สูงดีสมส่วน, and the reference named
on the pages and the nutrition report."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from khru.core.errors import KhruError
from khru.health import services
from khru.health.growth import (
    WHO,
    CutOffReference,
    HeightBand,
    ReferenceName,
    ShapeBand,
    WeightBand,
    assess,
)
from khru.health.models import GrowthReferenceChoice, GrowthReferenceRow, Measurement
from khru.health.references import cut_off_reference, parse_cut_off_csv, reference_for
from khru.reports import selectors as report_selectors
from khru.reports import services as report_services
from tests import factories as f
from tests.pdftext import pdf_text

SYNTHETIC = Path(__file__).resolve().parent / "data" / "synthetic_doh2021.csv"
DAY = dt.date(2026, 6, 15)  # term 1 of 2569
BORN = dt.date(2018, 6, 15)  # 2922 days = exactly 96 months on DAY: halfway between the 72 and 120 rows


def synthetic() -> CutOffReference:
    return cut_off_reference(
        [(row.indicator, row.sex, row.key, row.values) for row in parse_cut_off_csv(SYNTHETIC.read_text())]
    )


def assess_on(reference, *, weight, height, sex="F", born=BORN, day=DAY):
    return assess(
        sex=sex, birth_date=born, measured_on=day, weight_kg=weight, height_cm=height, reference=reference
    )


def load(world):
    call_command("load_growth_reference", "--agency", world.school1.area.agency.code, str(SYNTHETIC))


# --- the bands, by hand -------------------------------------------------------------------------------


def test_cut_off_bands_and_tall_proportionate_by_hand():
    doh = synthetic()
    # At 96 months the height cut-offs are 110, 113.5, 121, 128.5, 132 (halfway between 72 and 120 months);
    # weight-for-age 20, 21.5, 25.5, 31, 33.5; weight-for-height at 121 cm (0.42 of 100→150 cm)
    # 19.56, 20.98, 24.66, 29.76, 32.02, 35.7.
    a = assess_on(doh, weight=25.0, height=121.0)
    assert a.reference is ReferenceName.DOH_2021
    assert a.height_for_age_z == 0.0 and a.height_band is HeightBand.NORMAL
    assert a.weight_for_height_z == 0.1  # (25 − 24.66) / (29.76 − 24.66) × 1.5
    assert a.shape_band is ShapeBand.PROPORTIONATE and a.weight_band is WeightBand.NORMAL
    assert a.tall_proportionate is True
    assert a.bmi_for_age_z is None  # the Thai reference judges shape by weight-for-height
    # 113 cm: −2 + (113 − 110) / 3.5 × 0.5 = −1.57, ค่อนข้างเตี้ย; proportionate, but not tall enough.
    b = assess_on(doh, weight=25.0, height=113.0)
    assert b.height_for_age_z == -1.57 and b.height_band is HeightBand.RATHER_SHORT
    assert b.shape_band is ShapeBand.PROPORTIONATE and b.tall_proportionate is False
    # 31 kg at 121 cm: 1.5 + (31 − 29.76) / 2.26 × 0.5 = 1.77, ท้วม; 31 kg is exactly +1.5 SD for age.
    c = assess_on(doh, weight=31.0, height=121.0)
    assert c.weight_for_height_z == 1.77 and c.shape_band is ShapeBand.PLUMP
    assert c.weight_for_age_z == 1.5 and c.weight_band is WeightBand.NORMAL
    assert c.tall_proportionate is False
    # Beyond the published points the end segments go on: 20 kg − 1 kg below −2 SD (33.5 → 20 → 21.5).
    light = assess_on(doh, weight=19.0, height=121.0)
    assert light.weight_for_age_z == round(-2 - 1 / 1.5 * 0.5, 2) and light.weight_band is WeightBand.LOW


def test_the_reference_changes_a_childs_bands():
    who, doh = (assess_on(ref, weight=31.0, height=121.0) for ref in (WHO, synthetic()))
    assert who.reference is ReferenceName.WHO and who.shape_indicator.value == "bmi_for_age"
    assert doh.shape_band is ShapeBand.PLUMP and who.shape_band is not ShapeBand.PLUMP


def test_younger_children_are_assessed_with_who_and_the_ends_take_the_nearest_month():
    doh = synthetic()
    five = assess_on(doh, weight=18.0, height=108.0, born=DAY - dt.timedelta(days=1850))  # 60.8 months
    assert five.reference is ReferenceName.WHO and five.bmi_for_age_z is not None
    rounds_up = assess_on(doh, weight=18.0, height=108.0, born=DAY - dt.timedelta(days=2183))  # 71.7
    assert rounds_up.reference is ReferenceName.DOH_2021 and rounds_up.height_band is not None
    at_228_3 = assess_on(doh, weight=55.0, height=165.0, born=DAY - dt.timedelta(days=round(228.3 * 30.4375)))
    assert at_228_3.height_for_age_z == 0.0 and at_228_3.shape_band is not None
    at_228_6 = assess_on(doh, weight=55.0, height=165.0, born=DAY - dt.timedelta(days=round(228.6 * 30.4375)))
    assert at_228_6.height_for_age_z is None and at_228_6.shape_band is None


# --- the loader -----------------------------------------------------------------------------------------


def test_the_command_loads_the_tables_and_switches_only_that_agency(world):
    assert reference_for(school_id=world.school1.pk) is WHO
    load(world)
    choice = GrowthReferenceChoice.objects.get(agency=world.school1.area.agency)
    assert choice.reference == "doh2021" and choice.source_name == SYNTHETIC.name
    assert GrowthReferenceRow.objects.filter(choice=choice).count() == 18
    assert reference_for(school_id=world.school1.pk).name is ReferenceName.DOH_2021
    assert reference_for(school_id=world.school2.pk) is WHO  # another agency
    call_command("load_growth_reference", "--agency", world.school1.area.agency.code, "--who")
    assert reference_for(school_id=world.school1.pk) is WHO


def test_a_bad_file_is_refused_whole_naming_the_row_and_column(world, tmp_path):
    load(world)
    lines = SYNTHETIC.read_text().splitlines()
    lines[6] = "weight_for_age,F,72,16,17,x,24,26,"  # line 7: the median is not a number
    lines[8] = "weight_for_age,F,228,45,48,55,50,70,"  # line 9: +1.5 SD below the median
    lines[16] = lines[16].rsplit(",", 1)[0] + ","  # line 17: weight-for-height without +3 SD
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("load_growth_reference", "--agency", world.school1.area.agency.code, str(bad))
    message = str(refused.value)
    assert "แถว 7 ช่อง median: ต้องเป็นตัวเลข (ได้ 'x')" in message
    assert "แถว 9 ช่อง sd_plus_1_5: ต้องมากกว่าค่าใน median (50 ≤ 55)" in message
    assert "แถว 17 ช่อง sd_plus_3" in message
    # Nothing of the bad file was stored: the synthetic table loaded before is still there, whole.
    assert GrowthReferenceRow.objects.count() == 18
    assert not GrowthReferenceRow.objects.filter(median=Decimal("55"), sd_plus_1_5=Decimal("50")).exists()


def test_missing_columns_and_repeated_rows_are_named():
    with pytest.raises(KhruError) as no_column:
        parse_cut_off_csv("indicator,sex,key,median\nweight_for_age,M,72,20\n")
    assert {(p.row, p.field) for p in no_column.value.problems} >= {(1, "sd_minus_2"), (1, "sd_plus_3")}
    text = SYNTHETIC.read_text() + "height_for_age,M,120,120,124,132,140,144,\n"
    with pytest.raises(KhruError) as repeated:
        parse_cut_off_csv(text)
    (problem,) = repeated.value.problems
    assert problem.row == 22 and problem.field == "key" and "ซ้ำกับแถว 11" in problem.th


# --- in the product -------------------------------------------------------------------------------------


def three_girls(world):
    return [
        f.EnrolmentFactory(classroom=world.class1, person__sex="F", person__birth_date=BORN).person
        for _ in range(3)
    ]


def test_a_saved_measurement_uses_and_names_the_agencys_reference(world):
    girl, *_ = three_girls(world)
    services.record_measurements(
        actor=world.teacher1, classroom=world.class1, measured_on=DAY, rows={girl.pk: ("31", "121")}
    )
    load(world)
    later = DAY + dt.timedelta(days=1)
    services.record_measurements(
        actor=world.teacher1, classroom=world.class1, measured_on=later, rows={girl.pk: ("31", "121")}
    )
    before, after = Measurement.objects.filter(person=girl).order_by("measured_on")
    assert before.growth_reference == "who" and before.shape_band != "plump"
    assert after.growth_reference == "doh2021" and after.shape_band == "plump"
    assert after.weight_for_height_z == Decimal("1.77") and after.bmi_for_age_z is None
    assert after.weight_band == "normal" and after.tall_proportionate is False

    client = Client()
    client.force_login(world.teacher1)
    page = client.get(reverse("health:growth", args=[girl.uuid])).content.decode()
    assert "เกณฑ์อ้างอิง: WHO 2006/2007, กรมอนามัย 2564" in page  # each row keeps its own reference
    assert "สูงดีสมส่วน" in page and "น้ำหนักตามเกณฑ์" in page
    measure = client.get(reverse("health:measure", args=[world.class1.uuid]) + f"?date={later}")
    assert "เกณฑ์อ้างอิง: กรมอนามัย 2564" in measure.content.decode()
    api = client.get(f"/api/v1/health/students/{girl.uuid}/measurements").json()
    assert [(m["growth_reference"], m["shape_band"], m["tall_proportionate"]) for m in api][1] == (
        "doh2021",
        "plump",
        False,
    )


def _nutrition(world, fmt):
    report, params = report_selectors.params_for(
        actor=world.principal1, code="nutrition", school_code=world.school1.code
    )
    out = io.BytesIO()
    report_services.generate(actor=world.principal1, report=report, params=params, fmt=fmt, out=out)
    return out.getvalue()


def test_the_nutrition_report_names_the_reference_and_counts_tall_proportionate(world):
    assert "เกณฑ์อ้างอิง: WHO 2006/2007" in pdf_text(_nutrition(world, "pdf"))  # nobody measured yet
    load(world)
    a, b, c = three_girls(world)
    services.record_measurements(
        actor=world.teacher1,
        classroom=world.class1,
        measured_on=DAY,
        rows={a.pk: ("25", "121"), b.pk: ("25", "113"), c.pk: ("31", "121")},
    )
    assert "เกณฑ์อ้างอิง: กรมอนามัย 2564" in pdf_text(_nutrition(world, "pdf"))
    csv_text = _nutrition(world, "csv").decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "เกณฑ์อ้างอิง: กรมอนามัย 2564"
    book = openpyxl.load_workbook(io.BytesIO(_nutrition(world, "xlsx")))
    assert book["หมายเหตุ"]["A1"].value == "เกณฑ์อ้างอิง: กรมอนามัย 2564"
    counts = book["จำนวนนักเรียนตามภาวะโภชนาการ"]
    headers = [cell.value for cell in counts[1]]
    girls = next(
        dict(zip(headers, [cell.value for cell in row], strict=True))
        for row in counts.iter_rows(min_row=2)
        if row[1].value == "หญิง"
    )
    assert girls["ชั่ง/วัดแล้ว"] == 3 and girls["รูปร่างสมส่วน"] == 2 and girls["รูปร่างท้วม"] == 1
    assert girls["ค่อนข้างเตี้ย"] == 1 and girls["น้ำหนักตามเกณฑ์"] == 3
    assert girls["สูงดีสมส่วน"] == 1 and girls["ร้อยละสูงดีสมส่วน"] == pytest.approx(33.3)


def test_measurements_saved_before_get_weight_bands_and_tall_proportionate_from_their_stored_values(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("khru.health.migrations.0002_growth_reference_per_agency")
    services.record_measurements(
        actor=world.teacher1, classroom=world.class1, measured_on=DAY, rows={world.student1.pk: ("32", "138")}
    )
    saved = Measurement.objects.get()
    expected = (saved.weight_band, saved.tall_proportionate)
    assert expected == ("normal", True)
    Measurement.objects.update(weight_band="", tall_proportionate=None)  # as the rows were before 0002
    migration.derive_new_bands(apps, None)
    saved.refresh_from_db()
    assert (saved.weight_band, saved.tall_proportionate) == expected
