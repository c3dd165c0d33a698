"""Upload limits: an oversized roster, a zip bomb or too many rows is refused before parsing, in Thai and
English naming the limit, and nothing of a refused file is kept."""

import io
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from khru.core import files
from khru.core.errors import KhruError
from khru.people import roster
from khru.people.models import Person, RosterImport
from tests.people import roster_files


def upload(world, name: str, content: bytes) -> str:
    client = Client()
    client.force_login(world.admin1)
    page = client.post(
        reverse("people:import", args=[world.school1.code]), {"file": SimpleUploadedFile(name, content)}
    )
    assert page.status_code == 400
    return page.content.decode()


def refusal(world, content: bytes) -> KhruError:
    with pytest.raises(KhruError) as refused:
        roster.preview_roster(actor=world.admin1, school=world.school1, file_name="r", content=content)
    return refused.value


def test_a_csv_over_10_mb_is_refused_on_the_page_and_not_kept(world):
    head = roster_files.as_csv(roster_files.rows(3))
    content = head + b"," * (files.TABLE_MAX_BYTES + 1 - len(head))
    page = upload(world, "big.csv", content)
    assert "ไฟล์ใหญ่เกิน 10 MB" in page and "the file is larger than 10 MB" not in page  # the limit, in Thai
    assert not RosterImport.objects.exists() and Person.objects.count() == 2  # the world's two children


def test_an_xlsx_that_unpacks_too_big_is_refused_before_parsing(world):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"<row>" + b" " * (1024 * 1024 - 5)
            for _ in range(files.XLSX_MAX_UNPACKED_BYTES // len(block) + 1):
                sheet.write(block)
    assert len(bomb.getvalue()) < files.TABLE_MAX_BYTES  # small on the wire
    error = refusal(world, bomb.getvalue())
    assert [(p.field, p.en) for p in error.problems] == [
        ("file", "the Excel file unpacks to more than 100 MB")
    ]
    assert "ใหญ่เกิน 100 MB" in error.problems[0].th
    assert "ใหญ่เกิน 100 MB" in upload(world, "bomb.xlsx", bomb.getvalue())
    assert not RosterImport.objects.exists()


def test_an_xlsx_of_too_many_rows_is_refused_before_parsing(world):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    for r in range(roster.MAX_ROWS + 2):  # the header and one row too many
        sheet.write_string(r, 0, "x")
    book.close()
    error = refusal(world, buffer.getvalue())
    assert [p.en for p in error.problems] == ["more than 20,000 rows"]
    # One row fewer is read (and then checked row by row as usual).
    assert roster.read_table(buffer.getvalue(), roster.MAX_ROWS + 1)[0] == ["x"]


def test_a_csv_of_too_many_rows_is_refused(world):
    content = roster_files.as_csv(roster_files.rows(3)) + b"x,y\n" * roster.MAX_ROWS
    assert [p.en for p in refusal(world, content).problems] == ["more than 20,000 rows"]


def test_a_rejected_roster_keeps_its_problems_but_not_the_file(world):
    table = roster_files.rows(3)
    table[1][5] = "31/02/2560"
    job = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=roster_files.as_csv(table)
    )
    assert job.status == RosterImport.Status.REJECTED and job.problems[0]["row"] == 3
    assert bytes(RosterImport.objects.get(pk=job.pk).content) == b""
    accepted = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=roster_files.as_csv(table[:1])
    )
    assert bytes(RosterImport.objects.get(pk=accepted.pk).content) == roster_files.as_csv(table[:1])


def test_a_tis620_csv_still_reads_as_a_stream(world):
    content = roster_files.as_csv(roster_files.rows(40), encoding="cp874")
    job = roster.preview_roster(actor=world.admin1, school=world.school1, file_name="r.csv", content=content)
    assert job.status == RosterImport.Status.PREVIEWED and job.summary["new_people"] == 40


def test_a_damaged_csv_names_the_line(world):
    content = roster_files.as_csv(roster_files.rows(2)) + b'"' + b"x" * 200_000 + b'"\n'
    [problem] = refusal(world, content).problems
    assert problem.field == "file" and problem.row == 4 and "cannot read the CSV file" in problem.en


def test_applying_in_batches_is_still_one_import(world, monkeypatch):
    """Apply writes a batch at a time (bounded memory); siblings in different batches share one guardian."""
    from khru.people.models import Guardianship

    monkeypatch.setattr(roster, "APPLY_BATCH", 10)
    table = roster_files.rows(30)
    table[25][16:19] = table[3][16:19]  # same guardian (ID and name) for row 4 and row 26
    content = roster_files.as_csv(table)
    job = roster.preview_roster(actor=world.admin1, school=world.school1, file_name="r.csv", content=content)
    roster.apply_roster(actor=world.admin1, job=job)
    shared = Person.objects.get(citizen_id=table[3][16])
    assert Guardianship.objects.filter(guardian=shared).count() == 2
    assert Person.objects.filter(citizen_id__in=[row[1] for row in table]).count() == 30
    again = roster.preview_roster(
        actor=world.admin1, school=world.school1, file_name="r.csv", content=content
    )
    assert again.summary["new_people"] == 0
