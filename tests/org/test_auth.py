"""Signing in: failed attempts count per account, whichever spelling of the identifier is typed."""

from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, citizen_id

PASSWORD = "khru-test-pass"
TEACHER_ID = citizen_id(830_208_744)


def sign_in(identifier: str, password: str) -> tuple[int, str]:
    response = Client().post(reverse("web:login"), {"username": identifier, "password": password})
    return response.status_code, response.content.decode()


def dashed(digits: str) -> str:
    return f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"


def test_five_spellings_of_one_citizen_id_share_one_lockout(world):
    PersonFactory(citizen_id=TEACHER_ID, user=world.teacher1)
    spellings = [
        TEACHER_ID,
        dashed(TEACHER_ID),
        f"{TEACHER_ID[0]} {TEACHER_ID[1:]}",
        f"{TEACHER_ID[0]}-{TEACHER_ID[1:]}",
        f" {dashed(TEACHER_ID).replace('-', ' ')} ",
    ]
    for spelling in spellings[:4]:
        assert sign_in(spelling, "wrong-pass")[0] == 200  # the form again, "wrong … or password"
    status, page = sign_in(spellings[4], "wrong-pass")
    assert status == 429 and "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป" in page  # the Thai lockout message

    # The right password no longer helps, by the citizen ID in any spelling nor by the username.
    assert sign_in(TEACHER_ID, PASSWORD)[0] == 429
    assert sign_in(world.teacher1.username, PASSWORD)[0] == 429
    assert sign_in(world.teacher1.username.upper(), PASSWORD)[0] == 429
    # Another account is not touched.
    assert sign_in(world.teacher2.username, PASSWORD)[0] == 302


def test_failures_by_username_lock_the_citizen_id_too(world):
    PersonFactory(citizen_id=TEACHER_ID, user=world.teacher1)
    username = world.teacher1.username
    for spelling in (username, username.upper(), username.title(), f" {username} "):
        assert sign_in(spelling, "wrong-pass")[0] == 200
    assert sign_in(dashed(TEACHER_ID), "wrong-pass")[0] == 429
    assert sign_in(TEACHER_ID, PASSWORD)[0] == 429


def test_an_unknown_identifier_is_limited_in_every_spelling(db):
    unknown = citizen_id(999_999_999)
    for spelling in (unknown, dashed(unknown), f"{unknown[:6]} {unknown[6:]}", f"-{unknown}"):
        assert sign_in(spelling, "guess")[0] == 200
    assert sign_in(f"{unknown[:1]} {unknown[1:]}", "guess")[0] == 429


def test_a_success_before_the_limit_starts_the_count_again(world):
    PersonFactory(citizen_id=TEACHER_ID, user=world.teacher1)
    for _ in range(4):
        assert sign_in(dashed(TEACHER_ID), "wrong-pass")[0] == 200
    assert sign_in(world.teacher1.username, PASSWORD)[0] == 302
    for _ in range(4):
        assert sign_in(TEACHER_ID, "wrong-pass")[0] == 200
    assert sign_in(TEACHER_ID, PASSWORD)[0] == 302
