"""`khru generate_licence_holders --count 400000`: synthetic licence holders at national scale, for the
council dashboard and its benchmark. Persons (citizen IDs starting with 8, never a real series), licences spread
over agencies, synthetic areas in every province, types, tiers and expiry dates. Bulk inserts in chunks."""

import datetime as dt
import random
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from khru.core.dates import be_year
from khru.core.identity import citizen_id_check_digit
from khru.core.models import Province
from khru.demo import names
from khru.licences import tallies
from khru.licences.models import Licence, LicenceTier, LicenceType
from khru.licences.services import add_years
from khru.org.models import Agency, Area
from khru.people.models import Person

CHUNK = 10_000
AREA_PREFIX = "SYN-"
# Share of licence holders by agency, and synthetic areas per province for each.
AGENCIES = {"OBEC": (0.68, 4), "OPEC": (0.12, 1), "LAO": (0.1, 1), "OVEC": (0.06, 1), "ONIE": (0.04, 1)}
# Share of types; teacher tiers P / B / A within teachers.
TYPES = {"teacher": 0.86, "school_admin": 0.06, "edu_admin": 0.02, "supervisor": 0.01, "permit": 0.05}
TIERS = {"P": 0.12, "B": 0.7, "A": 0.18}


def insert(model: type[Model], rows: list[Any]) -> None:
    """Bulk insert; on PostgreSQL with COPY (keys reserved from the table's sequence first), several times
    faster than INSERT for hundreds of thousands of rows."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=2_000)
        return
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields])


class Command(BaseCommand):
    help = "Add synthetic licence holders (persons and licences) for the council dashboard at national scale."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=400_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, count: int, seed: int, **options: Any) -> None:
        started = time.perf_counter()
        rng = random.Random(f"khru-licence-holders:{seed}")
        areas = self._areas()
        weights = [AGENCIES[area.agency.code][0] / AGENCIES[area.agency.code][1] for area in areas]
        types = {t.code: t for t in LicenceType.objects.all()}
        tiers = {t.code: t for t in LicenceTier.objects.filter(licence_type__code="teacher")}
        type_codes, type_weights = list(TYPES), list(TYPES.values())
        tier_codes, tier_weights = list(TIERS), list(TIERS.values())
        today = timezone.localdate()
        first = Person.objects.filter(citizen_id__startswith="8").count()
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            persons, licences = [], []
            for n in range(first + done, first + done + size):
                twelve = f"8{n:011d}"
                sex = rng.random() < 0.7
                given = rng.choice(names.WOMEN if sex else names.MEN)
                surname = rng.choice(names.SURNAMES)
                persons.append(
                    Person(
                        citizen_id=twelve + citizen_id_check_digit(twelve),
                        prefix="นาง" if sex else "นาย",
                        first_name_th=given[0],
                        last_name_th=surname[0],
                        first_name_en=given[1],
                        last_name_en=surname[1],
                        sex="F" if sex else "M",
                    )
                )
            with transaction.atomic():
                insert(Person, persons)
                for number, person in enumerate(persons, start=first + done):
                    licence_type = types[rng.choices(type_codes, type_weights)[0]]
                    tier = (
                        tiers[rng.choices(tier_codes, tier_weights)[0]]
                        if licence_type.code == "teacher"
                        else None
                    )
                    years = tier.years if tier else licence_type.years
                    expires = today + dt.timedelta(days=rng.randint(-365, years * 365))
                    area = rng.choices(areas, weights)[0]
                    issued = add_years(expires, -years)
                    licences.append(
                        Licence(
                            number=f"{licence_type.number_prefix}{be_year(issued.year) % 100:02d}S{number:08d}",
                            person=person,
                            licence_type=licence_type,
                            tier=tier,
                            issued_on=issued,
                            expires_on=expires,
                            area=area,
                            agency_id=area.agency_id,
                            province_id=area.province_id,
                        )
                    )
                insert(Licence, licences)
            done += size
            self.stdout.write(f"  {done:,} / {count:,}")
        cells = tallies.rebuild()
        self.stdout.write(
            f"{count:,} licence holders added, {cells:,} dashboard tallies, in {time.perf_counter() - started:.1f} s."
        )

    def _areas(self) -> list[Area]:
        """Synthetic areas: for each province, a few per agency (OBEC has several service areas)."""
        agencies = {a.code: a for a in Agency.objects.filter(code__in=AGENCIES)}
        wanted = []
        for province in Province.objects.order_by("code"):
            for code, (_share, per_province) in AGENCIES.items():
                for n in range(1, per_province + 1):
                    wanted.append(
                        Area(
                            agency=agencies[code],
                            code=f"{AREA_PREFIX}{code}-{province.code}-{n}",
                            name_th=f"{agencies[code].short_th} {province.name_th} {n} (สังเคราะห์)",
                            name_en=f"{code} {province.code}-{n} (synthetic)",
                            province=province,
                        )
                    )
        Area.objects.bulk_create(wanted, ignore_conflicts=True)
        return list(Area.objects.filter(code__startswith=AREA_PREFIX).select_related("agency"))
