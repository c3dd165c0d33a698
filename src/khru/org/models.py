import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from khru.core.models import Province, Subdistrict
from khru.org.grades import Grade, english, label
from khru.org.roles import Role


class User(AbstractUser):
    """A login. What it may see comes only from its memberships (org.scope)."""


class Agency(models.Model):
    """One of the ministry's agencies, or local administration (which runs municipal schools)."""

    code = models.CharField(max_length=10, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    short_th = models.CharField(max_length=20)
    # Days after its date by which a daily register counts as on time (DHIS2's "timely days"; 0 = the same
    # day). A field of the agency, not a table of data sets: the agency sets the rule for all its schools,
    # and the daily register is the one data set measured so far; a second data set brings the table.
    register_timely_days = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.short_th


class Area(models.Model):
    """An office under an agency: service area office, provincial office, or a municipality."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="areas")
    code = models.CharField(max_length=20, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.name_th


class School(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField("ministry school code", max_length=20, unique=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="schools")
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=200, blank=True)
    subdistrict = models.ForeignKey(Subdistrict, null=True, blank=True, on_delete=models.PROTECT)
    postal_code = models.CharField(max_length=5, blank=True)
    lowest_grade = models.CharField(max_length=3, choices=Grade.choices)
    highest_grade = models.CharField(max_length=3, choices=Grade.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class AcademicYear(models.Model):
    """Academic years are data per agency: dates shift by yearly announcement."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="academic_years")
    year_be = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-year_be"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year_be"], name="one_year_per_agency"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year_be)


class Term(models.Model):
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["academic_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "number"], name="one_term_number_per_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.academic_year.year_be}"


class Classroom(models.Model):
    """A grade level and room in one school and year: ป.4/2."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classrooms")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="classrooms")
    grade = models.CharField(max_length=3, choices=Grade.choices)
    room = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["school", "academic_year", "grade", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "grade", "room"], name="one_room_per_grade"
            )
        ]

    def __str__(self) -> str:
        return f"{label(self.grade)}/{self.room}"

    @property
    def name_en(self) -> str:
        return f"{english(self.grade)}/{self.room}"


class TermLock(models.Model):
    """A school's term closed for changes: marks and scores change afterwards only by the principal, audited."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="term_locks")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="locks")
    locked_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    locked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "term"], name="one_lock_per_school_term")]

    def __str__(self) -> str:
        return f"{self.school.code} {self.term}"


class UnlockRequest(models.Model):
    """A request to reopen a closed (approved) term, with why; the principal grants or refuses it."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    granted = models.BooleanField(null=True)  # None: waiting
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "term"], condition=models.Q(granted__isnull=True), name="one_waiting_unlock"
            )
        ]

    def __str__(self) -> str:
        return f"unlock {self.school_id} {self.term_id} {self.granted}"


class Membership(models.Model):
    """A user's role in one organisation unit. The only source of access (see scope.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.CASCADE)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE)
    classroom = models.ForeignKey(
        Classroom, null=True, blank=True, on_delete=models.CASCADE, related_name="teacher_memberships"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            # At most one unit; none only for system administrators (checked in services).
            models.CheckConstraint(
                condition=(
                    Q(agency__isnull=True, area__isnull=True, school__isnull=True)
                    | Q(agency__isnull=True, area__isnull=True, classroom__isnull=True)
                    | Q(agency__isnull=True, school__isnull=True, classroom__isnull=True)
                    | Q(area__isnull=True, school__isnull=True, classroom__isnull=True)
                ),
                name="membership_one_unit",
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "role", unit],
                    condition=Q(**{f"{unit}__isnull": False}),
                    name=f"one_{unit}_role",
                )
                for unit in ("agency", "area", "school", "classroom")
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(
                    agency__isnull=True, area__isnull=True, school__isnull=True, classroom__isnull=True
                ),
                name="one_global_role",
            ),
        ]

    def __str__(self) -> str:
        unit = self.classroom or self.school or self.area or self.agency or "*"
        return f"{self.user} {self.role} @ {unit}"


class CalendarDay(models.Model):
    """One day that is not an ordinary weekday of the school calendar (DOMAIN.md, Attendance): a public
    holiday, a closure, or a make-up day (a school day on a weekend or a holiday). An agency's rows hold for
    all its schools; a school's row for the same date overrides its agency's. Every other weekday is a
    school day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "วันหยุดราชการ"
        CLOSURE = "closure", "ปิดเรียน"
        MAKEUP = "makeup", "วันเรียนชดเชย"

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_days"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_days"
    )
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name_th = models.CharField(max_length=400)
    name_en = models.CharField(max_length=400, blank=True)
    source = models.CharField(max_length=40, blank=True)  # "holidays 0.109" when loaded, blank when typed
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=True, school__isnull=False)
                | Q(agency__isnull=False, school__isnull=True),
                name="calendar_day_agency_or_school",
            ),
            models.UniqueConstraint(
                fields=["agency", "date"], condition=Q(agency__isnull=False), name="one_agency_day"
            ),
            models.UniqueConstraint(
                fields=["school", "date"], condition=Q(school__isnull=False), name="one_school_day"
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name_th}"

    @property
    def closed(self) -> bool:
        return self.kind != self.Kind.MAKEUP
