"""Form fields shared by every page."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khru.core.dates import format_be, parse_be_date


class BEDateField(forms.CharField):
    """A date typed as dd/mm/yyyy with a Buddhist Era year, as Thai schools write it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "วว/ดด/ปปปป", "inputmode": "numeric"})
        )
        kwargs.setdefault("help_text", _("day/month/year in BE, e.g. 16/05/2569"))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_be(value, style="numeric") if isinstance(value, dt.date) else value

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_be_date(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("Not a valid date: write day/month/year in BE, e.g. 16/05/2569.")
            ) from error
