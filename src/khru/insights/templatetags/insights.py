from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A share as "93.4%", or "–" when there is nothing to divide (0.0% is a real figure and is shown)."""
    return "–" if value is None else f"{value}%"
