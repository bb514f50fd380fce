"""The accessibility gate: every page of the access walk's route tables, for each role, in both
languages, on a desktop (1280 px) and a phone (360 px), is scanned by axe-core in Chromium. The
suite fails on any serious or critical violation on the portal's own pages and on any page
wider than its viewport (sideways scrolling; WCAG 2.2 SC 1.4.10 Reflow, 320 CSS px + margins).

axe-core is vendored in ``tests/browser/vendor/axe-core`` (npm package ``axe-core``, MPL-2.0):
a test tool, so it lives with the tests and is never collected into ``static/`` or served to
users. The pages are found the way the access walk finds them: each route of
``tests.test_access_walk.ROUTES`` is filled with the walk's world (Ani's application, Citra's
task, a draft SOP), fetched once with Django's test client as the role, and only the HTML
pages that answer 200 are opened in the browser.

``A11Y_REPORT=/path.json`` writes the counts per role (nodes per rule, pages too wide): the
figures of the issue's before/after note."""

import json
import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser

from tests import test_access_walk as walk
from tests.permits.lifecycle.kit import cast, two_opd  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def world(cast, two_opd):  # noqa: F811
    """The access walk's world, built in a thread of its own: issuing the permit signs its PDF
    with ``asyncio.run``, which cannot run in this thread once Playwright's loop is running."""
    from django.db import connection

    def build():
        try:
            return walk.world.__wrapped__(cast, two_opd)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(build).result()


AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()

#: WCAG 2.0-2.2 A and AA rules plus axe's best practices; only serious and critical fail.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
FAILING = {"serious", "critical"}

ROLES = ["anonymous", "ani", "budi", "citra", "dewi", "eko"]
LANGUAGES = ["id", "en"]
WIDTHS = [1280, 360]

#: Pages that are not the portal's own: the Django admin (its own templates and CSS), the
#: machine-readable API answers and the Swagger UI page (third-party, for developers: linked from
#: the footer's developers' section with a note; issue 15 item 5).
SKIPPED_PREFIXES = ("admin/", "api/v1/")
SKIPPED_ROUTES = {"set_language", "logout", "api-docs", "api-schema"}

#: Known violations owned by another piece of work: (route name, axe rule id) -> why.
#: Keep this empty or short; every entry is a failure somebody has promised to fix.
#: (route name, axe rule) pairs allowed to fail, each with its reason. Empty: the password-change
#: pages, the last that rendered Django admin's templates, have portal templates now.
KNOWN: dict[tuple[str, str], str] = {}


def _pages(world, user) -> list[tuple[str, str]]:
    """(route name, URL) of every HTML page of the route tables that ``user`` gets a 200 for."""
    client = Client()
    if user is not None:
        client.force_login(user)
    pages = []
    seen: set[str] = set()
    for route in walk.all_routes():
        if route.pattern.startswith(SKIPPED_PREFIXES) or route.key in SKIPPED_ROUTES:
            continue
        rule = walk.ROUTES.get(route.key) or walk.ADMIN
        if rule.owner == "admin":
            values = world.admin_values
        else:
            ids = world.values.get(rule.owner, ({}, None))[0]
            values = {**walk.GENERIC, **rule.kwargs, **ids}
        url = walk._fill(route.pattern, values)
        response = client.get(url)
        html = (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            # An htmx fragment (a table row swapped into its page) is scanned inside its page.
            and b"<html" in response.content[:200].lower()
        )
        # Two routes can answer the same page (the sign-in form of the site and of the admin).
        if html and url not in seen:
            seen.add(url)
            pages.append((route.key, url))
    return pages


def _session_cookie(user, live_server) -> list[dict]:
    if user is None:
        return []
    client = Client()
    client.force_login(user)
    from django.conf import settings

    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }
    ]


def _scan(page, url: str) -> tuple[list[dict], int, int]:
    page.goto(url, wait_until="load")
    page.add_script_tag(content=AXE)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return result["violations"], widths[0], widths[1]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_and_fits_the_screen(
    role,
    world,
    cast,  # noqa: F811
    live_server,
    browser: Browser,
    settings,  # noqa: F811
):
    user = None if role == "anonymous" else getattr(cast, role)
    pages = _pages(world, user)
    assert len(pages) >= 5, pages
    failures: list[str] = []
    nodes: Counter = Counter()
    too_wide: list[str] = []
    cookies = _session_cookie(user, live_server)
    for language in LANGUAGES:
        for width in WIDTHS:
            context = browser.new_context(
                viewport={"width": width, "height": 800 if width > 600 else 740},
                locale="id-ID" if language == "id" else "en-GB",
                timezone_id="Asia/Makassar",
                bypass_csp=True,  # the vendored axe is injected as an inline script
            )
            context.add_cookies(
                cookies
                + [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "url": live_server.url,
                    }
                ]
            )
            page = context.new_page()
            for name, path in pages:
                violations, scroll_width, client_width = _scan(page, live_server.url + path)
                where = f"{language} {width}px {path}"
                for violation in violations:
                    if violation["impact"] not in FAILING:
                        continue
                    nodes[violation["id"]] += len(violation["nodes"])
                    if (name, violation["id"]) in KNOWN:
                        continue
                    targets = ", ".join(
                        " ".join(node["target"][-1:]) + " " + node["html"][:120]
                        for node in violation["nodes"][:3]
                    )
                    failures.append(
                        f"{where}: {violation['id']} ({violation['impact']}, "
                        f"{len(violation['nodes'])} nodes: {targets})"
                    )
                if scroll_width > client_width:
                    too_wide.append(f"{where}: {scroll_width}px wide in a {client_width}px window")
            context.close()
    _report(role, len(pages), nodes, failures + too_wide)
    assert not failures + too_wide, "\n".join(failures + too_wide)


def _report(role: str, pages: int, nodes: Counter, failures: list[str]) -> None:
    target = os.environ.get("A11Y_REPORT")
    if not target:
        return
    path = Path(f"{target}.{role}.json")
    path.write_text(
        json.dumps(
            {"role": role, "pages": pages, "nodes": dict(nodes), "failures": failures}, indent=1
        )
    )
