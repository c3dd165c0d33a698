"""The public verification page and API, and the council dashboard with its CSV export."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from khru.licences import selectors
from khru.licences.models import Licence
from tests.licences.conftest import make_licence, staff

SHOWN = {
    "number",
    "name_th",
    "name_en",
    "licence_type_th",
    "licence_type_en",
    "tier",
    "status",
    "status_th",
    "status_en",
    "expires_on",
}


def test_public_page_shows_only_the_listed_fields(holders):
    page = Client().get("/verify/licence/T64-0000001")  # no login
    assert page.status_code == 200
    html = page.content.decode()
    licence = holders.licence1
    assert "นางมาลี สอนดี" in html and "ใบอนุญาตประกอบวิชาชีพครู" in html and "ใช้ได้" in html
    person = holders.teacher1
    for private in (
        person.citizen_id,
        person.phone or "0812345678",
        "1985",
        holders.licence1.issued_on.isoformat(),
    ):
        assert private not in html
    assert str(licence.school) not in html


def test_public_api_returns_exactly_the_listed_fields(holders):
    response = Client().get("/api/v1/licences/verify/t64-0000001")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == SHOWN
    assert body["tier"] == "B" and body["status"] == "active"
    assert body["expires_on"] == holders.licence1.expires_on.isoformat()


@pytest.mark.parametrize(
    "number", ["T64-0000999", "T64 0000001", "'; drop table--", "x" * 300, "T64-00000O1"]
)
def test_unknown_or_mistyped_numbers_all_give_the_same_not_found(holders, number):
    client = Client()
    page = client.get(f"/verify/licence/{number}")
    assert page.status_code == 404
    assert "ไม่พบใบอนุญาตเลขนี้" in page.content.decode()
    api = client.get(f"/api/v1/licences/verify/{number}")
    assert api.status_code == 404
    assert api.json() == {
        "detail": "not found",
        "problems": [
            {"field": "number", "row": None, "th": "ไม่พบใบอนุญาตเลขนี้", "en": "no licence has this number"}
        ],
    }


def test_expired_and_renewed_licences_say_so(holders):
    old = make_licence(holders.teacher2, "T59-0000001", expires_in=-10)
    assert selectors.verify(number=old.number).status == "expired"
    old.status = Licence.Status.RENEWED
    old.save()
    assert selectors.verify(number=old.number).status_en.startswith("renewed")


def test_verification_is_rate_limited_per_client(holders, settings):
    settings.KHRU_VERIFY_PER_MINUTE = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    codes = [client.get("/api/v1/licences/verify/T64-0000001").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    page = client.get("/verify/licence/T64-0000001")
    assert page.status_code == 429 and "Too many checks" in page.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.10").get("/verify/licence/T64-0000001").status_code == 200


def test_verification_is_one_query(holders, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.verify(number="T64-0000001") is not None
    with django_assert_num_queries(0):
        assert selectors.verify(number="not a number") is None


def test_council_dashboard_counts_suppresses_and_exports(holders, world, client):
    for n in range(6):
        make_licence(staff(None, world.school1), f"T65-000010{n}", expires_in=100 + n, school=world.school1,
                     area=world.school1.area, agency=world.school1.area.agency)  # fmt: skip
    for n in range(5):
        make_licence(staff(None, world.school2), f"T65-000020{n}", expires_in=300, area=world.school2.area)
    make_licence(staff(None, world.school2), "T65-0000300", expires_in=-5)  # expired: not counted
    dashboard = selectors.council_dashboard(actor=holders.council)
    assert dashboard.holders == 13
    type_tier = next(t for t in dashboard.tables if t.key == "type_tier")
    teacher_row = dict(type_tier.rows)["ใบอนุญาตประกอบวิชาชีพครู"]
    assert teacher_row[1] == 13  # tier B
    area = dict(next(t for t in dashboard.tables if t.key == "area").rows)
    assert area[world.school1.area.name_th] == [6]
    assert area["ไม่ระบุ / not stated"] == [None]  # 2 licences without an area: shown as <5
    assert area[world.school2.area.name_th] == [None]  # 5, hidden too: else the 2 follows from the total
    expiring = dict(next(t for t in dashboard.tables if t.key == "expiring").rows)
    assert expiring["ใบอนุญาตประกอบวิชาชีพครู"] == [7, 12]

    client.force_login(holders.council)
    page = client.get("/licences/council")
    assert page.status_code == 200 and "&lt;5" in page.content.decode()
    export = client.get("/licences/council/export/area.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [world.school1.area.name_th, "6"] in rows and ["ไม่ระบุ / not stated", "<5"] in rows
    client.force_login(world.principal1)
    assert client.get("/licences/council/export/area.csv").status_code == 404


def test_tallies_kept_on_write_match_a_recount(holders, world):
    from khru.licences import services, tallies
    from khru.licences.models import LicenceTally
    from tests.licences.conftest import activities, teacher_type, tier

    for n in range(3):
        services.record_licence(
            actor=holders.council, person=staff(None, world.school2), licence_type=teacher_type(), tier=tier("A"),
            issued_on=dt.date.today() - dt.timedelta(days=400 * n),
        )  # fmt: skip
    ids = [a.pk for a in activities(holders.teacher1, 3, since=holders.licence1.issued_on)]
    renewal = services.request_renewal(
        actor=holders.teacher1.user, licence=holders.licence1, activity_ids=ids
    )
    services.approve_renewal(actor=holders.council, renewal=renewal)
    on_write = selectors.council_dashboard(actor=holders.council)
    kept = sorted(LicenceTally.objects.filter(n__gt=0).values_list("dimension", "key", "month", "n"))
    tallies.rebuild()
    assert sorted(LicenceTally.objects.values_list("dimension", "key", "month", "n")) == kept
    assert selectors.council_dashboard(actor=holders.council) == on_write
    assert (
        on_write.holders == 5
    )  # two at the start, three recorded; the renewed one replaced by its successor


def test_dashboard_counts_are_exact_to_the_day(holders, world):
    from tests.licences.conftest import today

    for n, days in enumerate([-1, 0, 5, 6, 182, 183, 364, 365]):
        make_licence(staff(None, world.school1), f"T66-000040{n}", expires_in=days)
    dashboard = selectors.council_dashboard(actor=holders.council, today=today())
    # In force: expiring today or later (7), and the two of the fixture (60 and 400 days).
    assert dashboard.holders == 9
    expiring = dict(next(t for t in dashboard.tables if t.key == "expiring").rows)
    # Within 183 days: 0, 5, 6, 60, 182; within a year (365 days): also 183 and 364.
    assert expiring["ใบอนุญาตประกอบวิชาชีพครู"] == [5, 7]


def test_dashboard_queries_do_not_grow_with_holders(holders, world, django_assert_max_num_queries):
    for n in range(20):
        make_licence(staff(None, world.school1), f"T66-00003{n:02d}", expires_in=200)
    with django_assert_max_num_queries(15):
        selectors.council_dashboard(actor=holders.council, today=dt.date.today())


def test_generate_licence_holders_fills_the_dashboard(holders):
    from django.core.management import call_command

    call_command("generate_licence_holders", count=300, stdout=io.StringIO())
    assert Licence.objects.filter(number__contains="S").count() == 300
    dashboard = selectors.council_dashboard(actor=holders.council)
    provinces = next(t for t in dashboard.tables if t.key == "province")
    assert len(provinces.rows) > 10  # spread over the country
    assert dashboard.holders is not None and dashboard.holders > 150  # most are in force
    assert selectors.verify(number=Licence.objects.filter(number__contains="S").first().number) is not None


def test_a_hostile_area_name_is_text_in_the_council_csv(holders, world, client):
    from khru.org.models import Area

    Area.objects.filter(pk=world.school1.area_id).update(name_th='=HYPERLINK("http://x","y")')
    make_licence(staff(None, world.school1), "T65-0000100", expires_in=100, school=world.school1,
                 area=world.school1.area, agency=world.school1.area.agency)  # fmt: skip
    client.force_login(holders.council)
    export = client.get("/licences/council/export/area.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert ['\'=HYPERLINK("http://x","y")', "<5"] in rows  # a quote first: a spreadsheet shows it as text
