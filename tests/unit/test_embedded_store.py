"""The embedded store's own guarantees: its file is switched atomically and reopened as it was.

The history semantics shared with Neo4j are in tests/integration/test_contract_*.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded_store import EmbeddedStore
from graph.errors import InvalidData, SnapshotRefused
from loaders.detect import read_snapshot
from tests import factories

DAY1, DAY2 = factories.DAY1, factories.DAY2


@pytest.fixture
def two_days(store: EmbeddedStore, tmp_path: Path, shared: Path) -> EmbeddedStore:
    day1 = factories.write(factories.structures(), tmp_path / "day1.json.gz", DAY1)
    store.load([read_snapshot(day1)])
    store.load([read_snapshot(factories.next_day(tmp_path))])
    return EmbeddedStore(store.file)  # reopened from its file, without parsing anything again


def test_an_older_snapshot_leaves_the_file_as_it_was(two_days: EmbeddedStore, tmp_path: Path) -> None:
    before = two_days.file.read_bytes()
    older = factories.write(factories.structures(), tmp_path / "older.json.gz", "2026-08-01")
    with pytest.raises(SnapshotRefused):
        two_days.load([read_snapshot(older)])
    assert two_days.file.read_bytes() == before


def test_the_same_snapshot_again_leaves_the_file_as_it_was(two_days: EmbeddedStore, tmp_path: Path) -> None:
    before = two_days.file.read_bytes()
    assert two_days.load([read_snapshot(factories.next_day(tmp_path))]).changes[0].skipped_as_loaded
    assert two_days.file.read_bytes() == before


def test_a_failed_load_leaves_the_store_as_it_was(two_days: EmbeddedStore, tmp_path: Path) -> None:
    before = two_days.file.read_bytes()
    stats = two_days.stats()
    bad = factories.write(factories.structures(), tmp_path / "bad.json", "2026-08-20", gz=False)
    text = bad.read_text("utf-8")
    cut = text.index('"numFinessEge": "010780195"')
    bad.write_text(text[:cut] + '"numFinessEge": 010780195 oops' + text[cut + 27 :], "utf-8")
    with pytest.raises(InvalidData, match=r"bad\.json, line \d+ \(\$\.pmej\[\d+\]\): invalid JSON"):
        two_days.load([read_snapshot(bad)])
    assert two_days.file.read_bytes() == before
    assert two_days.stats() == stats
    assert EmbeddedStore(two_days.file).stats() == stats
