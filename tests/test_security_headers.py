"""Security headers: the Content-Security-Policy, and no-store on everything dynamic."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import InteractionFactory, emotion

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
JAVASCRIPT_URL = re.compile(r"=\s*[\"']\s*javascript:", re.I)
TEMPLATE_COMMENT = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.S)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_pages_carry_a_strict_content_security_policy(client, lead):
    client.force_login(lead)
    policy = directives(client.get(reverse("interactions:list")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)


def test_the_login_page_carries_it_too(client):
    response = client.get(reverse("login"))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_no_template_needs_inline_script_or_style(path):
    """The policy forbids them; a template that used one would silently break."""
    text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to static/js/"
    assert not STYLE_ATTRIBUTE.search(text), 'style="": use a class in static/css/app.css'
    assert not STYLE_ELEMENT.search(text), "<style>: use static/css/app.css"
    assert not HANDLER_ATTRIBUTE.search(text), "on...= handler: use addEventListener"
    assert not JAVASCRIPT_URL.search(text), "javascript: URL"


@pytest.fixture
def some_data(lead, customer, agent):
    for start, end in [("anger", "neutral"), ("gratitude", "satisfaction"), ("anxiety", None)]:
        InteractionFactory(
            agent=agent,
            customer=customer,
            emotion_start=emotion(start),
            emotion_end=emotion(end) if end else None,
        )
    return customer


def lead_pages(customer):
    return [
        reverse("interactions:home"),
        reverse("interactions:list"),
        reverse("interactions:customer-list"),
        reverse("interactions:customer-detail", args=[customer.pk]),
        reverse("interactions:dashboard"),
        reverse("interactions:template-list"),
        reverse("interactions:phrase-rule-list"),
        reverse("interactions:me"),
        reverse("interactions:reflection"),
        reverse("interactions:team-care"),
    ]


def test_rendered_pages_have_no_inline_script_or_style(client, lead, some_data):
    """Including the dashboard's server-rendered SVG charts (classes, not style="")."""
    client.force_login(lead)
    for url in lead_pages(some_data):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not STYLE_ATTRIBUTE.search(html), url
        assert not HANDLER_ATTRIBUTE.search(html), url


def test_every_page_with_personal_data_is_no_store(client, lead, some_data):
    client.force_login(lead)
    urls = lead_pages(some_data) + [
        reverse("interactions:export"),
        reverse("interactions:customer-search") + "?q=김",
        reverse("interactions:detail", args=[some_data.interactions.first().pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_login_and_error_pages_are_no_store_too(client, lead):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    client.force_login(lead)
    assert "no-store" in client.get("/no-such-page/")["Cache-Control"]


def test_static_files_keep_their_cache_lifetime(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # tests run without collectstatic
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_hsts_is_sent_over_https_when_configured(client, lead, settings):
    """The production values themselves are checked in test_deploy_settings.py."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client.force_login(lead)
    response = client.get(reverse("interactions:list"), secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
