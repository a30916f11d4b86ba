"""Next-day files compared with the database side by side, in child processes (graph/snapshot_diff.py):
the database ends exactly as when they are compared one after the other, an error in a file is told
as the loader tells it, and a failed comparison writes nothing."""

from __future__ import annotations

import gzip
import marshal
import os
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from graph import neo4j_store, snapshot_diff
from graph.errors import FinessGraphError, InvalidData
from graph.neo4j_store import Neo4jStore, connect
from graph.state_cache import StateCache
from loaders.detect import read_snapshot
from tests.integration import loads
from tests.integration.stores import wipe

pytestmark = pytest.mark.usefixtures("neo4j_uri")
NODES = "MATCH (n:Item) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
RELATIONSHIPS = (
    "MATCH (a:Item)-[r]->(b:Item) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props "
    "ORDER BY type, a, b, r.key"
)


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> loads.Days:
    return loads.make_days(tmp_path_factory.mktemp("diff-days"))


def _contents(uri: str) -> dict[str, Any]:
    """Every item and relationship with its properties, but the id of the load that wrote it."""
    found: dict[str, Any] = {}
    with connect(uri) as driver:
        for name, query in (("nodes", NODES), ("relationships", RELATIONSHIPS)):
            records, _, _ = driver.execute_query(query)
            rows = [record.data() for record in records]
            for row in rows:
                row["props"].pop("_load", None)
            found[name] = rows
    return found


def _load(uri: str, files: Sequence[Path], cache: str = "") -> list[Any]:
    store = Neo4jStore(uri, state_cache=cache)
    try:
        result = store.load([read_snapshot(f) for f in files])
    finally:
        store.close()
    return [(c.dataset, c.added, c.changed, c.unchanged, c.reopened, c.closed) for c in result.changes]


def _forks_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the files each side-by-side comparison of the loads that follow forks children for."""
    forked: list[int] = []
    real = neo4j_store.diff_side_by_side

    def counted(snapshots: Sequence[Any], *args: Any, **kwargs: Any) -> list[snapshot_diff.Diff]:
        forked.append(len(snapshots))
        return real(snapshots, *args, **kwargs)

    monkeypatch.setattr(neo4j_store, "diff_side_by_side", counted)
    return forked


@pytest.mark.parametrize("kept", [False, True], ids=["states-shared", "states-by-dataset"])
def test_side_by_side_ends_as_one_after_the_other(
    days: loads.Days, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kept: bool
) -> None:
    """With states read from the database and shared, or each child reading its dataset's from the
    state cache (graph/state_cache.py) while the loader reads them all."""
    forked = _forks_counted(monkeypatch)
    cache = str(tmp_path) if kept else ""
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1, cache)
    side_by_side = _load(neo4j_uri, days.day2, cache)
    assert forked == [2]  # day 2's structures and activities, each in a child
    expected = _contents(neo4j_uri)

    monkeypatch.setattr(neo4j_store, "_side_by_side", lambda *args: {})
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1)
    one_after_the_other = _load(neo4j_uri, days.day2)
    assert forked == [2]
    assert _contents(neo4j_uri) == expected
    assert side_by_side == one_after_the_other
    assert sum(c[1] + c[2] + c[5] for c in side_by_side) > 1000  # added, changed, closed: day 2 changes much


def test_a_damaged_part_of_the_state_cache_is_read_from_the_database_and_ends_the_same(
    days: loads.Days, neo4j_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child finding its dataset's part damaged fails its comparison; the load compares again with
    the states read from the database, and ends as without a cache."""
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1)
    expected_changes = _load(neo4j_uri, days.day2)
    expected = _contents(neo4j_uri)
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1, str(tmp_path))
    kept = StateCache(tmp_path, neo4j_uri).path
    data = bytearray(kept.read_bytes())
    length = int.from_bytes(data[:8], "little")
    offset, size, _ = marshal.loads(bytes(data[8 : 8 + length]))[2]["finess-plus-activities"]
    data[8 + length + offset + size // 2] ^= 0x01
    kept.write_bytes(bytes(data))
    forked = _forks_counted(monkeypatch)
    assert _load(neo4j_uri, days.day2, str(tmp_path)) == expected_changes
    assert forked == [2, 2]  # compared again, from the database's states
    assert _contents(neo4j_uri) == expected


def _truncated(source: Path, folder: Path) -> Path:
    """The same file cut at 60 % of its JSON, compressed again: read to an error half-way."""
    data = gzip.decompress(source.read_bytes())
    cut = folder / source.name
    cut.write_bytes(gzip.compress(data[: len(data) * 3 // 5]))
    return cut


def test_an_error_in_a_file_is_told_as_without_children_and_nothing_is_written(
    days: loads.Days, neo4j_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = [days.day2[0], _truncated(days.day2[1], tmp_path)]
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1)
    before = _contents(neo4j_uri)
    with pytest.raises(InvalidData) as side_by_side:
        _load(neo4j_uri, broken)
    assert _contents(neo4j_uri) == before
    monkeypatch.setattr(neo4j_store, "_side_by_side", lambda *args: {})
    with pytest.raises(InvalidData) as one_after_the_other:
        _load(neo4j_uri, broken)
    assert str(side_by_side.value) == str(one_after_the_other.value)
    assert side_by_side.value.file == str(broken[1])
    assert side_by_side.value.where
    assert _contents(neo4j_uri) == before


def test_a_child_killed_fails_the_load_which_writes_nothing(
    days: loads.Days, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1)
    before = _contents(neo4j_uri)

    def killed(*args: Any) -> snapshot_diff.Diff:  # runs in the child, forked with this patch
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("not reached")

    monkeypatch.setattr(snapshot_diff, "diff", killed)
    with pytest.raises(FinessGraphError, match="ended without an answer"):
        _load(neo4j_uri, days.day2)
    assert _contents(neo4j_uri) == before
    monkeypatch.undo()
    _load(neo4j_uri, days.day2)  # and the same load then completes
    assert _contents(neo4j_uri) != before
