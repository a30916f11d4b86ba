"""Security of the deployment: headers on every answer, static files kept in their folder, a read-only API."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from api.app import WEB, create_app
from api.graphql.schema import create_schema
from api.middleware import CSP
from graph.embedded_store import EmbeddedStore
from graph.settings import Settings
from loaders.detect import read_snapshot
from tests.factories import ACTIVITIES, STRUCTURES

CHU = "210780581"
GHT = "49824516535"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
MARKER = "finess-graph-secret-outside-the-static-folder"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp("sample") / "store.pickle")
    store.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    return store


@pytest.fixture(scope="module")
def client(sample: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), sample), raise_server_exceptions=False) as test_client:
        yield test_client


def _strict(headers: Any) -> None:
    assert headers["content-security-policy"] == CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_the_policy_allows_only_this_origin() -> None:
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in CSP


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", f"/structures/{CHU}", 200),
        ("GET", "/chemin", 200),
        ("GET", "/docs", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/graphql", 200),  # GraphiQL
        ("GET", "/graphql?query={stats{snapshot}}", 200),
        ("POST", "/graphql", 200),
        ("GET", f"/api/v1/structures/{CHU}", 200),
        ("GET", f"/api/v1/structures/{CHU}/ecosystem?format=graphml", 200),
        ("GET", "/api/v1/structures/999999999", 404),
        ("GET", "/api/v1/structures/12'--", 400),
        ("GET", "/api/v1/search?limit=1000", 422),
        ("GET", "/static/css/explorer.css", 200),
        ("GET", "/static/vendor/d3/d3.min.js", 200),
        ("GET", "/static/vendor/swagger-ui/swagger-ui.css", 200),
        ("GET", "/static/nothing.js", 404),
        ("GET", "/nowhere", 404),
        ("DELETE", "/api/v1/stats", 405),
    ],
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, method: str, path: str, status: int
) -> None:
    body = {"query": "{ stats { snapshot } }"} if method == "POST" else None
    answer = client.request(
        method, path, json=body, headers={"accept": "text/html"} if path == "/graphql" else {}
    )
    assert answer.status_code == status, answer.text[:300]
    _strict(answer.headers)


def test_even_an_unexpected_error_carries_them(sample: EmbeddedStore) -> None:
    class Broken:
        def __getattr__(self, name: str) -> Any:
            return getattr(sample, name)

        def structure(self, finess: str, as_of: str | None = None) -> Any:
            raise RuntimeError("not an error of ours")

    with TestClient(create_app(Settings(), Broken()), raise_server_exceptions=False) as broken:  # type: ignore[arg-type]
        answer = broken.get(f"/api/v1/structures/{CHU}")
    assert answer.status_code == 500
    assert "not an error of ours" not in answer.text
    _strict(answer.headers)


def test_the_swagger_page_runs_only_local_files(client: TestClient) -> None:
    page = client.get("/docs").text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []  # no inline script
    assets = re.findall(r'(?:src|href)="(?!data:)([^"]+)"', page)
    assert len(assets) == 3
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404  # ReDoc loads a CDN: not served


# -- static files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(sample: EmbeddedStore) -> Iterator[tuple[str, int]]:
    """The app under uvicorn on a free port, so that requests reach it as raw bytes, undecoded."""
    sock = socket.create_server(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(Settings(), sample), log_level="warning", lifespan="off")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield sock.getsockname()[:2]
    running.should_exit = True
    thread.join(timeout=10)


def _raw_get(address: tuple[str, int], target: str) -> tuple[int, bytes]:
    """Send `GET target` as is (no client normalises it); return the status and the body."""
    with socket.create_connection(address, timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.fixture
def escapes() -> Iterator[list[str]]:
    """Symbolic links inside web/static to a file and a folder outside it, removed afterwards."""
    outside = Path(__file__).resolve().parents[2] / "var" / "test-static-escape"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text(MARKER)
    links = {
        WEB / "static" / "escape-file.txt": outside / "secret.txt",
        WEB / "static" / "escape-dir": outside,
    }
    for link, target in links.items():
        link.unlink(missing_ok=True)
        link.symlink_to(target)
    yield ["/static/escape-file.txt", "/static/escape-dir/secret.txt"]
    for link in links:
        link.unlink(missing_ok=True)


def test_static_files_cannot_escape_their_folder(server: tuple[str, int], escapes: list[str]) -> None:
    assert _raw_get(server, "/static/css/explorer.css")[0] == 200  # the server does serve files
    targets = [
        "/static/../pyproject.toml",
        "/static/../../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/%2E%2E/%2E%2E/pyproject.toml",
        "/static/..%2fpyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/static/css/..%5c..%5cpyproject.toml",
        "/static/vendor/d3/../../../../pyproject.toml",
        "/static/vendor/d3/%2e%2e/%2e%2e/%2e%2e/package.json",
        "/static/vendor/graphiql/../../package.json",  # node_modules beyond the folders served
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/vendor/d3//etc/passwd",
        f"/static/{Path(__file__).resolve()}",
        "/static/%00/../pyproject.toml",
        *escapes,
    ]
    for target in targets:
        status, body = _raw_get(server, target)
        assert status in (400, 404), (target, status)
        for leaked in (b"[project]", MARKER.encode(), b"root:", b'"name"'):
            assert leaked not in body, target


# -- read-only ---------------------------------------------------------------------------------


def _example(path: str) -> str:
    """Return a concrete URL for a route's path: its parameters filled with a real number."""
    return path.replace("{grouping}", GHT).replace("{finess}", CHU)


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every route of the app with its full path, into the routers FastAPI includes lazily."""
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI's included router: its routes, under its prefix
            yield from _routes(route.original_router.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Mount | Route):
            yield prefix + route.path, route


def test_the_http_api_is_read_only(client: TestClient) -> None:
    tried = set()
    for path, route in _routes(client.app.routes):  # type: ignore[attr-defined]
        if isinstance(route, Mount):  # static files: the first file of the folder
            url = f"{path}/" + min(f.name for f in Path(route.app.directory).iterdir() if f.is_file())
        else:
            url = _example(path) + ("?from=210780581&to=210780631" if path == "/api/v1/path" else "")
        assert client.get(url).status_code == 200, url  # the route is there, and reads
        for method in WRITES:
            if (method, path) == ("POST", "/graphql"):
                continue
            answer = client.request(method, url, json={"query": "{ stats { snapshot } }"})
            assert answer.status_code == 405, (method, url, answer.status_code)
            assert "GET" in answer.headers["allow"], (method, url)
            tried.add((method, path))
    paths = {path for _, path in tried}
    rest = set(client.get("/openapi.json").json()["paths"])
    assert rest | {"/", "/chemin", "/docs", "/graphql", "/openapi.json", "/static"} <= paths
    assert len(tried) == 4 * len(paths) - 1


def test_graphql_has_no_mutation_or_subscription(client: TestClient) -> None:
    schema = create_schema()
    assert schema.schema_converter is not None
    assert schema._schema.mutation_type is None
    assert schema._schema.subscription_type is None
    kinds = client.post(
        "/graphql", json={"query": "{ __schema { mutationType { name } subscriptionType { name } } }"}
    )
    assert kinds.json()["data"]["__schema"] == {"mutationType": None, "subscriptionType": None}
    mutation = {"query": "mutation { stats { snapshot } }"}
    modern = {"accept": "application/graphql-response+json"}
    refused = client.post("/graphql", json=mutation, headers=modern)
    assert refused.status_code == 400  # a request error: the schema has no mutation operation
    assert refused.json() == {
        "errors": [
            {
                "message": "The mutation operation is not supported by the schema.",
                "locations": [{"line": 1, "column": 1}],
            }
        ]
    }
    legacy = client.post("/graphql", json=mutation)
    assert legacy.status_code == 200
    assert "data" not in legacy.json()
    assert client.get("/graphql", params=mutation).status_code == 400
