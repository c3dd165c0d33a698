from django import forms
from django.utils.translation import gettext_lazy as _

from khru.org.grades import Grade
from khru.org.roles import Role


class ClassroomForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    room = forms.IntegerField(label=_("Room"), min_value=1, max_value=99)


class TeacherForm(forms.Form):
    teacher = forms.ChoiceField(label=_("Teacher"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Role.HOMEROOM_TEACHER.value, Role.HOMEROOM_TEACHER.label),
                 (Role.SUBJECT_TEACHER.value, Role.SUBJECT_TEACHER.label)],
    )  # fmt: skip

    def set_teachers(self, choices: list[tuple[int, str]]) -> None:
        self.fields["teacher"].choices = choices  # type: ignore[attr-defined]
