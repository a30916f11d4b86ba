"""While a snapshot loads, concurrent readers see the previous snapshot or the new one, never a mix.

The day-2 load (tests/integration/loads.py) renames the largest legal entity's establishments, adds
one and adds and closes thousands of items elsewhere: the establishments of that legal entity (names
and count), its organigram, its ecosystem and the store's statistics differ between the two days,
and a reader that saw part of the load would get a third answer. Readers ask these questions, over
and over, while the load runs:

- through a real `serve` process over HTTP (GraphQL), the load being a real `finess-graph load`;
- through the store API in threads of the test process, the load being a `finess-graph load`;
- through the store API in threads that share one store object with a thread that loads.

Every answer must be one of the two days' answers; readers must have answered while the load ran,
and (but for `serve` on the embedded store, which keeps the state it opened) with the new answers
once it ended. The counts of each are printed (run with -s): the figures of docs/reliability.md.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest

from api.formats.names import NAMING_KEYS
from graph.embedded_store import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.open_store import is_neo4j
from graph.queries import OrgNode
from graph.store import GraphStore
from loaders.detect import read_snapshot
from tests.integration import loads
from tests.integration.loads import Days
from tests.integration.stores import wipe

READERS = 3
ESTABLISHMENTS = (
    '{ structure(finess: "%s") { name ... on LegalEntity {'
    " establishments(first: 100) { totalCount edges { node { finess name } } } } } }"
)
STATS = "{ stats { snapshot snapshots { dataset date } nodes { label count } relationships { type count } } }"

Ask = Callable[[], dict[str, Any]]


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> Days:
    return loads.make_days(tmp_path_factory.mktemp("readers-days"))


@pytest.fixture(params=["embedded", "neo4j"])
def location(request: pytest.FixtureRequest, days: Days, tmp_path: Path) -> str:
    """A store of the parameter's kind holding day 1."""
    if request.param == "embedded":
        place = str(tmp_path / "store.pickle")
    else:
        place = request.getfixturevalue("neo4j_uri")
        wipe(place)
    done = loads.run("load", *map(str, days.day1), "--store", place)
    assert done.returncode == 0, done.stderr.decode()
    return place


def _store(location: str) -> GraphStore:
    return Neo4jStore(location) if is_neo4j(location) else EmbeddedStore(Path(location))


def _api_answers(store: GraphStore, days: Days) -> dict[str, Any]:
    """The two questions through the store API."""
    view = store.structure(days.largest)
    assert view is not None
    names = sorted(
        (n.id, n.props.get("name"))
        for e in view.edges
        if e.type == "ATTACHED_TO" and e.target == view.node.id
        for n in [view.neighbours[e.source]]
    )
    # With keys, as the API asks it: Neo4j reads it in one statement, or level by level while a load
    # is pending (graph/neo4j_store.py).
    tree = store.organigram(days.largest, keys=NAMING_KEYS)
    assert tree is not None
    around = store.ecosystem(days.largest, depth=1, keys=NAMING_KEYS)  # Neo4j: root and level, one statement
    assert around is not None
    ecosystem = sorted((n.id, n.props.get("name")) for n in around.nodes.values())
    stats = store.stats()
    return {"establishments": names, "organigram": _boxes(tree), "ecosystem": ecosystem, "stats": stats}


def _boxes(box: OrgNode) -> tuple[Any, ...]:
    """An organigram as nested tuples: each box's node, name, role, count and children."""
    node = box.node
    children = tuple(_boxes(child) for child in box.children)
    return (node.id, node.props.get("name"), box.role, box.child_count, children)


def _read_while(load_running: Callable[[], bool], asks: list[Ask]) -> list[tuple[bool, str, Any]]:
    """Ask each question again and again in READERS threads while the load runs, a few times after.

    Returns (during the load, question, answer) for every answer.
    """
    seen: list[tuple[bool, str, Any]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def reader(ask: Ask) -> None:
        try:
            while True:
                during = load_running()
                for question, answer in ask().items():
                    with lock:
                        seen.append((during, question, answer))
                if not during:
                    return
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(asks[i % len(asks)],)) for i in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors
    return seen


