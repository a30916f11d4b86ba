"""Fresh stores of both kinds for the contract tests: the same assertions run on each."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from graph.embedded_store import EmbeddedStore
from graph.errors import FinessGraphError
from graph.neo4j_server import LocalNeo4j
from graph.neo4j_store import Neo4jStore
from graph.settings import Settings
from graph.store import GraphStore
from loaders.detect import read_snapshot

KINDS = ("embedded", "neo4j")
# CALL … IN TRANSACTIONS needs an auto-commit transaction: session.run, not execute_write.
WIPE = "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def wipe(uri: str) -> None:
    """Delete every node and relationship of the Neo4j database (schema is kept)."""
    store = Neo4jStore(uri)
    try:
        with store.driver.session() as session:
            session.run(WIPE).consume()
    finally:
        store.close()


def wipe_and_load(uri: str, files: Sequence[Path]) -> None:
    """Empty the Neo4j database, then load these snapshot files into it."""
    wipe(uri)
    store = Neo4jStore(uri)
    try:
        store.load([read_snapshot(f) for f in files])
    finally:
        store.close()


def fresh_store(kind: str, folder: Path, neo4j_uri: str) -> GraphStore:
    """Return an empty store of `kind`."""
    if kind == "embedded":
        return EmbeddedStore(folder / "store.pickle")
    wipe(neo4j_uri)
    return Neo4jStore(neo4j_uri)


def count_statements(store: Neo4jStore, names: Collection[str], into: list[str]) -> None:
    """From now on, append to `into` the name of each of these statements the store runs."""
    run = store._run

    def counted(name: str, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        if name in names:
            into.append(name)
        return run(name, write, **params)

    store._run = counted  # type: ignore[method-assign]


# The jars the shared server was provisioned with: a test's own server reuses them.
LIB = Path(Settings().neo4j_home) / "lib"


def free_port(first: int = 17687) -> int:
    """Return the first port from `first` on that 127.0.0.1 can listen on."""
    for port in range(first, first + 200):
        with contextlib.suppress(OSError):
            socket.create_server(("127.0.0.1", port)).close()
            return port
    raise AssertionError(f"no free port from {first} on")


def own_server(home: Path, port: int, heap: str, page_cache: str) -> Iterator[LocalNeo4j]:
    """Start a server of a test's own beside the shared one, yield it, stop it (CI: no server fails)."""
    server = LocalNeo4j(home, port=port, lib_dir=LIB, heap=heap, page_cache=page_cache)
    try:
        server.start()
    except FinessGraphError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the local Neo4j server did not start: {exc}")
        pytest.skip(f"the local Neo4j server did not start: {exc}")
    yield server
    server.stop()
