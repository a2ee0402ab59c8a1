"""Pytest fixtures around the test provider: `oidc_provider` (one process per test session) and
`oidc` (Tila configured to use it for the test)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from tests.accounts.oidc_provider.subjects import subject_for

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "provider password 1"
PEOPLE = {
    "aino": {"email": "aino.strong@example.org", "name": "Aino Vahva", "loa": "substantial"},
    "bertta": {"email": "bertta.weak@example.org", "name": "Bertta Heikko", "loa": "low"},
    "cecilia": {"email": "cecilia.high@example.org", "name": "Cecilia Korkea", "loa": "high"},
}
CALLBACKS = " ".join(f"http://{host}/auth/oidc/callback/" for host in ("localhost", "127.0.0.1", "testserver"))


@dataclass
class Provider:
    issuer: str
    client_id: str = "tila"
    client_secret: str = "tila-client-secret-for-tests"
    service_id: str = "profile-service"
    service_secret: str = "profile-service-secret-for-tests"
    # A third-party application: its access tokens name it in `azp` (tila.accounts.bearer_jwt).
    third_party_id: str = "calendar-app"
    third_party_secret: str = "calendar-app-secret-for-tests"
    api_audience: str = "tila"
    people: dict[str, dict[str, str]] = field(default_factory=lambda: PEOPLE)

    def subject(self, username: str) -> str:
        return subject_for(username)

    def password_token(self, username: str, scope: str = "openid", *, third_party: bool = False) -> str:
        """An access token (RS256 JWT) for `username`, through the resource owner password grant; by
        the profile service (no `azp`), or with `third_party` by the third-party application."""
        client = (self.service_id, self.service_secret)
        if third_party:
            client = (self.third_party_id, self.third_party_secret)
        response = requests.post(
            f"{self.issuer}/token/",
            data={"grant_type": "password", "username": username, "password": PASSWORD, "scope": scope},
            auth=client,
            timeout=10,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])


def _config(database: Path) -> dict[str, Any]:
    provider = Provider(issuer="")
    return {
        "database": str(database),
        "api_audience": provider.api_audience,
        "users": [{"username": name, "password": PASSWORD, **person} for name, person in PEOPLE.items()],
        "clients": [
            {
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
                "redirect_uris": CALLBACKS,
                "grant": "authorization-code",
            },
            {"client_id": provider.service_id, "client_secret": provider.service_secret, "grant": "password"},
            {
                "client_id": provider.third_party_id,
                "client_secret": provider.third_party_secret,
                "grant": "password",
                "azp": True,
            },
        ],
    }


def _read_ready(process: subprocess.Popen[str], timeout: float = 60) -> int:
    result: dict[str, str] = {}

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("READY "):
                result["line"] = line
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    if "line" not in result:
        process.kill()
        stderr = process.stderr.read() if process.stderr else ""
        raise RuntimeError(f"the test OpenID Connect provider did not start:\n{stderr[-3000:]}")
    return int(result["line"].split()[1])


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Any:
    database = tmp_path_factory.mktemp("oidc-provider") / "provider.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.accounts.oidc_provider.serve", json.dumps(_config(database))],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = _read_ready(process)
        yield Provider(issuer=f"http://127.0.0.1:{port}/o")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _clear_caches() -> None:
    from tila.accounts import bearer_jwt, oidc

    bearer_jwt.clear_key_cache()
    oidc._clients.clear()


@pytest.fixture
def oidc(settings: Any, oidc_provider: Provider) -> Any:
    """Tila configured to sign in through, and accept the tokens of, the test provider."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_SCOPES = "openid profile email"
    settings.OIDC_PROVIDER_NAME = "Suomi.fi"
    settings.OIDC_API_AUDIENCES = [oidc_provider.api_audience]
    settings.OIDC_ALLOW_INSECURE_ISSUER = True
    settings.ROOT_URLCONF = "tests.accounts.urls"
    _clear_caches()
    yield oidc_provider
    _clear_caches()


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in_at_provider(authorize_url: str, username: str, password: str = PASSWORD) -> str:
    """Play the browser at the provider: log in, let it authorise, and return the callback URL it
    redirects to (on Tila's host), without following it."""
    session = requests.Session()
    page = session.get(authorize_url, timeout=10)
    token = CSRF_INPUT.search(page.text)
    assert token, f"no login form at {page.url}: {page.status_code}"
    login_url = page.url
    nxt = re.search(r'name="next" value="([^"]*)"', page.text)
    response = session.post(
        login_url,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1),
            "next": nxt.group(1).replace("&amp;", "&") if nxt else "",
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    provider_host = urlsplit(authorize_url).netloc
    for _hop in range(10):
        location = response.headers.get("Location", "")
        assert response.status_code in {301, 302, 303}, (response.status_code, response.text[:500])
        target = urljoin(response.url, location)
        if urlsplit(target).netloc != provider_host:
            return target
        response = session.get(target, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never redirected back")
