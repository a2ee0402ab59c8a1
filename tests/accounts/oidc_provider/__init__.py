"""A real OpenID Connect provider for the tests: django-oauth-toolkit's OIDC provider in its own
process (its own small Django project and SQLite file), on a loopback port chosen by the system.

It issues RS256 ID tokens and RS256 JWT access tokens signed with a key made at start-up, serves
discovery and JWKS, signs people in through a plain login form, and puts each person's `loa`
(low / substantial / high) in their tokens. `tests.accounts.oidc_provider.fixtures` starts it.
"""
