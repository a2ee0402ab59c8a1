"""Tila's one settings module. Every deployment-specific value comes from the environment.

See README.md ("Configuration") for the list of variables.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("TILA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("TILA_TESTING"):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "tila.core",
    "tila.accounts",
    "tila.catalogue",
    "tila.hours",
    "tila.booking",
    "tila.seasons",
    "tila.payments",
    "tila.notifications",
    "tila.web",
    "tila.staff",
    "tila.feedback",
    "tila.insight",
    "tila.hobbies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tila.api.middleware.ApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tila.urls"
WSGI_APPLICATION = "tila.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tila.web.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'tila.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_SQLITE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every write transaction takes the database's write lock at BEGIN (IMMEDIATE), so the
    # booking engine's overlap check and its insert can never interleave with another writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory: the concurrency tests need several connections. One per process.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-tila-{os.getpid()}.sqlite3")}
# Optional read replica (streaming replication) for heavy read-only selectors: availability,
# search and indicators. The booking engine always reads and writes the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
for _alias in DATABASES.values():
    if _alias["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler spends half a second compiling the availability query whose CTE
        # row estimates look large, to save milliseconds: pure loss for short OLTP queries.
        _alias.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        # Parameters travel apart from the SQL, and psycopg prepares a statement once a connection has
        # run it five times: PostgreSQL stops parsing and planning it on every request (connections
        # persist, CONN_MAX_AGE). Behind a transaction-mode pooler that cannot keep prepared
        # statements, set DATABASE_PREPARE_THRESHOLD=none (docs/deployment.md).
        _alias["OPTIONS"]["server_side_binding"] = True
        _threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip().lower()
        _alias["OPTIONS"]["prepare_threshold"] = None if _threshold in ("", "none") else int(_threshold)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Helsinki")

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")


def _email_settings(url: str) -> dict[str, object]:
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in {"smtp", "smtps", "smtp+tls"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        }
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {parsed.scheme!r}")


globals().update(_email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tila <tila@localhost>")

# --- Tasks ----------------------------------------------------------------------------------
# django-tasks' database backend, its task rows written with a compiled INSERT (tila/core/tasks.py).
TASKS = {"default": {"BACKEND": "tila.core.tasks.DatabaseBackend", "QUEUES": ["default"]}}

# --- CORS: any origin may call /v1/ with a bearer token; never cookies across sites ----------
CORS_URLS_REGEX = r"^/v1/.*$"
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS
CORS_ALLOW_CREDENTIALS = False

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = True

# --- Payments (see docs/payments.md); empty means "not configured" ---------------------------
PAYTRAIL_MERCHANT_ID = os.environ.get("PAYTRAIL_MERCHANT_ID", "")
PAYTRAIL_SECRET_KEY = os.environ.get("PAYTRAIL_SECRET_KEY", "")
PAYTRAIL_API_URL = os.environ.get("PAYTRAIL_API_URL", "https://services.paytrail.com")
PAYTRAIL_ALGORITHM = os.environ.get("PAYTRAIL_ALGORITHM", "sha256")

# Seller details on receipts and invoices; empty values are left out.
TILA_SELLER_NAME = os.environ.get("TILA_SELLER_NAME", "Tila")
TILA_SELLER_BUSINESS_ID = os.environ.get("TILA_SELLER_BUSINESS_ID", "")
TILA_SELLER_ADDRESS = os.environ.get("TILA_SELLER_ADDRESS", "")
TILA_SELLER_IBAN = os.environ.get("TILA_SELLER_IBAN", "")
TILA_SELLER_BIC = os.environ.get("TILA_SELLER_BIC", "")

# --- Tila's own knobs -----------------------------------------------------------------------
# How far opening hours are materialised into daily intervals, in days before and after today.
TILA_HOURS_PAST_DAYS = int(os.environ.get("TILA_HOURS_PAST_DAYS", "400"))
TILA_HOURS_AHEAD_DAYS = int(os.environ.get("TILA_HOURS_AHEAD_DAYS", "400"))
# Reminder emails go out this many hours before a reservation begins.
TILA_REMINDER_HOURS = int(os.environ.get("TILA_REMINDER_HOURS", "24"))
# How long an unpaid booking holds its slot, and invoice terms.
TILA_PAYMENT_HOLD_MINUTES = int(os.environ.get("TILA_PAYMENT_HOLD_MINUTES", "10"))
TILA_INVOICE_DUE_DAYS = int(os.environ.get("TILA_INVOICE_DUE_DAYS", "14"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Identity and security (issue 10) ---------------------------------------------------------
# Appended by the identity/security work; see docs/security.md and docs/privacy.md.
from tila.security.csp import policy as _csp_policy  # noqa: E402 - plain module, no Django imports

INSTALLED_APPS += ["tila.security"]
AUTHENTICATION_BACKENDS = [
    "tila.accounts.backends.LockoutBackend",  # every password sign-in: counts failures, locks
    "django.contrib.auth.backends.ModelBackend",  # only so that existing sessions keep loading
]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "tila.accounts.assurance.AuthenticationLevelMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("tila.api.middleware.ApiMiddleware") + 1, "tila.security.middleware.RateLimitMiddleware"
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("tila.accounts.context_processors.identity")  # type: ignore[index]

# OpenID Connect sign-in (empty OIDC_ISSUER = local accounts only). The `loa` claim decides the level.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile email")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "Suomi.fi")
OIDC_LOA_CLAIM = os.environ.get("OIDC_LOA_CLAIM", "loa")
OIDC_STRONG_LOA_VALUES = env_list("OIDC_STRONG_LOA_VALUES", "substantial,high")
# Extra authorisation-request parameters when strong identification is asked for (step-up: a fresh
# sign-in), e.g. "prompt=login&kc_idp_hint=suomi_fi" for Keycloak passing Suomi.fi through.
OIDC_STRONG_AUTH_PARAMS = os.environ.get("OIDC_STRONG_AUTH_PARAMS", "prompt=login")
# Bearer JWTs from the provider on /v1/ and /gdpr-api/: accepted audiences (default: the client id).
OIDC_API_AUDIENCES = env_list("OIDC_API_AUDIENCES", OIDC_CLIENT_ID)
OIDC_JWKS_CACHE_SECONDS = int(os.environ.get("OIDC_JWKS_CACHE_SECONDS", "3600"))
OIDC_HTTP_TIMEOUT = float(os.environ.get("OIDC_HTTP_TIMEOUT", "5"))
OIDC_ALLOW_INSECURE_ISSUER = env_bool("OIDC_ALLOW_INSECURE_ISSUER", DEBUG or env_bool("TILA_TESTING"))

# GDPR API (Helsinki profile): the scopes a bearer JWT must carry.
GDPR_API_QUERY_SCOPE = os.environ.get("GDPR_API_QUERY_SCOPE", "gdprquery")
GDPR_API_DELETE_SCOPE = os.environ.get("GDPR_API_DELETE_SCOPE", "gdprdelete")

# Retention (tila retention, daily): see docs/privacy.md.
TILA_RETENTION_INACTIVE_DAYS = int(os.environ.get("TILA_RETENTION_INACTIVE_DAYS", "1095"))
TILA_RETENTION_NOTICE_DAYS = int(os.environ.get("TILA_RETENTION_NOTICE_DAYS", "30"))
TILA_RETENTION_RESERVATION_DAYS = int(os.environ.get("TILA_RETENTION_RESERVATION_DAYS", "730"))
TILA_RETENTION_EMAIL_DAYS = int(os.environ.get("TILA_RETENTION_EMAIL_DAYS", "180"))

# Rate limits and lockout (counters in the database: shared by every app server).
# Off by default under TILA_TESTING (suites that are about other things post freely); tests/security
# turns them on.
TILA_RATE_LIMITS_ENABLED = env_bool("TILA_RATE_LIMITS_ENABLED", not env_bool("TILA_TESTING"))
TILA_TRUSTED_PROXIES = int(os.environ.get("TILA_TRUSTED_PROXIES", "1" if env_bool("BEHIND_TLS_PROXY") else "0"))
TILA_LOCKOUT_ATTEMPTS = int(os.environ.get("TILA_LOCKOUT_ATTEMPTS", "10"))
TILA_LOCKOUT_MINUTES = int(os.environ.get("TILA_LOCKOUT_MINUTES", "15"))

# Uploads, cookies, Content-Security-Policy.
TILA_MAX_IMAGE_BYTES = int(os.environ.get("TILA_MAX_IMAGE_BYTES", str(5 * 1024 * 1024)))
# Sessions end after 12 hours (ASVS 3.3.2). Under TILA_TESTING Django's two weeks stay the default:
# tests travel days ahead in time with a signed-in client.
SESSION_COOKIE_AGE = int(os.environ.get("TILA_SESSION_HOURS", "336" if env_bool("TILA_TESTING") else "12")) * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
CONTENT_SECURITY_POLICY = _csp_policy(report_uri=os.environ.get("CSP_REPORT_URI", ""))
CONTENT_SECURITY_POLICY["EXCLUDE_URL_PREFIXES"] = ["/v1/docs"]  # ninja's Swagger UI loads from a CDN
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
