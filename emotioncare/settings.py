"""EmotionCare settings.

Every value that differs between a laptop and production is read once from
the environment here, with a safe local default. Production (DJANGO_DEBUG=false)
refuses to start without a strong DJANGO_SECRET_KEY (docs/security.md).
"""

import json
import os
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    # The same bar as Django's check security.W009, enforced at start (docs/security.md).
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "auditlog",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "interactions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their long cache headers.
    "emotioncare.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "interactions.middleware.LoginRequiredEverywhereMiddleware",
    # API: 503 + Retry-After when the database fails before the view runs (docs/api.md).
    "interactions.api.middleware.ApiDatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "emotioncare.urls"

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
                "interactions.context_processors.roles",
                "interactions.context_processors.js_strings",
                "interactions.context_processors.wellbeing",
            ],
        },
    },
]

# Widgets render through the project's templates (templates/includes/...).
FORM_RENDERER = "interactions.renderers.FormRenderer"

WSGI_APPLICATION = "emotioncare.wsgi.application"

# --- Database -----------------------------------------------------------------
# SQLite with no configuration; PostgreSQL (or anything dj-database-url reads)
# with DATABASE_URL.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# After login: leads and admins to the dashboard, agents to the log form (/start/).
LOGIN_REDIRECT_URL = "interactions:start"
LOGOUT_REDIRECT_URL = "login"
# Django's database sessions, their row read by a prepared statement (interactions/sessions.py).
SESSION_ENGINE = "interactions.sessions"
SESSION_COOKIE_AGE = 9 * 60 * 60  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes, docs/security.md). Axes only counts and refuses; the
# ModelBackend after it checks the password and refuses inactive accounts.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "interactions.auth_backends.ModelBackend",  # one query for the permissions
]
# Keyed on the pair (user name, address): guessing every name from one address locks no
# one else out, and guessing one name from everywhere does not lock its owner out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME <= timedelta(0):
    raise ImproperlyConfigured(
        "DJANGO_LOGIN_FAILURE_LIMIT and DJANGO_LOGIN_COOLOFF_MINUTES must be >= 1."
    )
AXES_RESET_ON_SUCCESS = True
# A lockout ends COOLOFF after it began, however often the locked form is sent again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "emotioncare.security.lockout_response"
# The client's address: REMOTE_ADDR, or X-Forwarded-For as written by DJANGO_PROXY_COUNT
# trusted proxies (django-ipware is not installed, so the AXES_IPWARE_* settings are unused).
AXES_CLIENT_IP_CALLABLE = "emotioncare.security.client_ip"

# --- Internationalisation -----------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "interactions" / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Seoul")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------

# Secure by default when DJANGO_DEBUG is false. Each relaxation is one explicit
# environment variable; docs/security.md says what each answers and when to relax it.

# Reverse proxies in front of the app that set X-Forwarded-Proto and append to
# X-Forwarded-For. 0: neither header is trusted (a client could forge them).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = not DEBUG and env_bool(
    "DJANGO_SECURE_COOKIES", True
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp): only this origin's own files run or style the
# page; no inline script or style, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Third-party --------------------------------------------------------------

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
AUDITLOG_INCLUDE_ALL_MODELS = False

# REST API (docs/api.md). Token first, so a request without credentials gets 401 with
# WWW-Authenticate; the session (with CSRF on writes) serves the app's own pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["interactions.api.permissions.HasRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["interactions.api.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "interactions.api.pagination.PagePagination",
    "DEFAULT_THROTTLE_CLASSES": ["interactions.api.throttling.UserThrottle"],
    # Requests per user (any API call) and per address (the token endpoint); counted in
    # the cache of each process. "600/minute" style; empty disables.
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("EMOTIONCARE_API_RATE_USER", "1200/minute") or None,
        "token": os.environ.get("EMOTIONCARE_API_RATE_TOKEN", "60/minute") or None,
    },
    "NUM_PROXIES": PROXY_COUNT,
    "EXCEPTION_HANDLER": "interactions.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EmotionCare API",
    "DESCRIPTION": "Log and read interactions and customers, read templates and the "
    "team's numbers. Guide: docs/api.md.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]+",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["interactions.api.permissions.HasRole"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ValenceEnum": "interactions.models.Valence",
        "ArchetypeEnum": "interactions.models.Archetype",
    },
    # Swagger UI from the app's own static files (no CDN: intranets).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayOperationId": False},
}

# --- EmotionCare --------------------------------------------------------------

# REST API: rows per page of a list (clients may ask for up to 200 with ?page_size=);
# the seconds a 503 tells clients to wait (Retry-After) when the database is
# unreachable; how long Idempotency-Keys are kept (at least 24 hours).
EMOTIONCARE_API_PAGE_SIZE = int(os.environ.get("EMOTIONCARE_API_PAGE_SIZE", "50"))
EMOTIONCARE_API_RETRY_AFTER_SECONDS = int(os.environ.get("EMOTIONCARE_API_RETRY_AFTER", "5"))
EMOTIONCARE_IDEMPOTENCY_KEY_HOURS = int(os.environ.get("EMOTIONCARE_IDEMPOTENCY_KEY_HOURS", "48"))
if not 1 <= EMOTIONCARE_API_PAGE_SIZE <= 200 or EMOTIONCARE_IDEMPOTENCY_KEY_HOURS < 24:
    raise ImproperlyConfigured(
        "EMOTIONCARE_API_PAGE_SIZE must be 1-200 and EMOTIONCARE_IDEMPOTENCY_KEY_HOURS >= 24."
    )
