"""Headers, cookies, CSRF, escaping and uploads."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tila.booking.services import reservation_create
from tila.security.uploads import validate_image_upload

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in (ROOT / "tila").rglob("templates/**/*.html"))


# --- Content-Security-Policy and other headers ------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy():
    response = Client().get("/en/")
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"], "no inline script, no eval, no third-party script"
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"] + policy["style-src-elem"]
    assert policy["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_api_and_gdpr_responses_carry_the_policy_too():
    assert "Content-Security-Policy" in Client().get("/v1/unit/")


@pytest.mark.django_db
def test_security_headers():
    response = Client().get("/en/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_event_handler(template):
    text = template.read_text()
    inline_scripts = [
        m.group(0)
        for m in re.finditer(r"<script\b[^>]*>", text)
        if "src=" not in m.group(0) and "application/json" not in m.group(0) and "application/ld+json" not in m.group(0)
    ]
    assert inline_scripts == [], "inline scripts are blocked by the CSP"
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text), "inline event handlers are blocked by the CSP"
    assert "javascript:" not in text


def test_hsts_secure_cookies_and_redirect_behind_tls():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "x" * 50,
        "DEBUG": "0",
        "BEHIND_TLS_PROXY": "1",
        "SITE_URL": "https://tila.example",
        "DATABASE_URL": "sqlite:///:memory:",
        "PYTHONPATH": str(ROOT),
    }
    code = (
        "import json, tila.settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'CSRF_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'LANGUAGE_COOKIE_SECURE', "
        "'SESSION_COOKIE_SAMESITE', 'SESSION_COOKIE_AGE']}))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    values = json.loads(out.stdout)
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["SESSION_COOKIE_AGE"] == 12 * 3600, "sessions end after 12 hours"


@pytest.mark.django_db
def test_hsts_header_on_secure_requests(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/en/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_session_cookie_is_httponly_and_samesite(f):
    person = f.user("keksi@example.org")
    response = Client().post("/en/accounts/login/", {"email": person.email, "password": "correct horse battery"})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- CSRF on every form ------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_post_form_has_a_csrf_token(template):
    text = template.read_text()
    for match in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, flags=re.S | re.I):
        opening = match.group(0)[: match.group(0).index(">") + 1].lower()
        if 'method="post"' in opening or "method='post'" in opening or "hx-post" in opening:
            assert "{% csrf_token %}" in match.group(1), f"a POST form without csrf_token: {opening}"


@pytest.mark.django_db
def test_a_post_without_the_token_is_refused(f):
    person = f.user("csrf@example.org")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post("/en/accounts/profile/", {"name": "X", "preferred_language": "fi"}).status_code == 403
    assert (
        client.post("/en/accounts/delete/", {"confirm": "on", "password": "correct horse battery"}).status_code == 403
    )


# --- No user-controlled HTML rendered unescaped ------------------------------------------------------

# `|safe` on markup that Tila generates itself, with every text in it escaped (tested below).
SAFE_ALLOWED = {
    "tila/feedback/templates/feedback/staff/link.html": "segno's QR SVG; the title is escaped by segno",
    "tila/insight/templates/insight/includes/figure.html": "tila.insight.charts escapes every text",
    "tila/notifications/templates/notifications/email.html": "the body is rendered with autoescape on "
    "(tila.notifications.services._render_one) from an administrator's template",
}


def test_safe_filter_only_on_generated_markup():
    found = {}
    for template in TEMPLATES:
        text = template.read_text()
        if "|safe" in text or "{% autoescape off %}" in text:
            found[str(template.relative_to(ROOT))] = True
    assert set(found) <= set(SAFE_ALLOWED), set(found) - set(SAFE_ALLOWED)


def test_no_mark_safe_in_python():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tila").rglob("*.py")
        if "migrations" not in path.parts and re.search(r"\bmark_safe\(|SafeString\(", path.read_text())
    ]
    assert offenders == []


def test_generated_svg_escapes_its_texts():
    from tila.feedback.qr import qr_svg
    from tila.insight.charts import Chart, Series, line_chart

    assert "<script>" not in qr_svg("https://tila.example/", title="<script>alert(1)</script>")
    chart = Chart(
        title="<script>t</script>",
        description="<img src=x onerror=alert(1)>",
        labels=["<b>a</b>", "b"],
        series=[Series(name="<i>s</i>", values=[1.0, 2.0])],
    )
    svg = line_chart(chart)
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg and "<i>" not in svg


@pytest.mark.django_db
def test_names_and_subjects_are_escaped_on_pages(f, future_day):
    evil = "<script>alert('x')</script>"
    person = f.user("xss@example.org")
    person.name = evil
    person.save()
    resource = f.resource()
    reservation = reservation_create(
        actor=person, resource=resource, begin=f.at(future_day, 10), end=f.at(future_day, 11), event_subject=evil
    )
    handler = f.staff(resource.unit)
    resident, staff = Client(), Client()
    resident.force_login(person)
    staff.force_login(handler)
    for client, path in (
        (resident, f"/en/reservations/{reservation.pk}/"),
        (resident, "/en/reservations/"),
        (resident, "/en/accounts/profile/"),
        (staff, f"/en/staff/reservations/{reservation.pk}/"),
        (staff, f"/en/staff/units/{resource.unit_id}/calendar/"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert evil not in response.content.decode(), path


# --- Uploads --------------------------------------------------------------------------------------------


def _image(fmt: str = "PNG", size: tuple[int, int] = (20, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_real_images_pass(fmt):
    validate_image_upload(SimpleUploadedFile(f"a.{fmt.lower()}", _image(fmt), content_type="image/png"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.png", b"<html><script>alert(1)</script></html>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("cut.png", _image()[:40]),
        ("image.bmp", _image("BMP")),
    ],
)
def test_files_that_are_not_allowed_images_are_refused(name, content):
    with pytest.raises(ValidationError):
        validate_image_upload(SimpleUploadedFile(name, content, content_type="image/png"))


def test_oversized_uploads_are_refused(settings):
    settings.TILA_MAX_IMAGE_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(SimpleUploadedFile("big.png", _image(size=(400, 400)) + b"\0" * 2000))
    assert caught.value.code == "file_too_large"


@pytest.mark.django_db
def test_the_admin_image_upload_checks_the_file(f):
    from tila.catalogue.admin import ResourceImageForm

    resource = f.resource()
    bad = ResourceImageForm(
        data={"resource": resource.pk, "order": 0, "caption_fi": "", "caption_sv": "", "caption_en": ""},
        files={"image": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")},
    )
    assert not bad.is_valid()
    assert "image" in bad.errors
    good = ResourceImageForm(
        data={"resource": resource.pk, "order": 0, "caption_fi": "", "caption_sv": "", "caption_en": ""},
        files={"image": SimpleUploadedFile("x.png", _image(), content_type="image/png")},
    )
    assert good.is_valid(), good.errors


# --- Sessions and stored secrets -----------------------------------------------------------------------


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_key(f):
    person = f.user("istunto@example.org")
    client = Client()
    client.get("/en/accounts/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/en/accounts/login/", {"email": person.email, "password": "correct horse battery"})
    assert client.session.session_key != before, "no session fixation"


@pytest.mark.django_db
def test_signing_out_ends_the_session(f):
    person = f.user("ulos@example.org")
    client = Client()
    client.force_login(person)
    key = client.session.session_key
    client.post("/en/accounts/logout/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/en/accounts/profile/").status_code == 302


def test_passwords_use_argon2(settings):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_api_tokens_are_stored_only_as_digests(f):
    from tila.accounts.models import AuthToken
    from tila.accounts.services import token_create

    token = token_create(user=f.user())
    assert not AuthToken.objects.filter(digest=token).exists()
    assert token not in str(list(AuthToken.objects.values()))
