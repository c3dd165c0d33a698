from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name_th = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name_th


class District(models.Model):
    code = models.CharField(max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    name_th = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name_th


class Subdistrict(models.Model):
    code = models.CharField(max_length=6, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    name_th = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=5)

    def __str__(self) -> str:
        return self.name_th


class AuditEvent(models.Model):
    """Who did what, when: every write, and every read of a child's sensitive data."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        READ = "read", _("read")
        IMPORT = "import", _("imported")
        EXPORT = "export", _("exported")
        LOGIN = "login", _("signed in")
        LOGOUT = "logout", _("signed out")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    # A plain integer, not a key: the audit trail outlives the rows it describes.
    school_id = models.BigIntegerField(null=True, blank=True)
    # The person the event is about (a child, a teacher), so a PDPA access request finds every read and write.
    person_id = models.BigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["school_id", "at"]),
            models.Index(fields=["person_id", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}:{self.object_id}"


def acting_user() -> "models.ForeignKey[Any, Any]":
    """A field for the user who recorded (or registered) a row: kept, as null, if the account goes, and
    with no reverse accessor on the user."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
