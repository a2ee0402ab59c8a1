"""Signing in through a real OpenID Connect provider (django-oauth-toolkit in its own process)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from tests.accounts.oidc_provider.fixtures import sign_in_at_provider
from tila.accounts.assurance import SESSION_KEY, STRONG, WEAK
from tila.accounts.models import ExternalIdentity, User

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(client: Client, username: str, *, strong: bool = False, next_url: str = "/en/") -> object:
    query = f"?next={next_url}" + ("&strong=1" if strong else "")
    start = client.get(f"/auth/oidc/login/{query}")
    assert start.status_code == 302, start.content[:300]
    callback = sign_in_at_provider(start["Location"], username)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def test_sign_in_with_substantial_loa_gives_a_strong_session(oidc):
    client = Client()
    response = _sign_in(client, "aino")
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    user = User.objects.get(email="aino.strong@example.org")
    assert str(user.uuid) == oidc.subject("aino"), "a UUID `sub` becomes the user's uuid (GDPR API id)"
    assert user.name == "Aino Vahva"
    assert user.email_verified_at is not None
    assert not user.has_usable_password()
    assert client.session[SESSION_KEY] == STRONG
    link = ExternalIdentity.objects.get(user=user)
    assert (link.issuer, link.subject, link.last_level) == (oidc.issuer, oidc.subject("aino"), STRONG)


@pytest.mark.parametrize(("username", "level"), [("bertta", WEAK), ("cecilia", STRONG)])
def test_loa_claim_maps_to_the_level(oidc, username, level):
    client = Client()
    _sign_in(client, username)
    assert client.session.get(SESSION_KEY, WEAK) == level


def test_second_sign_in_uses_the_linked_account(oidc):
    _sign_in(Client(), "bertta")
    _sign_in(Client(), "bertta")
    assert User.objects.filter(email="bertta.weak@example.org").count() == 1
    assert ExternalIdentity.objects.count() == 1


def test_verified_email_links_an_existing_resident_account(oidc, f):
    existing = f.user("bertta.weak@example.org")
    _sign_in(Client(), "bertta")
    assert ExternalIdentity.objects.get().user == existing


def test_a_staff_account_is_never_linked_automatically(oidc, f):
    unit = f.unit()
    staff = f.staff(unit, email="aino.strong@example.org")
    _sign_in(Client(), "aino")
    link = ExternalIdentity.objects.get()
    assert link.user != staff
    assert link.user.email.endswith("@users.invalid")


def test_a_forged_callback_is_refused(oidc):
    client = Client()
    client.get("/auth/oidc/login/")
    response = client.get("/auth/oidc/callback/?code=made-up&state=made-up")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_replayed_callback_is_refused(oidc):
    client = Client()
    start = client.get("/auth/oidc/login/")
    callback = sign_in_at_provider(start["Location"], "bertta")
    parts = urlsplit(callback)
    assert client.get(f"{parts.path}?{parts.query}").status_code == 302
    other = Client()
    assert other.get(f"{parts.path}?{parts.query}").status_code == 400


def test_the_request_uses_pkce_nonce_and_the_strong_hint(oidc, settings):
    settings.OIDC_STRONG_AUTH_PARAMS = "kc_idp_hint=suomi_fi"
    response = Client().get("/auth/oidc/login/?strong=1")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] and query["state"]
    assert query["kc_idp_hint"] == ["suomi_fi"]
    assert "kc_idp_hint" not in parse_qs(urlsplit(Client().get("/auth/oidc/login/")["Location"]).query)


def test_next_must_stay_on_this_site(oidc):
    client = Client()
    response = _sign_in(client, "bertta", next_url="https://evil.example/")
    assert response["Location"].startswith("/")


def test_sign_in_routes_are_hidden_when_not_configured(settings):
    settings.OIDC_ISSUER = ""
    assert Client().get("/auth/oidc/login/").status_code == 404
    assert Client().get("/auth/oidc/callback/").status_code == 404


def test_an_anonymised_account_cannot_sign_in_again(oidc):
    from tila.accounts.gdpr import account_anonymise

    _sign_in(Client(), "bertta")
    account_anonymise(user=User.objects.get(email="bertta.weak@example.org"))
    client = Client()
    response = _sign_in(client, "bertta")
    assert response.status_code == 302, "a fresh account: the old identity link went with the anonymisation"
    assert User.objects.filter(email="bertta.weak@example.org", is_active=True).count() == 1


def test_password_sign_in_after_a_strong_session_is_weak(oidc, f):
    client = Client()
    _sign_in(client, "aino")
    user = User.objects.get(email="aino.strong@example.org")
    user.set_password("a long enough password 1")
    user.save()
    response = client.post("/en/accounts/login/", {"email": user.email, "password": "a long enough password 1"})
    assert response.status_code == 302
    assert client.session.get(SESSION_KEY, WEAK) == WEAK


def test_signin_page_offers_the_provider(oidc):
    page = Client().get("/en/accounts/login/?next=/en/favourites/")
    assert b'id="oidc-signin-button"' in page.content
    assert b"Suomi.fi" in page.content
    assert b"/auth/oidc/login/?next=/en/favourites/" in page.content


def test_signin_page_without_provider_has_no_button(settings):
    settings.OIDC_ISSUER = ""
    assert b"oidc-signin-button" not in Client().get("/en/accounts/login/").content


def test_signing_in_updates_activity_for_retention(oidc):
    _sign_in(Client(), "bertta")
    link = ExternalIdentity.objects.get()
    assert link.last_login_at is not None
    assert dt.datetime.now(dt.UTC) - link.last_login_at < dt.timedelta(minutes=1)
