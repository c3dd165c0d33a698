"""Measurements of height and weight, with the growth z-scores and Thai bands stored beside them.

The z-scores and bands are derived (growth.assess) but stored, so that a term's nutrition report reads
one row per child instead of recomputing from the LMS tables; they are rewritten whenever the values are.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from khru.health.growth import (
    CUT_OFF_INDICATORS,
    HeightBand,
    ReferenceName,
    ShapeBand,
    WeightBand,
)
from khru.org.models import AcademicYear, Agency, Classroom, School, Term
from khru.people.models import Person

SHAPE_CHOICES = [(band.code, band.label_th) for band in ShapeBand]
HEIGHT_CHOICES = [(band.code, band.label_th) for band in HeightBand]
WEIGHT_CHOICES = [(band.code, band.label_th) for band in WeightBand]
REFERENCE_CHOICES = [(name.code, name.label_th) for name in ReferenceName]


def _z_field() -> models.DecimalField:
    return models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)


class Measurement(models.Model):
    """One child's weight and height on one day, measured at school."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="measurements")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="measurements")
    measured_on = models.DateField()
    weight_kg = models.DecimalField(max_digits=5, decimal_places=2)
    height_cm = models.DecimalField(max_digits=5, decimal_places=1)
    age_months = models.DecimalField(max_digits=5, decimal_places=1)
    height_for_age_z = _z_field()
    weight_for_age_z = _z_field()
    bmi_for_age_z = _z_field()
    weight_for_height_z = _z_field()
    shape_band = models.CharField(max_length=16, choices=SHAPE_CHOICES, blank=True)
    height_band = models.CharField(max_length=16, choices=HEIGHT_CHOICES, blank=True)
    weight_band = models.CharField(max_length=16, choices=WEIGHT_CHOICES, blank=True)
    tall_proportionate = models.BooleanField(null=True)  # สูงดีสมส่วน; null when a band is unknown
    # The reference that produced the z-scores and bands (the agency's choice, or WHO below its ages).
    growth_reference = models.CharField(max_length=16, choices=REFERENCE_CHOICES, default="who")
    # The teacher was warned (a drop in height, a z-score beyond ±5) and confirmed the values.
    confirmed_implausible = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "measured_on"], name="one_measurement_per_child_day"),
            models.CheckConstraint(
                condition=Q(weight_kg__gte=1, weight_kg__lte=300), name="measurement_weight_human"
            ),
            models.CheckConstraint(
                condition=Q(height_cm__gte=35, height_cm__lte=250), name="measurement_height_human"
            ),
        ]
        indexes = [
            models.Index(fields=["classroom", "measured_on"]),
            models.Index(fields=["school", "academic_year", "measured_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.measured_on}: {self.weight_kg} kg {self.height_cm} cm"

    @property
    def shape(self) -> ShapeBand | None:
        return next((band for band in ShapeBand if band.code == self.shape_band), None)

    @property
    def height(self) -> HeightBand | None:
        return next((band for band in HeightBand if band.code == self.height_band), None)

    @property
    def weight(self) -> WeightBand | None:
        return next((band for band in WeightBand if band.code == self.weight_band), None)

    @property
    def reference(self) -> ReferenceName | None:
        return ReferenceName.of(self.growth_reference)


class MeasurementChange(models.Model):
    """History: every save of a measurement, old values (null when it was new) and new values."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="changes")
    old_weight_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    old_height_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    new_weight_kg = models.DecimalField(max_digits=5, decimal_places=2)
    new_height_cm = models.DecimalField(max_digits=5, decimal_places=1)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.measurement_id}: {self.old_weight_kg}/{self.old_height_cm} → {self.new_weight_kg}/{self.new_height_cm}"


class GrowthReferenceChoice(models.Model):
    """The growth reference an agency's schools use; an agency without a row uses WHO (as shipped)."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="growth_reference")
    reference = models.CharField(max_length=16, choices=REFERENCE_CHOICES, default="who")
    source_name = models.CharField(max_length=200, blank=True)  # the file the tables were loaded from
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_reference_display()}"


def _cut_off_field(*, null: bool = False) -> models.DecimalField:
    return models.DecimalField(max_digits=6, decimal_places=2, null=null, blank=null)


class GrowthReferenceRow(models.Model):
    """One row of a loaded cut-off table (docs/growth-reference.md): the measurement at each SD point
    for one indicator, sex and key (age in whole months, or height in cm for weight-for-height)."""

    choice = models.ForeignKey(GrowthReferenceChoice, on_delete=models.CASCADE, related_name="rows")
    indicator = models.CharField(max_length=20, choices=[(i.value, i.value) for i in CUT_OFF_INDICATORS])
    sex = models.CharField(max_length=1, choices=[("M", "ชาย"), ("F", "หญิง")])
    key = models.DecimalField(max_digits=5, decimal_places=1)
    sd_minus_2 = _cut_off_field()
    sd_minus_1_5 = _cut_off_field()
    median = _cut_off_field()
    sd_plus_1_5 = _cut_off_field()
    sd_plus_2 = _cut_off_field()
    sd_plus_3 = _cut_off_field(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["choice", "indicator", "sex", "key"], name="one_reference_row_per_key"
            ),
            models.CheckConstraint(
                condition=Q(sd_minus_2__lt=models.F("sd_minus_1_5"))
                & Q(sd_minus_1_5__lt=models.F("median"))
                & Q(median__lt=models.F("sd_plus_1_5"))
                & Q(sd_plus_1_5__lt=models.F("sd_plus_2")),
                name="reference_cut_offs_ascend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.choice_id} {self.indicator} {self.sex} {self.key}"
