"""Knowing each child: questionnaires held as data (the SDQ is one of them), answers, and care screenings.

A questionnaire is rows, not code: its answer scale, items (reverse-scored or not), subscales, which
subscales make the total, and cut-offs by respondent type. A school adds its own form the same way.
Scores and bands are stored on each response when it is recorded (and re-banded when a cut-off changes),
so reports count bands without re-scoring answers.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from khru.org.models import AcademicYear, School, Term
from khru.people.models import Person


class Respondent(models.TextChoices):
    TEACHER = "teacher", "ครู"
    PARENT = "parent", "ผู้ปกครอง"
    SELF = "self", "นักเรียนประเมินตนเอง"


class Band(models.TextChoices):
    NORMAL = "normal", "ปกติ"
    RISK = "risk", "เสี่ยง"
    PROBLEM = "problem", "มีปัญหา"


class Area(models.TextChoices):
    """The areas the student care system screens each term."""

    LEARNING = "learning", "ด้านการเรียน"
    HEALTH = "health", "ด้านสุขภาพ"
    BEHAVIOUR = "behaviour", "ด้านพฤติกรรม"
    FAMILY = "family", "ด้านครอบครัว"
    SAFETY = "safety", "ด้านความปลอดภัย"


class Questionnaire(models.Model):
    """A screening form. No school = built in for every school (SDQ); else one school's own form."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=30)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=20, default="1")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A band from this questionnaire also becomes the child's screening in this area (SDQ → behaviour).
    screening_area = models.CharField(max_length=12, choices=Area.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], condition=Q(school__isnull=True), name="one_builtin_version"
            ),
            models.UniqueConstraint(
                fields=["school", "code", "version"],
                condition=Q(school__isnull=False),
                name="one_school_form_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_th} ({self.code} v{self.version})"


class ScaleOption(models.Model):
    """One answer on a questionnaire's scale: 0 ไม่จริง, 1 ค่อนข้างจริง, 2 จริงแน่นอน."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="options")
    value = models.SmallIntegerField()
    label_th = models.CharField(max_length=60)
    label_en = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["questionnaire", "value"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "value"], name="one_option_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label_th}"


class Item(models.Model):
    """A question by number and short label; licensed wording, if a school holds it, goes in `text`."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    label_th = models.CharField(max_length=120)
    label_en = models.CharField(max_length=120, blank=True)
    text = models.TextField(blank=True)
    reverse_scored = models.BooleanField(default=False)

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="one_item_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label_th}"


class Subscale(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="subscales")
    code = models.CharField(max_length=30)
    name_th = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    in_total = models.BooleanField(default=True, help_text="sums into the total score")
    items = models.ManyToManyField(Item, related_name="subscales")

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="one_subscale_per_code")
        ]

    def __str__(self) -> str:
        return self.name_th


