"""Query abuse, each bounded: page sizes, ecosystem depth × fan-out, nested lists, aliases of costly
fields, paths in huge components, request bodies. (Depth, aliases and tokens: test_graphql.test_limits.)"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

import graph.queries
from api.app import create_app
from api.graphql.context import MAX_ANSWER_NODES
from api.middleware import MAX_BODY
from graph.embedded_store import EmbeddedStore
from graph.queries import RELATION_TYPES
from graph.settings import Settings
from loaders.detect import read_snapshot
from tests.factories import ACTIVITIES, STRUCTURES, CountingStore

CHU, GHT = "210780581", "49824516535"
MODERN = {"accept": "application/graphql-response+json"}
ALL_RELATIONS = "[" + ", ".join(sorted(RELATION_TYPES)) + "]"
# Each legal entity → its establishments → their legal entity → its establishments → their events:
# 5 MB and 34 s on the sample before requests were charged the nodes they fetch.
FAN_OUT = (
    "{ search(first: 100, kinds: [LEGAL_ENTITY]) { edges { node { ... on LegalEntity {"
    " establishments(first: 100) { edges { node { ... on Establishment { legalEntity {"
    " establishments(first: 100) { edges { node { ... on Establishment { name events { code }"
    " legalEntity { name } } } } } } } } } } } } } } }"
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp("sample") / "store.pickle")
    store.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    return store


@pytest.fixture
def counting(sample: EmbeddedStore) -> CountingStore:
    return CountingStore(sample)


@pytest.fixture
def client(counting: CountingStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), counting)) as test_client:  # type: ignore[arg-type]
        yield test_client


def _gql(client: TestClient, query: str) -> tuple[int, dict[str, Any], float]:
    started = time.perf_counter()
    answer = client.post("/graphql", json={"query": query}, headers=MODERN)
    return answer.status_code, answer.json(), time.perf_counter() - started


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/search?limit=101",
        "/api/v1/search?offset=1000001",
        "/api/v1/search?q=" + "a" * 201,
        f"/api/v1/structures/{CHU}/ecosystem?limit=2001",
        f"/api/v1/structures/{CHU}/ecosystem?depth=5",
        f"/api/v1/structures/{CHU}/organigram?depth=5",
        f"/api/v1/path?from={CHU}&to={GHT}&max_length=9",
        "/api/v1/structures/" + "1" * 65,
    ],
)
def test_rest_sizes_are_bounded(client: TestClient, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code in (400, 422), (url, answer.status_code)


def test_ecosystem_depth_times_fan_out_stops_at_the_node_cap(
    client: TestClient, counting: CountingStore
) -> None:
    arguments = f'finess: "{GHT}", depth: 4, limit: 300, relations: {ALL_RELATIONS}'
    query = f"{{ ecosystem({arguments}) {{ truncated graph }} }}"
    status, body, _ = _gql(client, query)
    assert status == 200, body
    found = body["data"]["ecosystem"]
    assert found["truncated"] is True
    assert len(found["graph"]["nodes"]) == 300
    assert counting.calls["neighbours"] <= 4  # one call per level, and none past the level that hit the cap
    widest = client.get(
        f"/api/v1/structures/{GHT}/ecosystem",
        params={"depth": 4, "limit": 2000, "relation": sorted(RELATION_TYPES)},
    ).json()
    assert len(widest["nodes"]) <= 2000


def test_nested_lists_cannot_multiply_the_work(client: TestClient, counting: CountingStore) -> None:
    status, body, seconds = _gql(client, FAN_OUT)
    assert status == 400, body  # refused whole
    assert "data" not in body
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert error["message"].startswith(f"this query asks for more than {MAX_ANSWER_NODES:,} nodes in all")
    assert error["extensions"]["code"] == "BAD_REQUEST"
    # The store stopped being asked soon after the budget: one more level of the query at most.
    assert counting.fetched < 3 * MAX_ANSWER_NODES, counting.fetched
    print(f"nested fan-out refused after {seconds:.2f} s, {counting.fetched:,} nodes fetched")


@pytest.mark.parametrize(
    ("field", "fits"),
    [
        (f'ecosystem(finess: "{GHT}", depth: 1, limit: 2000) {{ root }}', 12),  # charged its limit
        (f'path(from: "{CHU}", to: "210780631") {{ paths }}', 10),  # 2,500 each
        (f'organigram(finess: "{GHT}") {{ childCount }}', 5),  # 5,000 each
        ('stats(asOf: "2020-01-01") { snapshot }', 25),  # 1,000 each
    ],
)
def test_aliases_of_costly_fields_are_charged_before_they_run(
    client: TestClient, counting: CountingStore, field: str, fits: int
) -> None:
    def aliased(n: int) -> str:
        return "{ " + " ".join(f"a{i}: {field}" for i in range(n)) + " }"

    status, body, _ = _gql(client, aliased(fits))
    assert status == 200, body
    assert "errors" not in body, body["errors"][0]
    calls = sum(counting.calls.values())
    status, body, _ = _gql(client, aliased(fits + 1))
    assert status == 400, body
    assert "more than 25,000 nodes" in body["errors"][0]["message"]
    # Refused before its store calls ran: not one more call of the costly kind than the first query.
    assert sum(counting.calls.values()) - calls <= 2 * fits


def test_the_explorer_s_own_queries_fit(client: TestClient) -> None:
    status, body, _ = _gql(client, f'{{ organigram(finess: "{GHT}", depth: 4) {{ tree }} }}')
    assert status == 200, body
    status, body, _ = _gql(client, f'{{ ecosystem(finess: "{GHT}", depth: 4, limit: 2000) {{ graph }} }}')
    assert status == 200, body


def test_path_in_a_huge_component_stops_at_its_node_budget(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[int] = []
    neighbours = EmbeddedStore.neighbours

    def counted(self: EmbeddedStore, *args: Any, **kwargs: Any) -> Any:
        found = neighbours(self, *args, **kwargs)
        fetched.append(sum(len(pairs) for pairs in found.values()))
        return found

    monkeypatch.setattr(EmbeddedStore, "neighbours", counted)
    # Two legal entities with no path between them: the search walks both components whole.
    params = {"from": CHU, "to": "290009380", "max_length": 8}
    whole = client.get("/api/v1/path", params=params).json()
    assert whole["graph"]["truncated"] is False
    assert whole["graph"]["paths"] == []
    assert sum(fetched) > 5_000
    fetched.clear()
    monkeypatch.setattr(graph.queries, "PATH_NODE_BUDGET", 500)  # the sample is small: a small budget
    cut = client.get("/api/v1/path", params=params).json()
    assert cut["graph"]["truncated"] is True
    assert sum(fetched[:-1]) <= 500  # the level that crossed the budget is the last one walked


# -- request bodies ----------------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_with_413(client: TestClient) -> None:
    query = b'{"query": "{ stats { snapshot } }"}'
    fits = query[:-1] + b" " * (MAX_BODY - len(query)) + b"}"
    assert len(fits) == MAX_BODY
    assert (
        client.post("/graphql", content=fits, headers={"content-type": "application/json"}).status_code == 200
    )
    over = client.post("/graphql", content=fits + b" ", headers={"content-type": "application/json"})
    assert over.status_code == 413
    assert over.json() == {
        "error": {
            "code": "PAYLOAD_TOO_LARGE",
            "message": "the request body is larger than 64 KiB: send a smaller one",
        }
    }
    assert client.post("/api/v1/search", content=b"x" * (MAX_BODY + 1)).status_code == 413


def test_a_streamed_body_is_refused_without_being_read_whole(sample: EmbeddedStore) -> None:
    app = create_app(Settings(), sample)
    chunks = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:  # an endless body, 1 KiB at a time, without a length
        nonlocal chunks
        chunks += 1
        return {"type": "http.request", "body": b" " * 1024, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    # On a thread of its own: another test's event loop (Playwright's) may be running on this one.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, asyncio.wait_for(app(scope, receive, send), 30)).result()
    assert sent[0]["status"] == 413
    assert orjson.loads(sent[1]["body"])["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert chunks == MAX_BODY // 1024 + 1  # read up to the first chunk past the limit, no further


def test_deeply_nested_json_is_a_bad_request(client: TestClient) -> None:
    body = b'{"query": "{ stats { snapshot } }", "variables": {"x": ' + b"[" * 20_000 + b"]" * 20_000 + b"}}"
    answer = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400
