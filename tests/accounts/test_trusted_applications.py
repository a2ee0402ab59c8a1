"""Trusted applications (6Aika `/user/trusted_applications`): the person's list of third-party
OpenID Connect clients that may use /v1/ for them, its validation, its enforcement on bearer JWTs
(tokens from the real test provider, see tests/accounts/oidc_provider) and its GDPR handling."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from tila.accounts.gdpr import account_anonymise, gdpr_export
from tila.accounts.models import ExternalIdentity, TrustedApplication, User
from tila.accounts.selectors import trusted_applications
from tila.accounts.services import (
    MAX_TRUSTED_APPLICATIONS,
    token_create,
    trusted_applications_change,
    trusted_applications_set,
)
from tila.core.errors import DomainError, PermissionDenied

PATH = "/v1/user/trusted_applications/"
ME = "/v1/auth/me/"


def _headers(token: str | None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


def get(token: str | None, path: str = PATH, **extra: Any) -> Any:
    return Client().get(path, **_headers(token), **extra)


def patch(token: str | None, body: Any, path: str = PATH, **extra: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return Client().patch(path, data, content_type="application/json", **_headers(token), **extra)


def client_ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [app["client_id"] for app in response.json()["trusted_applications"]]


@pytest.fixture
def person(f):
    return f.user("pia@example.org")


@pytest.fixture
def token(person):
    """Tila's own opaque bearer token for the person."""
    return token_create(user=person)


# --- The list through the API with Tila's own token -------------------------------------------------


@pytest.mark.django_db
def test_the_list_starts_empty_and_is_replaced(token):
    assert get(token).json() == {"trusted_applications": []}
    response = patch(token, {"trusted_applications": ["calendar-app", "https://app.example/x", "calendar-app"]})
    assert client_ids(response) == ["calendar-app", "https://app.example/x"]
    created = response.json()["trusted_applications"][0]["created_at"]
    assert created.endswith(("Z", "+00:00")) or "+" in created
    assert client_ids(get(token)) == ["calendar-app", "https://app.example/x"]
    replaced = patch(token, {"trusted_applications": ["other-app", "calendar-app"]})
    assert client_ids(replaced) == ["calendar-app", "other-app"]
    assert replaced.json()["trusted_applications"][0]["created_at"] == created  # a row that stays is kept
    assert client_ids(patch(token, {"trusted_applications": []})) == []


@pytest.mark.django_db
def test_both_slash_forms_work(token):
    assert client_ids(patch(token, {"trusted_applications": ["a"]}, path=PATH.rstrip("/"))) == ["a"]
    assert client_ids(get(token, path=PATH.rstrip("/"))) == ["a"]


@pytest.mark.django_db
def test_add_and_remove(token):
    assert client_ids(patch(token, {"add": ["a", "b", "a"]})) == ["a", "b"]
    assert client_ids(patch(token, {"add": ["c", "a"], "remove": ["b", "never-trusted"]})) == ["a", "c"]
    assert client_ids(patch(token, {"remove": ["a"]})) == ["c"]
    assert client_ids(patch(token, {"add": [], "remove": []})) == ["c"]


@pytest.mark.django_db
def test_each_person_has_their_own_list(token, f):
    other = f.user()
    patch(token, {"trusted_applications": ["a"]})
    assert client_ids(get(token_create(user=other))) == []
    assert TrustedApplication.objects.filter(user=other).count() == 0


