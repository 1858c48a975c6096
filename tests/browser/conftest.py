"""Real-browser fixtures: Debian's headless Chromium driven by Playwright, one per test session.

Playwright never downloads a browser of its own here: it launches ``/usr/bin/chromium``
(installed by ``.ci/browser-deps``). Every browser test says ``@pytest.mark.needs("chromium")``:
without it they are skipped with a reason on a developer machine, and the session fails at its
start in CI (``CI=true``), where a skipped browser suite would be a lie (``tests/services.py``).

Every test gets a fresh browser context (cookies, language) and page; whatever the page shows
when the test ends is saved as ``artifacts/screenshots/<test>.png`` (also when it fails), and
``screenshot(page, "step")`` saves intermediate pages as ``<test>--<step>.png``.

Requests to any host other than the live server's are aborted and recorded: the pages must work
without internet (``external_requests`` lists what was attempted).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests import services

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
#: Generous for a cold first page (Swagger UI parses a large bundle), short enough to fail fast.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (starting it costs about a second)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread; Django's ORM refuses
    # to run "inside" it unless told it is safe (it is: no coroutine ever touches the ORM here).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(services.CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _screenshot_name(request: pytest.FixtureRequest, step: str | None = None) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")
    return f"{name}--{step}.png" if step else f"{name}.png"


@pytest.fixture
def browser_locale() -> str:
    """The language the browser asks for (``Accept-Language``); override per test."""
    return "pt-BR"


@pytest.fixture
def external_requests() -> list[str]:
    return []


@pytest.fixture
def page(browser, browser_locale, external_requests, request) -> Iterator:
    context = browser.new_context(
        locale=browser_locale, viewport={"width": 1280, "height": 900}, ignore_https_errors=False
    )
    context.set_default_timeout(TIMEOUT_MS)

    def only_local(route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            external_requests.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_local)
    browser_page = context.new_page()
    try:
        yield browser_page
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            browser_page.screenshot(path=SCREENSHOTS / _screenshot_name(request), full_page=True)
        finally:
            context.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "step")``: save an intermediate page next to the final one."""

    def save(browser_page, step: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / _screenshot_name(request, step)
        browser_page.screenshot(path=path, full_page=True)
        return path

    return save


@pytest.fixture
def admin_login(live_server):
    """Log ``page`` in to /admin/ through the real login form; returns the admin index page."""

    def login(browser_page, *, email: str, password: str) -> None:
        browser_page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        browser_page.fill("#id_username", email)
        browser_page.fill("#id_password", password)
        browser_page.click("input[type=submit]")
        browser_page.wait_for_url(f"{live_server.url}/admin/")

    return login
