"""The PA rules of ก.ค.ศ. ว9/2564 as rows: loaded by a data migration, corrected as data, never in code."""

from typing import Any

# from standing, to standing, minimum years in the current standing, note
RULES = [
    ("none", "senior", 6, "ครูไม่มีวิทยฐานะ: 6 ปี (วุฒิปริญญาตรี; ปริญญาโท 4 ปี, ปริญญาเอก 2 ปี)"),
    ("senior", "special", 4, ""),
    ("special", "expert", 4, ""),
    ("expert", "high_expert", 4, ""),
]


def seed(apps: Any, schema_editor: Any = None) -> None:
    """Idempotent: an existing rule (perhaps corrected by an officer) is left as it is."""
    rule_model = apps.get_model("teachers", "PARule")
    for from_standing, to_standing, min_years, note in RULES:
        rule_model.objects.get_or_create(
            from_standing=from_standing,
            defaults={
                "to_standing": to_standing,
                "min_years": min_years,
                "rounds": 3,
                "min_score": 70,
                "discipline_years": 4,
                "max_discipline": 2,  # probation: anything heavier within the window blocks the move
                "note": note,
            },
        )
