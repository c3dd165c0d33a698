"""The attendance codes every school starts with (DOMAIN.md); schools may add their own rows."""

from typing import Any

DEFAULT_CODES = [
    # code, label_th, label_en, short_th, kind, attended, order
    ("absent", "ขาด", "Absent", "ข", "absent", False, 1),
    ("sick", "ลาป่วย", "Sick leave", "ป", "leave", False, 2),
    ("personal", "ลากิจ", "Personal leave", "ก", "leave", False, 3),
    ("late", "มาสาย", "Late", "ส", "late", True, 4),
]


def seed(apps: Any, schema_editor: Any = None) -> None:
    code_model = apps.get_model("attendance", "AttendanceCode")
    for code, label_th, label_en, short_th, kind, attended, order in DEFAULT_CODES:
        code_model.objects.update_or_create(
            code=code,
            defaults={
                "label_th": label_th,
                "label_en": label_en,
                "short_th": short_th,
                "kind": kind,
                "attended": attended,
                "order": order,
            },
        )