@pytest.mark.django_db
def test_without_credentials_is_401(db):
    for path in (PATH, PATH.rstrip("/")):
        for response in (get(None, path), patch(None, {"trusted_applications": []}, path)):
            assert response.status_code == 401
            assert response.json()["code"] == "not_authenticated"
    assert get("not-a-token").status_code == 401


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"trusted_applications": ["has space"]}, "invalid_client_id", "trusted_applications"),
        ({"trusted_applications": [""]}, "invalid_client_id", "trusted_applications"),
        ({"trusted_applications": ["x" * 201]}, "invalid_client_id", "trusted_applications"),
        ({"trusted_applications": ["tab\there"]}, "invalid_client_id", "trusted_applications"),
        ({"trusted_applications": ["bell\x07"]}, "invalid_client_id", "trusted_applications"),
        ({"add": ["ok", "new\nline"]}, "invalid_client_id", "add"),
        ({"remove": [" "]}, "invalid_client_id", "remove"),
        (
            {"trusted_applications": [f"app-{n}" for n in range(MAX_TRUSTED_APPLICATIONS + 1)]},
            "too_many_trusted_applications",
            "trusted_applications",
        ),
        ({"add": ["a"], "remove": ["a"]}, "conflicting_change", "remove"),
        ({"trusted_applications": "calendar-app"}, "invalid", "trusted_applications"),
        ({"trusted_applications": [1]}, "invalid", "trusted_applications.0"),
        ({"trusted_applications": [None]}, "invalid", "trusted_applications.0"),
        ({"add": {"a": 1}}, "invalid", "add"),
        ({"trusted_applications": ["a"], "client": "x"}, "invalid", "client"),
        ({"trusted_applications": ["a"], "add": ["b"]}, "invalid", None),
        ({}, "invalid", None),
        ({"trusted_applications": None}, "invalid", None),
        (["a"], "invalid", None),
        ("not json", "invalid", None),
        ('{"trusted_applications": [NaN]}', "invalid", None),
        ("", "invalid", None),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_400_and_changes_nothing(token, person, body, code, field):
    trusted_applications_set(user=person, client_ids=["kept"])
    response = patch(token, body)
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == code
    assert data["non_field_errors"] and all(isinstance(m, str) for m in data["non_field_errors"])
    if field:
        assert field in data, data
    assert [a.client_id for a in trusted_applications(user=person)] == ["kept"]


@pytest.mark.django_db
def test_adding_past_the_limit_is_refused(token, person):
    trusted_applications_set(user=person, client_ids=[f"app-{n}" for n in range(MAX_TRUSTED_APPLICATIONS)])
    response = patch(token, {"add": ["one-more"]})
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_trusted_applications"
    assert client_ids(patch(token, {"add": ["one-more"], "remove": ["app-0"]}))[-1] == "one-more"


@pytest.mark.django_db
def test_messages_are_translated(token):
    body = {"trusted_applications": ["has space"]}
    finnish = patch(token, body, QUERY_STRING="lang=fi").json()["non_field_errors"][0]
    swedish = patch(token, body, QUERY_STRING="lang=sv").json()["non_field_errors"][0]
    english = patch(token, body, QUERY_STRING="lang=en").json()["non_field_errors"][0]
    assert len({finnish, swedish, english}) == 3
    assert "200" in finnish and "200" in swedish and "200" in english


@pytest.mark.django_db
def test_the_services_validate_on_their_own(person):
    with pytest.raises(DomainError) as error:
        trusted_applications_set(user=person, client_ids="abc")
    assert error.value.code == "invalid"
    with pytest.raises(DomainError) as error:
        trusted_applications_change(user=person, add=[42])
    assert error.value.code == "invalid_client_id"
    with pytest.raises(PermissionDenied):
        trusted_applications_set(user=person, client_ids=["me"], acting_client_id="me")
    assert [a.client_id for a in trusted_applications_set(user=person, client_ids=("x", "y", "x"))] == ["x", "y"]


@pytest.mark.django_db
def test_the_operations_are_documented(db):
    document = Client().get("/v1/openapi.json").json()
    item = document["paths"][PATH]
    assert set(item) == {"get", "patch"}
    for operation in item.values():
        assert operation["tags"] == ["user_settings"]
        assert operation["security"] == [{"BearerToken": []}]
        assert {"200", "400", "401", "403"} <= set(operation["responses"])
    assert PATH.rstrip("/") not in document["paths"]


# --- Enforcement on bearer JWTs from the real test provider -------------------------------------------


@pytest.fixture
def bertta(oidc, f):
    """A Tila account for the provider's `bertta`, linked as after a first sign-in."""
    user = f.user("bertta.weak@example.org")
    user.uuid = uuid.UUID(oidc.subject("bertta"))
    user.save()
    ExternalIdentity.objects.create(user=user, issuer=oidc.issuer, subject=oidc.subject("bertta"))
    return user