class CutOff(models.Model):
    """A score range giving a band, for one respondent type (blank = any) and a subscale (none = total)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="cut_offs")
    respondent = models.CharField(max_length=8, choices=Respondent.choices, blank=True)
    subscale = models.ForeignKey(Subscale, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    low = models.SmallIntegerField()
    high = models.SmallIntegerField()
    band = models.CharField(max_length=8, choices=Band.choices)

    class Meta:
        ordering = ["questionnaire", "respondent", "subscale", "low"]
        constraints = [
            models.CheckConstraint(condition=Q(high__gte=models.F("low")), name="cut_off_low_high")
        ]

    def __str__(self) -> str:
        return f"{self.respondent or '*'} {self.subscale_id or 'total'} {self.low}–{self.high} {self.band}"


class Response(models.Model):
    """One completed questionnaire about a child, with its scores and bands as they were computed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_responses")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    respondent = models.CharField(max_length=8, choices=Respondent.choices)
    respondent_name = models.CharField(max_length=100, blank=True)
    answered_on = models.DateField()
    total = models.SmallIntegerField()
    total_band = models.CharField(max_length=8, choices=Band.choices, blank=True)
    # {subscale code: {"score": n, "band": "normal" | "risk" | "problem" | ""}}
    subscale_scores = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["person", "questionnaire", "answered_on"]),
            models.Index(fields=["school", "academic_year", "questionnaire", "total_band"]),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} {self.person_id} {self.answered_on}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class Screening(models.Model):
    """A child's status in one care area for a term. Never overwritten: the latest row per area is current."""

    class Source(models.TextChoices):
        TEACHER = "teacher", "ครูประเมิน"
        DERIVED = "derived", "จากแบบประเมิน"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screenings")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=12, choices=Area.choices)
    status = models.CharField(max_length=8, choices=Band.choices)
    reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.TEACHER)
    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["term", "person", "area"]),
            models.Index(fields=["school", "term", "area", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.area} {self.status}"


class CareNote(models.Model):
    """A dated note a teacher writes about a child. An edit keeps the earlier wording as a version; a delete
    only marks the note deleted (audited), so the record of what was written is never lost."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_notes")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=12, choices=Area.choices, blank=True)
    noted_on = models.DateField()
    text = models.TextField()
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["person", "noted_on"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.noted_on} v{self.version}"


class CareNoteVersion(models.Model):
    """The wording of a note before an edit (version n was replaced by version n + 1)."""

    note = models.ForeignKey(CareNote, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    area = models.CharField(max_length=12, choices=Area.choices, blank=True)
    noted_on = models.DateField()
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["note", "-version"]
        constraints = [models.UniqueConstraint(fields=["note", "version"], name="one_care_note_version")]

    def __str__(self) -> str:
        return f"{self.note_id} v{self.version}"


class Case(models.Model):
    """A child followed up after an early warning: why, who is responsible, and how it ended. Its actions
    are the child's interventions recorded while it is open (one list of help, not two)."""

    class Outcome(models.TextChoices):
        BACK_IN_CLASS = "back_in_class", "กลับมาเรียนตามปกติ"
        IMPROVED = "improved", "ดีขึ้น"
        TRANSFERRED = "transferred", "ย้ายสถานศึกษา"
        LEFT_SCHOOL = "left_school", "ออกจากโรงเรียน"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_cases")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField()  # the warning's reasons in Thai, as shown when the case was opened
    chance = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)  # the model's, 0–1
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="care_cases"
    )
    opened_on = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(closed_on__isnull=True), name="one_open_case_per_child"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, outcome="")
                | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="case_closed_with_outcome",
            ),
        ]
        indexes = [models.Index(fields=["school", "opened_on"])]

    def __str__(self) -> str:
        return f"case {self.person_id} {self.opened_on}"


class Intervention(models.Model):
    """What was done to help a child, by whom, how it stands, when to follow up and how it turned out."""

    class Kind(models.TextChoices):
        COUNSELLING = "counselling", "ให้คำปรึกษา"
        REMEDIAL = "remedial", "สอนซ่อมเสริม"
        PARENT_MEETING = "parent_meeting", "พบผู้ปกครอง"
        HOME_VISIT = "home_visit", "เยี่ยมบ้าน"
        BEHAVIOUR_PLAN = "behaviour_plan", "ปรับพฤติกรรม"
        HEALTH_REFERRAL = "health_referral", "ส่งต่อสถานพยาบาล"
        SOCIAL_REFERRAL = "social_referral", "ส่งต่อนักสังคมสงเคราะห์"
        POLICE_REFERRAL = "police_referral", "ส่งต่อตำรวจ"
        SCHOLARSHIP = "scholarship", "ทุนการศึกษา"
        EEF_APPLICATION = "eef", "ยื่นขอทุนกองทุนเพื่อความเสมอภาคทางการศึกษา (กสศ.)"
        OTHER = "other", "อื่น ๆ"

    class Status(models.TextChoices):
        PLANNED = "planned", "วางแผนไว้"
        IN_PROGRESS = "in_progress", "กำลังดำเนินการ"
        DONE = "done", "เสร็จสิ้น"
        REFERRED = "referred", "ส่งต่อแล้ว"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interventions")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=12, choices=Area.choices, blank=True)
    # The follow-up case the help belongs to (recorded while the child's case was open).
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    responsible = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    started_on = models.DateField()
    follow_up_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    referred_to = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["person", "started_on"]),
            models.Index(fields=["school", "status", "follow_up_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=models.F("started_on")),
                name="intervention_follow_up_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.status}"


class InterventionChange(models.Model):
    """One update of an intervention: {field: [old, new]}, who and when."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="changes")
    changes = models.JSONField(default=dict)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["intervention", "-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.intervention_id} {self.changed_at}"
