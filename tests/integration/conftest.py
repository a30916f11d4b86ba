"""Fixtures for tests against a real Neo4j: found or started once per session, wiped before each test."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import NoReturn

import pytest
from neo4j import Driver

from graph.embedded_store import EmbeddedStore
from graph.errors import FinessGraphError
from graph.neo4j_server import LocalNeo4j
from graph.neo4j_store import Neo4jStore, connect
from graph.settings import Settings
from loaders.detect import read_snapshot
from tests.factories import ACTIVITIES, STRUCTURES
from tests.integration.stores import WIPE, wipe


def _docker_answers() -> bool:
    try:
        import docker
    except ImportError:
        return False
    try:
        return bool(docker.from_env(timeout=3).ping())
    except Exception:  # no socket, no daemon, refused: whatever the reason, there is no engine to use
        return False


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"CI needs a Neo4j and none could be had: {reason}")
    pytest.skip(f"no Neo4j: {reason}")


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """A Neo4j store URI: NEO4J_URI, else a testcontainers Neo4j, else the local server (started here)."""
    if os.environ.get("NEO4J_URI"):
        yield os.environ["NEO4J_URI"]
        return
    if _docker_answers():
        from testcontainers.community.neo4j import Neo4jContainer

        password = secrets.token_hex(24)
        container = Neo4jContainer("neo4j:5.26-community", password=password)
        # As the local server's configuration: query timeouts enforced within 0.1 s (test_api_hostile).
        container.with_env("NEO4J_db_transaction_monitor_check_interval", "100ms")
        with container:
            host, port = container.get_container_host_ip(), container.get_exposed_port(container.port)
            yield f"bolt://neo4j:{password}@{host}:{port}"
        return
    server = LocalNeo4j.from_settings(Settings())
    started_here = server.pid() is None
    try:
        uri = server.start()
    except FinessGraphError as exc:
        _unavailable(f"no NEO4J_URI, no Docker engine, and the local server failed: {exc}")
    yield uri
    if started_here:  # a server that was already running belongs to someone else: leave it
        server.stop()


@pytest.fixture
def neo4j_driver(neo4j_uri: str) -> Iterator[Driver]:
    """A driver on a database wiped of every node and relationship (indexes and constraints are kept)."""
    with connect(neo4j_uri) as driver:
        with driver.session() as session:
            # CALL … IN TRANSACTIONS needs an auto-commit transaction: session.run, not execute_query.
            session.run(WIPE).consume()
        yield driver


@pytest.fixture(scope="session")
def sample_embedded(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """An embedded store of the real sample (structures and activities), shared by the API tests."""
    store = EmbeddedStore(tmp_path_factory.mktemp("sample-embedded") / "store.pickle")
    store.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    return store


@pytest.fixture
def sample_neo4j(neo4j_uri: str, sample_embedded: EmbeddedStore) -> Iterator[Neo4jStore]:
    """The Neo4j database holding the real sample: loaded unless it already holds exactly that.

    Tests of other modules wipe the database; the API tests only read it, so consecutive ones share a load.
    """
    store = Neo4jStore(neo4j_uri)
    try:
        if store.stats() != sample_embedded.stats():
            wipe(neo4j_uri)
            store.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
        yield store
    finally:
        store.close()
