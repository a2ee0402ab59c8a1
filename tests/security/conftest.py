import pytest

from tests.accounts.oidc_provider.fixtures import oidc, oidc_provider  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def identity_urls(settings):
    """The identity routes (OIDC sign-in, GDPR API), wired or not yet wired in tila/urls.py."""
    settings.ROOT_URLCONF = "tests.accounts.urls"


@pytest.fixture
def limits_on(settings):
    """Rate limits as in production (they are off by default under TILA_TESTING)."""
    settings.TILA_RATE_LIMITS_ENABLED = True
    return settings
