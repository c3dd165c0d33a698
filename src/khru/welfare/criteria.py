"""The poverty screening rules as shipped (EEF form นร.01), loaded by a data migration and kept as rows.

Income per person per month at most 3,000 baht, and at least two of the eight household conditions.
A system administrator edits the rows (services.update_criteria); the code only reads them.
"""

from typing import Any

VERSION = "EEF-2569"
NAME_TH = "เกณฑ์คัดกรองนักเรียนยากจน กสศ. (นร.01)"

# (code, Thai name, English name, rule, options)
FACTORS: list[tuple[str, str, str, str, list[str]]] = [
    (
        "dependants",
        "ครัวเรือนมีภาระพึ่งพิง (คนพิการ ผู้สูงอายุ คนว่างงาน พ่อ/แม่เลี้ยงเดี่ยว)",
        "dependants (disabled, elderly, unemployed, single parent)",
        "dependants",
        ["disabled", "elderly", "unemployed", "single_parent"],
    ),
    (
        "housing_tenure",
        "ไม่มีบ้านของตนเอง",
        "housing tenure: not their own home",
        "one_of",
        ["rent", "relatives", "employer"],
    ),
    (
        "house_condition",
        "สภาพบ้านชำรุดทรุดโทรมหรือไม่มีห้องส้วม",
        "house worn out or without a toilet",
        "one_of",
        ["worn", "no_toilet"],
    ),
    (
        "farm_land",
        "ทำเกษตรโดยมีที่ดินไม่เกิน 1 ไร่หรือไม่มีที่ดิน",
        "farms with at most 1 rai or no land",
        "one_of",
        ["no_land", "upto_1_rai"],
    ),
    (
        "water_source",
        "ไม่มีน้ำดื่มสะอาด (ใช้น้ำบ่อ น้ำฝน แหล่งธรรมชาติ)",
        "drinking water from a well, rain or nature",
        "one_of",
        ["well", "rain", "natural"],
    ),
    (
        "electricity_source",
        "ไม่มีไฟฟ้าของตนเอง",
        "no own grid electricity",
        "one_of",
        ["borrowed", "solar", "none"],
    ),
    (
        "vehicles",
        "ไม่มีรถยนต์ รถปิกอัพ หรือรถไถ",
        "no car, pickup or tractor",
        "none_of",
        ["car", "pickup", "tractor"],
    ),
    (
        "appliances",
        "ไม่มีเครื่องใช้ (โทรทัศน์จอแบน ตู้เย็น เครื่องซักผ้า เครื่องปรับอากาศ คอมพิวเตอร์)",
        "no appliances (flat TV, fridge, washer, air conditioner, computer)",
        "none_of",
        ["tv", "fridge", "washer", "aircon", "computer"],
    ),
]


def seed(apps: Any, schema_editor: Any = None) -> None:
    """Idempotent: tests call it again after a flush."""
    criteria_model = apps.get_model("welfare", "PovertyCriteria")
    if criteria_model.objects.filter(version=VERSION).exists():
        return
    criteria = criteria_model.objects.create(
        version=VERSION, name_th=NAME_TH, income_limit_baht=3000, min_factors=2, active=True
    )
    factor_model = apps.get_model("welfare", "PovertyFactor")
    factor_model.objects.bulk_create(
        [
            factor_model(
                criteria=criteria, code=code, order=order, name_th=th, name_en=en, rule=rule, options=options
            )
            for order, (code, th, en, rule, options) in enumerate(FACTORS, start=1)
        ]
    )
