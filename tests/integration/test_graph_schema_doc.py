"""docs/graph-schema.md is exactly what is in Neo4j: labels, properties and relationship ends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.neo4j_store import SYSTEM, Neo4jStore
from loaders.detect import read_snapshot
from tests.factories import ACTIVITIES, STRUCTURES
from tests.integration.stores import fresh_store

DOC = Path(__file__).resolve().parents[2] / "docs" / "graph-schema.md"
INTERNAL_LABELS = {"Item", "Dataset", "LoadJournal", "LoadStage", "LoadApply", "PlaceWords"}


def _section(title: str) -> list[list[str]]:
    """Return the table rows of a `## title` section, as lists of cells."""
    text = DOC.read_text("utf-8").split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    return [
        [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in text.splitlines()
        if line.startswith("| `")
    ]


def _names(cell: str) -> set[str]:
    return set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", cell))


@pytest.fixture(scope="module")
def neo4j(tmp_path_factory: pytest.TempPathFactory, neo4j_uri: str) -> Iterator[Neo4jStore]:
    store = fresh_store("neo4j", tmp_path_factory.mktemp("schema"), neo4j_uri)
    assert isinstance(store, Neo4jStore)
    store.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    yield store
    store.close()


def _query(store: Neo4jStore, cypher: str) -> list[dict[str, object]]:
    with store.driver.session() as session:
        return [r.data() for r in session.run(cypher)]


def test_every_label_and_property_is_documented(neo4j: Neo4jStore) -> None:
    documented = {next(iter(_names(row[0]))): row for row in _section("Nodes")}
    found = _query(
        neo4j,
        "MATCH (n:Item) UNWIND [l IN labels(n) WHERE l <> 'Item'] AS label "
        "UNWIND keys(n) AS key RETURN label, collect(DISTINCT key) AS keys",
    )
    assert {r["label"] for r in found} == set(documented)  # the sample holds every label
    for row in found:
        label, keys = str(row["label"]), set(row["keys"])  # type: ignore[call-overload]
        cells = documented[label]
        if not ("…" in cells[-1] or cells[-1].startswith("as above")):  # activities: their main codes
            assert keys - SYSTEM <= _names(cells[-1]), f"{label}: undocumented properties"


def test_every_relationship_joins_the_documented_labels(neo4j: Neo4jStore) -> None:
    documented: dict[str, tuple[set[str], set[str]]] = {}
    for row in _section("Relationships"):
        # `A \| B → C`, or a chain `Commune → Department → Region` whose steps join neighbours.
        steps = [set(re.findall(r"[A-Z][A-Za-z]+", part)) for part in row[1].split("→")]
        documented[next(iter(_names(row[0])))] = (set().union(*steps[:-1]), set().union(*steps[1:]))
    found = _query(
        neo4j,
        "MATCH (a:Item)-[r]->(b:Item) WHERE size(labels(a)) > 1 AND size(labels(b)) > 1 "
        "RETURN DISTINCT type(r) AS type, [l IN labels(a) WHERE l <> 'Item'][0] AS source, "
        "[l IN labels(b) WHERE l <> 'Item'][0] AS target",
    )
    assert {r["type"] for r in found} <= set(documented)
    for row in found:
        sources, targets = documented[str(row["type"])]
        assert row["source"] in sources, row
        assert row["target"] in targets, row
    labels = {r["label"] for r in _query(neo4j, "CALL db.labels() YIELD label RETURN label")}
    assert labels - INTERNAL_LABELS <= {next(iter(_names(r[0]))) for r in _section("Nodes")}
