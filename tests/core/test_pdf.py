from pathlib import Path

import khru.core
from khru.core.pdf import render_pdf
from tests.pdftext import pdf_text

SAMPLE = Path(khru.core.__file__).parent / "typst" / "sample.typ"


def test_thai_with_stacked_marks_is_copied_back_exactly():
    names = "นางสาวน้ำผึ้ง ใจดี เด็กหญิงปิ่นแก้ว ที่ตั้ง ครูประจำชั้น ญี่ปุ่น 25 พฤศจิกายน 2569"
    assert pdf_text(render_pdf(SAMPLE, data={"text": names})) == names
