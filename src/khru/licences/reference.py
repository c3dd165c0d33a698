"""The licence types and teacher tiers of the Teachers Council regulation of 2022, seeded by a data migration.

Durations, the renewal window (days before expiry), the minimum development activities and the permit limit
are rows, so a new regulation changes data, not code. `seed` is idempotent (tests re-run it after a flush).
"""

from typing import Any

# code, Thai, English, number prefix, years, is permit, renewable, window days, min activities, max in a row
TYPES = [
    ("teacher", "ใบอนุญาตประกอบวิชาชีพครู", "Teacher licence", "T", 5, False, True, 180, 3, None),
    ("school_admin", "ใบอนุญาตประกอบวิชาชีพผู้บริหารสถานศึกษา", "School administrator licence", "S", 5, False, True, 180, 3, None),
    ("edu_admin", "ใบอนุญาตประกอบวิชาชีพผู้บริหารการศึกษา", "Education administrator licence", "E", 5, False, True, 180, 3, None),
    ("supervisor", "ใบอนุญาตประกอบวิชาชีพศึกษานิเทศก์", "Supervisor licence", "N", 5, False, True, 180, 3, None),
    ("permit", "หนังสืออนุญาตให้ประกอบวิชาชีพครูโดยไม่มีใบอนุญาต", "Temporary teaching permit", "W", 2, True, False, 0, 0, 3),
]  # fmt: skip

# licence type, code, Thai, English, years
TIERS = [
    ("teacher", "P", "ระดับใบอนุญาตชั่วคราว (P)", "Provisional (P)", 2),
    ("teacher", "B", "ระดับพื้นฐาน (B)", "Basic (B)", 5),
    ("teacher", "A", "ระดับสูง (A)", "Advanced (A)", 7),
]


def seed(apps: Any, schema_editor: Any = None) -> None:
    licence_type = apps.get_model("licences", "LicenceType")
    tier = apps.get_model("licences", "LicenceTier")
    types = {}
    for ordering, (code, th, en, prefix, years, permit, renewable, window, minimum, limit) in enumerate(
        TYPES
    ):
        types[code], _ = licence_type.objects.update_or_create(
            code=code,
            defaults={
                "name_th": th,
                "name_en": en,
                "number_prefix": prefix,
                "years": years,
                "is_permit": permit,
                "renewable": renewable,
                "renewal_window_days": window,
                "min_activities": minimum,
                "max_in_a_row": limit,
                "ordering": ordering,
            },
        )
    for ordering, (type_code, code, th, en, years) in enumerate(TIERS):
        tier.objects.update_or_create(
            licence_type=types[type_code],
            code=code,
            defaults={"name_th": th, "name_en": en, "years": years, "ordering": ordering},
        )
