"""The gradebook: courses of a class in a term, their assessment items, scores, and the computed results.

Scores are the only typed facts; a result (percentage, grade, ร, มส) is derived from scores and the attendance
register and stored so reports and transcripts read one row per course and child.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from khru.assessment.rules import ROLL_UPS, YEAR_ASPECTS
from khru.org.grades import Grade as ClassGrade
from khru.org.models import AcademicYear, Agency, Classroom, School, Term
from khru.people.models import Person


class Course(models.Model):
    """A subject taught to one class section in one term (รายวิชา), e.g. ท14101 ภาษาไทย."""

    class Kind(models.TextChoices):
        CORE = "core", "รายวิชาพื้นฐาน"
        ADDITIONAL = "additional", "รายวิชาเพิ่มเติม"
        ACTIVITY = "activity", "กิจกรรมพัฒนาผู้เรียน"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="courses")
    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="courses")
    code = models.CharField(max_length=20)
    name_th = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CORE)
    credits = models.DecimalField(max_digits=3, decimal_places=1, default=0)
    hours = models.PositiveSmallIntegerField(help_text="planned hours in the term: the base of the 80% rule")
    coursework_share = models.PositiveSmallIntegerField(default=70)
    final_share = models.PositiveSmallIntegerField(default=30)
    indicators = models.JSONField(default=list, blank=True)  # indicator codes, e.g. "ท 1.1 ป.4/1"
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["classroom", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "term", "code"], name="one_course_code_per_class_term"
            ),
            models.CheckConstraint(
                condition=Q(coursework_share__lte=100) & Q(final_share=100 - F("coursework_share")),
                name="course_shares_make_100",
            ),
            models.CheckConstraint(condition=Q(credits__gte=0), name="course_credits_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="activity") | Q(credits=0), name="activity_has_no_credits"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_has_hours"),
        ]
        indexes = [models.Index(fields=["term", "classroom"]), models.Index(fields=["teacher", "term"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @property
    def is_activity(self) -> bool:
        return self.kind == self.Kind.ACTIVITY


class AssessmentItem(models.Model):
    """One thing scored: a quiz, a project, the final exam."""

    class Part(models.TextChoices):
        COURSEWORK = "coursework", "ระหว่างภาค"
        FINAL = "final", "ปลายภาค"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(max_length=120)
    part = models.CharField(max_length=10, choices=Part.choices, default=Part.COURSEWORK)
    max_score = models.DecimalField(max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)
    indicators = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(max_score__gt=0), name="item_max_score_positive")]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_score})"


class Score(models.Model):
    """A child's score on one item. Only scored work has a row: no row means no score yet."""

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="scores")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="one_score_per_item_child"),
            models.CheckConstraint(condition=Q(score__gte=0), name="score_not_negative"),
        ]
        indexes = [models.Index(fields=["person", "item"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.score}"


class ScoreChange(models.Model):
    """History: who changed which score from what to what (null = no score)."""

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="changes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    old_score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    new_score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    after_lock = models.BooleanField(default=False)  # a principal's change after the term was closed

    class Meta:
        indexes = [models.Index(fields=["item", "person"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.old_score} → {self.new_score}"


class Grade(models.TextChoices):
    G4 = "4", "4"
    G35 = "3.5", "3.5"
    G3 = "3", "3"
    G25 = "2.5", "2.5"
    G2 = "2", "2"
    G15 = "1.5", "1.5"
    G1 = "1", "1"
    G0 = "0", "0"
    PENDING = "ร", "ร (รอการตัดสิน)"
    BARRED = "มส", "มส (ไม่มีสิทธิ์สอบ)"
    PASS = "ผ", "ผ (ผ่าน)"
    FAIL = "มผ", "มผ (ไม่ผ่าน)"


class Rating(models.IntegerChoices):
    EXCELLENT = 3, "ดีเยี่ยม"
    GOOD = 2, "ดี"
    PASS = 1, "ผ่าน"
    FAIL = 0, "ไม่ผ่าน"


class Decision(models.TextChoices):
    RESTUDY = "restudy", "เรียนซ้ำรายวิชา"
    REPLACE = "replace", "เปลี่ยนรายวิชาใหม่"  # an additional course only


class Result(models.Model):
    """A child's result in a course, computed from scores and attendance; stored for reports (ปพ.1, ปพ.5)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="course_results")
    grade = models.CharField(max_length=3, choices=Grade.choices)
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    # Attendance behind มส, as it stood when computed (sessions held, sessions missed, planned).
    sessions = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    planned = models.PositiveIntegerField(default=0)
    # The first 0 / ร / มส, kept once a remedial step changes the grade; each step is a RemedialStep.
    original_grade = models.CharField(max_length=3, choices=Grade.choices, blank=True)
    remedied_at = models.DateTimeField(null=True, blank=True)
    # The committee's decision after the re-tests (or มส below the attendance floor): re-study or replace.
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    reading_rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    character_rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="one_result_per_course_child"),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="result_grade_known"),
            models.CheckConstraint(
                condition=Q(original_grade__in=["", "0", "ร", "มส"]), name="remedial_starts_from_0_r_ms"
            ),
            # The cap is the agency's (data), so the grade a step records is checked by the service.
            models.CheckConstraint(
                condition=Q(decision="") | Q(grade__in=["0", "มส"]), name="decision_only_for_0_or_ms"
            ),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__gte=0, percentage__lte=100),
                name="result_percentage_0_100",
            ),
        ]
        indexes = [models.Index(fields=["person", "course"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.course_id}: {self.grade}"

    @property
    def needs_remedy(self) -> bool:
        """Still at 0, ร or มส with no decision taken: the results page offers the next step."""
        return self.grade in REMEDIABLE and not self.decision


REMEDIABLE = ("0", "ร", "มส")


class RemedialStep(models.Model):
    """One step on a child's way out of 0, ร or มส; the steps in order are the child's path."""

    class Kind(models.TextChoices):
        WORK_IN = "work_in", "ส่งงานที่ค้าง ตัดสินผลตามปกติ"  # ร: graded 0–4
        RETEST = "retest", "สอบแก้ตัว"  # 0: after remedial teaching, capped
        EXTRA_WORK = "extra_work", "ทำงานเพิ่มเติมแล้วสอบ"  # มส at or above the floor, capped
        DECISION = "decision", "มติคณะกรรมการ"  # re-study, or replace an additional course

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    grade_before = models.CharField(max_length=3, choices=Grade.choices)
    grade_after = models.CharField(max_length=3, choices=Grade.choices)
    grade_earned = models.CharField(max_length=3, choices=Grade.choices, blank=True)  # before the cap
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    attended_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["result", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="decision", decision__in=Decision.values)
                | (~Q(kind="decision") & Q(decision="")),
                name="step_decision_only_on_decisions",
            )
        ]

    def __str__(self) -> str:
        return f"{self.result_id} {self.kind}: {self.grade_before} → {self.grade_after}"


class AssessmentRules(models.Model):
    """An agency's remedial limits (DOMAIN.md: "keep the limits as data per agency"); none: the defaults."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="assessment_rules")
    zero_retests = models.PositiveSmallIntegerField(default=2)
    remedial_cap = models.CharField(max_length=3, choices=Grade.choices, default=Grade.G1)
    barred_floor_percent = models.PositiveSmallIntegerField(default=60)

    class Meta:
        verbose_name_plural = "assessment rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(remedial_cap__in=["0", "1", "1.5", "2", "2.5", "3", "3.5", "4"]),
                name="remedial_cap_is_a_grade",
            ),
            models.CheckConstraint(condition=Q(barred_floor_percent__lte=100), name="floor_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.zero_retests} re-tests, cap {self.remedial_cap}"


ASPECT_CHOICES = [(a.code, a.th) for a in YEAR_ASPECTS]
RATING_VALUES = Q(rating__gte=0, rating__lte=3)


class YearResultRule(models.Model):
    """How a school turns the year's course ratings into the year result (rules.ROLL_UPS); none: the default."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="year_result_rule")
    method = models.CharField(max_length=10, choices=[(r.code, r.th) for r in ROLL_UPS.values()])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(method__in=list(ROLL_UPS)), name="year_rule_method_known")
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.method}"


class YearRating(models.Model):
    """A child's year result in one aspect (rules.YEAR_ASPECTS), as the homeroom teacher entered it.

    Values rolled up from the courses are never stored: selectors.year_ratings derives them on every read, so a
    changed course rating or school rule shows at once. A row here is either a value nobody can derive (the 8
    characteristics, the 5 competencies, or reading where no course is rated) or a derived value overridden,
    with the reason.
    """

    class Source(models.TextChoices):
        ENTERED = "entered", "ครูประจำชั้นประเมิน"
        OVERRIDE = "override", "ครูประจำชั้นแก้ผลที่คำนวณจากรายวิชา"

    # person and classroom lead the unique constraint and the index below: no index of their own (the demo
    # writes a quarter of a million of these rows; every index costs on each).
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="year_ratings", db_index=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    # The class whose homeroom teacher entered it: the unit the access policy reaches it through.
    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="+", db_index=False)
    aspect = models.CharField(max_length=16, choices=ASPECT_CHOICES)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "academic_year", "aspect"], name="one_year_rating_per_child_aspect"
            ),
            models.CheckConstraint(
                condition=Q(aspect__in=[a.code for a in YEAR_ASPECTS]), name="year_aspect_known"
            ),
            models.CheckConstraint(condition=RATING_VALUES, name="year_rating_0_3"),
            models.CheckConstraint(
                condition=Q(source="entered") | (Q(source="override") & ~Q(reason="")),
                name="year_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["classroom", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.aspect}: {self.rating}"


class YearRatingChange(models.Model):
    """History: every year result entered, corrected or cleared (null = no entered value)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)  # see Meta
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="+")
    aspect = models.CharField(max_length=16, choices=ASPECT_CHOICES)
    old_rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True)
    new_rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True)
    source = models.CharField(max_length=10, choices=YearRating.Source.choices, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    after_lock = models.BooleanField(default=False)  # a principal's change after the year's last term closed
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["person", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.aspect}: {self.old_rating} → {self.new_rating}"


class CurriculumTemplate(models.Model):
    """An agency's time structure for one grade level (โครงสร้างเวลาเรียน): the courses and activities every
    class of that level studies; a school sets up a year's courses from it in one action, then adjusts."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="curriculum_templates")
    grade = models.CharField(max_length=3, choices=ClassGrade.choices)
    name = models.CharField(max_length=120)  # which curriculum, e.g. หลักสูตรแกนกลาง 2551 (ฉบับปรับปรุง 2560)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "grade"], name="one_template_per_agency_grade")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.grade}: {self.name}"


class TemplateCourse(models.Model):
    """One course or activity of a template. Primary courses count hours a year; secondary ones credits a
    term (hours = credits × 40); activities count hours and are graded ผ/มผ."""

    template = models.ForeignKey(CurriculumTemplate, on_delete=models.CASCADE, related_name="courses")
    kind = models.CharField(max_length=10, choices=Course.Kind.choices)
    area = models.CharField(max_length=1)  # the learning area's letter (ท ค ว ส พ ศ ง อ), ก for activities
    number = models.PositiveSmallIntegerField()  # the course's place among its area's courses: the code's end
    name_th = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    hours_per_year = models.PositiveSmallIntegerField(default=0)
    credits_per_term = models.DecimalField(max_digits=3, decimal_places=1, default=0)

    class Meta:
        ordering = ["template", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "kind", "area", "number"], name="one_template_course_per_code"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_year__gt=0) | Q(credits_per_term__gt=0), name="template_course_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(kind="activity") | Q(credits_per_term=0), name="template_activity_has_no_credits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.name_th}"
