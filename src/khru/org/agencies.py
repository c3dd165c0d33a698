"""The ministry's seven agencies and local administration, seeded by a data migration."""

from typing import Any

AGENCIES = [
    ("OBEC", "สพฐ.", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "Office of the Basic Education Commission"),
    ("OVEC", "สอศ.", "สำนักงานคณะกรรมการการอาชีวศึกษา", "Office of the Vocational Education Commission"),
    ("ONIE", "กศน.", "สำนักงานส่งเสริมการศึกษานอกระบบและการศึกษาตามอัธยาศัย", "Office of Non-Formal and Informal Education"),
    ("OEC", "สกศ.", "สำนักงานเลขาธิการสภาการศึกษา", "Office of the Education Council"),
    ("OPEC", "สช.", "สำนักงานคณะกรรมการส่งเสริมการศึกษาเอกชน", "Office of the Private Education Commission"),
    ("TEPC", "ก.ค.ศ.", "สำนักงานคณะกรรมการข้าราชการครูและบุคลากรทางการศึกษา", "Teacher Civil Service and Educational Personnel Commission"),
    ("KSP", "คุรุสภา", "สำนักงานเลขาธิการคุรุสภา", "Teachers Council of Thailand"),
    ("LAO", "อปท.", "องค์กรปกครองส่วนท้องถิ่น (กรมส่งเสริมการปกครองท้องถิ่น)", "Local administration (Department of Local Administration)"),
]  # fmt: skip


def seed(apps: Any, schema_editor: Any = None) -> None:
    agency = apps.get_model("org", "Agency")
    for code, short_th, name_th, name_en in AGENCIES:
        agency.objects.update_or_create(
            code=code, defaults={"short_th": short_th, "name_th": name_th, "name_en": name_en}
        )