@pytest.mark.django_db(transaction=True)
def test_a_third_party_token_is_refused_until_the_person_trusts_the_application(oidc, bertta):
    third_party = oidc.password_token("bertta", third_party=True)
    refused = get(third_party, ME, QUERY_STRING="lang=en")
    assert refused.status_code == 403
    assert refused.json()["code"] == "untrusted_application"
    assert refused.json()["non_field_errors"][0].startswith("You have not allowed this application")
    assert (
        get(third_party, ME, QUERY_STRING="lang=fi").json()["non_field_errors"][0]
        != (refused.json()["non_field_errors"][0])
    )

    own = token_create(user=bertta)
    assert client_ids(patch(own, {"add": [oidc.third_party_id]})) == [oidc.third_party_id]
    accepted = get(third_party, ME)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["email"] == "bertta.weak@example.org"

    patch(own, {"remove": [oidc.third_party_id]})
    assert get(third_party, ME).json()["code"] == "untrusted_application"


@pytest.mark.django_db(transaction=True)
def test_trust_is_per_person(oidc, bertta, f):
    other = f.user()
    trusted_applications_set(user=other, client_ids=[oidc.third_party_id])
    assert get(oidc.password_token("bertta", third_party=True), ME).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_third_party_cannot_read_or_change_the_list(oidc, bertta):
    trusted_applications_set(user=bertta, client_ids=[oidc.third_party_id])
    third_party = oidc.password_token("bertta", third_party=True)
    for response in (
        patch(third_party, {"add": ["another-app"]}),
        patch(third_party, {"trusted_applications": [oidc.third_party_id, "another-app"]}),
        get(third_party),
    ):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "permission_denied"
    assert [a.client_id for a in trusted_applications(user=bertta)] == [oidc.third_party_id]


@pytest.mark.django_db(transaction=True)
def test_an_untrusted_third_party_cannot_trust_itself(oidc, bertta):
    response = patch(oidc.password_token("bertta", third_party=True), {"add": [oidc.third_party_id]})
    assert response.status_code == 403
    assert response.json()["code"] == "untrusted_application"
    assert not TrustedApplication.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_tokens_without_azp_or_of_tilas_own_client_are_first_party(oidc, bertta, settings):
    no_azp = oidc.password_token("bertta")  # the profile service's tokens carry no `azp`
    assert get(no_azp, ME).status_code == 200
    assert client_ids(patch(no_azp, {"add": ["from-a-jwt"]})) == ["from-a-jwt"]
    settings.OIDC_CLIENT_ID = oidc.third_party_id  # now the application whose tokens name it is Tila's own
    own_client = oidc.password_token("bertta", third_party=True)
    assert get(own_client, ME).status_code == 200
    assert client_ids(patch(own_client, {"remove": ["from-a-jwt"]})) == []


@pytest.mark.django_db(transaction=True)
def test_the_gdpr_api_does_not_look_at_trusted_applications(oidc, bertta):
    token = oidc.password_token("bertta", "openid gdprquery", third_party=True)
    response = Client().get(f"/gdpr-api/v1/profiles/{bertta.uuid}", **_headers(token))
    assert response.status_code == 200, response.content


# --- GDPR: export and erasure -----------------------------------------------------------------


def _find(tree: dict, key: str) -> list[dict]:
    found = [tree] if tree["key"] == key else []
    for child in tree.get("children", []):
        found += _find(child, key)
    return found


@pytest.mark.django_db
def test_the_export_lists_trusted_applications_and_erasure_deletes_them(person, f):
    other = f.user()
    trusted_applications_set(user=person, client_ids=["calendar-app", "other-app"])
    trusted_applications_set(user=other, client_ids=["not-pias-app"])
    tree = gdpr_export(user=person)
    [branch] = _find(tree, "TRUSTED_APPLICATIONS")
    values = [c["value"] for app in branch["children"] for c in app["children"] if c["key"] == "CLIENT_ID"]
    assert values == ["calendar-app", "other-app"]
    assert "not-pias-app" not in json.dumps(tree)

    account_anonymise(user=person)
    assert not TrustedApplication.objects.filter(user=person).exists()
    assert TrustedApplication.objects.filter(user=other).count() == 1
    assert User.objects.get(pk=person.pk).anonymised_at is not None
