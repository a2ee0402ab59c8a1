"""Rate limits: 429 with Retry-After on sign-in, token, registration, booking, survey and GDPR routes."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client

from tila.security import ratelimit
from tila.security.models import RateLimitCounter
from tila.security.ratelimit import Rate, hit


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/5m", Rate(10, 300)),
        ("100/h", Rate(100, 3600)),
        ("3/30s", Rate(3, 30)),
        ("5/d", Rate(5, 86400)),
        ("7/1", Rate(7, 1)),
    ],
)
def test_rates_are_written_count_per_period(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.django_db
def test_hits_are_counted_per_window_and_per_client():
    rate = Rate(2, 60)
    at = 1_900_000_020.0
    assert [hit("t", "a", rate, now=at).allowed for _ in range(3)] == [True, True, False]
    assert hit("t", "b", rate, now=at).allowed, "another client has its own count"
    later = hit("t", "a", rate, now=at + 60)
    assert later.allowed and later.count == 1, "a new window starts from zero"


@pytest.mark.django_db
def test_retry_after_is_the_rest_of_the_window():
    decision = hit("t", "a", Rate(0, 60), now=1_900_000_020.0)  # window 1_899_999_960 … 1_900_000_020
    assert not decision.allowed
    assert decision.retry_after == 60


@pytest.mark.django_db
def test_keys_do_not_store_the_client_in_clear_text():
    hit("signin", "ip:203.0.113.9", Rate(5, 60))
    assert "203.0.113.9" not in RateLimitCounter.objects.get().key


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_all_counted():
    """One atomic upsert per hit: several app servers (threads here) never lose a count."""
    rate, at, workers, per_worker = Rate(1000, 3600), 1_900_000_000.0, 4, 10

    def work():
        try:
            for _ in range(per_worker):
                hit("race", "one-client", rate, now=at)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert RateLimitCounter.objects.get().count == workers * per_worker


# --- The routes ---------------------------------------------------------------------------------


def _exhaust(client: Client, path: str, data: dict, limit: int, **extra) -> object:
    response = None
    for _ in range(limit + 1):
        response = client.post(path, data, **extra)
    return response


@pytest.mark.django_db
def test_sign_in_page_is_limited_per_client(limits_on, settings):
    settings.TILA_RATE_LIMITS = {"signin": {"rate": "3/5m"}}
    response = _exhaust(Client(), "/en/accounts/login/", {"email": "a@example.org", "password": "x"}, 3)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 300
    assert "Too many requests" in response.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post("/en/accounts/login/", {"email": "a@example.org", "password": "x"}).status_code == 200


@pytest.mark.django_db
def test_api_token_and_register_answer_json_429(limits_on, settings):
    settings.TILA_RATE_LIMITS = {"signin-api": {"rate": "2/m"}, "register": {"rate": "2/h"}}
    client = Client()
    token = _exhaust(
        client, "/v1/auth/token/", {"email": "a@example.org", "password": "x"}, 2, content_type="application/json"
    )
    assert token.status_code == 429
    assert token.json()["code"] == "throttled"
    assert "Retry-After" in token
    no_slash = client.post(
        "/v1/auth/token", {"email": "a@example.org", "password": "x"}, content_type="application/json"
    )
    assert no_slash.status_code == 429, "the path without its slash shares the limit"
    body = {"email": "b@example.org", "password": "a fine long password"}
    register = _exhaust(client, "/v1/auth/register/", body, 2, content_type="application/json")
    assert register.status_code == 429


@pytest.mark.django_db
def test_booking_is_limited_per_person(limits_on, settings, f, future_day):
    settings.TILA_RATE_LIMITS = {"booking": {"rate": "2/h"}}
    resource = f.resource()
    person = f.user()
    client = Client()
    client.force_login(person)
    data = {
        "begin_date": future_day.isoformat(),
        "begin_time": "10:00",
        "end_date": future_day.isoformat(),
        "end_time": "11:00",
    }
    response = _exhaust(client, f"/en/resources/{resource.pk}/book/", data, 2)
    assert response.status_code == 429
    other = Client()
    other.force_login(f.user())
    assert other.post(f"/en/resources/{resource.pk}/book/", data).status_code != 429


@pytest.mark.django_db
def test_public_survey_is_limited(limits_on, settings, f):
    settings.TILA_RATE_LIMITS = {"survey": {"rate": "2/h"}}
    unit = f.unit()
    response = _exhaust(Client(), f"/fi/feedback/u/{unit.pk}/", {"score": "9"}, 2)
    assert response.status_code == 429


@pytest.mark.django_db
def test_limits_are_off_unless_enabled(settings):
    settings.TILA_RATE_LIMITS_ENABLED = False
    settings.TILA_RATE_LIMITS = {"signin": {"rate": "1/h"}}
    response = _exhaust(Client(), "/en/accounts/login/", {"email": "a@example.org", "password": "x"}, 3)
    assert response.status_code == 200


@pytest.mark.django_db
def test_settings_can_remove_a_rule(limits_on, settings):
    settings.TILA_RATE_LIMITS = {"signin": None}
    assert "signin" not in {rule.scope for rule in ratelimit.rules()}


def test_forwarded_for_is_trusted_only_from_configured_proxies(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TILA_TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(request) == "10.0.0.2"
    settings.TILA_TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request) == "203.0.113.5", "the address our proxy saw, not a spoofed one"
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert ratelimit.client_ip(spoofed) == "10.0.0.2"


@pytest.mark.django_db
def test_windows_roll_over_with_the_clock(limits_on, settings):
    settings.TILA_RATE_LIMITS = {"signin": {"rate": "1/m"}}
    with time_machine.travel(dt.datetime(2030, 1, 1, 12, 0, 10, tzinfo=dt.UTC), tick=False) as clock:
        client = Client()
        assert (
            _exhaust(client, "/en/accounts/login/", {"email": "a@example.org", "password": "x"}, 1).status_code == 429
        )
        clock.shift(dt.timedelta(minutes=1))
        assert client.post("/en/accounts/login/", {"email": "a@example.org", "password": "x"}).status_code == 200
