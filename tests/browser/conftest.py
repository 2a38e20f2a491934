"""Headless Chromium through Playwright, driving the live server.

Playwright cannot download its own browser here: it drives Debian's Chromium
(CHROMIUM_PATH, default /usr/bin/chromium). Without one the tests skip locally
and fail in CI (CI=true), see tests/conftest.py.
"""

import os

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from tests.conftest import CHROMIUM


# The live server answers one request at a time. On SQLite the test database lives in
# memory and every server thread shares its single connection, so two overlapping
# requests (the page's live checks fire together) would interleave their transactions.
class SerialWSGIServer(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        # The server thread itself already uses the shared connections (LiveServerThread.run).
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = SerialWSGIServer

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
