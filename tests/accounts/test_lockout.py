"""Account lockout against password guessing, on every password path."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tila.accounts import lockout
from tila.accounts.services import user_authenticate
from tila.core.errors import DomainError

PASSWORD = "correct horse battery"


@pytest.fixture
def few_attempts(settings):
    settings.TILA_LOCKOUT_ATTEMPTS = 3
    settings.TILA_LOCKOUT_MINUTES = 15


def _fail(email: str, times: int) -> None:
    """Wrong passwords; the one that reaches the limit is already answered `account_locked`."""
    for attempt in range(1, times + 1):
        try:
            assert user_authenticate(email=email, password="wrong password") is None
        except DomainError as exc:
            assert exc.code == "account_locked"
            assert attempt == times


@pytest.mark.django_db
def test_the_right_password_is_refused_while_the_address_is_locked(f, few_attempts):
    person = f.user("lukko@example.org")
    _fail(person.email, 3)
    with pytest.raises(DomainError) as caught:
        user_authenticate(email=person.email, password=PASSWORD)
    assert caught.value.code == "account_locked"
    assert caught.value.field == "email"


@pytest.mark.django_db
def test_below_the_limit_the_right_password_works_and_clears_the_count(f, few_attempts):
    person = f.user("lukko@example.org")
    _fail(person.email, 2)
    assert user_authenticate(email=person.email, password=PASSWORD) == person
    _fail(person.email, 2)
    assert user_authenticate(email=person.email, password=PASSWORD) == person


@pytest.mark.django_db
def test_the_lock_ends_with_its_window(f, few_attempts):
    person = f.user("lukko@example.org")
    with time_machine.travel(dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False) as clock:
        _fail(person.email, 3)
        assert lockout.is_locked(person.email)
        clock.shift(dt.timedelta(minutes=16))
        assert not lockout.is_locked(person.email)
        assert user_authenticate(email=person.email, password=PASSWORD) == person


@pytest.mark.django_db
def test_one_address_locked_does_not_lock_another(f, few_attempts):
    locked, other = f.user("lukko@example.org"), f.user("vapaa@example.org")
    _fail(locked.email, 3)
    assert user_authenticate(email=other.email, password=PASSWORD) == other


@pytest.mark.django_db
def test_unknown_addresses_lock_the_same_way(few_attempts):
    """The answer does not reveal whether an account exists."""
    _fail("nobody@example.org", 3)
    with pytest.raises(DomainError) as caught:
        user_authenticate(email="nobody@example.org", password=PASSWORD)
    assert caught.value.code == "account_locked"


@pytest.mark.django_db
def test_the_address_is_matched_case_insensitively(f, few_attempts):
    person = f.user("lukko@example.org")
    _fail("LUKKO@example.org", 3)
    assert lockout.is_locked(person.email)


@pytest.mark.django_db
def test_sign_in_page_says_the_address_is_locked(f, few_attempts, client):
    person = f.user("lukko@example.org")
    for _ in range(3):
        client.post("/en/accounts/login/", {"email": person.email, "password": "wrong password"})
    response = client.post("/en/accounts/login/", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_api_token_answers_429_with_retry_after_while_locked(f, few_attempts):
    person = f.user("lukko@example.org")
    client = Client()
    statuses = [
        client.post(
            "/v1/auth/token/", {"email": person.email, "password": "wrong password"}, content_type="application/json"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]
    response = client.post(
        "/v1/auth/token/", {"email": person.email, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "account_locked"
    assert 0 < int(response["Retry-After"]) <= 15 * 60


@pytest.mark.django_db
def test_admin_sign_in_is_locked_too(f, few_attempts):
    admin = f.user("paakayttaja@example.org", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(3):
        client.post("/en/admin/login/", {"username": admin.email, "password": "wrong password"})
    client.post("/en/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
