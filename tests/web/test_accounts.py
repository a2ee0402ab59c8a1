"""Sign up, verify the email, sign in (in one's own language), sign out, reset the password, profile."""

import re

import pytest
from django.conf import settings
from django.core import mail

from tila.accounts.models import User
from tila.accounts.services import email_verification_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Account emails leave after the transaction commits: run those callbacks at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


PASSWORD = "a long enough passphrase"


def signup_data(**extra):
    return {
        "email": "New.Person@Example.org",
        "name": "New Person",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "preferred_language": "sv",
        **extra,
    }


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def codes(response):
    return {name: [e.code for e in errs] for name, errs in response.context["form"].errors.as_data().items()}


def test_signup_creates_a_signed_in_account_and_sends_a_verification_link(client, committed):
    with committed():
        response = client.post("/en/accounts/signup/?next=/en/reservations/", signup_data(next="/en/reservations/"))
    assert response.status_code == 302
    assert response["Location"] == "/sv/reservations/"  # continues in the chosen language
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    user = User.objects.get()
    assert user.email == "new.person@example.org"
    assert user.password.startswith("argon2")
    assert user.email_verified_at is None
    assert client.get("/sv/reservations/").status_code == 200  # signed in
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Tila" in message.subject
    path = link_in(message)
    assert path.startswith("/sv/accounts/verify/")
    response = client.get(path)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_a_verification_link_works_without_being_signed_in_and_again_after(client, resident):
    uid, token = email_verification_token(user=resident)
    assert client.get(f"/en/accounts/verify/{uid}/{token}/")["Location"] == "/en/accounts/login/"
    resident.refresh_from_db()
    assert resident.email_verified_at is not None
    assert client.get(f"/en/accounts/verify/{uid}/{token}/").status_code == 302


def test_a_bad_verification_link_is_explained(client, resident):
    uid, _token = email_verification_token(user=resident)
    response = client.get(f"/en/accounts/verify/{uid}/abc-def/")
    assert response.status_code == 400
    assert "not valid or has expired" in response.content.decode()
    assert client.get("/en/accounts/verify/zzz/abc-def/").status_code == 400


def test_verification_can_be_resent(signed_in, resident, committed):
    with committed():
        response = signed_in.post("/en/accounts/verify/resend/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"email": "resident@example.org"}, "email", "email_taken"),
        ({"password": "short", "password_again": "short"}, "password", "weak_password"),
        ({"password_again": "something else entirely"}, "password_again", "mismatch"),
        ({"email": "not an address"}, "email", "invalid"),
        ({"preferred_language": "de"}, "preferred_language", "invalid_choice"),
    ],
)
def test_signup_errors_are_on_their_fields(client, resident, data, field, code):
    response = client.post("/en/accounts/signup/", signup_data(**data))
    assert response.status_code == 200
    assert codes(response) == {field: [code]}
    assert User.objects.count() == 1
    assert 'role="alert"' in response.content.decode()


def test_sign_in_activates_the_preferred_language_and_returns_to_next(client, f):
    f.user("elsa@example.org", preferred_language="sv")
    response = client.post(
        "/fi/accounts/login/",
        {"email": "ELSA@example.org", "password": "correct horse battery", "next": "/fi/reservations/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/sv/reservations/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"


def test_sign_in_never_redirects_off_site(client, resident):
    response = client.post(
        "/en/accounts/login/",
        {"email": resident.email, "password": "correct horse battery", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/en/"


def test_a_wrong_password_is_a_general_error(client, resident):
    response = client.post("/en/accounts/login/", {"email": resident.email, "password": "nope"})
    assert response.status_code == 200
    assert codes(response) == {"__all__": ["invalid_login"]}
    assert "The email address or the password is wrong." in response.content.decode()


def test_sign_out_is_a_post(signed_in):
    assert signed_in.get("/en/accounts/logout/").status_code == 405
    response = signed_in.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert signed_in.get("/en/reservations/").status_code == 302


def test_password_reset_by_email(client, resident, committed):
    with committed():
        response = client.post("/en/accounts/password-reset/", {"email": "RESIDENT@example.org"})
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    path = link_in(mail.outbox[0])
    assert path.startswith("/en/accounts/password-reset/")
    assert client.get(path).status_code == 200
    response = client.post(path, {"password": "a brand new passphrase", "password_again": "a brand new passphrase"})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/"
    resident.refresh_from_db()
    assert resident.check_password("a brand new passphrase")
    assert resident.email_verified_at is not None
    assert client.get(path).status_code == 400  # used once


def test_password_reset_does_not_reveal_who_has_an_account(client, committed):
    with committed():
        response = client.post("/en/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_on_its_field(client, resident, committed):
    with committed():
        client.post("/en/accounts/password-reset/", {"email": resident.email})
    path = link_in(mail.outbox[0])
    response = client.post(path, {"password": "1234", "password_again": "1234"})
    assert codes(response) == {"password": ["weak_password"]}


def test_profile_changes_the_language_and_the_page_follows(signed_in, resident):
    response = signed_in.get("/en/accounts/profile/")
    assert "not verified yet" in response.content.decode()
    response = signed_in.post("/en/accounts/profile/", {"name": "Resi Dent", "preferred_language": "fi"})
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/profile/"
    resident.refresh_from_db()
    assert (resident.name, resident.preferred_language) == ("Resi Dent", "fi")


def test_profile_needs_sign_in(client):
    assert client.get("/sv/accounts/profile/")["Location"] == "/sv/accounts/login/?next=/sv/accounts/profile/"


def test_account_fields_are_labelled_and_autocompletable(client):
    html = client.get("/en/accounts/signup/").content.decode()
    assert '<label for="id_email">' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="new-password"' in html
    assert 'aria-describedby="id_password_helptext"' in html


def test_passwords_need_at_least_twelve_characters(client):
    """ASVS 2.1.1: eleven characters are refused, twelve are enough."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("kx7#vQ2!mPz")  # 11
    validate_password("kx7#vQ2!mPzw")  # 12
