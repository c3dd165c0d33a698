from django import forms
from django.utils.translation import gettext_lazy as _

from khru.care.models import Area, Band, Intervention, Respondent
from khru.core.forms import BEDateField


class ScreeningForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Band.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class QuestionnaireForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    scale = forms.CharField(
        label=_("Answers, one per line: value then label"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="0 ไม่ใช่\n1 บางครั้ง\n2 ใช่",
    )
    items = forms.CharField(
        label=_("Items, one per line; start with * for a reverse-scored item"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    normal_max = forms.IntegerField(label=_("Normal up to (total score)"))
    risk_max = forms.IntegerField(label=_("At risk up to (above: problem)"))


class ResponseHeadForm(forms.Form):
    """Who answered and when; the answers themselves are the radio rows named item-<number>."""

    respondent = forms.ChoiceField(
        label=_("Answered by"), choices=Respondent.choices, initial=Respondent.TEACHER
    )
    respondent_name = forms.CharField(label=_("Name of the person answering"), max_length=100, required=False)
    answered_on = BEDateField(label=_("Date answered"))


class NoteForm(forms.Form):
    """Text fields are not required here: the service names an empty note in Thai and English."""

    area = forms.ChoiceField(label=_("Area"), choices=[("", "—"), *Area.choices], required=False)
    noted_on = BEDateField(label=_("Date"), required=False)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of help"), choices=Intervention.Kind.choices)
    area = forms.ChoiceField(label=_("Area"), choices=[("", "—"), *Area.choices], required=False)
    description = forms.CharField(
        label=_("What is done"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    responsible = forms.CharField(label=_("Responsible person"), max_length=150, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Intervention.Status.choices)
    started_on = BEDateField(label=_("Started on"), required=False)
    follow_up_on = BEDateField(label=_("Follow up on"), required=False)
    referred_to = forms.CharField(label=_("Referred to"), max_length=200, required=False)


class InterventionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Intervention.Status.choices)
    follow_up_on = BEDateField(label=_("Follow up on"), required=False)
    referred_to = forms.CharField(label=_("Referred to"), max_length=200, required=False)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
