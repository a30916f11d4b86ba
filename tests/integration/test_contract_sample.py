"""The store contract on the real sample: both stores give the same answers."""

from __future__ import annotations

import pytest

from graph.store import GraphStore
from loaders.detect import read_snapshot
from tests.factories import ACTIVITIES, STRUCTURES
from tests.integration.stores import KINDS, fresh_store

GHT = "49824516535"


@pytest.fixture(scope="module", params=KINDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, neo4j_uri: str
) -> GraphStore:
    store = fresh_store(request.param, tmp_path_factory.mktemp(request.param), neo4j_uri)
    store.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    return store


def test_counts_match_the_issue_figures(store: GraphStore) -> None:
    stats = store.stats()
    assert stats["snapshot"] == "2026-08-18"
    assert stats["nodes"]["LegalEntity"] == 30
    assert stats["nodes"]["Establishment"] == 1753
    assert stats["nodes"]["AuthorizedActivity"] == 3660
    assert stats["nodes"]["OperatedActivity"] == 3660
    assert stats["relationships"]["IMPLEMENTS"] == 3660
    assert stats["relationships"]["MEMBER_OF"] == 9
    assert stats["relationships"]["HAS_ADDRESS"] == 2030


def test_as_of_counts(store: GraphStore) -> None:
    old = store.stats("2000-01-01")
    assert 0 < old["nodes"]["Establishment"] < 1753
    assert old["relationships"]["ATTACHED_TO"] <= old["nodes"]["Establishment"]
    assert store.stats("1800-01-01")["nodes"].get("Establishment", 0) == 0


def test_ght_members_and_support(store: GraphStore) -> None:
    view = store.structure(GHT)
    assert view is not None
    assert view.node.label == "ConventionalGrouping"
    roles = {e.source: e.props["role"] for e in view.edges if e.type == "MEMBER_OF"}
    assert len(roles) == 9
    assert [k for k, v in roles.items() if v == "S"] == ["210780581"]
    assert view.neighbours["210780581"].props["name"] == "CHU DIJON BOURGOGNE"


def test_structure_lookup_and_as_of(store: GraphStore) -> None:
    clinic = store.structure("010780195")
    assert clinic is not None
    assert clinic.node.props["name"] == "CLINIQUE CONVERT"
    assert clinic.node.valid_from == "1956-11-16"
    assert clinic.node.observed == [(None, None)]
    assert store.structure("010780195", "1950-01-01") is None
    assert store.structure("999999999") is None
    closed = store.structure("010000016", "2019-03-03")
    assert closed is None


def test_snapshots_per_dataset(store: GraphStore) -> None:
    assert store.snapshots() == {
        "finess-plus-activities": "2026-08-18",
        "finess-plus-structures": "2026-08-13",
    }


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, neo4j_uri: str) -> tuple[GraphStore, GraphStore]:
    stores = tuple(fresh_store(kind, tmp_path_factory.mktemp(f"both-{kind}"), neo4j_uri) for kind in KINDS)
    for s in stores:
        s.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    return stores  # type: ignore[return-value]


@pytest.mark.parametrize("as_of", [None, "2010-06-30", "2026-08-14"])
def test_both_stores_give_identical_stats(both: tuple[GraphStore, GraphStore], as_of: str | None) -> None:
    embedded, neo4j = both
    assert neo4j.stats(as_of) == embedded.stats(as_of)


@pytest.mark.parametrize("finess", ["210780581", "010780195", GHT, "010000016", "gco:403"])
@pytest.mark.parametrize("as_of", [None, "2015-01-01"])
def test_both_stores_give_identical_structures(
    both: tuple[GraphStore, GraphStore], finess: str, as_of: str | None
) -> None:
    embedded, neo4j = both
    a, b = embedded.structure(finess, as_of), neo4j.structure(finess, as_of)
    if a is None or b is None:
        assert a is b
        return
    assert b.node == a.node
    key = lambda e: (e.type, e.source, e.target)  # noqa: E731 - a sort key
    assert sorted(b.edges, key=key) == sorted(a.edges, key=key)
    assert b.neighbours == a.neighbours
