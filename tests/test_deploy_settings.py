"""Production settings, exercised the way production starts: manage.py in a fresh process
with DJANGO_DEBUG=false and the environment a deployment sets (docs/security.md)."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")
STRONG_KEY = secrets.token_urlsafe(50)
SHOW_SETTINGS = """
import json
from django.conf import settings as s
from django.test import Client
from django.urls import reverse
keys = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_AGE", "AXES_FAILURE_LIMIT"]
out = {k: getattr(s, k, None) for k in keys}
out["CONN_HEALTH_CHECKS"] = s.DATABASES["default"]["CONN_HEALTH_CHECKS"]
out["AXES_COOLOFF_MINUTES"] = s.AXES_COOLOFF_TIME.total_seconds() / 60
out["STATICFILES"] = s.STORAGES["staticfiles"]["BACKEND"]
# The language switch answers with a redirect: no template, no database.
url = reverse("set_language")
response = Client().get(url, secure=True, headers={"host": s.ALLOWED_HOSTS[0]})
out["HSTS_HEADER"] = response.get("Strict-Transport-Security")
plain = Client().get(url, headers={"host": s.ALLOWED_HOSTS[0]})
out["PLAIN_STATUS"] = plain.status_code
print(json.dumps(out))
"""


def run(*args, **env_changes):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AXES_")) and key != "PYTEST_CURRENT_TEST"
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="emotioncare.example.org",
    )
    env.update(env_changes)
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


def production_settings(**env_changes):
    result = run("shell", "--no-imports", "-c", SHOW_SETTINGS, **env_changes)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_under_production_settings():
    result = run("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run("check", DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run("check", DJANGO_SECRET_KEY="s3cret-but-far-too-short")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    result = run("check", DJANGO_SECRET_KEY="ab" * 30)  # long, but only two characters
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


def test_production_is_secure_by_default():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # no forged X-Forwarded-Proto
    assert values["CONN_HEALTH_CHECKS"] is True
    assert values["SESSION_COOKIE_AGE"] == 9 * 60 * 60
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AXES_COOLOFF_MINUTES"] == 15
    assert values["STATICFILES"].startswith("whitenoise.")
    assert values["HSTS_HEADER"] == "max-age=31536000; includeSubDomains; preload"
    assert values["PLAIN_STATUS"] == 301  # plain HTTP is redirected to HTTPS


def test_each_relaxation_is_an_explicit_variable_and_check_deploy_reports_it():
    relaxed = {
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_PROXY_COUNT": "1",
        "DJANGO_LOGIN_FAILURE_LIMIT": "10",
        "DJANGO_LOGIN_COOLOFF_MINUTES": "30",
    }
    values = production_settings(**relaxed)
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["AXES_FAILURE_LIMIT"] == 10
    assert values["AXES_COOLOFF_MINUTES"] == 30
    assert values["PLAIN_STATUS"] == 302  # served over plain HTTP, no redirect to HTTPS

    result = run("check", "--deploy", "--fail-level", "WARNING", **relaxed)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout
