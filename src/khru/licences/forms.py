from django import forms
from django.utils.translation import gettext_lazy as _

from khru.core.forms import BEDateField
from khru.licences.models import LicenceTier, LicenceType


class RenewalForm(forms.Form):
    """The activities are checkboxes named `activity` (the holder's record book rows), read by the view."""

    attachment = forms.FileField(
        label=_("Supporting document (optional, PDF or image, at most 5 MB)"), required=False
    )
    note = forms.CharField(label=_("Note to the Teachers Council"), max_length=500, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=500, required=False)


class RecordLicenceForm(forms.Form):
    citizen_id = forms.CharField(label=_("Holder's citizen ID"), max_length=20)
    licence_type = forms.ModelChoiceField(label=_("Licence type"), queryset=LicenceType.objects.all())
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=LicenceTier.objects.all(), required=False)
    number = forms.CharField(
        label=_("Licence number (blank: give the next one)"), max_length=20, required=False
    )
    issued_on = BEDateField(label=_("Issued on"))
    expires_on = BEDateField(label=_("Expires on (blank: by the tier's duration)"), required=False)


class ResultsImportForm(forms.Form):
    file = forms.FileField(label=_("Results file (CSV: citizen_id, subject, score)"))
