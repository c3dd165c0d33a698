from django import forms
from django.utils.translation import gettext_lazy as _

from khru.core.forms import BEDateField


class LeaveForm(forms.Form):
    student = forms.ChoiceField(label=_("Student"))
    code = forms.ChoiceField(label=_("Kind of leave"), choices=[("sick", "ลาป่วย"), ("personal", "ลากิจ")])
    starts_on = BEDateField(label=_("From"))
    ends_on = BEDateField(label=_("To"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    requested_by = forms.CharField(label=_("Requested by (guardian)"), max_length=100, required=False)

    def set_students(self, choices: list[tuple[int, str]]) -> None:
        self.fields["student"].choices = choices  # type: ignore[attr-defined]
