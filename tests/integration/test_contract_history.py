"""The store contract across two snapshots: closing, versions, moves, refusal, idempotent reload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.errors import SnapshotRefused
from graph.queries import SearchQuery
from graph.store import GraphStore
from loaders.detect import read_snapshot
from tests import factories
from tests.factories import DAY1, DAY2, GONE, MOVED, RENAMED
from tests.integration.stores import KINDS, fresh_store

GHT = "49824516535"


@pytest.fixture(scope="module", params=KINDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, neo4j_uri: str
) -> GraphStore:
    folder = tmp_path_factory.mktemp(f"history-{request.param}")
    store = fresh_store(request.param, folder, neo4j_uri)
    store.load([read_snapshot(factories.write(factories.structures(), folder / "day1.json.gz", DAY1))])
    store.load([read_snapshot(factories.next_day(folder))])
    return store


def _attached_to(store: GraphStore, finess: str, as_of: str) -> list[str]:
    view = store.structure(finess, as_of)
    assert view is not None
    return [e.target for e in view.edges if e.type == "ATTACHED_TO"]


def _members(store: GraphStore, as_of: str) -> dict[str, Any]:
    view = store.structure(GHT, as_of)
    assert view is not None
    return {e.source: e.props["role"] for e in view.edges if e.type == "MEMBER_OF"}


def test_what_disappears_is_closed_at_the_snapshot_date(store: GraphStore) -> None:
    assert store.structure(GONE, DAY1) is not None
    assert store.structure(GONE, DAY2) is None
    assert store.stats()["nodes"]["Establishment"] == 1753  # closed structures included
    assert store.stats(DAY2)["nodes"]["Establishment"] == store.stats(DAY1)["nodes"]["Establishment"] - 1
    gone = store.structure(GONE)
    assert gone is not None
    assert gone.node.observed == [(None, DAY2)]


def test_changed_values_keep_their_history(store: GraphStore) -> None:
    before = store.structure(RENAMED, DAY1)
    after = store.structure(RENAMED, DAY2)
    assert before is not None
    assert after is not None
    assert before.node.props["name"] == "CLINIQUE CONVERT"
    assert after.node.props["name"] == "CLINIQUE CONVERT NOUVEAU NOM"
    assert after.node.versions == 2


def test_an_establishment_moving_changes_its_attachment_at_that_date(store: GraphStore) -> None:
    assert _attached_to(store, MOVED, DAY1) == ["010000255"]
    assert _attached_to(store, MOVED, DAY2) == ["210780581"]


def test_grouping_membership_follows_the_snapshots(store: GraphStore) -> None:
    assert len(_members(store, DAY1)) == 9
    day2 = _members(store, DAY2)
    assert len(day2) == 8
    assert day2["210780581"] == "S"


def test_an_older_snapshot_is_refused(store: GraphStore, tmp_path: Path) -> None:
    stats = store.stats()
    older = factories.write(factories.structures(), tmp_path / "older.json.gz", "2026-08-01")
    with pytest.raises(SnapshotRefused, match="older than 2026-08-14"):
        store.load([read_snapshot(older)])
    assert store.stats() == stats


def test_loading_the_same_snapshot_again_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    stats = store.stats()
    result = store.load([read_snapshot(factories.next_day(tmp_path))])
    assert result.changes[0].skipped_as_loaded
    assert store.stats() == stats


@pytest.mark.parametrize("kind", KINDS)
def test_a_structure_moving_to_another_department_is_found_in_each_at_its_date(
    kind: str, tmp_path: Path, neo4j_uri: str
) -> None:
    # Only its address changes: the establishment's own properties stay as they were (in Neo4j its
    # place words come from the new LOCATED_IN alone, not from rewriting the structure).
    store = fresh_store(kind, tmp_path, neo4j_uri)
    store.load([read_snapshot(factories.write(factories.structures(), tmp_path / "day1.json.gz", DAY1))])
    doc = factories.structures()
    _, ege = factories.establishment(doc, RENAMED)
    assert ege["adresse"][0]["cogCommune"] == "01053"
    ege["adresse"][0]["cogCommune"] = "21231"  # Bourg-en-Bresse (Ain, 01) → Dijon (Côte-d'Or, 21)
    change = store.load([read_snapshot(factories.write(doc, tmp_path / "day2.json.gz", DAY2))]).changes[0]
    assert change.changed == 1  # the address

    def found(department: str, as_of: str | None, text: str | None = None) -> bool:
        query = SearchQuery(
            text=text, department=department, kinds=["Establishment"], as_of=as_of, limit=1000
        )
        page = store.search(query)
        assert page.total == len(page.items)
        return RENAMED in {n.id for n in page.items}

    assert [found("01", DAY1), found("01", DAY2), found("21", DAY1), found("21", DAY2)] == [
        True,
        False,
        False,
        True,
    ]
    assert found("01", None)  # without a date: every place it was ever in
    assert found("21", None)
    assert found("21", None, "clinique conv")
    assert not found("21", None, "clinique dijonnaise")
    regions = [store.search(SearchQuery(region=r, as_of=DAY2, limit=5000)).items for r in ("27", "84")]
    assert [RENAMED in {n.id for n in items} for items in regions] == [True, False]  # BFC, not AURA
