"""The WHO reference curves (−3 … +3 SD) by month of age, for the growth chart: the same LMS tables as growth.py."""

from khru.health.growth import (
    DAYS_PER_MONTH,
    LMS,
    WHO2006_BEFORE_MONTH,
    WHO2007_LAST_MONTH,
    Indicator,
    Sex,
    who_table,
)

SD_LINES = (-3, -2, -1, 0, 1, 2, 3)

# indicator → (WHO 2006 file by day, WHO 2007 file by month)
_FILES = {
    Indicator.HEIGHT_FOR_AGE: ("lenanthro.txt", "hfawho2007.txt"),
    Indicator.BMI_FOR_AGE: ("bmianthro.txt", "bfawho2007.txt"),
}


def lms_at_month(indicator: Indicator, sex: Sex, month: float) -> LMS | None:
    """L, M and S at an age in months (0–228) for height-for-age or BMI-for-age; None outside the tables."""
    under_five, from_five = _FILES[indicator]
    if month < WHO2006_BEFORE_MONTH:
        return who_table("who2006", under_five).at(sex, round(month * DAYS_PER_MONTH))
    if month <= WHO2007_LAST_MONTH:
        return who_table("who2007", from_five).at(sex, month)
    return None


def sd_curves(indicator: Indicator, sex: Sex, months: range) -> dict[int, list[tuple[int, float]]]:
    """For each SD line (−3 … +3): (month, value) for every month of `months` the reference covers."""
    curves: dict[int, list[tuple[int, float]]] = {sd: [] for sd in SD_LINES}
    for month in months:
        lms = lms_at_month(indicator, sex, month)
        if lms is None:
            continue
        for sd in SD_LINES:
            curves[sd].append((month, lms.value_at(sd)))
    return curves
