from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from khru.assessment.models import AssessmentItem, Course, Decision
from khru.assessment.rules import NUMERIC_GRADES, counts_credits
from khru.org.models import Term


class CourseEditForm(forms.Form):
    """What a course's teacher or registrar may adjust after it exists."""

    name_th = forms.CharField(label=_("Course name (Thai)"), max_length=120)
    name_en = forms.CharField(label=_("Course name (English)"), max_length=120, required=False)
    credits = forms.DecimalField(
        label=_("Credits"), min_value=Decimal(0), max_digits=3, decimal_places=1, initial=1
    )
    hours = forms.IntegerField(label=_("Planned hours in the term"), min_value=1, max_value=400, initial=40)
    coursework_share = forms.IntegerField(
        label=_("Coursework share (%)"), min_value=0, max_value=100, initial=70
    )
    final_share = forms.IntegerField(label=_("Final share (%)"), min_value=0, max_value=100, initial=30)

    def set_grade(self, grade: str) -> None:
        """Primary courses count hours, not credits: their form has no credits to type."""
        if not counts_credits(grade):
            del self.fields["credits"]


class CourseForm(CourseEditForm):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), empty_label=None)
    code = forms.CharField(label=_("Course code"), max_length=20, help_text=_("e.g. ท14101"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Course.Kind.choices)
    indicators = forms.CharField(
        label=_("Indicators"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("one per line, e.g. ท 1.1 ป.4/1"),
    )  # fmt: skip
    field_order = [
        "term", "code", "name_th", "name_en", "kind", "credits", "hours", "coursework_share", "final_share",
        "indicators",
    ]  # fmt: skip

    def set_terms(self, terms: object) -> None:
        self.fields["term"].queryset = terms  # type: ignore[attr-defined]

    def indicator_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["indicators"].splitlines() if line.strip()]


class ItemForm(forms.Form):
    name = forms.CharField(
        label=_("Assessment"), max_length=120, help_text=_("e.g. Quiz 1, project, final exam")
    )
    part = forms.ChoiceField(label=_("Part"), choices=AssessmentItem.Part.choices)
    max_score = forms.DecimalField(
        label=_("Full marks"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2
    )


class RemedialForm(forms.Form):
    """One remedial step: a grade (work handed in, a re-test) or the committee's decision."""

    grade = forms.ChoiceField(
        label=_("Remedial grade"), choices=[(g, g) for g in NUMERIC_GRADES], required=False
    )
    decision = forms.ChoiceField(label=_("Committee decision"), choices=Decision.choices, required=False)
