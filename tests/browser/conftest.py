"""A live server with the real catalogue, and Debian's Chromium driven by Playwright.

Chromium is never downloaded. A missing Chromium fails the browser tests (never a skip):
install it with `apt-get install chromium`.
"""

from __future__ import annotations

import shutil
import struct
import threading
import zlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.enable_socket)


def _serve(app) -> Iterator[str]:
    """The app on a free local port in a thread, for as long as the fixture lives."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def live_server(catalogue_app) -> Iterator[str]:
    """The real catalogue."""
    yield from _serve(catalogue_app)


@pytest.fixture(scope="module")
def geo_server(geo_app) -> Iterator[str]:
    """The test catalogue with located offers (maps, distances)."""
    yield from _serve(geo_app)


@pytest.fixture(scope="module")
def editor_server(editor_app) -> Iterator[str]:
    """The test catalogue with an editor account (tests that edit)."""
    yield from _serve(editor_app)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("Chromium is required for the browser tests (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


TILE_HOST = "tiles.test"  # the host of TEST_TILE_URL in tests/conftest.py


def tile_png() -> bytes:
    """A 256×256 light grey PNG, made here: what the tile stub answers."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xe0" * 256 for _ in range(256))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 256, 256, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def offline_context(browser, base_url: str, **options):
    """A browser context that only reaches the test server and the tile stub. Anything else is
    aborted and counted in `context.seen["elsewhere"]` (tests check it stays 0)."""
    options.setdefault("locale", "nl-NL")
    context = browser.new_context(base_url=base_url, **options)
    seen = {"tiles": 0, "elsewhere": 0}
    png = tile_png()

    def route(r) -> None:
        host = urlsplit(r.request.url).hostname
        if host == TILE_HOST:
            seen["tiles"] += 1
            r.fulfill(status=200, content_type="image/png", body=png)
        elif host == "127.0.0.1":
            r.continue_()
        else:
            seen["elsewhere"] += 1
            r.abort()

    context.route("**/*", route)
    context.seen = seen
    return context


@pytest.fixture
def open_context(browser):
    """Make offline browser contexts; at the end, each must not have tried the network."""
    contexts = []

    def make(base_url: str, **options):
        context = offline_context(browser, base_url, **options)
        contexts.append(context)
        return context

    yield make
    tried = [c.seen["elsewhere"] for c in contexts]
    for context in contexts:
        context.close()
    assert not any(tried), "a page tried to reach the network"


def _new_page(context):
    page = context.new_page()
    page.seen = context.seen
    return page


@pytest.fixture
def page(open_context, live_server):
    return _new_page(open_context(live_server))


@pytest.fixture
def page_no_js(open_context, live_server):
    return _new_page(open_context(live_server, java_script_enabled=False))
