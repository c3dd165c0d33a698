"""Summary tables the dashboards read, so a page never scans raw marks or scores (Zulip's analytics pattern).

Each row is a count derived from the facts (registers and their exceptions, course results, measurements).
A save recounts only its own class's rows (class-days, month codes, a course's grade counts), in its own
transaction; the school roll-up (`SchoolMonth`) is recounted after commit by a queued task, one pending per
school and month (`PendingRefresh`), so no row that every teacher of a school writes is on the save path.
Nutrition is rebuilt by the `refresh_insights` task. `FillState` says when each table was last rebuilt, and
every page shows how fresh its figures are.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from khru.assessment.models import Course
from khru.org.models import AcademicYear, Classroom, School, Term


class FillState(models.Model):
    """When a summary table was last rebuilt from the facts (`refresh_insights`); saves never write it."""

    table = models.CharField(max_length=40, unique=True)
    as_of = models.DateTimeField()  # the last full rebuild

    def __str__(self) -> str:
        return f"{self.table} @ {self.as_of}"


class PendingRefresh(models.Model):
    """A school's month whose roll-up waits for its queued recount: however many saves, one row and one task.
    The oldest one is how far behind the area pages may be."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "month"], name="one_pending_refresh")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.month} queued {self.queued_at}"


class ClassDay(models.Model):
    """One class's daily register on one day: children enrolled, and the exceptions by kind. The girls'
    share is kept beside the total so analysis by sex needs no second row per day."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(max_length=3)  # the classroom's grade level, copied for grouping
    date = models.DateField()
    month = models.DateField()  # the first day of the date's month, for grouping without date functions
    weekday = models.PositiveSmallIntegerField()  # Monday = 0
    enrolled = models.PositiveIntegerField(default=0)
    absent = models.PositiveIntegerField(default=0)
    leave = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)  # not attended (absent + leave): the rate's numerator
    enrolled_female = models.PositiveIntegerField(default=0)
    missed_female = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "date"], name="one_class_day"),
            models.CheckConstraint(condition=Q(missed__lte=models.F("enrolled")), name="class_day_missed_le"),
        ]
        indexes = [models.Index(fields=["school", "academic_year", "date"])]

    def __str__(self) -> str:
        return f"{self.classroom_id} {self.date}: {self.missed}/{self.enrolled}"


class SchoolMonth(models.Model):
    """A school's daily registers in one month, summed from its class-days: what the area and national
    pages read, so comparing schools over three years touches a few hundred rows, not every class-day."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    enrolled = models.PositiveIntegerField(default=0)
    absent = models.PositiveIntegerField(default=0)
    leave = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    enrolled_female = models.PositiveIntegerField(default=0)
    missed_female = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year", "month"], name="one_school_month"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.month}: {self.missed}/{self.enrolled}"


class ClassMonthCode(models.Model):
    """Exceptions of one class in one month by attendance code: the reasons behind the absences."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    code = models.CharField(max_length=12)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "month", "code"], name="one_class_month_code"),
        ]
        indexes = [models.Index(fields=["school", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.classroom_id} {self.month} {self.code}: {self.count}"


class GradeCount(models.Model):
    """How many children of one sex got each grade in one course."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    grade_level = models.CharField(max_length=3)
    subject = models.CharField(max_length=4)  # the learning area: the first letter of the course code
    sex = models.CharField(max_length=1, blank=True)
    grade = models.CharField(max_length=3)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "sex", "grade"], name="one_grade_count"),
        ]
        indexes = [models.Index(fields=["school", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.course_id} {self.grade}: {self.count}"


class NutritionCount(models.Model):
    """Children of one grade level and sex by their latest weight-for-height band in a term."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    grade_level = models.CharField(max_length=3)
    sex = models.CharField(max_length=1, blank=True)
    band = models.CharField(max_length=16)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "term", "grade_level", "sex", "band"], name="one_nutrition_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.term_id} {self.band}: {self.count}"


class Goal(models.Model):
    """A school's target for one indicator in one academic year, set by its area office."""

    class Indicator(models.TextChoices):
        ATTENDANCE = "attendance", "อัตราการมาเรียน (%)"
        GRADE_0 = "grade_0", "สัดส่วนผลการเรียน 0 (%)"
        GRADE_3_UP = "grade_3_up", "สัดส่วนผลการเรียน 3 ขึ้นไป (%)"
        PROPORTIONATE = "proportionate", "สัดส่วนเด็กสมส่วน (%)"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="goals")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=16, choices=Indicator.choices)
    target = models.DecimalField(max_digits=5, decimal_places=1)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "indicator"], name="one_goal_per_indicator"
            ),
            models.CheckConstraint(condition=Q(target__gte=0, target__lte=100), name="goal_target_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.academic_year_id} {self.indicator} {self.target}"
