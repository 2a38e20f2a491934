"""Take screenshots of the main pages in headless Chromium (for the README and reviews).

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR] [--lang ko]
Needs a running server with the demo data (`make run`) and Chromium at /usr/bin/chromium.
"""

import os
import sys

from playwright.sync_api import sync_playwright

BASE = (
    sys.argv[1]
    if len(sys.argv) > 1 and not sys.argv[1].startswith("--")
    else "http://127.0.0.1:8000"
)
OUT = sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else "docs/screenshots"
LANG = "ko" if "--lang" in sys.argv and sys.argv[sys.argv.index("--lang") + 1] == "ko" else "en"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PAGES = [
    ("demo_agent", "log", "/"),
    ("demo_agent", "list", "/interactions/?scope=team"),
    ("demo_agent", "customers", "/customers/"),
    ("demo_lead", "customer", None),
    ("demo_lead", "dashboard", "/dashboard/"),
]


def shoot_dashboard(page, out):
    """The top of the dashboard, at 1280 wide: filters, totals, the archetype board and
    the emotion-trend chart (the rest of the page is more tables)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(BASE + "/dashboard/")
    bottom = page.evaluate(
        "() => { const r = document.querySelector('#trend-title')"
        ".closest('section').querySelector('figure').getBoundingClientRect();"
        " return Math.ceil(r.bottom + window.scrollY + 16); }"
    )
    page.screenshot(
        path=out, full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": bottom}
    )


def main():
    os.makedirs(OUT, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for user, name, path in PAGES:
            context = browser.new_context(
                viewport={"width": 1366, "height": 900}, locale="ko-KR" if LANG == "ko" else "en-US"
            )
            page = context.new_page()
            page.goto(BASE + "/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", "emotioncare-demo")
            page.click("button[type=submit]")
            if path is None:
                page.goto(BASE + "/interactions/?scope=team")
                path = page.locator("table.table tbody tr td a").first.get_attribute("href")
            if name == "dashboard":
                shoot_dashboard(page, f"{OUT}/{name}-{LANG}.png")
                context.close()
                continue
            page.goto(BASE + path)
            page.screenshot(path=f"{OUT}/{name}-{LANG}.png", full_page=name in ("log", "customer"))
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
