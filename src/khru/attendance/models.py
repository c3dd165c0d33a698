"""The register: a row per class, day and period that was taken, plus only the exceptions.

Most children are present most days, so "present" is not stored: a taken register with no mark for an
enrolled child means present. That keeps the tables about ten times smaller than a row per child per day,
makes a save touch only the few children who are not simply present, and lets analytics count absences
straight from the exceptions.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from khru.org.models import AcademicYear, Classroom, School, Term
from khru.people.models import Person


class AttendanceCode(models.Model):
    """Absent, sick leave, personal leave, late … as data, so a school may add its own."""

    class Kind(models.TextChoices):
        ABSENT = "absent", "ขาด"
        LEAVE = "leave", "ลา"
        LATE = "late", "สาย"

    code = models.CharField(max_length=12, unique=True)
    label_th = models.CharField(max_length=40)
    label_en = models.CharField(max_length=40)
    short_th = models.CharField(max_length=4)  # what a 360-px register shows on the button
    kind = models.CharField(max_length=8, choices=Kind.choices)
    attended = models.BooleanField(help_text="counts as attended time for the 80% rule (late does)")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label_th


class Register(models.Model):
    """A register taken: one class, one day, one period (0 = the homeroom's daily register)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="registers")
    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="registers")
    date = models.DateField()
    period = models.PositiveSmallIntegerField(default=0)
    # The course taught in a per-period register (its code, e.g. ท21101); empty for the daily register.
    course_code = models.CharField(max_length=20, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "date", "period"], name="one_register_per_period")
        ]
        indexes = [models.Index(fields=["school", "date"]), models.Index(fields=["term", "classroom"])]

    def __str__(self) -> str:
        return f"{self.classroom} {self.date} #{self.period}"


class Mark(models.Model):
    """A child who was not simply present at a register."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="marks")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance_marks")
    code = models.ForeignKey(AttendanceCode, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "person"], name="one_mark_per_child")]
        indexes = [models.Index(fields=["person", "register"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.code.code}"


class Submission(models.Model):
    """One save of a register, keyed by the phone, so a save re-sent after a lost connection counts once."""

    key = models.UUIDField(unique=True)
    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    saved_on_device_at = models.DateTimeField(
        null=True, blank=True
    )  # when the teacher pressed save, if offline
    changed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.key)


class MarkChange(models.Model):
    """History: who changed which child's mark at which register, from what to what (null = present)."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="changes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    old_code = models.ForeignKey(AttendanceCode, null=True, on_delete=models.PROTECT, related_name="+")
    new_code = models.ForeignKey(AttendanceCode, null=True, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(Submission, null=True, on_delete=models.SET_NULL, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["register", "person"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.old_code_id} → {self.new_code_id}"


class LeaveRequest(models.Model):
    """A guardian's request for leave, entered by the teacher or the school office; it pre-fills the register."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="leave_requests")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    code = models.ForeignKey(AttendanceCode, on_delete=models.PROTECT, limit_choices_to={"kind": "leave"})
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    requested_by = models.CharField(max_length=100, blank=True)  # the guardian, as named on the note
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="leave_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.code_id} {self.starts_on}–{self.ends_on}"
