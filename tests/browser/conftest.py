"""Browser tests: Debian's Chromium, driven by Playwright for Python, against a live server.

Never a browser downloaded by a test tool: the executable is the system's `chromium`.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in the test thread; the test's own database calls
# are still synchronous, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


class InFlight:
    """Counts the live server's requests that have started and not finished.

    Closing the browser does not stop a request the server is still answering (an htmx swap, a
    chart's API call); if the test's database is flushed under it, the flush fails and the
    request fails on a database it may no longer use. The page fixture waits for the count to
    reach zero before the database is torn down. Requests made in the test's own thread (the
    test client, here or in other tests of the same worker) are not the live server's and are
    not counted: a streamed response a test never reads never finishes.
    """

    def __init__(self) -> None:
        self.count = 0
        self.idle = threading.Condition()
        self.test_thread: int | None = None

    def start(self) -> None:
        with self.idle:
            self.count, self.test_thread = 0, threading.get_ident()

    def started(self, **_: object) -> None:
        if threading.get_ident() != self.test_thread:
            with self.idle:
                self.count += 1

    def finished(self, **_: object) -> None:
        if threading.get_ident() != self.test_thread:
            with self.idle:
                self.count = max(0, self.count - 1)
                self.idle.notify_all()

    def wait(self, timeout: float = 30) -> None:
        with self.idle:
            if not self.idle.wait_for(lambda: self.count == 0, timeout):
                pytest.fail(f"{self.count} request(s) still running {timeout} s after the test")


IN_FLIGHT = InFlight()
request_started.connect(IN_FLIGHT.started, dispatch_uid="browser-tests-in-flight")
# Connected after Django's close_old_connections, so the count drops once the request's last
# database call is over.
request_finished.connect(IN_FLIGHT.finished, dispatch_uid="browser-tests-in-flight")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    IN_FLIGHT.start()
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    IN_FLIGHT.wait()
