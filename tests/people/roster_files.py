"""Roster files as schools send them (DMC-like Thai headers), for tests and the import benchmark."""

import csv
import io

import xlsxwriter

from khru.core.identity import citizen_id_check_digit

HEADER = [
    "เลขประจำตัวนักเรียน", "เลขประจำตัวประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล", "วันเกิด", "เพศ", "ชั้น", "ห้อง",
    "บ้านเลขที่", "รหัสตำบล", "รหัสไปรษณีย์", "ชื่อบิดา", "นามสกุลบิดา", "ชื่อมารดา", "นามสกุลมารดา",
    "เลขประจำตัวประชาชนผู้ปกครอง", "ชื่อผู้ปกครอง", "นามสกุลผู้ปกครอง", "ความสัมพันธ์กับผู้ปกครอง",
]  # fmt: skip
GRADES = ["ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6"]


def student_id(n: int) -> str:
    first = f"1{83_000_000_000 + n:011d}"
    return first + citizen_id_check_digit(first)


def guardian_id(n: int) -> str:
    first = f"3{83_000_000_000 + n:011d}"
    return first + citizen_id_check_digit(first)


def rows(count: int, start: int = 1) -> list[list[str]]:
    out = []
    for n in range(start, start + count):
        grade_index = n % len(GRADES)
        girl = n % 2 == 0
        out.append([
            f"{n:05d}", student_id(n), "เด็กหญิง" if girl else "เด็กชาย", f"นักเรียน{n}", f"สกุลทดสอบ{n % 97}",
            f"{(n % 28) + 1:02d}/{(n % 12) + 1:02d}/{2562 - grade_index}", "หญิง" if girl else "ชาย",
            GRADES[grade_index], str(n % 3 + 1), f"{n}/1 ถ.ทดสอบ", "830101", "83000",
            f"บิดา{n}", f"สกุลทดสอบ{n % 97}", f"มารดา{n}", f"สกุลทดสอบ{n % 97}",
            guardian_id(n), f"ผู้ปกครอง{n}", f"สกุลทดสอบ{n % 97}", "ยาย",
        ])  # fmt: skip
    return out


def as_csv(table: list[list[str]], encoding: str = "utf-8-sig", header: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header or HEADER, *table])
    return buffer.getvalue().encode(encoding)


def as_xlsx(table: list[list[str]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("นักเรียน")
    for r, row in enumerate([HEADER, *table]):
        for c, value in enumerate(row):
            # Citizen IDs often arrive as numbers from Excel; the importer must read them back as text.
            if r and c == 1 and value.isdigit():
                sheet.write_number(r, c, int(value))
            else:
                sheet.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()
