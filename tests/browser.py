"""Headless Chromium for browser tests, driven by Playwright's sync API.

Playwright's own browser download does not work everywhere; the tests use Debian's
``chromium`` package at /usr/bin/chromium (``python3 dev.py test`` and ``.ci/run`` install it).
"""

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
# Generous waits for what the user would see: a busy CI machine renders slowly, and a test
# must not fail because of that (a wait ends as soon as the state is there).
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium, live_server):
    """A fresh browser context at 360 px, like a phone; base URL is the live server."""
    context = chromium.new_context(viewport=PHONE, base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def laptop_page(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, base_url=live_server.url, locale="id-ID"
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username: str, password: str) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").last.click()
    page.wait_for_url("**/beranda/")


def sign_in_before(page, username: str, password: str) -> None:
    """Sign in as someone who opened the portal before: its service worker is active when the
    next page opens. (Every signed-in page installs it; a page opened while it is still
    installing stays outside its control, with no offline copy, until the next navigation.)"""
    sign_in(page, username, password)
    wait_until(page, "navigator.serviceWorker.ready.then(() => true)")


def wait_until(page, expression: str, timeout: int = WAIT_MS) -> None:
    """Wait until ``expression`` (JavaScript, a promise allowed) is truthy in the page.

    Playwright's own ``page.wait_for_function`` runs its predicate through ``eval`` inside the
    page, which the portal's Content-Security-Policy refuses (no 'unsafe-eval'); ``evaluate``
    goes through the browser's debugging protocol, which the policy does not govern.
    """
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"Still false after {timeout} ms: {expression}")
        page.wait_for_timeout(100)


def wait_for_server(page, check, timeout: int = WAIT_MS) -> None:
    """Wait until ``check()`` (a look at the database) is true: for what the server must have
    recorded once the page's queue has sent it, which the screen may show before it arrives."""
    deadline = time.monotonic() + timeout / 1000
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"The server did not record it within {timeout} ms")
        page.wait_for_timeout(100)
