"""Issued documents (for the public verification page) and background report runs."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from khru.org.models import Area, School


class IssuedDocument(models.Model):
    """A PDF Khru generated: its short code is printed on every page, its hash proves it is unaltered."""

    code = models.CharField(max_length=12, unique=True)
    sha256 = models.CharField(max_length=64)
    report_code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.code} {self.report_code}"


class ReportRun(models.Model):
    """A report generated in the background: progress while it runs, the file when it is done."""

    class Status(models.TextChoices):
        QUEUED = "queued", "รอคิว"
        RUNNING = "running", "กำลังสร้าง"
        DONE = "done", "เสร็จแล้ว"
        FAILED = "failed", "ไม่สำเร็จ"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Hash of report, parameters, format and requester: the same request while one is in flight is one run.
    request_key = models.CharField(max_length=64)
    report_code = models.CharField(max_length=40)
    format = models.CharField(max_length=4)
    extension = models.CharField(max_length=4, default="")  # zip: per-class PDFs of a whole school
    params = models.JSONField(default=dict)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    document_code = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request_key"],
                condition=Q(status__in=["queued", "running"]),
                name="one_run_in_flight_per_request",
            )
        ]
        indexes = [models.Index(fields=["requested_by", "created_at"])]

    def __str__(self) -> str:
        return f"{self.report_code} {self.format} {self.status}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else (100 if self.status == "done" else 0)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