# How many interactions a page of the interactions list shows.
EMOTIONCARE_PAGE_SIZE = int(os.environ.get("EMOTIONCARE_PAGE_SIZE", "50"))
# How many of a customer's contacts the customer page shows in its timeline.
EMOTIONCARE_TIMELINE_SIZE = int(os.environ.get("EMOTIONCARE_TIMELINE_SIZE", "60"))
# How many matches the search-as-you-type endpoints return.
EMOTIONCARE_SEARCH_LIMIT = 10
# Response recommendation (docs/recommendations.md): a template's recovery rate counts
# its uses over the last WINDOW_DAYS, and only from MIN_SAMPLE uses (below: "new").
EMOTIONCARE_RECOMMENDATION_WINDOW_DAYS = int(
    os.environ.get("EMOTIONCARE_RECOMMENDATION_WINDOW_DAYS", "90")
)
EMOTIONCARE_RECOMMENDATION_MIN_SAMPLE = int(
    os.environ.get("EMOTIONCARE_RECOMMENDATION_MIN_SAMPLE", "10")
)
# Archetype suggestion thresholds (docs/archetypes.md; rules/archetypes.py Thresholds).
# Any key left out keeps its default; e.g. {"min_contacts": 3, "window": 10}.
EMOTIONCARE_ARCHETYPE_THRESHOLDS = json.loads(
    os.environ.get("EMOTIONCARE_ARCHETYPE_THRESHOLDS", "{}")
)
# Team-lead dashboard (docs/dashboard.md): a recovery rate or improved share is shown
# only from this many interactions; below it, "too few".
EMOTIONCARE_DASHBOARD_MIN_SAMPLE = int(os.environ.get("EMOTIONCARE_DASHBOARD_MIN_SAMPLE", "5"))
# Prepared queries (interactions/prepared.py) also compiled the ordinary way and compared
# on every run: the test suite turns it on; it doubles their cost.
EMOTIONCARE_CHECK_PREPARED = env_bool("EMOTIONCARE_CHECK_PREPARED", False)
# The dashboard reads its daily rollups (interactions/rollups.py); false: it reads the
# interactions (slower; for comparing). The rollups are kept current either way.
EMOTIONCARE_DASHBOARD_ROLLUPS = env_bool("EMOTIONCARE_DASHBOARD_ROLLUPS", True)
# How many suggestions the log form shows.
EMOTIONCARE_SUGGESTIONS_SHOWN = int(os.environ.get("EMOTIONCARE_SUGGESTIONS_SHOWN", "5"))

# CSV import (docs/import.md): the largest file accepted (page and command), and how many
# bad rows the page lists (the command lists them all).
EMOTIONCARE_IMPORT_MAX_BYTES = int(
    os.environ.get("EMOTIONCARE_IMPORT_MAX_BYTES", str(64 * 1024 * 1024))
)
EMOTIONCARE_IMPORT_ERRORS_SHOWN = int(os.environ.get("EMOTIONCARE_IMPORT_ERRORS_SHOWN", "100"))
# XLSX exports stop at this many rows with a message (CSV streams, without a limit).
EMOTIONCARE_XLSX_MAX_ROWS = int(os.environ.get("EMOTIONCARE_XLSX_MAX_ROWS", "50000"))

# Looking after agents (docs/architecture.md): a break is offered after NUDGE_THRESHOLD
# negative interactions within NUDGE_WINDOW_MINUTES; after SHIFT_END (local "HH:MM") an
# agent without today's reflection is reminded to write one.
EMOTIONCARE_NUDGE_THRESHOLD = int(os.environ.get("EMOTIONCARE_NUDGE_THRESHOLD", "3"))
EMOTIONCARE_NUDGE_WINDOW_MINUTES = int(os.environ.get("EMOTIONCARE_NUDGE_WINDOW_MINUTES", "60"))
EMOTIONCARE_SHIFT_END = os.environ.get("EMOTIONCARE_SHIFT_END", "18:00")
if EMOTIONCARE_NUDGE_THRESHOLD < 1 or EMOTIONCARE_NUDGE_WINDOW_MINUTES < 1:
    raise ImproperlyConfigured("EMOTIONCARE_NUDGE_THRESHOLD and _WINDOW_MINUTES must be >= 1.")
try:
    time.fromisoformat(EMOTIONCARE_SHIFT_END)
except ValueError as error:
    raise ImproperlyConfigured("EMOTIONCARE_SHIFT_END must be a time such as 18:00.") from error

# Privacy retention (docs/privacy.md), applied by `manage.py purge_personal_data`:
# access-log entries are deleted after ACCESS_LOG_RETENTION_DAYS; customers without
# contact for CUSTOMER_RETENTION_DAYS have their personal data erased.
EMOTIONCARE_ACCESS_LOG_RETENTION_DAYS = int(
    os.environ.get("EMOTIONCARE_ACCESS_LOG_RETENTION_DAYS", "365")
)
EMOTIONCARE_CUSTOMER_RETENTION_DAYS = int(
    os.environ.get("EMOTIONCARE_CUSTOMER_RETENTION_DAYS", "1825")
)
if EMOTIONCARE_ACCESS_LOG_RETENTION_DAYS < 1 or EMOTIONCARE_CUSTOMER_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("EMOTIONCARE_*_RETENTION_DAYS must be at least 1 day.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
