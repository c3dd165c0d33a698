"""The teacher record book: what a teacher did to develop, and (added later) career, standing and PA.

A development activity is entered once (by the teacher, or imported from a training provider) and then
read by the record book, the PA check and a licence renewal, which attaches activities instead of
uploading documents again.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from khru.core.models import acting_user
from khru.org.models import Agency, School
from khru.people.models import Person


class ActivityKind(models.TextChoices):
    TRAINING = "training", "การอบรม"
    ONLINE_COURSE = "online", "หลักสูตรออนไลน์"
    SEMINAR = "seminar", "การประชุมสัมมนา"
    STUDY_VISIT = "visit", "การศึกษาดูงาน"
    PLC = "plc", "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)"
    OTHER = "other", "อื่น ๆ"


class DevelopmentActivity(models.Model):
    class Source(models.TextChoices):
        TEACHER = "teacher", "ครูบันทึกเอง"
        SCHOOL = "school", "โรงเรียนบันทึก"
        IMPORT = "import", "นำเข้าจากผู้จัดอบรม"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="development_activities")
    kind = models.CharField(max_length=10, choices=ActivityKind.choices)
    title = models.CharField(max_length=300)
    provider = models.CharField(max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    evidence = models.FileField(upload_to="teachers/evidence/%Y/", blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.TEACHER)
    # The provider's own id for an imported completion: importing the same file twice adds nothing.
    external_ref = models.CharField(max_length=100, blank=True)
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-started_on"]
        indexes = [models.Index(fields=["person", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=F("started_on")), name="activity_dates_in_order"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="activity_hours_positive"),
            models.UniqueConstraint(
                fields=["provider", "external_ref"],
                condition=~Q(external_ref=""),
                name="one_activity_per_provider_ref",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.started_on})"


# --- Career: appointments, standing, PA, awards, discipline (entered by the school office) ---


class Standing(models.TextChoices):
    """วิทยฐานะ, lowest first: the order is the ladder the PA check climbs."""

    NONE = "none", "ไม่มีวิทยฐานะ"
    SENIOR = "senior", "ชำนาญการ"
    SPECIAL = "special", "ชำนาญการพิเศษ"
    EXPERT = "expert", "เชี่ยวชาญ"
    HIGH_EXPERT = "high_expert", "เชี่ยวชาญพิเศษ"


class Position(models.TextChoices):
    ASSISTANT_TEACHER = "assistant", "ครูผู้ช่วย"
    TEACHER = "teacher", "ครู"
    DEPUTY = "deputy", "รองผู้อำนวยการสถานศึกษา"
    PRINCIPAL = "principal", "ผู้อำนวยการสถานศึกษา"
    SUPERVISOR = "supervisor", "ศึกษานิเทศก์"
    OFFICER = "officer", "บุคลากรทางการศึกษาอื่น"


class Appointment(models.Model):
    """A post held at a school or an agency office for a period; a person holds one post at a time."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=12, choices=Position.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    order_ref = models.CharField(max_length=100, blank=True)  # คำสั่งแต่งตั้ง
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "started_on"]
        indexes = [models.Index(fields=["person", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="appointment_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=False) | Q(agency__isnull=False), name="appointment_has_a_place"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="one_open_appointment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_position_display()} {self.started_on}"

    @property
    def place(self) -> str:
        return str(self.school.name_th if self.school else self.agency.name_th if self.agency else "")


class StandingRecord(models.Model):
    """One step of a teacher's academic standing; the latest `since` is the current one."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="standings")
    standing = models.CharField(max_length=12, choices=Standing.choices)
    since = models.DateField()
    order_ref = models.CharField(max_length=100, blank=True)
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "since"]
        constraints = [
            models.UniqueConstraint(fields=["person", "standing"], name="one_record_per_standing"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_standing_display()} {self.since}"


class PerformanceAgreement(models.Model):
    """ข้อตกลงในการพัฒนางาน (PA) of one fiscal year, agreed with the director, then assessed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="performance_agreements")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fiscal_year_be = models.PositiveSmallIntegerField()
    agreed_on = models.DateField()
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-fiscal_year_be"]
        constraints = [
            models.UniqueConstraint(fields=["person", "fiscal_year_be"], name="one_pa_per_fiscal_year"),
        ]

    def __str__(self) -> str:
        return f"PA {self.fiscal_year_be} {self.person}"


class PAAssessment(models.Model):
    """One assessor's score of one PA round, in percent."""

    agreement = models.ForeignKey(PerformanceAgreement, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.CharField(max_length=200)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    assessed_on = models.DateField()
    recorded_by = acting_user()

    class Meta:
        ordering = ["agreement", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "assessor"], name="one_score_per_assessor"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="pa_score_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor}: {self.score}%"


class Award(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", "สถานศึกษา"
        AREA = "area", "เขตพื้นที่/จังหวัด"
        REGION = "region", "ภูมิภาค"
        NATIONAL = "national", "ประเทศ"
        INTERNATIONAL = "international", "นานาชาติ"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="awards")
    title = models.CharField(max_length=300)
    given_by = models.CharField(max_length=200)
    level = models.CharField(max_length=14, choices=Level.choices)
    awarded_on = models.DateField()
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-awarded_on"]

    def __str__(self) -> str:
        return self.title


class DisciplineLevel(models.IntegerChoices):
    """Penalties, lightest first (the PA rules compare levels)."""

    WARNING = 1, "ว่ากล่าวตักเตือน"
    PROBATION = 2, "ภาคทัณฑ์"
    PAY_CUT = 3, "ตัดเงินเดือน"
    STEP_CUT = 4, "ลดขั้นเงินเดือน"
    DISCHARGE = 5, "ปลดออก"
    DISMISSAL = 6, "ไล่ออก"


class DisciplineRecord(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="discipline_records")
    level = models.PositiveSmallIntegerField(choices=DisciplineLevel.choices)
    decided_on = models.DateField()
    order_ref = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-decided_on"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.decided_on}"


class PARule(models.Model):
    """The conditions to apply for the next standing (ก.ค.ศ. ว9/2564), as data an officer can correct."""

    from_standing = models.CharField(max_length=12, choices=Standing.choices, unique=True)
    to_standing = models.CharField(max_length=12, choices=Standing.choices)
    min_years = models.PositiveSmallIntegerField()
    rounds = models.PositiveSmallIntegerField(default=3)
    min_score = models.DecimalField(max_digits=5, decimal_places=2, default=70)
    discipline_years = models.PositiveSmallIntegerField(default=4)
    max_discipline = models.PositiveSmallIntegerField(
        choices=DisciplineLevel.choices, default=DisciplineLevel.PROBATION
    )
    note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.get_from_standing_display()} → {self.get_to_standing_display()}"


# --- Online training from providers ---


class TrainingProvider(models.Model):
    code = models.CharField(max_length=30, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class TrainingCourse(models.Model):
    provider = models.ForeignKey(TrainingProvider, on_delete=models.PROTECT, related_name="courses")
    code = models.CharField(max_length=50)
    title = models.CharField(max_length=300)
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    kind = models.CharField(max_length=10, choices=ActivityKind.choices, default=ActivityKind.ONLINE_COURSE)

    class Meta:
        ordering = ["provider", "code"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="one_course_code_per_provider"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CompletionImport(models.Model):
    """A provider's completion file: previewed with every bad row named, then applied whole or not at all."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "ตรวจแล้ว รอยืนยัน"
        APPLIED = "applied", "นำเข้าแล้ว"
        REJECTED = "rejected", "มีข้อผิดพลาด"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(TrainingProvider, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices)
    row_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
