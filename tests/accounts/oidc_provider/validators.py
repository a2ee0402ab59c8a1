"""Claims of the test provider: a stable UUID `sub`, email, name and `loa` per person.

A person's `loa` is kept in their `last_name` and their display name in `first_name` (a throwaway
provider needs no model of its own)."""

from __future__ import annotations

import json
import os
import time
import uuid
from typing import Any

from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.accounts.oidc_provider.subjects import subject_for


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim in every token (the test provider is not selective)

    def get_claim_dict(self, request: Any) -> dict[str, Any]:
        claims = super().get_claim_dict(request)
        claims["sub"] = subject_for(request.user.username)
        return claims

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.first_name,
            "loa": user.last_name or "low",
        }


def jwt_access_token(request: Any, refresh_token: bool = False) -> str:
    """An RS256 JWT access token for Tila's API, signed with the provider's OIDC key."""
    key = jwk.JWK.from_pem(os.environ["TEST_OP_RSA_KEY"].encode())
    now = int(time.time())
    user = request.user
    claims = {
        "iss": os.environ["TEST_OP_ISSUER"],
        "aud": os.environ.get("TEST_OP_API_AUDIENCE", "tila"),
        "sub": subject_for(user.username),
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        "client_id": request.client_id,
        "scope": " ".join(request.scopes or []),
        "email": user.email,
        "email_verified": True,
        "loa": user.last_name or "low",
    }
    if request.client_id in os.environ.get("TEST_OP_AZP_CLIENTS", "").split():
        claims["azp"] = request.client_id
    token = jwt.JWT(header={"alg": "RS256", "kid": key.thumbprint(), "typ": "at+jwt"}, claims=json.dumps(claims))
    token.make_signed_token(key)
    return str(token.serialize())
