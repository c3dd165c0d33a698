import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from khru.health import selectors, services
from khru.org import selectors as org_selectors
from khru.org.roles import Perm
from khru.people import selectors as people

router = Router(tags=["health"])


class MeasurementRowIn(Schema):
    student: UUID
    weight_kg: Decimal | None = Field(
        None, description="kilograms; leave out both values for a child not measured"
    )
    height_cm: Decimal | None = Field(None, description="centimetres (recumbent length under 2 years)")
    confirm: bool = Field(False, description="the values were checked after a plausibility warning")


class MeasurementsIn(Schema):
    classroom: UUID
    measured_on: dt.date
    rows: list[MeasurementRowIn]


class WarningOut(Schema):
    student: UUID
    field: str
    th: str
    en: str


class MeasurementsOut(Schema):
    saved: int
    warnings: list[WarningOut]


class MeasurementOut(Schema):
    measured_on: dt.date
    weight_kg: Decimal
    height_cm: Decimal
    age_months: Decimal
    height_for_age_z: Decimal | None
    weight_for_age_z: Decimal | None
    bmi_for_age_z: Decimal | None
    weight_for_height_z: Decimal | None
    shape_band: str
    height_band: str
    weight_band: str
    tall_proportionate: bool | None = Field(description="สูงดีสมส่วน; null when a band is unknown")
    growth_reference: str = Field(description="the reference that produced the bands: who or doh2021")
    confirmed_implausible: bool


@router.post("/health/measurements", response=MeasurementsOut)
def save_measurements(request: HttpRequest, body: MeasurementsIn) -> MeasurementsOut:
    """Save a class's weights and heights for one day; unusual values come back as warnings until confirmed."""
    # The write's permission first, so a class one may not write to refuses before any child is looked up.
    classroom = org_selectors.get_classroom(
        actor=request.user, uuid=str(body.classroom), perm=Perm.TAKE_ATTENDANCE
    )
    ids = people.class_children(
        actor=request.user,
        classroom=classroom,
        uuids=[r.student for r in body.rows],
        perm=Perm.TAKE_ATTENDANCE,
    )
    saved = services.record_measurements(
        actor=request.user,
        classroom=classroom,
        measured_on=body.measured_on,
        rows={ids[r.student]: (r.weight_kg, r.height_cm) for r in body.rows},
        confirmed={ids[r.student] for r in body.rows if r.confirm},
    )
    uuids = {pk: uuid for uuid, pk in ids.items()}
    return MeasurementsOut(
        saved=saved.saved,
        warnings=[
            WarningOut(student=uuids[w.person_id], field=w.field, th=w.th, en=w.en) for w in saved.warnings
        ],
    )


@router.get("/health/students/{uuid}/measurements", response=list[MeasurementOut])
def student_measurements(request: HttpRequest, uuid: UUID) -> list[MeasurementOut]:
    """A child's measurements, oldest first (sensitive: the read is audited)."""
    _person, measurements = selectors.growth_of(actor=request.user, uuid=str(uuid))
    return [MeasurementOut.from_orm(m) for m in measurements]
