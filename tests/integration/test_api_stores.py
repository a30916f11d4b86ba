"""The API answers the same on both stores, and survives Neo4j going away and coming back."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.neo4j_server import LocalNeo4j
from graph.neo4j_store import Neo4jStore
from graph.settings import Settings
from loaders.detect import read_snapshot
from tests.factories import ACTIVITIES, STRUCTURES
from tests.integration import stores
from tests.integration.stores import KINDS, free_port, fresh_store

CHU, GHT, CHU_NAME = "210780581", "49824516535", "CHU DIJON BOURGOGNE"
QUERIES = [
    '{ structure(finess: "210780581") { id finess name kind'
    " ... on LegalEntity { siren legalStatus { code label }"
    " establishments(first: 100) { totalCount edges { cursor node { finess name"
    " ... on Establishment { category { code label } addresses { line4 postalCode commune { code } }"
    " operatedActivities { id nature activity { code label } installedCapacity } } } } } }"
    " groupings { role since until grouping { finess name } } } }",
    '{ grouping(id: "49824516535", asOf: "2024-01-01") { name'
    " members { role since until structure { finess name kind } } } }",
    '{ search(text: "centre hosp", department: "21", first: 50) {'
    " totalCount edges { node { finess kind } } } }",
    '{ ecosystem(finess: "49824516535", depth: 2) { truncated nodes { id kind name depth more }'
    " edges { source target type role since until } graph } }",
    '{ organigram(finess: "49824516535", depth: 3) { tree } }',
    '{ path(from: "210780581", to: "210780631") { paths edges { type } } }',
    '{ timeline(finess: "210780581") { date kind detail related } }',
    "{ stats { snapshot snapshots { dataset date } nodes { label count } relationships { type count } } }",
    '{ stats(asOf: "2000-01-01") { nodes { label count } } }',
]
REST = [
    f"/api/v1/structures/{CHU}",
    f"/api/v1/structures/{GHT}/ecosystem?format=fhir&depth=2",
    f"/api/v1/structures/{GHT}/ecosystem?format=graphml",
    f"/api/v1/groupings/{GHT}/members",
    "/api/v1/search?q=dijon",
]


def _answers(client: TestClient) -> list[Any]:
    found: list[Any] = [client.post("/graphql", json={"query": q}).json() for q in QUERIES]
    found += [client.get(url).content for url in REST]
    return found


def test_serving_tunes_the_collector_on_a_neo4j_store_too(sample_neo4j: Neo4jStore) -> None:
    # Set before only by an embedded store's reading: `serve` on Neo4j ran with the default, and a
    # large ecosystem's GraphQL answer took 204 ms instead of 142 (bench/README.md).
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        with TestClient(create_app(Settings(), sample_neo4j)) as client:
            assert client.post("/graphql", json={"query": QUERIES[-1]}).status_code == 200
            assert gc.get_threshold()[0] == 100_000
    finally:
        gc.set_threshold(*before)


def test_graphql_and_rest_answer_alike_on_both_stores(tmp_path: Path, neo4j_uri: str) -> None:
    answers = {}
    for kind in KINDS:
        store = fresh_store(kind, tmp_path / kind, neo4j_uri)
        store.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
        with TestClient(create_app(Settings(), store)) as client:
            answers[kind] = _answers(client)
    for query, embedded, neo4j in zip(QUERIES + REST, answers["embedded"], answers["neo4j"], strict=True):
        assert not (isinstance(embedded, dict) and "errors" in embedded), embedded
        assert embedded == neo4j, query


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    """A server of this test's own, to stop under a running `serve` (never the shared one)."""
    yield from stores.own_server(tmp_path_factory.mktemp("neo4j-api"), free_port(27887), "1g", "512m")


def _serve(uri: str) -> tuple[subprocess.Popen[bytes], str]:
    command = [sys.executable, "-m", "api.cli", "serve", "--store", uri, "--port", "0"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().decode().strip()


def _until(check: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


@pytest.mark.slow
def test_serve_answers_503_while_neo4j_is_down_then_recovers(own_server: LocalNeo4j) -> None:
    uri = own_server.uri()
    store = Neo4jStore(uri)
    store.load([read_snapshot(STRUCTURES)])
    store.close()
    proc, base = _serve(uri)
    try:
        query = {"query": '{ structure(finess: "210780581") { name } }'}
        with httpx2.Client(base_url=base, timeout=60) as http:
            assert http.post("/graphql", json=query).json()["data"]["structure"]["name"] == CHU_NAME
            own_server.stop()
            started = time.monotonic()
            down = http.post("/graphql", json=query)
            waited = time.monotonic() - started
            assert down.status_code == 503, down.text
            assert down.json()["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE"
            rest = http.get(f"/api/v1/structures/{CHU}")
            assert rest.status_code == 503
            assert rest.json()["error"]["code"] == "STORE_UNAVAILABLE"
            assert rest.headers["retry-after"] == "5"
            print(f"503 after {waited:.1f} s")  # shown with -s; the bound is the client's timeout
            assert proc.poll() is None  # the server survived
            own_server.start()
            back = _until(lambda: http.get(f"/api/v1/structures/{CHU}").status_code == 200, 60)
            assert back, "the API did not recover once Neo4j was back"
            assert http.post("/graphql", json=query).json()["data"]["structure"]["name"] == CHU_NAME
    finally:
        proc.terminate()
        proc.wait(timeout=30)
