"""The embedded store's history: snapshots in order, closing, versions, refusal, atomicity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.embedded_store import EmbeddedStore
from graph.errors import InvalidData, SnapshotRefused
from loaders.detect import read_snapshot
from tests import factories

DAY1, DAY2 = "2026-08-13", "2026-08-14"
GONE, RENAMED, MOVED = "010013472", "010780195", "010008183"
GHT = "49824516535"


def _day2(tmp_path: Path) -> Path:
    """The sample one day later: one establishment gone, one renamed, one moved, one GHT member out."""
    doc = factories.structures()
    pm, _ = factories.establishment(doc, GONE)
    pm["ege"] = [e for e in pm["ege"] if e["informationsGeneralesEGE"]["numFinessEge"] != GONE]
    _, ege = factories.establishment(doc, RENAMED)
    ege["informationsGeneralesEGE"]["nomEgeCourt"] = "CLINIQUE CONVERT NOUVEAU NOM"
    old_pm, moving = factories.establishment(doc, MOVED)
    old_pm["ege"].remove(moving)
    factories.legal_entity(doc, "210780581")["ege"].append(moving)
    doc["gcc"][0]["pmejDuGcc"] = [m for m in doc["gcc"][0]["pmejDuGcc"] if m["pmSmsseId"] != "15052"]
    return factories.write(doc, tmp_path / "day2.json.gz", DAY2)


def _attached_to(store: EmbeddedStore, finess: str, as_of: str) -> list[str]:
    view = store.structure(finess, as_of)
    assert view is not None
    return [e.target for e in view.edges if e.type == "ATTACHED_TO"]


def _members(store: EmbeddedStore, as_of: str) -> dict[str, Any]:
    view = store.structure(GHT, as_of)
    assert view is not None
    return {e.source: e.props["role"] for e in view.edges if e.type == "MEMBER_OF"}


@pytest.fixture
def two_days(store: EmbeddedStore, tmp_path: Path, shared: Path) -> EmbeddedStore:
    day1 = factories.write(factories.structures(), tmp_path / "day1.json.gz", DAY1)
    store.load([read_snapshot(day1)])
    store.load([read_snapshot(_day2(tmp_path))])
    return EmbeddedStore(store.path)  # reopened from its file, without parsing anything again


def test_what_disappears_is_closed_at_the_snapshot_date(two_days: EmbeddedStore) -> None:
    assert two_days.structure(GONE, DAY1) is not None
    assert two_days.structure(GONE, DAY2) is None
    assert two_days.stats()["nodes"]["Establishment"] == 1753  # closed structures included
    assert (
        two_days.stats(DAY2)["nodes"]["Establishment"] == two_days.stats(DAY1)["nodes"]["Establishment"] - 1
    )
    gone = two_days.node_view(GONE)
    assert gone.observed == [(None, DAY2)]


def test_changed_values_keep_their_history(two_days: EmbeddedStore) -> None:
    before = two_days.structure(RENAMED, DAY1)
    after = two_days.structure(RENAMED, DAY2)
    assert before is not None
    assert after is not None
    assert before.node.props["name"] == "CLINIQUE CONVERT"
    assert after.node.props["name"] == "CLINIQUE CONVERT NOUVEAU NOM"
    assert after.node.versions == 2


def test_an_establishment_moving_changes_its_attachment_at_that_date(
    two_days: EmbeddedStore,
) -> None:
    assert _attached_to(two_days, MOVED, DAY1) == ["010000255"]
    assert _attached_to(two_days, MOVED, DAY2) == ["210780581"]


def test_grouping_membership_follows_the_snapshots(two_days: EmbeddedStore) -> None:
    assert len(_members(two_days, DAY1)) == 9
    day2 = _members(two_days, DAY2)
    assert len(day2) == 8
    assert day2["210780581"] == "S"


def test_an_older_snapshot_is_refused_and_changes_nothing(two_days: EmbeddedStore, tmp_path: Path) -> None:
    before = two_days.path.read_bytes()
    older = factories.write(factories.structures(), tmp_path / "older.json.gz", "2026-08-01")
    with pytest.raises(SnapshotRefused, match="older than 2026-08-14"):
        two_days.load([read_snapshot(older)])
    assert two_days.path.read_bytes() == before


def test_loading_the_same_snapshot_twice_changes_nothing(two_days: EmbeddedStore, tmp_path: Path) -> None:
    before = two_days.path.read_bytes()
    result = two_days.load([read_snapshot(_day2(tmp_path))])
    assert result.changes[0].skipped_as_loaded
    assert two_days.path.read_bytes() == before


def test_a_failed_load_leaves_the_store_as_it_was(two_days: EmbeddedStore, tmp_path: Path) -> None:
    before = two_days.path.read_bytes()
    stats = two_days.stats()
    bad = factories.write(factories.structures(), tmp_path / "bad.json", "2026-08-20", gz=False)
    text = bad.read_text("utf-8")
    cut = text.index('"numFinessEge": "010780195"')
    bad.write_text(text[:cut] + '"numFinessEge": 010780195 oops' + text[cut + 27 :], "utf-8")
    with pytest.raises(InvalidData, match=r"bad\.json, line \d+ \(\$\.pmej\[\d+\]\): invalid JSON"):
        two_days.load([read_snapshot(bad)])
    assert two_days.path.read_bytes() == before
    assert two_days.stats() == stats
    assert EmbeddedStore(two_days.path).stats() == stats


def test_as_of_before_the_first_snapshot_uses_source_dates(real_store: EmbeddedStore) -> None:
    # CLINIQUE CONVERT opened in 1956; the legal entity 010000016 closed in 2019.
    assert real_store.structure(RENAMED, "1950-01-01") is None
    assert real_store.structure(RENAMED, "1990-01-01") is not None
    assert real_store.structure("010000016", "2018-12-31") is not None
    assert real_store.structure("010000016", "2019-03-03") is None
