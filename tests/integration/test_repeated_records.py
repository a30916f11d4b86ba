"""A record repeated in one file: both stores keep its last content, and the Neo4j loader reads back
only a repeat whose content differs (a read waits for every write sent before it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import graph.neo4j_store
from graph.model import Edge, LoadReport, Node, Record, Snapshot
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from tests.integration.stores import KINDS, count_statements, fresh_store

DAY = "2026-08-13"
READS = ("read_nodes", "read_edges")


def _records() -> Iterator[Record]:
    """A legal entity and its establishment, each node and the edge repeated in a later batch."""
    entity = Node("010000016", "LegalEntity", {"finess": "010000016", "name": "CENTRE A"})
    place = Node("010000024", "Establishment", {"finess": "010000024", "name": "SITE A"}, "2020-01-01")
    link = Edge("ATTACHED_TO", "010000024", "010000016", {})
    yield entity
    yield place
    yield link
    yield Node("010000032", "Establishment", {"finess": "010000032", "name": "SITE B"})
    yield entity  # the same content: nothing to write or read
    yield link
    yield place._replace(props={"finess": "010000024", "name": "SITE A BIS"}, valid_from=None)  # last wins


def _load(store: GraphStore) -> list[tuple[Any, ...]]:
    snap = Snapshot("finess-plus-structures", DAY, "repeated.json", _records(), LoadReport("repeated.json"))
    result = store.load([snap])
    return [(c.added, c.changed, c.unchanged, c.reopened, c.closed) for c in result.changes]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph.neo4j_store, "BATCH", 2)  # a repeat lands in a later batch


@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize("kind", KINDS)
def test_a_repeated_record_keeps_its_last_content_in_both_stores(
    kind: str, tmp_path: Path, neo4j_uri: str
) -> None:
    store = fresh_store(kind, tmp_path, neo4j_uri)
    # Added, changed, unchanged, reopened, closed: a repeat is neither news nor unchanged.
    assert _load(store) == [(4, 0, 0, 0, 0)]
    nodes = store.nodes(["010000016", "010000024", "010000032"])
    assert {i: n.props["name"] for i, n in nodes.items()} == {
        "010000016": "CENTRE A",
        "010000024": "SITE A BIS",
        "010000032": "SITE B",
    }
    assert nodes["010000024"].valid_from is None  # the last record's valid time too
    found = store.neighbours(["010000024"], {"ATTACHED_TO"})["010000024"]
    assert [(e.type, e.target) for e, _ in found] == [("ATTACHED_TO", "010000016")]
    assert store.versions("010000024") == []


@pytest.mark.usefixtures("small_batches")
def test_the_neo4j_loader_reads_back_only_the_repeat_that_changed(neo4j_uri: str, tmp_path: Path) -> None:
    store = fresh_store("neo4j", tmp_path, neo4j_uri)
    assert isinstance(store, Neo4jStore)
    reads: list[str] = []
    count_statements(store, READS, reads)
    try:
        _load(store)
    finally:
        store.close()
    assert reads == ["read_nodes"]
