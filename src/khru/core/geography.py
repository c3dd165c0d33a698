"""Thai provinces, districts and subdistricts, loaded from the package's copy of the reference data."""

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "thai-geography"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps: Any, schema_editor: Any = None) -> None:
    """Insert every province, district and subdistrict (a data migration calls this)."""
    province = apps.get_model("core", "Province")
    district = apps.get_model("core", "District")
    subdistrict = apps.get_model("core", "Subdistrict")
    province.objects.bulk_create([province(**r) for r in _rows("provinces.csv")], ignore_conflicts=True)
    district.objects.bulk_create(
        [
            district(
                code=r["code"],
                province_id=r["province_code"],
                name_th=r["name_th"],
                name_en=r["name_en"].strip(),
            )
            for r in _rows("districts.csv")
        ],
        ignore_conflicts=True,
    )
    subdistrict.objects.bulk_create(
        [
            subdistrict(
                code=r["code"],
                district_id=r["district_code"],
                name_th=r["name_th"],
                name_en=r["name_en"].strip(),
                postal_code=r["postal_code"],
            )
            for r in _rows("subdistricts.csv")
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
