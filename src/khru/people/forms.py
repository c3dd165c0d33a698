from django import forms
from django.utils.translation import gettext_lazy as _

from khru.core.forms import BEDateField
from khru.org.grades import Grade
from khru.people.models import BloodGroup, Disability, Disadvantage, DropoutReason, EndReason, Religion, Sex
from khru.people.validation import PersonData, parse_sex

NONE = [("", "—")]


class PersonForm(forms.Form):
    citizen_id = forms.CharField(label=_("Citizen ID or G code"), max_length=20)
    name_prefix = forms.CharField(label=_("Title"), max_length=30)
    first_name_th = forms.CharField(label=_("First name (Thai)"), max_length=100)
    last_name_th = forms.CharField(label=_("Last name (Thai)"), max_length=100)
    first_name_en = forms.CharField(label=_("First name (English)"), max_length=100, required=False)
    last_name_en = forms.CharField(label=_("Last name (English)"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = BEDateField(label=_("Birth date"))
    house_no = forms.CharField(label=_("House number and street"), max_length=100, required=False)
    subdistrict_code = forms.CharField(label=_("Subdistrict code"), max_length=6, required=False)
    postal_code = forms.CharField(label=_("Postcode"), max_length=5, required=False)
    blood_group = forms.ChoiceField(label=_("Blood group"), choices=NONE + BloodGroup.choices, required=False)
    religion = forms.ChoiceField(label=_("Religion"), choices=NONE + Religion.choices, required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=50, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=50, required=False)
    disability = forms.ChoiceField(
        label=_("Disability"), choices=[("", _("None")), *Disability.choices], required=False
    )
    disadvantage = forms.ChoiceField(
        label=_("Disadvantage"), choices=[("", _("None")), *Disadvantage.choices], required=False
    )

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            citizen_id=data["citizen_id"],
            prefix=data["name_prefix"],
            first_name_th=data["first_name_th"],
            last_name_th=data["last_name_th"],
            first_name_en=data.get("first_name_en", ""),
            last_name_en=data.get("last_name_en", ""),
            sex=parse_sex(data["sex"]),
            birth_date=data["birth_date"],
            house_no=data.get("house_no", ""),
            subdistrict_code=data.get("subdistrict_code", ""),
            postal_code=data.get("postal_code", ""),
            blood_group=data.get("blood_group", ""),
            religion=data.get("religion", ""),
            ethnicity=data.get("ethnicity", ""),
            nationality=data.get("nationality", ""),
            disability=data.get("disability", ""),
            disadvantage=data.get("disadvantage", ""),
        )


class CensusForm(forms.Form):
    """The DMC census facts alone, for correcting an enrolled student."""

    blood_group = PersonForm.base_fields["blood_group"]
    religion = PersonForm.base_fields["religion"]
    ethnicity = PersonForm.base_fields["ethnicity"]
    nationality = PersonForm.base_fields["nationality"]
    disability = PersonForm.base_fields["disability"]
    disadvantage = PersonForm.base_fields["disadvantage"]


class PlacementForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    room = forms.IntegerField(label=_("Room"), min_value=1, max_value=99, required=False)
    student_number = forms.CharField(label=_("Student number"), max_length=20, required=False)
    starts_on = BEDateField(label=_("Start date"))


class EnrolForm(PersonForm, PlacementForm):
    pass


class TransferForm(PlacementForm):
    citizen_id = forms.CharField(label=_("Citizen ID or G code of the student"), max_length=20)


class MoveForm(forms.Form):
    room = forms.IntegerField(label=_("New room"), min_value=1, max_value=99)


class ExitForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (r.value, r.label)
            for r in EndReason
            if r not in (EndReason.PROMOTED, EndReason.REPEATED, EndReason.TRANSFERRED)
        ],
    )
    dropout_reason = forms.ChoiceField(
        label=_("Why did the student drop out?"), choices=[("", "—"), *DropoutReason.choices], required=False
    )
    on = BEDateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PromotionForm(forms.Form):
    repeaters = forms.CharField(
        label=_("Students who repeat the year (citizen IDs or student numbers, one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("Roster file (CSV or XLSX)"))


class LookupForm(forms.Form):
    """An office's look-up of one named child: the ID and the purpose, typed each time."""

    identifier = forms.CharField(label=_("Citizen ID or G code"), max_length=20)
    purpose = forms.CharField(
        label=_("Purpose of this look-up"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit trail with your name and the time."),
    )
