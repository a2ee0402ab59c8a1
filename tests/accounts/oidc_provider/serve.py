"""Run the test provider: `python -m tests.accounts.oidc_provider.serve CONFIG_JSON`.

CONFIG_JSON: {"database": path, "users": [{"username", "password", "email", "name", "loa"}],
"clients": [{"client_id", "client_secret", "redirect_uris", "grant": "authorization-code" |
"password", "azp": true if its access tokens carry an `azp` claim}], "api_audience": "tila"}.
Prints `READY <port>` once it serves on 127.0.0.1."""

from __future__ import annotations

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def _rsa_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _populate(config: dict) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for person in config["users"]:
        User.objects.create_user(
            person["username"],
            person["email"],
            person["password"],
            first_name=person.get("name", ""),
            last_name=person.get("loa", "low"),
        )
    for client in config["clients"]:
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=client.get("grant", Application.GRANT_AUTHORIZATION_CODE),
            redirect_uris=client.get("redirect_uris", ""),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
            hash_client_secret=True,
        )


def main() -> None:
    config = json.loads(sys.argv[1])
    server = ThreadingServer(("127.0.0.1", 0), QuietHandler)
    port = server.server_address[1]
    os.environ["TEST_OP_ISSUER"] = f"http://127.0.0.1:{port}/o"
    os.environ["TEST_OP_RSA_KEY"] = _rsa_pem()
    os.environ["TEST_OP_DATABASE"] = config["database"]
    os.environ["TEST_OP_API_AUDIENCE"] = config.get("api_audience", "tila")
    os.environ["TEST_OP_AZP_CLIENTS"] = " ".join(c["client_id"] for c in config["clients"] if c.get("azp"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.accounts.oidc_provider.settings"
    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    _populate(config)
    server.set_app(get_wsgi_application())
    print(f"READY {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
