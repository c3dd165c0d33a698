from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khru.core.forms import BEDateField
from khru.welfare.models import (
    Appliance,
    Aptitude,
    AptitudeArea,
    ElectricitySource,
    FamilyStatus,
    FarmLand,
    HouseCondition,
    HousingTenure,
    Relation,
    TravelMode,
    Vehicle,
    VisitRisk,
    WaterSource,
)


class HouseholdForm(forms.Form):
    """The home: one page on a phone. The service checks the values again (the API uses it too)."""

    house_no = forms.CharField(label=_("House number and street"), max_length=100, required=False)
    family_status = forms.ChoiceField(label=_("Family status"), choices=FamilyStatus.choices)
    housing_tenure = forms.ChoiceField(label=_("Housing tenure"), choices=HousingTenure.choices)
    house_condition = forms.ChoiceField(label=_("House condition"), choices=HouseCondition.choices)
    farm_land = forms.ChoiceField(label=_("Farm land"), choices=FarmLand.choices)
    water_source = forms.ChoiceField(label=_("Drinking water"), choices=WaterSource.choices)
    electricity_source = forms.ChoiceField(label=_("Electricity"), choices=ElectricitySource.choices)
    vehicles = forms.MultipleChoiceField(
        label=_("Vehicles"), choices=Vehicle.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    appliances = forms.MultipleChoiceField(
        label=_("Appliances"), choices=Appliance.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    distance_km = forms.CharField(
        label=_("Distance to school (km)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    travel_mode = forms.ChoiceField(
        label=_("Travel to school"), choices=[("", "–"), *TravelMode.choices], required=False
    )
    travel_minutes = forms.CharField(
        label=_("Travel time (minutes)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    relation = forms.ChoiceField(label=_("Relation"), choices=[("", "–"), *Relation.choices], required=False)
    birth_year_be = forms.CharField(
        label=_("Birth year (BE)"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)
    monthly_income_baht = forms.CharField(
        label=_("Income per month (baht)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    disabled = forms.BooleanField(label=_("Disabled"), required=False)
    no_income = forms.BooleanField(label=_("Of working age, no income"), required=False)


MemberFormSet = forms.formset_factory(MemberForm, extra=2)


class PlanForm(forms.Form):
    planned_on = BEDateField(label=_("Planned date"))


class VisitForm(forms.Form):
    visited_on = BEDateField(label=_("Visited on"))
    met = forms.CharField(label=_("Who was met"), max_length=200, required=False)
    housing = forms.CharField(label=_("Housing"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    risks = forms.MultipleChoiceField(
        label=_("Risks"), choices=VisitRisk.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.CharField(label=_("Needs"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    latitude = forms.CharField(label=_("Latitude"), required=False)
    longitude = forms.CharField(label=_("Longitude"), required=False)
    follow_up = forms.CharField(label=_("Follow-up"), max_length=300, required=False)
    follow_up_due = BEDateField(label=_("Follow-up due"), required=False)
    strip_location = forms.BooleanField(
        label=_("Remove the location from the photos"), required=False, initial=True
    )


class AptitudeForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=AptitudeArea.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Aptitude.Kind.choices)
    source = forms.ChoiceField(label=_("Said by"), choices=Aptitude.Source.choices)
    detail = forms.CharField(label=_("Detail"), max_length=300)


DEPENDANT_CHOICES = [
    ("disabled", "คนพิการ"),
    ("elderly", "ผู้สูงอายุ"),
    ("unemployed", "วัยทำงานว่างงาน"),
    ("single_parent", "พ่อ/แม่เลี้ยงเดี่ยว"),
]
# factor code → the answers a system administrator may count as hardship
FACTOR_CHOICES = {
    "dependants": DEPENDANT_CHOICES,
    "housing_tenure": HousingTenure.choices,
    "house_condition": HouseCondition.choices,
    "farm_land": FarmLand.choices,
    "water_source": WaterSource.choices,
    "electricity_source": ElectricitySource.choices,
    "vehicles": Vehicle.choices,
    "appliances": Appliance.choices,
}


class CriteriaForm(forms.Form):
    """A new version of the poverty criteria: the limit, how many factors, and each factor's hardship answers."""

    version = forms.CharField(label=_("New version"), max_length=20)
    income_limit_baht = forms.IntegerField(label=_("Income limit (baht per person per month)"))
    min_factors = forms.IntegerField(label=_("Conditions needed"))

    def __init__(self, *args: Any, factors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in factors:
            self.fields[f"factor_{factor.code}"] = forms.MultipleChoiceField(
                label=factor.name_th,
                choices=FACTOR_CHOICES.get(factor.code, []),
                initial=factor.options,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
