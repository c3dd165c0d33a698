"""The teacher record book: what a teacher did to develop, and (added later) career, standing and PA.

A development activity is entered once (by the teacher, or imported from a training provider) and then
read by the record book, the PA check and a licence renewal, which attaches activities instead of
uploading documents again.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
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
