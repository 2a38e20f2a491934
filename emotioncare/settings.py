"""EmotionCare settings.

Every value that differs between a laptop and production is read once from
the environment here, with a safe local default. Production (DJANGO_DEBUG=false)
refuses to start without DJANGO_SECRET_KEY.
"""

import json
import os
from datetime import time
from pathlib import Path

import dj_database_url
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
    "interactions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "interactions.middleware.LoginRequiredEverywhereMiddleware",
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
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
SESSION_COOKIE_AGE = 9 * 60 * 60  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

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

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Third-party --------------------------------------------------------------

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
AUDITLOG_INCLUDE_ALL_MODELS = False

# --- EmotionCare --------------------------------------------------------------

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
# How many suggestions the log form shows.
EMOTIONCARE_SUGGESTIONS_SHOWN = int(os.environ.get("EMOTIONCARE_SUGGESTIONS_SHOWN", "5"))

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
