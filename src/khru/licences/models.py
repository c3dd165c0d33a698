"""Professional licences and temporary teaching permits (Teachers Council), their renewal, competency tests.

Licence types, teacher tiers, durations, the renewal window, the minimum number of development
activities and the limit of permits in a row are data (LicenceType, LicenceTier), seeded by a migration.
A licence row carries its holder's affiliation (school, area, agency, province) at issue, so the council
dashboard counts 400,000 holders with one grouped scan of one table.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from khru.core.models import Province, acting_user
from khru.org.models import Agency, Area, School
from khru.people.models import Person
from khru.teachers.models import DevelopmentActivity


class LicenceType(models.Model):
    """Teacher, school administrator, education administrator, supervisor; and the temporary permit."""

    code = models.CharField(max_length=20, unique=True)
    name_th = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    number_prefix = models.CharField(max_length=4)
    years = models.PositiveSmallIntegerField(help_text="validity when the type has no tiers")
    is_permit = models.BooleanField(default=False)
    renewable = models.BooleanField(default=True)
    renewal_window_days = models.PositiveSmallIntegerField(default=180)
    min_activities = models.PositiveSmallIntegerField(default=3)
    max_in_a_row = models.PositiveSmallIntegerField(null=True, blank=True, help_text="permits only")
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.name_th


class LicenceTier(models.Model):
    """A teacher licence's tier: P (provisional, 2 years), B (basic, 5), A (advanced, 7)."""

    licence_type = models.ForeignKey(LicenceType, on_delete=models.PROTECT, related_name="tiers")
    code = models.CharField(max_length=2)
    name_th = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    years = models.PositiveSmallIntegerField()
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["licence_type", "ordering"]
        constraints = [
            models.UniqueConstraint(fields=["licence_type", "code"], name="one_tier_code_per_type")
        ]

    def __str__(self) -> str:
        return self.code


class Licence(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "ใช้ได้"
        RENEWED = "renewed", "ต่ออายุแล้ว (ใช้ใบใหม่)"
        SUSPENDED = "suspended", "พักใช้"
        REVOKED = "revoked", "เพิกถอน"

    class Channel(models.TextChoices):
        SELF = "self", "KSP Self-service (ครูยื่นเอง)"
        SCHOOL = "school", "KSP School (โรงเรียนยื่น)"
        COUNCIL = "council", "คุรุสภาบันทึก"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="licences")
    licence_type = models.ForeignKey(LicenceType, on_delete=models.PROTECT, related_name="licences")
    tier = models.ForeignKey(LicenceTier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField()
    expires_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.COUNCIL)
    renews = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by"
    )
    # Affiliation when issued (denormalised for the council dashboard).
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("issued_on")), name="licence_expires_after_issue"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "expires_on"]),
            # The council dashboard: licences in force, grouped by type, tier and affiliation.
            models.Index(
                fields=["status", "expires_on", "licence_type", "tier", "agency", "area", "province"],
                name="licence_dashboard",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class RenewalRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "รอพิจารณา"
        APPROVED = "approved", "อนุมัติ"
        RETURNED = "returned", "ส่งกลับให้แก้ไข"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="renewals")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    channel = models.CharField(max_length=8, choices=Licence.Channel.choices)
    activities = models.ManyToManyField(DevelopmentActivity, related_name="+")
    # An extra supporting document (e.g. a change of name); activities are attached, never uploaded again.
    attachment = models.FileField(upload_to="licences/renewals/%Y/", blank=True)
    note = models.CharField(max_length=500, blank=True)
    submitted_by = acting_user()
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    new_licence = models.OneToOneField(
        Licence, null=True, blank=True, on_delete=models.PROTECT, related_name="issued_by_renewal"
    )

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence"], condition=Q(status="submitted"), name="one_open_renewal_per_licence"
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_at__isnull=False), name="decided_renewal_has_time"
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.licence.number} {self.status}"


class TestRound(models.Model):
    """A round of the professional competency test, with its subjects and centres."""

    __test__ = False  # not a pytest class

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=20, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    held_on = models.DateField()
    registration_opens = models.DateField()
    registration_closes = models.DateField()

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gte=F("registration_opens"))
                & Q(held_on__gte=F("registration_closes")),
                name="test_round_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name_th


class TestSubject(models.Model):
    __test__ = False

    round = models.ForeignKey(TestRound, on_delete=models.CASCADE, related_name="subjects")
    code = models.CharField(max_length=20)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    max_score = models.DecimalField(max_digits=6, decimal_places=2)
    pass_score = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["round", "code"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="one_subject_code_per_round")]

    def __str__(self) -> str:
        return self.name_th


class TestCentre(models.Model):
    __test__ = False

    round = models.ForeignKey(TestRound, on_delete=models.CASCADE, related_name="centres")
    code = models.CharField(max_length=20)
    name_th = models.CharField(max_length=200)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    capacity = models.PositiveIntegerField()

    class Meta:
        ordering = ["round", "code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="one_centre_code_per_round"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="centre_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name_th


class Registration(models.Model):
    """A candidate registered for a round at one centre."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(TestRound, on_delete=models.PROTECT, related_name="registrations")
    centre = models.ForeignKey(TestCentre, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="test_registrations")
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = acting_user()

    class Meta:
        ordering = ["round", "registered_at"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="one_registration_per_round")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.centre_id}"


class TestResult(models.Model):
    __test__ = False

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="results")
    subject = models.ForeignKey(TestSubject, on_delete=models.PROTECT, related_name="results")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    passed = models.BooleanField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "subject"], name="one_result_per_subject"),
            models.CheckConstraint(condition=Q(score__gte=0), name="test_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.subject_id}: {self.score}"


class LicenceTally(models.Model):
    """Licences in force counted by one dashboard dimension and expiry month, kept current on every write
    (Zulip's pre-aggregated counts): the council dashboard sums a few thousand of these rows instead of
    scanning 400,000 licences. `key`: "type id:tier id" (dimension type), an agency or area id, a province
    code; "" when unknown. Rebuilt from the licences by `tallies.rebuild()`."""

    class Dimension(models.TextChoices):
        TYPE = "type", "ประเภทและระดับ"
        AGENCY = "agency", "ต้นสังกัด"
        AREA = "area", "เขตพื้นที่"
        PROVINCE = "province", "จังหวัด"

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.CharField(max_length=20)
    month = models.DateField(help_text="the first day of the month the licences expire in")
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key", "month"], name="one_tally_per_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.key} {self.month}: {self.n}"
