"""SDQ scoring as data: reverse items, subscales, Thai cut-offs per respondent type, cut-offs edited as data."""

import pytest

from khru.care import services
from khru.care.models import CutOff, Response, Screening
from khru.core.errors import NotAllowed
from tests.care.helpers import answers_for, record, sdq


def test_reverse_items_and_subscales(world):
    # Everything "certainly true": reverse items (7, 11, 14, 21, 25) then score 0.
    response = record(world, dict.fromkeys(range(1, 26), 2))
    scores = {code: s["score"] for code, s in response.subscale_scores.items()}
    assert scores == {"emotional": 10, "conduct": 8, "hyperactivity": 6, "peer": 6, "prosocial": 10}
    assert response.total == 30 and response.total_band == "problem"
    nothing = record(world, dict.fromkeys(range(1, 26), 0))
    assert nothing.total == 10  # only the five reverse items count, 2 each: "not true" of good things
    assert nothing.subscale_scores["prosocial"]["score"] == 0


@pytest.mark.parametrize(
    ("respondent", "totals"),
    [
        ("teacher", {15: "normal", 16: "risk", 17: "risk", 18: "problem"}),
        ("parent", {15: "normal", 16: "risk", 17: "risk", 18: "problem"}),
        ("self", {16: "normal", 17: "risk", 18: "risk", 19: "problem"}),
    ],
)
def test_thai_cut_offs_at_each_boundary(world, respondent, totals):
    for total, band in totals.items():
        response = record(world, answers_for(total), respondent=respondent)
        assert (response.total, response.total_band) == (total, band)
    assert record(world, answers_for(0), respondent=respondent).total_band == "normal"
    assert record(world, answers_for(40), respondent=respondent).total_band == "problem"


def test_cut_offs_edited_as_data_change_the_band(world):
    before = record(world, answers_for(15))
    assert before.total_band == "normal"
    normal = CutOff.objects.get(questionnaire=sdq(), respondent="teacher", band="normal", subscale=None)
    risk = CutOff.objects.get(questionnaire=sdq(), respondent="teacher", band="risk", subscale=None)
    with pytest.raises(NotAllowed):  # built-in cut-offs belong to the system administrator
        services.edit_cut_off(actor=world.principal1, cut_off=normal, low=0, high=14, band="normal")
    services.edit_cut_off(actor=world.sysadmin, cut_off=normal, low=0, high=14, band="normal")
    services.edit_cut_off(actor=world.sysadmin, cut_off=risk, low=15, high=17, band="risk")
    before.refresh_from_db()
    assert before.total_band == "risk"  # stored bands follow the edited rows
    assert record(world, answers_for(15)).total_band == "risk"
    assert record(world, answers_for(15), respondent="parent").total_band == "normal"


def test_a_subscale_cut_off_added_as_data_bands_the_subscale(world):
    q = sdq()
    emotional = q.subscales.get(code="emotional")
    CutOff.objects.create(questionnaire=q, subscale=emotional, low=0, high=3, band="normal")
    CutOff.objects.create(questionnaire=q, subscale=emotional, low=4, high=4, band="risk")
    CutOff.objects.create(questionnaire=q, subscale=emotional, low=5, high=10, band="problem")
    response = record(world, answers_for(4))  # 2 + 2 on items 3 and 8: emotional 4
    assert response.subscale_scores["emotional"] == {"score": 4, "band": "risk"}
    assert response.subscale_scores["conduct"]["band"] == ""  # no rows: no band, not a guess


def test_sdq_becomes_the_behaviour_screening(world):
    record(world, answers_for(18))
    screening = Screening.objects.get(person=world.student1)
    assert (screening.area, screening.status, screening.source) == ("behaviour", "problem", "derived")
    assert screening.response == Response.objects.get()