def _check(
    seen: list[tuple[bool, str, Any]], old: dict[str, Any], new: dict[str, Any], label: str, fresh: bool
) -> None:
    """Every answer is the old one or the new one; some came during the load; the last ones are new."""
    assert all(old[question] != new[question] for question in old), "a question the load does not change"
    counts: Counter[str] = Counter()
    for during, question, answer in seen:
        which = "old" if answer == old[question] else "new" if answer == new[question] else "MIXED"
        counts[f"{'during' if during else 'after'} {which}"] += 1
        assert which != "MIXED", f"{question}: {answer!r} is neither day's answer"
    print(f"{label}: {dict(sorted(counts.items()))}")
    assert counts["during old"] + counts["during new"] > 0, "no reader answered during the load"
    if fresh:
        assert counts["after new"] > 0
        assert counts["after old"] == 0


def _start_load(location: str, days: Days) -> subprocess.Popen[bytes]:
    quiet = subprocess.DEVNULL
    return loads.command("load", *map(str, days.day2), "--store", location, stdout=quiet, stderr=quiet)


@pytest.mark.slow
def test_serve_answers_either_snapshot_during_a_load(location: str, days: Days) -> None:
    command = [sys.executable, "-m", "api.cli", "serve", "--store", location, "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert server.stdout is not None
        base = server.stdout.readline().decode().strip()
        clients = [httpx2.Client(base_url=base, timeout=60) for _ in range(READERS)]

        def asker(client: httpx2.Client) -> Ask:
            def ask() -> dict[str, Any]:
                found = {}
                for name, query in (("structure", ESTABLISHMENTS % days.largest), ("stats", STATS)):
                    reply = client.post("/graphql", json={"query": query})
                    assert reply.status_code == 200, reply.text
                    found[name] = reply.json()
                return found

            return ask

        asks = [asker(client) for client in clients]
        old = asks[0]()
        proc = _start_load(location, days)
        seen = _read_while(lambda: proc.poll() is None, asks)
        assert proc.returncode == 0
        fresh_store = is_neo4j(location)
        if fresh_store:
            new = asks[0]()
        else:  # serve keeps the embedded state it opened: a new process reads the new file
            with httpx2.Client(base_url=base, timeout=60) as client:
                assert asker(client)() == old
            new = _graphql_answers_of_a_new_server(location, days)
        assert new != old
        _check(seen, old, new, f"serve on {'neo4j' if fresh_store else 'embedded'}", fresh_store)
        for client in clients:
            client.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _graphql_answers_of_a_new_server(location: str, days: Days) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from graph.settings import Settings

    with TestClient(create_app(Settings(), _store(location))) as client:
        return {
            name: client.post("/graphql", json={"query": query}).json()
            for name, query in (("structure", ESTABLISHMENTS % days.largest), ("stats", STATS))
        }


@pytest.mark.slow
def test_store_readers_answer_either_snapshot_during_a_load_command(location: str, days: Days) -> None:
    embedded = not is_neo4j(location)
    old = _api_answers(_store(location), days)

    def asker(store: GraphStore | None) -> Ask:
        # An embedded store object keeps the state it read: each question opens the file anew, as a
        # command does; a Neo4j store object lives long, as serve's.
        return lambda: _api_answers(store or _store(location), days)

    asks = [asker(None if embedded else _store(location)) for _ in range(READERS)]
    proc = _start_load(location, days)
    seen = _read_while(lambda: proc.poll() is None, asks)
    assert proc.returncode == 0
    new = _api_answers(_store(location), days)
    assert new != old
    _check(seen, old, new, f"store API on {'embedded' if embedded else 'neo4j'}, load command", True)


@pytest.mark.slow
def test_readers_sharing_a_store_object_with_a_loading_thread_answer_either_snapshot(
    location: str, days: Days
) -> None:
    store = _store(location)
    old = _api_answers(store, days)
    snapshots = [read_snapshot(path) for path in days.day2]
    failed: list[BaseException] = []

    def load() -> None:
        try:
            store.load(snapshots)
        except BaseException as exc:  # reported below
            failed.append(exc)

    loader = threading.Thread(target=load)
    loader.start()
    seen = _read_while(loader.is_alive, [lambda: _api_answers(store, days)])
    loader.join()
    assert not failed, failed
    new = _api_answers(_store(location), days)
    assert new != old
    assert _api_answers(store, days) == new  # the loading object itself answers the new state
    kind = "embedded" if isinstance(store, EmbeddedStore) else "neo4j"
    _check(seen, old, new, f"store API on {kind}, one object shared with a loading thread", True)
