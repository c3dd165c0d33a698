import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from khru.core.models import Subdistrict
from khru.org.grades import Grade
from khru.org.models import AcademicYear, Classroom, School


class Sex(models.TextChoices):
    MALE = "M", "ชาย"
    FEMALE = "F", "หญิง"


class IdKind(models.TextChoices):
    CITIZEN = "citizen", "เลขประจำตัวประชาชน"
    G_CODE = "g_code", "รหัส G"
    OTHER = "other", "เลขอื่น (ต่างชาติ)"


class BloodGroup(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    AB = "AB", "AB"
    O = "O", "O"  # noqa: E741
    UNKNOWN = "unknown", "ไม่ทราบ"


class Religion(models.TextChoices):
    BUDDHIST = "buddhist", "พุทธ"
    ISLAM = "islam", "อิสลาม"
    CHRISTIAN = "christian", "คริสต์"
    HINDU = "hindu", "ฮินดู"
    SIKH = "sikh", "ซิกข์"
    OTHER = "other", "อื่น ๆ"
    UNSTATED = "unstated", "ไม่ระบุ"


class Disability(models.TextChoices):
    """OBEC's nine types of disability (blank = none)."""

    VISUAL = "visual", "บกพร่องทางการเห็น"
    HEARING = "hearing", "บกพร่องทางการได้ยิน"
    INTELLECTUAL = "intellectual", "บกพร่องทางสติปัญญา"
    PHYSICAL = "physical", "บกพร่องทางร่างกายหรือสุขภาพ"
    LEARNING = "learning", "บกพร่องทางการเรียนรู้"
    SPEECH = "speech", "บกพร่องทางการพูดและภาษา"
    BEHAVIOURAL = "behavioural", "บกพร่องทางพฤติกรรมหรืออารมณ์"
    AUTISM = "autism", "ออทิสติก"
    MULTIPLE = "multiple", "พิการซ้อน"


class Disadvantage(models.TextChoices):
    """OBEC's categories of disadvantaged children (blank = none)."""

    POOR = "poor", "ยากจน"
    ABANDONED = "abandoned", "ถูกทอดทิ้ง"
    HOMELESS = "homeless", "เด็กเร่ร่อน"
    WORKING = "working", "ทำงานรับผิดชอบตนเองและครอบครัว"
    MINORITY = "minority", "ชนกลุ่มน้อย"
    HIV = "hiv", "ได้รับผลกระทบจากโรคเอดส์"
    ABUSED = "abused", "ถูกทำร้ายทารุณ"
    OTHER = "other", "อื่น ๆ"


class Person(models.Model):
    """One row per human, however many schools and agencies they pass through."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Students always have one (checked in services); a guardian may be known by name only.
    citizen_id = models.CharField(max_length=20, unique=True, null=True, blank=True)
    id_kind = models.CharField(max_length=10, choices=IdKind.choices, default=IdKind.CITIZEN)
    prefix = models.CharField(max_length=30)
    first_name_th = models.CharField(max_length=100)
    last_name_th = models.CharField(max_length=100)
    first_name_en = models.CharField(max_length=100, blank=True)
    last_name_en = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)  # required for students (services)
    house_no = models.CharField(max_length=100, blank=True)
    subdistrict = models.ForeignKey(Subdistrict, null=True, blank=True, on_delete=models.PROTECT)
    postal_code = models.CharField(max_length=5, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    occupation = models.CharField(max_length=100, blank=True)
    # The DMC census facts, entered once by the registrar (enrolment form or roster import).
    blood_group = models.CharField(max_length=7, choices=BloodGroup.choices, blank=True)
    religion = models.CharField(max_length=10, choices=Religion.choices, blank=True)
    ethnicity = models.CharField(max_length=50, blank=True)
    nationality = models.CharField(max_length=50, blank=True)
    disability = models.CharField(max_length=12, choices=Disability.choices, blank=True)
    disadvantage = models.CharField(max_length=10, choices=Disadvantage.choices, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Name search indexes (byte-ordered, for prefix LIKE and ORDER BY together) are PostgreSQL-only:
    # see migration 0002. SQLite scans one municipality's persons in milliseconds without them.

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.prefix}{self.first_name_th} {self.last_name_th}"

    @property
    def full_name_en(self) -> str:
        return f"{self.first_name_en} {self.last_name_en}".strip()


class Guardianship(models.Model):
    class Relation(models.TextChoices):
        FATHER = "father", "บิดา"
        MOTHER = "mother", "มารดา"
        GUARDIAN = "guardian", "ผู้ปกครอง"
        GRANDPARENT = "grandparent", "ปู่ย่าตายาย"
        RELATIVE = "relative", "ญาติ"
        OTHER = "other", "อื่น ๆ"

    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="wards")
    relation = models.CharField(max_length=12, choices=Relation.choices)
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "guardian"], name="one_link_per_guardian")]

    def __str__(self) -> str:
        return f"{self.guardian} ({self.get_relation_display()}) → {self.student}"


class StaffPost(models.Model):
    """A person working at a school for a period."""

    class Position(models.TextChoices):
        TEACHER = "teacher", "ครู"
        ASSISTANT_TEACHER = "assistant", "ครูผู้ช่วย"
        PRINCIPAL = "principal", "ผู้อำนวยการ"
        DEPUTY = "deputy", "รองผู้อำนวยการ"
        OFFICER = "officer", "เจ้าหน้าที่"
        SUPPORT = "support", "ลูกจ้าง"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="staff_posts")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff_posts")
    position = models.CharField(max_length=12, choices=Position.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person} {self.get_position_display()} @ {self.school}"


class EndReason(models.TextChoices):
    """Why an enrolment closed. Year-end reasons and exits are one list, so nothing leaves unexplained."""

    PROMOTED = "promoted", "เลื่อนชั้น"
    REPEATED = "repeated", "ซ้ำชั้น"
    GRADUATED = "graduated", "จบการศึกษา"
    TRANSFERRED = "transferred", "ย้ายสถานศึกษา"
    DROPPED_OUT = "dropped_out", "ออกกลางคัน"
    DECEASED = "deceased", "ถึงแก่กรรม"
    UNKNOWN = "unknown", "ไม่ทราบสาเหตุ"


class DropoutReason(models.TextChoices):
    POVERTY = "poverty", "ฐานะยากจน"
    FAMILY = "family", "ปัญหาครอบครัว"
    WORK = "work", "ต้องทำงานหาเลี้ยงครอบครัว"
    MARRIAGE = "marriage", "สมรส/ตั้งครรภ์"
    HEALTH = "health", "เจ็บป่วย/อุบัติเหตุ"
    BEHAVIOUR = "behaviour", "ปัญหาพฤติกรรม"
    LEARNING = "learning", "ปรับตัวไม่ได้/เรียนไม่ทัน"
    TRAVEL = "travel", "การเดินทางไม่สะดวก"
    MIGRATION = "migration", "อพยพตามผู้ปกครอง"
    OTHER = "other", "อื่น ๆ"


class Enrolment(models.Model):
    """A student in a school and grade for (part of) an academic year. The history is the list of these."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="enrolments")
    grade = models.CharField(max_length=3, choices=Grade.choices)
    classroom = models.ForeignKey(
        Classroom, null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    student_number = models.CharField(max_length=20, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    dropout_reason = models.CharField(max_length=12, choices=DropoutReason.choices, blank=True)
    end_note = models.CharField(max_length=300, blank=True)
    to_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_in"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [
            models.Index(fields=["school", "academic_year", "grade"]),
            models.Index(fields=["student_number", "school"]),
            models.Index(fields=["classroom", "ends_on"]),
        ]
        constraints = [
            # A child is in at most one school at a time.
            models.UniqueConstraint(
                fields=["person"], condition=Q(ends_on__isnull=True), name="one_open_enrolment"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True, end_reason="") | Q(ends_on__gte=models.F("starts_on")),
                name="enrolment_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | ~Q(end_reason=""), name="closed_enrolment_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_grade_display()} {self.school} {self.academic_year}"

    @property
    def is_open(self) -> bool:
        return self.ends_on is None


class RosterImport(models.Model):
    """An uploaded roster file: previewed first, then applied whole or not at all."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "ตรวจแล้ว รอยืนยัน"
        APPLIED = "applied", "นำเข้าแล้ว"
        REJECTED = "rejected", "มีข้อผิดพลาด"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="roster_imports")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT)
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices)
    row_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class PersonLookup(models.Model):
    """An office's explicit look-up of one named child, with the purpose typed for it (a break-glass read):
    for an hour it lets the office read the child's identity, enrolments and results, and it is audited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=300)
    looked_up_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.person} ({self.purpose})"


class Stage(models.TextChoices):
    """The levels a school sets its promotion rule for."""

    KINDERGARTEN = "kindergarten", "อนุบาล"
    PRIMARY = "primary", "ประถมศึกษา"
    LOWER_SECONDARY = "lower", "มัธยมศึกษาตอนต้น"
    UPPER_SECONDARY = "upper", "มัธยมศึกษาตอนปลาย"
    VOCATIONAL = "vocational", "อาชีวศึกษา"


def stage_of(grade: str) -> str:
    if grade.startswith("K"):
        return Stage.KINDERGARTEN
    if grade.startswith("P"):
        return Stage.PRIMARY
    if grade in ("M1", "M2", "M3"):
        return Stage.LOWER_SECONDARY
    return Stage.UPPER_SECONDARY if grade.startswith("M") else Stage.VOCATIONAL


# Until a school sets its own (DOMAIN.md, Assessment): promotion is the school committee's decision by
# level. A primary child with this many courses still at 0, ร, มส or มผ is suggested to repeat the grade;
# secondary students re-take the failed courses instead of repeating (None: never suggested to repeat).
DEFAULT_REPEAT_FROM_FAILURES: dict[str, int | None] = {
    Stage.KINDERGARTEN: None,
    Stage.PRIMARY: 3,
    Stage.LOWER_SECONDARY: None,
    Stage.UPPER_SECONDARY: None,
    Stage.VOCATIONAL: None,
}


class PromotionRule(models.Model):
    """A school's rule for one level: from how many failed courses a child is suggested to repeat the grade
    (empty: never; the failed courses are re-taken). The school's committee still decides each child."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="promotion_rules")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    repeat_from_failures = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "stage"], name="one_promotion_rule_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.school.code} {self.get_stage_display()}: {self.repeat_from_failures or '-'}"
