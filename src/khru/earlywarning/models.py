"""Early warning's own tables: the rule baselines an area office edits."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from khru.org.models import Area


class AbcRule(models.Model):
    """The ABC rule (Balfanz and colleagues) for an area's schools: a child is flagged on Attendance under
    a threshold, a Behaviour screening at risk or worse, or Course failures in the core subjects. An area
    without a row uses the defaults below, the published rule."""

    class Behaviour(models.TextChoices):
        RISK = "risk", "เสี่ยงหรือมีปัญหา"
        PROBLEM = "problem", "มีปัญหาเท่านั้น"

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="abc_rule")
    attendance_below = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("90.0")
    )  # % of school days
    behaviour_from = models.CharField(max_length=8, choices=Behaviour.choices, default=Behaviour.RISK)
    failed_core_courses = models.PositiveSmallIntegerField(default=1)  # 0/ร/มส in Thai or maths, latest term
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_below__gte=0, attendance_below__lte=100), name="abc_attendance_percent"
            ),
            models.CheckConstraint(condition=Q(failed_core_courses__gte=1), name="abc_failures_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"ABC {self.area_id}: < {self.attendance_below}%"


class RiskModel(models.Model):
    """An area's trained risk model with its held-out evaluation. The newest row scores the children; the
    model itself is a pickle of scikit-learn objects written by `khru evaluate_risk`, never by a user."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="risk_models")
    trained_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=12)  # risk.BOOSTING or risk.LOGISTIC, whichever validated better
    features = models.JSONField()  # input names, in order
    typical = models.JSONField()  # the training median of each input (the reasons' point of comparison)
    trained_on = models.JSONField()  # the as-of days of the training years
    evaluation = models.JSONField()  # figures on the held-out year, beside the ABC rule's
    blob = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["area", "-trained_at"])]

    def __str__(self) -> str:
        return f"risk model {self.area_id} {self.trained_at:%Y-%m-%d}"


class RiskScore(models.Model):
    """One child's warning on one day, written by the daily scoring (`khru score_risk`): what the area's
    offices count and learn from without reading a child's reasons."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    chance = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)  # none: no model
    abc = models.BooleanField()  # the ABC rule trips
    flagged = models.BooleanField()  # the rule trips or the chance is in the top tenth

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "as_of"], name="one_risk_score_a_day")]
        indexes = [models.Index(fields=["area", "as_of", "school"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.as_of} {'flagged' if self.flagged else '-'}"


class OnTrackRule(models.Model):
    """On track for a level (the second rule baseline): at most so many failed Thai or mathematics
    courses in the latest term and attendance at least so much this term. No row: the defaults below."""

    class Level(models.TextChoices):
        PRIMARY = "P", "ประถมศึกษา"
        LOWER = "M", "มัธยมศึกษาตอนต้น"
        UPPER = "U", "มัธยมศึกษาตอนปลาย"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="on_track_rules")
    level = models.CharField(max_length=1, choices=Level.choices)
    max_failed_core = models.PositiveSmallIntegerField(default=1)
    min_attendance = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("90.0"))  # %
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "level"], name="one_on_track_rule_per_level"),
            models.CheckConstraint(
                condition=Q(min_attendance__gte=0, min_attendance__lte=100),
                name="on_track_attendance_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"on track {self.area_id} {self.level}"

    @staticmethod
    def level_of(grade: str) -> str | None:
        if grade in ("M4", "M5", "M6"):
            return OnTrackRule.Level.UPPER
        return grade[:1] if grade[:1] in ("P", "M") else None
