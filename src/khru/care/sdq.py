"""The SDQ as data: items by number and short label only (the wording is copyrighted), subscales, Thai cut-offs.

Loaded by a data migration; `seed` is idempotent so tests can put the rows back after a flush.
"""

from typing import Any

CODE = "SDQ"
VERSION = "1"

SCALE = [(0, "ไม่จริง", "Not true"), (1, "ค่อนข้างจริง", "Somewhat true"), (2, "จริงแน่นอน", "Certainly true")]

# number: (short label th, short label en)
ITEMS = {
    1: ("คำนึงถึงความรู้สึกผู้อื่น", "Considerate"),
    2: ("อยู่ไม่นิ่ง", "Restless"),
    3: ("บ่นปวดหัว ปวดท้อง", "Somatic complaints"),
    4: ("แบ่งปัน", "Shares readily"),
    5: ("อารมณ์ร้อน", "Tempers"),
    6: ("ชอบอยู่คนเดียว", "Solitary"),
    7: ("เชื่อฟัง", "Obedient"),
    8: ("กังวล", "Worries"),
    9: ("ช่วยเหลือผู้ที่ไม่สบายใจ", "Caring"),
    10: ("ยุกยิก", "Fidgety"),
    11: ("มีเพื่อนสนิท", "Good friend"),
    12: ("ทะเลาะวิวาท", "Fights"),
    13: ("ไม่มีความสุข", "Unhappy"),
    14: ("เป็นที่ชื่นชอบของเพื่อน", "Popular"),
    15: ("วอกแวก", "Distractible"),
    16: ("ติดผู้ใหญ่ในสถานการณ์ใหม่", "Clingy"),
    17: ("ใจดีกับเด็กเล็ก", "Kind to younger children"),
    18: ("โกหก", "Lies or cheats"),
    19: ("ถูกรังแก", "Picked on"),
    20: ("อาสาช่วยเหลือ", "Volunteers to help"),
    21: ("คิดก่อนทำ", "Thinks before acting"),
    22: ("ขโมย", "Steals"),
    23: ("เข้ากับผู้ใหญ่ได้ดีกว่าเด็ก", "Better with adults"),
    24: ("ขี้กลัว", "Fears"),
    25: ("ทำงานจนเสร็จ มีสมาธิ", "Good attention"),
}
REVERSED = {7, 11, 14, 21, 25}

# code, name th, name en, items, sums into the total difficulties
SUBSCALES = [
    ("emotional", "ด้านอารมณ์", "Emotional symptoms", (3, 8, 13, 16, 24), True),
    ("conduct", "ด้านความประพฤติ", "Conduct problems", (5, 7, 12, 18, 22), True),
    ("hyperactivity", "ด้านพฤติกรรมอยู่ไม่นิ่ง/สมาธิสั้น", "Hyperactivity", (2, 10, 15, 21, 25), True),
    ("peer", "ด้านความสัมพันธ์กับเพื่อน", "Peer problems", (6, 11, 14, 19, 23), True),
    ("prosocial", "ด้านสัมพันธภาพทางสังคม (จุดแข็ง)", "Prosocial (strength)", (1, 4, 9, 17, 20), False),
]

# Thai school cut-offs for total difficulties (OBEC care-system manual): respondent, (low, high, band) …
TOTAL_CUT_OFFS = {
    "teacher": [(0, 15, "normal"), (16, 17, "risk"), (18, 40, "problem")],
    "parent": [(0, 15, "normal"), (16, 17, "risk"), (18, 40, "problem")],
    "self": [(0, 16, "normal"), (17, 18, "risk"), (19, 40, "problem")],
}


def seed(apps: Any, schema_editor: Any = None) -> None:
    questionnaire_model = apps.get_model("care", "Questionnaire")
    if questionnaire_model.objects.filter(code=CODE, version=VERSION, school__isnull=True).exists():
        return
    sdq = questionnaire_model.objects.create(
        code=CODE,
        version=VERSION,
        name_th="แบบประเมินจุดแข็งและจุดอ่อน (SDQ)",
        name_en="Strengths and Difficulties Questionnaire (SDQ)",
        screening_area="behaviour",
    )
    apps.get_model("care", "ScaleOption").objects.bulk_create(
        [
            apps.get_model("care", "ScaleOption")(questionnaire=sdq, value=v, label_th=th, label_en=en)
            for v, th, en in SCALE
        ]
    )
    item_model = apps.get_model("care", "Item")
    items = {
        number: item_model.objects.create(
            questionnaire=sdq, number=number, label_th=th, label_en=en, reverse_scored=number in REVERSED
        )
        for number, (th, en) in ITEMS.items()
    }
    subscale_model = apps.get_model("care", "Subscale")
    for order, (code, name_th, name_en, numbers, in_total) in enumerate(SUBSCALES, start=1):
        subscale = subscale_model.objects.create(
            questionnaire=sdq, code=code, name_th=name_th, name_en=name_en, order=order, in_total=in_total
        )
        subscale.items.set([items[n] for n in numbers])
    cut_off_model = apps.get_model("care", "CutOff")
    cut_off_model.objects.bulk_create(
        [
            cut_off_model(questionnaire=sdq, respondent=respondent, low=low, high=high, band=band)
            for respondent, rows in TOTAL_CUT_OFFS.items()
            for low, high, band in rows
        ]
    )
