"""The API accepts bearer JWTs from the OpenID Connect provider beside Tila's own tokens."""

from __future__ import annotations

import datetime as dt
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from tila.accounts import bearer_jwt
from tila.accounts.models import ExternalIdentity, User
from tila.accounts.services import token_create

pytestmark = pytest.mark.django_db(transaction=True)


def _me(token: str) -> object:
    return Client().get("/v1/auth/me/", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_provider_access_token_signs_in_to_the_api(oidc):
    token = oidc.password_token("bertta")
    response = _me(token)
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "bertta.weak@example.org"
    user = User.objects.get(email="bertta.weak@example.org")
    assert str(user.uuid) == oidc.subject("bertta")
    assert ExternalIdentity.objects.filter(user=user, issuer=oidc.issuer).exists()


def test_tila_tokens_still_work_beside_jwts(oidc, f):
    person = f.user()
    assert _me(token_create(user=person)).json()["email"] == person.email


def test_strong_loa_in_the_jwt_books_a_strong_resource(oidc, f, future_day):
    resource = f.resource(authentication="strong")
    body = {"resource": resource.pk, "begin": f.at(future_day, 10).isoformat(), "end": f.at(future_day, 11).isoformat()}
    weak = Client().post(
        "/v1/reservation/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {oidc.password_token('bertta')}",
    )
    assert weak.status_code == 400
    assert weak.json()["code"] == "strong_authentication_required"
    strong = Client().post(
        "/v1/reservation/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {oidc.password_token('aino')}",
    )
    assert strong.status_code == 201, strong.content


def test_keys_are_fetched_once_and_cached(oidc, monkeypatch):
    calls = []
    original = bearer_jwt._fetch_keys
    monkeypatch.setattr(bearer_jwt, "_fetch_keys", lambda issuer: calls.append(issuer) or original(issuer))
    for _ in range(3):
        assert _me(oidc.password_token("bertta")).status_code == 200
    assert calls == [oidc.issuer]


# --- Forged and broken tokens: a key of our own stands in for the provider's -----------------------


@pytest.fixture
def signer(oidc, monkeypatch):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    monkeypatch.setattr(bearer_jwt, "_key_for", lambda kid: key.public_key())

    def sign(**overrides):
        now = int(time.time())
        claims = {
            "iss": oidc.issuer,
            "aud": oidc.api_audience,
            "sub": oidc.subject("bertta"),
            "iat": now,
            "exp": now + 300,
            "email": "bertta.weak@example.org",
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "ours"})

    sign.key = key
    return sign


def test_a_well_formed_token_passes(signer):
    assert _me(signer()).status_code == 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(time.time()) - 3600},
        {"aud": "someone-else"},
        {"iss": "https://issuer.example"},
        {"exp": None},
        {"sub": None},
        {"aud": None},
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "no-exp", "no-sub", "no-aud"],
)
def test_tokens_failing_a_check_are_401(signer, overrides):
    response = _me(signer(**overrides))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_signed_by_another_key_is_401(oidc):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(
        {"iss": oidc.issuer, "aud": "tila", "sub": "x", "exp": int(time.time()) + 60}, other, algorithm="RS256"
    )
    assert _me(token).status_code == 401


def test_hs256_and_none_algorithms_are_refused(oidc, signer):
    now = int(time.time())
    claims = {"iss": oidc.issuer, "aud": "tila", "sub": oidc.subject("bertta"), "exp": now + 60}
    hs = jwt.encode(claims, "a-shared-secret-that-is-long-enough-32", algorithm="HS256")
    assert _me(hs).status_code == 401
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert _me(unsigned).status_code == 401


def test_an_anonymised_person_is_401(signer):
    from tila.accounts.gdpr import account_anonymise

    assert _me(signer()).status_code == 200
    account_anonymise(user=User.objects.get(email="bertta.weak@example.org"))
    assert _me(signer(email=None)).status_code == 401


def test_provider_tokens_without_configuration_are_401(settings, f):
    settings.OIDC_ISSUER = ""
    token = jwt.encode({"sub": "x", "exp": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)}, "k" * 32)
    assert _me(token).status_code == 401
