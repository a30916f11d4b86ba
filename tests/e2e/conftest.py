"""End-to-end fixtures: the real `finess-graph serve` (real sample, demo data) and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import pytest

from graph.embedded_store import EmbeddedStore
from loaders.detect import read_snapshot
from tests.factories import ACTIVITIES, STRUCTURES

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")  # the browser is Debian's, never downloaded
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SERVE = [sys.executable, "-m", "api.cli", "serve", "--port", "0"]


@dataclass
class Server:
    """A running `serve`: its address and a client of its API."""

    name: str
    url: str
    process: subprocess.Popen[str]
    client: httpx2.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx2.Client(base_url=self.url, timeout=60)

    def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        """Run a GraphQL query; return its data (errors fail the test)."""
        answer = self.client.post("/graphql", json={"query": query, "variables": variables}).json()
        assert "errors" not in answer, answer
        return answer["data"]  # type: ignore[no-any-return]


def start(name: str, *args: str) -> Server:
    """Start `serve` with `args`; wait for the address it prints first."""
    process = subprocess.Popen(
        [*SERVE, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("http"):
        process.kill()
        raise AssertionError(f"serve did not start: {line} {process.stderr.read() if process.stderr else ''}")
    return Server(name, line, process)


def stop(server: Server) -> None:
    server.client.close()
    server.process.terminate()
    server.process.wait(timeout=20)


@pytest.fixture(scope="session")
def sample_server(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Iterator[Server]:
    """`serve` on an embedded store of the real FINESS+ sample (structures and activities)."""
    path = tmp_path_factory.mktemp("sample") / "store.pickle"
    EmbeddedStore(path).load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    server = start("sample", "--store", str(path))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def demo_server() -> Iterator[Server]:
    """`serve --demo`: generated data of about one region."""
    server = start("demo", "--demo")
    yield server
    stop(server)


@pytest.fixture(params=["sample", "demo"])
def server(request: pytest.FixtureRequest) -> Server:
    """Each server in turn: the scenario runs on both."""
    return request.getfixturevalue(f"{request.param}_server")  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; its absence fails under CI and skips elsewhere."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: tests/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A browser page and every request and page error it made."""

    page: Page
    requests: list[str]
    errors: list[str]

    def outside(self) -> list[str]:
        """The requests that left 127.0.0.1 (none may)."""
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"
        ]


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    """A fresh French-speaking browser context; after the test, no request left 127.0.0.1, no script error."""
    context = browser.new_context(
        locale="fr-FR", accept_downloads=True, viewport={"width": 1400, "height": 1000}
    )
    page = context.new_page()
    found = Visit(page, [], [])
    page.on("request", lambda r: found.requests.append(r.url))
    page.on("pageerror", lambda e: found.errors.append(str(e)))
    page.on("console", lambda m: found.errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(20_000)
    yield found
    context.close()
    assert found.outside() == [], f"requests left 127.0.0.1: {found.outside()}"
    assert found.errors == [], f"errors in the page: {found.errors}"
