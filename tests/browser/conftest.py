"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

* ``browser`` is session scoped; ``phone`` (360x740, touch, nl-NL) and ``desktop`` (1280x900) are fresh
  contexts per test, so cookies never leak between a resident and a member of staff.
* ``login(page, user)`` (a fixture) logs in through the real login page (axes, CSRF and all).
* When a test fails, every open page is saved to ``test-results/<test>-<n>.png``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the main thread; the ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from wijkpunt.oncall.tests.engine_fixtures import engine  # noqa: E402,F401 - re-exported fixture
from wijkpunt.reports.tests.conftest import PASSWORD, jpeg_bytes, world  # noqa: E402,F401 - re-exported fixture

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "test-results"
SCREENSHOT_DIR = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("WIJKPUNT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_instance():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _clean_cache(transactional_db):
    """Rate limits and captcha replay protection live in the (database) cache table, which a
    transactional flush leaves alone; every browser test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def taxonomy(transactional_db):
    """The starter categories. A transactional test flushes the tables afterwards, which also wipes
    what the data migration loaded; put it back for the next test."""
    from wijkpunt.reports.models import Category
    from wijkpunt.reports.taxonomy import load_taxonomy

    load_taxonomy(Category)


@pytest.fixture
def bworld(transactional_db, taxonomy, request):
    """The shared ``world`` (corporation, units, users per role) in a transactional database, so that
    the live server thread sees it."""
    return request.getfixturevalue("world")


def _new_context(browser, request, options):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        for i, page in enumerate(context.pages):
            with contextlib.suppress(Exception):  # a screenshot must never hide the real failure
                page.screenshot(path=str(RESULTS_DIR / f"{name}-{options['viewport']['width']}-{i}.png"),
                                full_page=True)
    context.close()


@pytest.fixture
def phone(browser, request):
    yield from _new_context(browser, request, PHONE)


@pytest.fixture
def desktop(browser, request):
    yield from _new_context(browser, request, DESKTOP)


def _login(page, live_server, user, password: str = PASSWORD, next_url: str = ""):
    """Log in through the real login page and wait until we have left it."""
    url = f"{live_server.url}/inloggen/" + (f"?next={next_url}" if next_url else "")
    page.goto(url)
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.locator("form.wp-login-form button[type=submit]").click()
    assert "/inloggen/" not in page.url, f"login failed for {user.username}: {page.url}"
    return page


def _wait_for_captcha(page, timeout: int = TIMEOUT_MS) -> str:
    """Wait until the ALTCHA widget has solved its proof of work; return the payload."""
    page.wait_for_function(
        """() => {
            const w = document.querySelector('altcha-widget');
            const inputs = [...document.querySelectorAll('input[name="altcha"]')];
            const solved = inputs.some(i => i.value && i.value.length > 20);
            const state = w && (w.getAttribute('data-state') || (w.querySelector('[data-state]') || {}).dataset?.state);
            return solved || state === 'verified';
        }""",
        timeout=timeout,
    )
    return page.evaluate(
        "() => [...document.querySelectorAll('input[name=\"altcha\"]')].map(i => i.value).find(v => v) || ''"
    )


@pytest.fixture
def jpeg_with_gps(tmp_path) -> Path:
    """A real JPEG with EXIF GPS data, as a phone camera makes it."""
    path = tmp_path / "lekkage.jpg"
    path.write_bytes(jpeg_bytes(size=(640, 480), exif_gps=True))
    return path


@pytest.fixture
def login(live_server):
    """``login(page, user)``: log in through the real login page of the live server."""
    return lambda page, user, **kw: _login(page, live_server, user, **kw)


@pytest.fixture
def wait_for_captcha():
    """``wait_for_captcha(page)``: wait until the ALTCHA proof of work is solved; returns the payload."""
    return _wait_for_captcha


# -- screenshots and a smoke check (no console errors, failed requests or HTTP errors) -----------
SCREENSHOTS_OUT = SCREENSHOT_DIR if os.environ.get("WIJKPUNT_SCREENSHOTS") == "docs" else RESULTS_DIR / "screenshots"


def _watch(page, problems: list[str]):
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error"
            and "favicon" not in (m.location or {}).get("url", "") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)


def _shot(page, name: str, width_name: str):
    """A full-page screenshot into SCREENSHOTS_OUT (docs/screenshots/ with `make screenshots`)."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts && document.fonts.ready")
    SCREENSHOTS_OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS_OUT / f"{name}-{width_name}.png"), full_page=True, animations="disabled",
                    caret="hide")


@pytest.fixture
def watch():
    """``watch(page, problems)``: collect console errors, page errors, failed requests, HTTP >= 400."""
    return _watch


@pytest.fixture
def shot():
    """``shot(page, name, "phone"|"desktop")``: a full-page screenshot."""
    return _shot
