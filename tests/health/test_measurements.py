"""Measurements: a class in one save, bands stored, warnings that wait for a confirmation, all-or-nothing
refusals naming the child and the field, scope, the audited growth page and a constant query count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent
from khru.exchange.services import issue_token
from khru.health import selectors, services
from khru.health.models import Measurement, MeasurementChange
from khru.org.roles import Role
from tests import factories as f

DAY = dt.date(2026, 6, 15)  # term 1 of 2569; the world's children are born 2016-06-01 (10 years old)


def save(world, rows, actor=None, day=DAY, **kw):
    return services.record_measurements(
        actor=actor or world.teacher1, classroom=world.class1, measured_on=day, rows=rows, **kw
    )


def test_a_class_is_saved_in_one_call_with_bands(world):
    thin = f.EnrolmentFactory(classroom=world.class1).person
    heavy = f.EnrolmentFactory(classroom=world.class1, person__sex="F").person
    saved = save(
        world,
        {world.student1.pk: ("32.5", "138.2"), thin.pk: ("22", "140"), heavy.pk: (Decimal("62"), 140)},
    )
    assert saved.saved == 3 and saved.warnings == []
    by_person = {m.person_id: m for m in Measurement.objects.all()}
    assert by_person[world.student1.pk].shape_band == "proportionate"
    assert by_person[world.student1.pk].height_band == "normal"
    assert by_person[world.student1.pk].weight_kg == Decimal("32.50")
    assert float(by_person[world.student1.pk].age_months) == pytest.approx(120.5, abs=0.1)
    assert by_person[thin.pk].shape_band == "thin" and by_person[thin.pk].bmi_for_age_z < -2
    assert by_person[heavy.pk].shape_band == "obese"
    assert (
        by_person[world.student1.pk].term.number == 1
        and by_person[world.student1.pk].recorded_by == world.teacher1
    )
    assert (
        AuditEvent.objects.filter(object_type="org.classroom", summary__contains="measurements").count() == 1
    )


def test_a_correction_keeps_the_old_values(world):
    save(world, {world.student1.pk: ("32.5", "138.2")})
    save(world, {world.student1.pk: ("33.5", "138.2")})
    assert Measurement.objects.get().weight_kg == Decimal("33.50")
    history = list(MeasurementChange.objects.order_by("pk").values_list("old_weight_kg", "new_weight_kg"))
    assert history == [(None, Decimal("32.50")), (Decimal("32.50"), Decimal("33.50"))]


def test_an_implausible_value_warns_and_waits_for_a_confirmation(world):
    other = f.EnrolmentFactory(classroom=world.class1).person
    save(world, {world.student1.pk: ("32", "140")}, day=dt.date(2026, 5, 20))
    rows = {world.student1.pk: ("32", "128"), other.pk: ("30", "137")}  # 12 cm shorter than last time
    warned = save(world, rows)
    assert warned.saved == 1 and warned.warned_ids == {world.student1.pk}
    assert warned.warnings[0].field == "height_cm" and world.student1.full_name in warned.warnings[0].name
    assert not Measurement.objects.filter(person=world.student1, measured_on=DAY).exists()
    huge = save(
        world, {other.pk: ("30", "137"), world.student1.pk: ("32", "128")}, confirmed={world.student1.pk}
    )
    assert huge.warnings == []
    assert Measurement.objects.get(person=world.student1, measured_on=DAY).confirmed_implausible is True
    far = save(world, {other.pk: ("150", "137")})  # BMI z far beyond +5
    assert far.warned_ids == {other.pk} and Measurement.objects.get(person=other).weight_kg == Decimal(
        "30.00"
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (("0.5", "138"), "weight_kg"),
        (("32", "300"), "height_cm"),
        (("abc", "138"), "weight_kg"),
        (("32", ""), "height_cm"),
    ],
)
def test_a_bad_value_refuses_the_whole_class(world, values, field):
    other = f.EnrolmentFactory(classroom=world.class1).person
    with pytest.raises(KhruError) as refused:
        save(world, {other.pk: ("30", "137"), world.student1.pk: values})
    problem = refused.value.problems[0]
    assert problem.field == field and world.student1.full_name in problem.th
    assert Measurement.objects.count() == 0


def test_birth_date_after_measurement_or_missing_and_child_not_in_class(world):
    late = f.EnrolmentFactory(classroom=world.class1, person__birth_date=dt.date(2026, 7, 1)).person
    unknown = f.EnrolmentFactory(classroom=world.class1, person__birth_date=None).person
    with pytest.raises(KhruError) as refused:
        save(world, {world.student1.pk: ("32", "138"), late.pk: ("3", "50"), unknown.pk: ("30", "130")})
    fields = {(p.field, p.th.split(":")[0]) for p in refused.value.problems}
    assert fields == {("birth_date", late.full_name), ("birth_date", unknown.full_name)}
    with pytest.raises(KhruError) as outside:
        save(world, {world.student1.pk: ("32", "138"), world.student2.pk: ("30", "130")})
    assert outside.value.problems[0].field == "student"
    assert Measurement.objects.count() == 0


def test_another_schools_teacher_is_refused_everywhere(world):
    with pytest.raises(NotAllowed):
        save(world, {world.student1.pk: ("32", "138")}, actor=world.teacher2)
    with pytest.raises(NotAllowed):
        selectors.growth_of(actor=world.teacher2, uuid=str(world.student1.uuid))
    client = Client()
    client.force_login(world.teacher2)
    assert client.get(reverse("health:measure", args=[world.class1.uuid])).status_code == 404
    assert client.get(reverse("health:growth", args=[world.student1.uuid])).status_code == 404
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher2)}"}
    body = {
        "classroom": str(world.class1.uuid),
        "measured_on": DAY.isoformat(),
        "rows": [{"student": str(world.student1.uuid), "weight_kg": "32", "height_cm": "138"}],
    }
    assert (
        client.post(
            "/api/v1/health/measurements", body, content_type="application/json", **headers
        ).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/health/students/{world.student1.uuid}/measurements", **headers).status_code
        == 404
    )
    assert Measurement.objects.count() == 0


def test_api_saves_warns_and_reads(client, world):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=world.teacher1)}"}
    body = {
        "classroom": str(world.class1.uuid),
        "measured_on": DAY.isoformat(),
        "rows": [{"student": str(world.student1.uuid), "weight_kg": "150", "height_cm": "138"}],
    }
    warned = client.post(
        "/api/v1/health/measurements", body, content_type="application/json", **headers
    ).json()
    assert warned["saved"] == 0 and warned["warnings"][0]["student"] == str(world.student1.uuid)
    body["rows"][0]["confirm"] = True
    assert (
        client.post("/api/v1/health/measurements", body, content_type="application/json", **headers).json()[
            "saved"
        ]
        == 1
    )
    read = client.get(f"/api/v1/health/students/{world.student1.uuid}/measurements", **headers).json()
    assert read[0]["shape_band"] == "obese" and read[0]["confirmed_implausible"] is True
    bad = {**body, "measured_on": "2016-01-01"}
    refused = client.post("/api/v1/health/measurements", bad, content_type="application/json", **headers)
    assert refused.status_code == 400 and refused.json()["problems"][0]["field"] == "student"


def test_growth_page_needs_view_sensitive_and_is_audited(world):
    save(world, {world.student1.pk: ("32.5", "138.2")})
    subject = f.MembershipFactory(role=Role.SUBJECT_TEACHER, classroom=world.class1).user
    client = Client()
    client.force_login(subject)
    url = reverse("health:growth", args=[world.student1.uuid])
    assert client.get(url).status_code == 404  # a subject teacher may measure but not read health records
    assert client.get(reverse("health:measure", args=[world.class1.uuid]) + f"?date={DAY}").status_code == 200
    client.force_login(world.teacher1)
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "<polyline" in text and "สมส่วน" in text
    assert AuditEvent.objects.filter(
        actor=world.teacher1, action=AuditEvent.Action.READ, object_id=str(world.student1.pk)
    ).exists()


def test_latest_bands_of_a_class(world, django_assert_max_num_queries):
    other = f.EnrolmentFactory(classroom=world.class1).person
    save(world, {world.student1.pk: ("32", "138")}, day=dt.date(2026, 5, 20))
    save(world, {world.student1.pk: ("40", "138")})
    with django_assert_max_num_queries(6):
        bands = selectors.latest_bands(actor=world.teacher1, classroom=world.class1, on=DAY)
    assert bands.latest[world.student1.pk].measured_on == DAY and bands.not_measured == [other.pk]
    assert sum(bands.shape.values()) == 1
    with pytest.raises(NotAllowed):
        selectors.latest_bands(actor=world.teacher2, classroom=world.class1, on=DAY)


def test_entry_page_keeps_typed_values_and_uses_few_queries(world, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.teacher1)
    url = reverse("health:measure", args=[world.class1.uuid]) + f"?date={DAY}"
    save(world, {world.student1.pk: ("32", "138")}, day=dt.date(2026, 5, 20))
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for _ in range(39):
        f.EnrolmentFactory(classroom=world.class1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('name="weight-') == 40
    refused = client.post(url, {f"weight-{world.student1.pk}": "999", f"height-{world.student1.pk}": "141.3"})
    assert refused.status_code == 400 and 'value="141.3"' in refused.content.decode()
    other = f.EnrolmentFactory(classroom=world.class1).person
    warned = client.post(
        url,
        {
            f"weight-{world.student1.pk}": "32",
            f"height-{world.student1.pk}": "120",
            f"weight-{other.pk}": "30",
            f"height-{other.pk}": "140",
        },
    )
    text = warned.content.decode()
    assert warned.status_code == 200 and f'name="confirm-{world.student1.pk}"' in text
    # The banner says what was saved and names who still waits, in a warning's colours (not a success's).
    banner = text.split('<li class="warning">', 1)[1].split("</li>", 1)[0]
    assert (
        "บันทึกแล้ว 1 รายการ" in banner and world.student1.full_name in banner and other.full_name not in banner
    )
    assert Measurement.objects.filter(person=other, measured_on=DAY).exists()
    confirmed = client.post(
        url,
        {
            f"weight-{world.student1.pk}": "32",
            f"height-{world.student1.pk}": "120",
            f"confirm-{world.student1.pk}": "on",
        },
    )
    assert confirmed.status_code == 302 and Measurement.objects.get(
        person=world.student1, measured_on=DAY
    ).height_cm == Decimal("120.0")


def test_the_day_is_chosen_and_shown_in_the_buddhist_era(world):
    """The day box reads and shows dd/mm/BBBB (no CE date picker); a BE year typed the ISO way is BE too."""
    client = Client()
    client.force_login(world.teacher1)
    url = reverse("health:measure", args=[world.class1.uuid])
    for typed in ("15/06/2569", "2569-06-15", "2026-06-15"):
        page = client.get(url, {"date": typed}).content.decode()
        assert 'value="15/06/2569"' in page and "15 มิถุนายน 2569" in page, typed
    assert 'type="date"' not in page
