"""Shares shown on pages: one rounding, one answer for "nothing to divide"."""


def rate(part: int | None, whole: int | None) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide."""
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)
