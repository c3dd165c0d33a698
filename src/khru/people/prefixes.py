"""The name prefix of a child is derived, not typed (DOMAIN.md "People and identity"): under 15 เด็กชาย /
เด็กหญิง, from the 15th birthday นาย / นางสาว. Other prefixes (a novice's, a rank) are left as typed."""

import datetime as dt

from khru.people.models import Sex

ADULT_AGE = 15
DERIVED = {
    (Sex.MALE, False): "เด็กชาย",
    (Sex.FEMALE, False): "เด็กหญิง",
    (Sex.MALE, True): "นาย",
    (Sex.FEMALE, True): "นางสาว",
}


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def derived_prefix(*, sex: str, birth_date: dt.date | None, on: dt.date, typed: str = "") -> str:
    """The prefix the person should carry on `on`; the typed one when it is not a derived one (or the sex or
    birth date is unknown)."""
    if typed and typed not in DERIVED.values():
        return typed
    if sex not in (Sex.MALE, Sex.FEMALE) or birth_date is None:
        return typed
    return DERIVED[(Sex(sex), age_on(birth_date, on) >= ADULT_AGE)]
