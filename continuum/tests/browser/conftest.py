"""Headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright, with axe-core.

Browser downloads do not work here, so Playwright is pointed at the system Chromium and
`playwright install` is never needed. Where no Chromium is found the browser tests are
skipped with a plain reason, unless CONTINUUM_REQUIRE_BROWSER=1 (CI), where that fails.

Playwright's sync API runs an asyncio event loop in the thread that starts it. In the test's
own thread that loop would make Django treat every database call as async-unsafe, and give
the test a different database connection object from the one pytest-django set up (so the
data a migration seeded could not be restored after a transactional test). So Playwright
lives in a thread of its own: a test prepares its data as usual, then hands a journey -- a
function of one Page -- to ``browse``, which runs it in that thread and re-raises anything
it raised.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from continuum.tests.browser.axe import AXE
from continuum.tests.browser.signing_in import ensure_authenticator_apps, forget_codes_used

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_REASON = f"Chromium not found at {CHROMIUM}: browser tests skipped"
TIMEOUT_MS = 20_000

Journey = Callable[["Page"], None]


class BrowserThread:
    """One Chromium, driven from one dedicated thread."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._executor.submit(self._launch).result()

    def _launch(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )

    def _stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def close(self) -> None:
        try:
            self._executor.submit(self._stop).result()
        finally:
            self._executor.shutdown()

    def run(self, base_url: str, journey: Journey) -> None:
        self._executor.submit(self._run, base_url, journey).result()

    def _run(self, base_url: str, journey: Journey) -> None:
        """Run ``journey`` in a fresh context. The context bypasses the Content Security
        Policy only so that axe-core can be injected; the app's own pages carry no inline
        script either way. A script error, or any of the app's assets failing to load,
        fails the journey."""
        assert self._browser is not None
        context = self._browser.new_context(bypass_csp=True, base_url=base_url)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "response",
            lambda response: (
                problems.append(f"{response.status} for {response.url}")
                if "/assets/" in response.url and response.status >= 400
                else None
            ),
        )
        try:
            journey(page)
        finally:
            context.close()
        assert not problems, "While the journey ran:\n" + "\n".join(problems)


# One Chromium per test process, launched by the first module that needs it and closed when
# the session ends: the modules that import ``chromium`` each get their own fixture (module
# scope), so the browser itself is kept here. Every journey has a fresh browser context.
_launched: list[BrowserThread] = []


@pytest.fixture(scope="module")
def chromium(request: pytest.FixtureRequest) -> Iterator[BrowserThread]:
    if not CHROMIUM.exists():
        if os.environ.get("CONTINUUM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{SKIP_REASON} - but CONTINUUM_REQUIRE_BROWSER=1 requires them")
        pytest.skip(SKIP_REASON)
    assert AXE.exists(), f"axe-core is missing at {AXE}: run npm ci"
    if not _launched:
        _launched.append(BrowserThread())
        request.config.add_cleanup(lambda: _launched.pop().close())
    yield _launched[0]


@pytest.fixture
def browse(chromium: BrowserThread, live_server: Any, settings: Any) -> Callable[[Journey], None]:
    """browse(journey): run ``journey(page)`` in Chromium against the live server.

    The live server speaks plain HTTP, so the session and CSRF cookies may not be marked
    Secure here.
    """
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    forget_codes_used()

    def run(journey: Journey) -> None:
        ensure_authenticator_apps()  # the second factor the journey's sign-ins enter
        chromium.run(live_server.url, journey)

    return run
