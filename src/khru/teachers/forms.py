from django import forms
from django.utils.translation import gettext_lazy as _

from khru.core.forms import BEDateField
from khru.teachers.models import ActivityKind, Award, DisciplineLevel, Position, Standing


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Name of the activity"), max_length=300)
    provider = forms.CharField(label=_("Organised by"), max_length=200, required=False)
    started_on = BEDateField(label=_("From"))
    ended_on = BEDateField(label=_("To"))
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=6, decimal_places=1)
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPEG or PNG, up to 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class AppointmentForm(forms.Form):
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    school_code = forms.CharField(
        label=_("School code (or leave empty for an agency office)"), required=False
    )
    agency_code = forms.CharField(label=_("Agency code (when not at a school)"), required=False)
    started_on = BEDateField(label=_("From"))
    ended_on = BEDateField(label=_("To (empty: still in post)"), required=False)
    order_ref = forms.CharField(label=_("Order"), max_length=100, required=False)
    end_current = forms.BooleanField(
        label=_("End the current appointment the day before (a move or promotion)"), required=False
    )


class StandingForm(forms.Form):
    standing = forms.ChoiceField(label=_("Academic standing"), choices=Standing.choices)
    since = BEDateField(label=_("Since"))
    order_ref = forms.CharField(label=_("Order"), max_length=100, required=False)


class PAForm(forms.Form):
    fiscal_year_be = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    agreed_on = BEDateField(label=_("Agreed on"))
    assessor_1 = forms.CharField(label=_("Assessor 1"), max_length=200, required=False)
    score_1 = forms.DecimalField(label=_("Score 1 (%)"), required=False, max_digits=5, decimal_places=2)
    assessor_2 = forms.CharField(label=_("Assessor 2"), max_length=200, required=False)
    score_2 = forms.DecimalField(label=_("Score 2 (%)"), required=False, max_digits=5, decimal_places=2)
    assessor_3 = forms.CharField(label=_("Assessor 3"), max_length=200, required=False)
    score_3 = forms.DecimalField(label=_("Score 3 (%)"), required=False, max_digits=5, decimal_places=2)
    assessed_on = BEDateField(label=_("Assessed on"), required=False)


class AwardForm(forms.Form):
    title = forms.CharField(label=_("Award"), max_length=300)
    given_by = forms.CharField(label=_("Given by"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Award.Level.choices)
    awarded_on = BEDateField(label=_("Date"))


class DisciplineForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Penalty"), choices=DisciplineLevel.choices, coerce=int)
    decided_on = BEDateField(label=_("Date of the order"))
    order_ref = forms.CharField(label=_("Order"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CompletionUploadForm(forms.Form):
    provider = forms.ChoiceField(label=_("Training provider"))
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args: object, providers: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["provider"].choices = providers  # type: ignore[attr-defined]


class ProviderForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)


class CourseForm(forms.Form):
    provider = forms.ChoiceField(label=_("Training provider"))
    code = forms.CharField(label=_("Course code"), max_length=50)
    title = forms.CharField(label=_("Course name"), max_length=300)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=1)

    def __init__(self, *args: object, providers: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["provider"].choices = providers  # type: ignore[attr-defined]
