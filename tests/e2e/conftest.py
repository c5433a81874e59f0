"""Browser tests: one headless Chromium per session, a fresh context per test, axe-core injected.

Playwright's sync API runs an event loop in the test thread, which trips Django's async-unsafe
check for the ORM calls the fixtures make; the tests do not share a loop with Django, so the
check is switched off for this directory only.

The contexts do *not* use `bypass_csp`: with it Chromium ignores the portal's Content Security
Policy altogether, so a violation could never show up. axe is evaluated through the DevTools
protocol instead (`page.evaluate`), which the page's CSP does not govern, and axe itself needs
neither inline scripts nor eval.
"""

import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from portal.reports.models import Indicator
from tests.helpers import reload_indicators

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser():
    # A missing browser fails loudly rather than skipping: a green run must have run these tests.
    # Deselect them explicitly with `-m "not e2e"` where no browser can be installed.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium or set PORTAL_CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"axe-core missing at {AXE_JS}: run npm ci")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def demo_data(transactional_db):
    """The 90 authorities and the demo accounts, committed so that the live server thread sees them.
    A transactional test before this one emptied every table, the migrations' indicators too."""
    if not Indicator.objects.exists():
        reload_indicators()
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())


@dataclass
class Browsing:
    """A page in a fresh browser context, with everything it requested and every CSP complaint."""

    page: object
    base_url: str
    axe_source: str
    requests: list[str] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:
        self.requests.append(request.url)

    def on_console(self, message) -> None:
        # Chromium reports every blocked inline script/style, eval or fetch here.
        if "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def on_page_error(self, error) -> None:
        self.page_errors.append(str(error))

    def on_response(self, response) -> None:
        # Pages are checked by goto(); this catches a missing stylesheet, font, script or icon.
        if response.status >= 400 and response.request.resource_type != "document":
            self.broken.append(f"{response.status} {response.url}")

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"
        return response

    def login(self, email: str, password: str | None = None):
        self.goto("/konto/anmelden/")
        self.page.get_by_label("E-Mail-Adresse").fill(email)
        self.page.get_by_label("Passwort", exact=True).fill(password or settings.PORTAL_DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.get_by_role("main").get_by_role("button", name="Anmelden").click()
        assert "/konto/anmelden/" not in self.page.url, f"login as {email} failed"

    def axe(self, label: str = "") -> None:
        """Run axe (WCAG 2.1 A/AA) on the current page and fail with a readable list of violations."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(self.axe_source)
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        violations = result["violations"]
        if violations:
            lines = [f"axe: {len(violations)} violation(s) on {label or self.page.url}"]
            for violation in violations:
                impact, rule, help_text = violation["impact"], violation["id"], violation["help"]
                lines.append(f"- [{impact}] {rule}: {help_text} ({violation['helpUrl']})")
                for node in violation["nodes"][:5]:
                    lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
                    if node.get("failureSummary"):
                        lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
                if len(violation["nodes"]) > 5:
                    lines.append(f"    … and {len(violation['nodes']) - 5} more")
            pytest.fail("\n".join(lines), pytrace=False)

    def screenshot(self, name: str) -> None:
        """With PORTAL_E2E_SCREENSHOTS=<folder>, keep a full-page screenshot for a human to look at."""
        if folder := os.environ.get("PORTAL_E2E_SCREENSHOTS"):
            self.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        """No request left the live server, nothing the page loaded failed, and the CSP blocked nothing."""
        home = urlsplit(self.base_url).netloc
        foreign = [
            url
            for url in self.requests
            if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).netloc != home
        ]
        assert not foreign, f"requests to other hosts: {foreign}"
        assert not self.csp_errors, "Content Security Policy violations:\n" + "\n".join(self.csp_errors)
        assert not self.page_errors, "JavaScript errors:\n" + "\n".join(self.page_errors)
        assert not self.broken, "failed requests:\n" + "\n".join(self.broken)


DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def open_browsing(browser, live_server, demo_data, axe_source):
    """Open a fresh browser context (no cookies, no cache) with a page that records what it does."""
    contexts = []

    def open_(viewport=DESKTOP, color_scheme="light", **options) -> Browsing:
        # `options` go to Playwright's new_context, e.g. java_script_enabled=False.
        context = browser.new_context(locale="de-DE", viewport=viewport, color_scheme=color_scheme, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        session = Browsing(page=page, base_url=live_server.url, axe_source=axe_source)
        page.on("request", session.on_request)
        page.on("console", session.on_console)
        page.on("pageerror", session.on_page_error)
        page.on("response", session.on_response)
        return session

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def browsing(open_browsing):
    return open_browsing()
