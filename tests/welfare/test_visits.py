"""Home visits: planned then done, photos refused when too big or not an image, location stripped on request,
photos served only within scope; the class page; aptitudes; the child's record is an audited read."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from khru.core.errors import KhruError, NotAllowed
from khru.core.models import AuditEvent, Subdistrict
from khru.org.roles import Role
from khru.people.models import Guardianship
from khru.welfare import selectors, services
from khru.welfare.models import Aptitude, HomeVisit, Household, PovertyFactor, PovertyScreening, VisitPhoto
from tests import factories as f
from tests.welfare.helpers import login, save, term

GPS_TAG = 0x8825


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_TAG] = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def gps_of(content: bytes) -> dict:
    with Image.open(io.BytesIO(content)) as image:
        return dict(image.getexif().get_ifd(GPS_TAG))


def record(world, **kw):
    values = {"visited_on": dt.date(2026, 7, 1), "met": "มารดา", "risks": ["debt"], "needs": "ทุนการศึกษา"}
    return services.record_visit(actor=world.teacher1, person=world.student1, **{**values, **kw})


def test_plan_then_record_completes_the_same_visit(world):
    planned = services.plan_visit(
        actor=world.teacher1, person=world.student1, planned_on=dt.date(2026, 6, 20)
    )
    done = record(
        world, latitude="13.75", longitude="100.5", follow_up="ติดตามทุน", follow_up_due=dt.date(2026, 8, 1)
    )
    assert done.pk == planned.pk and HomeVisit.objects.count() == 1
    assert done.status == "done" and str(done.latitude) == "13.750000" and done.risks == ["debt"]
    visits = selectors.class_visits(actor=world.teacher1, classroom=world.class1)
    assert (visits.done, visits.planned, visits.follow_ups_open, visits.risks) == (1, 0, 1, {"debt": 1})


def test_bad_visit_input_names_the_fields_and_saves_nothing(world):
    with pytest.raises(KhruError) as refused:
        record(world, visited_on=dt.date(2099, 1, 1), met=" ", risks=["ghosts"])
    assert {p.field for p in refused.value.problems} == {"visited_on", "met", "risks"}
    with pytest.raises(KhruError) as refused:
        record(world, latitude="95", longitude="100")
    assert refused.value.problems[0].field == "latitude"
    assert HomeVisit.objects.count() == 0


def test_a_photo_too_big_or_not_an_image_is_refused(world):
    big = services.PhotoUpload("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(KhruError) as refused:
        record(world, photos=[big])
    assert "5 MB" in refused.value.problems[0].en and refused.value.problems[0].field == "photos"
    fake = services.PhotoUpload("notes.pdf", b"%PDF-1.4 not an image")
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    for upload in (fake, services.PhotoUpload("anim.gif", gif.getvalue())):
        with pytest.raises(KhruError) as refused:
            record(world, photos=[upload])
        assert "JPEG, PNG or WebP" in refused.value.problems[0].en
    assert HomeVisit.objects.count() == 0 and VisitPhoto.objects.count() == 0


def test_location_is_stripped_from_photos_on_request(world):
    content = jpeg_with_gps()
    assert gps_of(content)  # the phone's photo carries a GPS position
    kept = record(world, photos=[services.PhotoUpload("a.jpg", content)])
    assert gps_of(kept.photos.get().file.read())
    stripped = record(
        world,
        visited_on=dt.date(2026, 7, 2),
        photos=[services.PhotoUpload("b.jpg", content)],
        strip_photo_location=True,
    )
    photo = stripped.photos.get()
    data = photo.file.read()
    assert photo.location_stripped and gps_of(data) == {}
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (64, 48) and not image.getexif()


def test_photos_are_served_only_within_scope(world):
    visit = record(world, photos=[services.PhotoUpload("a.jpg", jpeg_with_gps())])
    photo = visit.photos.get()
    url = reverse("welfare:photo", args=[photo.uuid])
    assert "/media/" not in url
    response = login(world.teacher1).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert login(world.teacher2).get(url).status_code == 404
    assert login(world.officer).get(url).status_code == 404
    assert AuditEvent.objects.filter(object_type="welfare.visitphoto", action="read").count() == 1


def test_another_class_or_school_may_not_visit_or_see(world):
    with pytest.raises(NotAllowed):
        services.plan_visit(actor=world.teacher2, person=world.student1, planned_on=dt.date(2026, 6, 20))
    record(world)
    assert (
        login(world.teacher2).get(reverse("welfare:classroom", args=[world.class1.uuid])).status_code == 404
    )
    assert (
        login(world.teacher2).get(reverse("welfare:student", args=[world.student1.uuid])).status_code == 404
    )
    assert login(world.officer).get(reverse("welfare:student", args=[world.student1.uuid])).status_code == 404


def test_pages_record_a_visit_with_a_photo_and_an_aptitude(world):
    client = login(world.teacher1)
    page = client.get(reverse("welfare:classroom", args=[world.class1.uuid]))
    assert page.status_code == 200 and world.student1.first_name_th in page.content.decode()
    url = reverse("welfare:visit", args=[world.student1.uuid])
    form = {
        "action": "record",
        "visited_on": "01/07/2569",
        "met": "ยาย",
        "risks": ["route"],
        "latitude": "13.7",
        "longitude": "100.5",
        "strip_location": "on",
        "photos": SimpleUploadedFile("home.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    }
    assert client.post(url, form).status_code == 302
    photo = VisitPhoto.objects.get()
    assert photo.location_stripped and gps_of(photo.file.read()) == {}
    bad = client.post(url, {**form, "visited_on": "31/02/2569"})
    assert bad.status_code == 400 and "วันที่เยี่ยม" in bad.content.decode()
    bad = client.post(url, {**form, "photos": SimpleUploadedFile("x.txt", b"hello")})
    assert bad.status_code == 400 and "JPEG, PNG" in bad.content.decode()
    assert VisitPhoto.objects.count() == 1 and HomeVisit.objects.count() == 1
    student = reverse("welfare:student", args=[world.student1.uuid])
    assert (
        client.post(
            student, {"area": "sports", "kind": "talent", "source": "self", "detail": "ฟุตบอล"}
        ).status_code
        == 302
    )
    assert Aptitude.objects.get().source == "self"
    page = client.get(student).content.decode()
    assert "ฟุตบอล" in page and "ยาย" in page
    assert AuditEvent.objects.filter(action="read", summary="welfare record").exists()


def test_household_page_saves_and_shows_the_screening(world):
    client = login(world.teacher1)
    url = reverse("welfare:household", args=[world.student1.uuid])
    assert client.get(url).status_code == 200
    form = {
        "family_status": "separated",
        "housing_tenure": "rent",
        "house_condition": "worn",
        "farm_land": "not_farming",
        "water_source": "tap",
        "electricity_source": "grid",
        "appliances": ["fridge"],
        "distance_km": "3",
        "travel_mode": "walk",
        "travel_minutes": "20",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "นางแม่",
        "members-0-relation": "mother",
        "members-0-monthly_income_baht": "4000",
        "members-0-birth_year_be": "2530",
    }
    assert client.post(url, form).status_code == 302
    page = client.get(reverse("welfare:student", args=[world.student1.uuid])).content.decode()
    assert "2000.00" in page  # 4,000 baht over the mother and the child
    xray = client.get(reverse("insights:student", args=[world.student1.uuid])).content.decode()
    assert "3.0 กม." in xray and " km" not in xray  # the distance in the Thai unit

    place = Subdistrict.objects.order_by("code").first()
    Household.objects.update(subdistrict=place)
    assert client.post(url, {**form, "travel_minutes": "25"}).status_code == 302
    household = Household.objects.get()
    assert household.subdistrict == place and household.travel_minutes == 25 and household.version == 2
    bad = client.post(url, {**form, "members-0-monthly_income_baht": "-1"})
    assert bad.status_code == 400 and "รายได้ต่อเดือน" in bad.content.decode()


def test_poverty_pages(world):
    save(world)
    page = login(world.principal1).get(reverse("welfare:poverty", args=[world.school1.code]) + "?term=1/2569")
    assert page.status_code == 200 and world.student1.first_name_th in page.content.decode()
    # The conditions met are named in Thai, never by their codes
    screening = PovertyScreening.objects.get(person=world.student1)
    shown = page.content.decode().split("<main")[1]
    assert len(screening.factors_met) >= 2
    for factor in PovertyFactor.objects.filter(criteria=screening.criteria, code__in=screening.factors_met):
        assert factor.name_th in shown and factor.code not in shown
    assert (
        login(world.principal1).post(reverse("welfare:poverty", args=[world.school1.code])).status_code == 302
    )
    officer = login(world.officer).get(reverse("welfare:area_poverty") + "?year=2569&term=1").content.decode()
    assert (
        world.school1.name_th in officer
        and "&lt;5" in officer
        and world.student1.first_name_th not in officer
    )
    assert login(world.teacher2).get(reverse("welfare:area_poverty")).status_code == 404
    assert reverse("welfare:area_poverty") in login(world.officer).get("/").content.decode()
    assert reverse("welfare:area_poverty") not in login(world.teacher1).get("/").content.decode()


def test_class_visits_page_queries_do_not_grow_with_the_class(world, django_assert_max_num_queries):

    client = login(world.teacher1)
    url = reverse("welfare:classroom", args=[world.class1.uuid])
    record(world)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    added = [f.EnrolmentFactory(classroom=world.class1).person for _ in range(8)]
    for child in added:
        services.plan_visit(actor=world.teacher1, person=child, planned_on=dt.date(2026, 12, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for child in added:  # each new child is listed, linked to their own page
        assert child.full_name in html and reverse("welfare:student", args=[child.uuid]) in html
    assert html.count("chip chip-planned") == 8


def test_the_homeroom_teacher_of_another_class_in_the_same_school_sees_nothing(world):

    other_class = f.ClassroomFactory(school=world.school1, academic_year=world.class1.academic_year, room=2)
    other = f.MembershipFactory(role=Role.HOMEROOM_TEACHER, classroom=other_class).user
    save(world)
    photo = record(world, photos=[services.PhotoUpload("a.jpg", jpeg_with_gps())]).photos.get()
    with pytest.raises(NotAllowed):
        selectors.child_welfare(actor=other, person=world.student1)
    with pytest.raises(NotAllowed):
        services.record_aptitude(actor=other, person=world.student1, area="arts", detail="วาดภาพ")

    assert selectors.eligible_children(actor=other, school=world.school1, term=term(world)) == []
    client = login(other)
    assert client.get(reverse("welfare:classroom", args=[world.class1.uuid])).status_code == 404
    assert client.get(reverse("welfare:visit", args=[world.student1.uuid])).status_code == 404
    assert client.get(reverse("welfare:photo", args=[photo.uuid])).status_code == 404


def test_household_page_offers_a_siblings_home(world):
    sibling = f.EnrolmentFactory(classroom=world.class1).person
    mother = f.PersonFactory(prefix="นาง")
    for child in (world.student1, sibling):
        Guardianship.objects.create(student=child, guardian=mother, relation="mother", is_primary=True)
    household = save(world, person=sibling)
    client = login(world.teacher1)
    url = reverse("welfare:household", args=[world.student1.uuid])
    assert sibling.full_name in client.get(url).content.decode()
    assert client.post(url, {"sibling": str(sibling.uuid)}).status_code == 302
    assert household.children.count() == 2
    assert selectors.child_welfare(actor=world.teacher1, person=world.student1).household == household
    assert sibling.full_name not in client.get(url).content.decode()  # already the same home


def test_planning_a_visit_goes_back_to_the_page_it_was_opened_from(world):
    client = login(world.teacher1)
    child_page = reverse("welfare:student", args=[world.student1.uuid])
    visits_page = reverse("welfare:classroom", args=[world.class1.uuid])
    url = reverse("welfare:visit", args=[world.student1.uuid])
    assert f"{url}?next={child_page}" in client.get(child_page).content.decode()
    form = client.get(f"{url}?next={child_page}").content.decode()
    assert f'name="next" value="{child_page}"' in form
    plan = {"action": "plan", "planned_on": "20/06/2569"}
    assert client.post(url, {**plan, "next": child_page}).url == child_page
    assert client.post(url, {**plan, "next": visits_page}).url == visits_page
    # Another site, or no next at all: the class's visits
    assert client.post(url, {**plan, "next": "https://evil.example/"}).url == visits_page
    assert client.post(url, plan).url == visits_page
