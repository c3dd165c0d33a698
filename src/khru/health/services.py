"""Every measurement write: the class entry page and the API both call record_measurements."""

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from khru.attendance.selectors import enrolled_on, term_on
from khru.attendance.services import check_not_locked
from khru.core import audit
from khru.core.errors import KhruError, Problem, problem
from khru.health.growth import GrowthAssessment, ReferenceName, assess
from khru.health.models import GrowthReferenceChoice, GrowthReferenceRow, Measurement, MeasurementChange
from khru.health.references import VALUE_COLUMNS, parse_cut_off_csv, reference_for
from khru.org import scope
from khru.org.models import Agency, Classroom
from khru.org.roles import Perm
from khru.people.models import Person

# A child is measured again each term; a height this much lower than the last one is a typing slip.
HEIGHT_DROP_CM = Decimal(10)
# Beyond this many SD a value is almost surely a typing slip (WHO flags |z| > 5 or 6 as implausible).
IMPLAUSIBLE_Z = 5

Value = Decimal | float | int | str | None

_FIELD_TH = {"weight_kg": "น้ำหนัก", "height_cm": "ส่วนสูง", "birth_date": "วันเกิด", "sex": "เพศ"}


@dataclass(frozen=True)
class PlausibilityWarning:
    """Not an error: the child's values were not saved until the teacher confirms them."""

    person_id: int
    name: str
    field: str
    th: str
    en: str


@dataclass(frozen=True)
class MeasurementsSaved:
    saved: int  # new or changed measurements written
    warnings: list[PlausibilityWarning] = field(default_factory=list)

    @property
    def warned_ids(self) -> set[int]:
        return {w.person_id for w in self.warnings}


def _decimal(value: Value, places: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return Decimal("NaN")
    return number.quantize(Decimal(places)) if number.is_finite() else number


def _child_problem(person: Person, field_name: str, th: str, en: str) -> Problem:
    return Problem(
        field_name,
        f"{person.full_name}: {th}",
        f"{person.full_name_en or person.full_name}: {en}",
        field_th=_FIELD_TH.get(field_name, field_name),
    )


def _from_value_error(person: Person, error: ValueError) -> Problem:
    """growth.assess raises "field: Thai / English"; keep its wording and name the child."""
    field_name, _, text = str(error).partition(": ")
    th, _, en = text.partition(" / ")
    return _child_problem(person, field_name, th, en or th)


def _warnings(
    person: Person, height: Decimal, previous: Measurement | None, growth: GrowthAssessment
) -> list[PlausibilityWarning]:
    found = []
    if previous is not None and previous.height_cm - height >= HEIGHT_DROP_CM:
        found.append(
            PlausibilityWarning(
                person.pk,
                person.full_name,
                "height_cm",
                f"ส่วนสูง {height} ซม. ต่ำกว่าครั้งก่อน ({previous.height_cm} ซม.) ตั้งแต่ 10 ซม. ขึ้นไป",
                f"height {height} cm is 10 cm or more below the previous {previous.height_cm} cm",
            )
        )
    scores = {
        "height_cm": growth.height_for_age_z,
        "weight_kg": growth.weight_for_age_z,
        "bmi": growth.bmi_for_age_z,
        "weight_for_height": growth.weight_for_height_z,
    }
    for name, z in scores.items():
        if z is not None and abs(z) > IMPLAUSIBLE_Z:
            found.append(
                PlausibilityWarning(
                    person.pk,
                    person.full_name,
                    "height_cm" if name == "height_cm" else "weight_kg",
                    f"ค่า z ({name}) = {z:+.2f} ห่างจากเกณฑ์มากผิดปกติ โปรดตรวจค่าที่กรอก",
                    f"z-score ({name}) = {z:+.2f} is far outside the usual range: please check the values",
                )
            )
    return found


def stored_fields(growth: GrowthAssessment) -> dict[str, Any]:
    def z(value: float | None) -> Decimal | None:
        return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))

    """The z-scores and bands as stored on a Measurement (rounded as growth.assess rounds them)."""

    return {
        "age_months": Decimal(str(round(growth.age_months, 1))),
        "height_for_age_z": z(growth.height_for_age_z),
        "weight_for_age_z": z(growth.weight_for_age_z),
        "bmi_for_age_z": z(growth.bmi_for_age_z),
        "weight_for_height_z": z(growth.weight_for_height_z),
        "shape_band": growth.shape_band.code if growth.shape_band else "",
        "height_band": growth.height_band.code if growth.height_band else "",
        "weight_band": growth.weight_band.code if growth.weight_band else "",
        "tall_proportionate": growth.tall_proportionate,
        "growth_reference": growth.reference.code,
    }


