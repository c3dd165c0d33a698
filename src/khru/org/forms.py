from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khru.core.forms import BEDateField
from khru.core.models import AuditEvent
from khru.org.grades import Grade
from khru.org.models import CalendarDay
from khru.org.roles import Role


class ClassroomForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    room = forms.IntegerField(label=_("Room"), min_value=1, max_value=99)


class CalendarDayForm(forms.Form):
    date = BEDateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind of day"), choices=CalendarDay.Kind.choices)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=400)
    name_en = forms.CharField(label=_("Name (English)"), max_length=400, required=False)


class TeacherForm(forms.Form):
    teacher = forms.ChoiceField(label=_("Teacher"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Role.HOMEROOM_TEACHER.value, Role.HOMEROOM_TEACHER.label),
                 (Role.SUBJECT_TEACHER.value, Role.SUBJECT_TEACHER.label)],
    )  # fmt: skip

    def set_teachers(self, choices: list[tuple[int, str]]) -> None:
        self.fields["teacher"].choices = choices  # type: ignore[attr-defined]


class AuditFilterForm(forms.Form):
    """The audit page's filters (GET): every field optional."""

    person = forms.CharField(label=_("Citizen ID of the person"), required=False, max_length=20)
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = BEDateField(label=_("From"), required=False)
    date_to = BEDateField(label=_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any")), *AuditEvent.Action.choices]  # type: ignore[attr-defined]