@transaction.atomic
def record_measurements(
    *,
    actor: Any,
    classroom: Classroom,
    measured_on: dt.date,
    rows: Mapping[int, tuple[Value, Value]],
    confirmed: Collection[int] = frozenset(),
) -> MeasurementsSaved:
    """Save a class's weights and heights for one day. `rows` maps person id → (weight kg, height cm); a
    child with both blank is skipped (away that day). Any error refuses the whole save, naming the child
    and the field. A child with an implausible value is left unsaved and returned as a warning unless
    their id is in `confirmed`. Every save of a value is kept in the history.
    """
    scope.require(actor, Perm.TAKE_ATTENDANCE, classroom)
    if measured_on > timezone.localdate():
        raise problem("measured_on", "ยังไม่ถึงวันที่นี้", "this date is in the future", field_th="วันที่วัด")
    term = term_on(classroom, measured_on)
    # A closed term changes only by the principal (audited as an override), as marks and scores do.
    override = term is not None and check_not_locked(actor=actor, school=classroom.school, term_id=term.pk)
    in_class = {e.person_id: e.person for e in enrolled_on(classroom, measured_on)}
    reference = reference_for(school_id=classroom.school_id)
    problems: list[Problem] = []
    checked: dict[int, tuple[Person, Decimal, Decimal, GrowthAssessment]] = {}
    for person_id, (weight_value, height_value) in rows.items():
        person = in_class.get(person_id)
        if person is None:
            problems.append(
                Problem(
                    "student",
                    f"นักเรียนรหัส {person_id} ไม่ได้อยู่ในห้องนี้ในวันที่วัด",
                    f"student {person_id} is not in this class on the measurement date",
                    field_th="นักเรียน",
                )
            )
            continue
        weight, height = _decimal(weight_value, "0.01"), _decimal(height_value, "0.1")
        if weight is None and height is None:
            continue
        missing = [
            (name, th, en)
            for name, value, th, en in (
                ("weight_kg", weight, "ยังไม่ได้กรอกน้ำหนัก", "the weight is missing"),
                ("height_cm", height, "ยังไม่ได้กรอกส่วนสูง", "the height is missing"),
            )
            if value is None
        ]
        if missing:
            problems += [_child_problem(person, *m) for m in missing]
            continue
        assert weight is not None and height is not None
        if person.birth_date is None:
            problems.append(
                _child_problem(person, "birth_date", "ยังไม่มีวันเกิดในระเบียน", "the birth date is not recorded")
            )
            continue
        try:
            growth = assess(
                sex=person.sex,
                birth_date=person.birth_date,
                measured_on=measured_on,
                weight_kg=float(weight),
                height_cm=float(height),
                reference=reference,
            )
        except ValueError as error:
            problems.append(_from_value_error(person, error))
            continue
        checked[person_id] = (person, weight, height, growth)
    if problems:
        raise KhruError(*problems)

    earlier = Measurement.objects.filter(person_id__in=list(checked), measured_on__lte=measured_on).order_by(
        "person_id", "-measured_on"
    )
    same_day: dict[int, Measurement] = {}
    previous: dict[int, Measurement] = {}
    for measurement in earlier:
        if measurement.measured_on == measured_on:
            same_day[measurement.person_id] = measurement
        else:
            previous.setdefault(measurement.person_id, measurement)

    warnings: list[PlausibilityWarning] = []
    created: list[Measurement] = []
    updated: list[Measurement] = []
    history: list[tuple[Measurement, Decimal | None, Decimal | None]] = []
    for person_id, (person, weight, height, growth) in checked.items():
        found = _warnings(person, height, previous.get(person_id), growth)
        if found and person_id not in confirmed:
            warnings += found
            continue
        values = {
            "weight_kg": weight,
            "height_cm": height,
            "confirmed_implausible": bool(found),
            "classroom": classroom,
            "school_id": classroom.school_id,
            "academic_year_id": classroom.academic_year_id,
            "term": term,
            "recorded_by": actor,
            **stored_fields(growth),
        }
        existing = same_day.get(person_id)
        if existing is None:
            measurement = Measurement(person_id=person_id, measured_on=measured_on, **values)
            created.append(measurement)
            history.append((measurement, None, None))
        elif (existing.weight_kg, existing.height_cm) != (weight, height):
            history.append((existing, existing.weight_kg, existing.height_cm))
            for name, value in values.items():
                setattr(existing, name, value)
            updated.append(existing)
    Measurement.objects.bulk_create(created)
    Measurement.objects.bulk_update(
        updated,
        [
            "weight_kg",
            "height_cm",
            "confirmed_implausible",
            "classroom",
            "school_id",
            "academic_year_id",
            "term",
            "recorded_by",
            *_computed_names(),
        ],
    )
    if created and created[0].pk is None:  # backends that do not return ids from a bulk insert
        ids = dict(
            Measurement.objects.filter(
                person_id__in=[m.person_id for m in created], measured_on=measured_on
            ).values_list("person_id", "pk")
        )
        for measurement in created:
            measurement.pk = ids[measurement.person_id]
    MeasurementChange.objects.bulk_create(
        [
            MeasurementChange(
                measurement=measurement,
                old_weight_kg=old_weight,
                old_height_cm=old_height,
                new_weight_kg=measurement.weight_kg,
                new_height_cm=measurement.height_cm,
                changed_by=actor if getattr(actor, "pk", None) else None,
            )
            for measurement, old_weight, old_height in history
        ]
    )
    if history:
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE if updated else audit.Action.CREATE,
            obj=classroom,
            school_id=classroom.school_id,
            summary=f"{classroom} measurements {measured_on.isoformat()}: {len(created)} new, {len(updated)} corrected"
            + (" (closed term: principal override)" if override else ""),
            changes={
                str(m.person_id): [[str(old_w), str(old_h)], [str(m.weight_kg), str(m.height_cm)]]
                for m, old_w, old_h in history
                if old_w is not None
            },
        )
    return MeasurementsSaved(saved=len(history), warnings=warnings)


def _computed_names() -> list[str]:
    return [
        "age_months",
        "height_for_age_z",
        "weight_for_age_z",
        "bmi_for_age_z",
        "weight_for_height_z",
        "shape_band",
        "height_band",
        "weight_band",
        "tall_proportionate",
        "growth_reference",
    ]


@transaction.atomic
def load_growth_reference(*, actor: Any, agency: Agency, csv_text: str, source_name: str) -> int:
    """Store an agency's Department of Health 2021 tables from a cut-off CSV (docs/growth-reference.md)
    and switch the agency's schools to it; returns the rows stored. The file is checked whole first: any
    bad row refuses it all, naming the row and column, and the agency keeps what it had. Measurements
    saved earlier keep the reference they were computed with (each names it) until they are saved again.
    A system task (the `load_growth_reference` command): audited under the actor."""
    parsed = parse_cut_off_csv(csv_text)
    choice, _ = GrowthReferenceChoice.objects.select_for_update().get_or_create(agency=agency)
    GrowthReferenceRow.objects.filter(choice=choice).delete()
    GrowthReferenceRow.objects.bulk_create(
        [
            GrowthReferenceRow(
                choice=choice,
                indicator=row.indicator.value,
                sex=row.sex,
                key=row.key,
                **dict(zip(VALUE_COLUMNS, row.values, strict=True)),
            )
            for row in parsed
        ]
    )
    _switch(actor=actor, choice=choice, reference=ReferenceName.DOH_2021, source_name=source_name)
    return len(parsed)


@transaction.atomic
def use_who_reference(*, actor: Any, agency: Agency) -> None:
    """Switch an agency's schools back to WHO 2006/2007 (loaded tables are kept for a later switch)."""
    choice, _ = GrowthReferenceChoice.objects.select_for_update().get_or_create(agency=agency)
    _switch(actor=actor, choice=choice, reference=ReferenceName.WHO, source_name=choice.source_name)


def _switch(*, actor: Any, choice: GrowthReferenceChoice, reference: ReferenceName, source_name: str) -> None:
    before = choice.reference
    choice.reference = reference.code
    choice.source_name = source_name
    choice.loaded_by = actor if getattr(actor, "pk", None) else None
    choice.loaded_at = timezone.now()
    choice.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=choice,
        summary=f"{choice.agency.code} growth reference: {reference.label_en} ({source_name})",
        changes={"reference": [before, reference.code]},
    )
