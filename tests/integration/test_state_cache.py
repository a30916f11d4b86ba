"""The Neo4j loader's state cache: a next load reads the item states from it only when it was written
for the database's committed content, and answers exactly as a load that read them from the database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from graph.neo4j_store import Neo4jStore
from graph.state_cache import StateCache
from loaders.detect import read_snapshot
from tests.integration import loads
from tests.integration.stores import count_statements, wipe

pytestmark = pytest.mark.usefixtures("neo4j_uri")
STATE_READS = ("read_node_states", "read_edge_states")


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> loads.Days:
    return loads.make_days(tmp_path_factory.mktemp("cache-days"))


@pytest.fixture(scope="module")
def expected(days: loads.Days, neo4j_uri: str) -> Iterator[tuple[dict[str, Any], list[Any]]]:
    """The answers after day 1 then day 2, each load reading the states from the database."""
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1, "")
    store, changes = _load(neo4j_uri, days.day2, "")
    try:
        yield loads.answers(store, days), changes
    finally:
        store.close()


def _load(
    uri: str, files: Sequence[Path], cache: str, reads: list[str] | None = None
) -> tuple[Neo4jStore, Any]:
    """Load `files` with a new store object; count its state reads in `reads`; return it open."""
    store = Neo4jStore(uri, state_cache=cache)
    if reads is not None:
        count_statements(store, STATE_READS, reads)
    result = store.load([read_snapshot(f) for f in files])
    return store, [(c.dataset, c.added, c.changed, c.unchanged, c.reopened, c.closed) for c in result.changes]


def _day2_as_expected(
    uri: str, days: loads.Days, cache: Path, expected: tuple[dict[str, Any], list[Any]]
) -> list[str]:
    """Load day 2 keeping states in `cache`; check its changes and answers; return its state reads."""
    reads: list[str] = []
    store, changes = _load(uri, days.day2, str(cache), reads)
    try:
        assert changes == expected[1]
        assert loads.answers(store, days) == expected[0]
    finally:
        store.close()
    return reads


def test_a_next_load_reads_the_states_it_kept_and_answers_the_same(
    days: loads.Days, neo4j_uri: str, expected: tuple[dict[str, Any], list[Any]], tmp_path: Path
) -> None:
    wipe(neo4j_uri)
    first, _ = _load(neo4j_uri, days.day1, str(tmp_path))
    first.close()
    assert [p.name for p in tmp_path.iterdir()] == [StateCache(tmp_path, neo4j_uri).path.name]
    assert _day2_as_expected(neo4j_uri, days, tmp_path, expected) == []  # not one page read from Neo4j


def test_states_kept_for_other_content_are_not_used(
    days: loads.Days, neo4j_uri: str, expected: tuple[dict[str, Any], list[Any]], tmp_path: Path
) -> None:
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1, str(tmp_path))[0].close()
    _load(neo4j_uri, days.day2, str(tmp_path))[0].close()  # the states of day 2 are kept
    # Another machine (no cache here) empties the database and loads day 1 again: the states kept
    # here describe a content that no longer exists (taken for true, day 2 would look unchanged).
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1, "")[0].close()
    assert set(_day2_as_expected(neo4j_uri, days, tmp_path, expected)) == set(STATE_READS)


def test_a_damaged_cache_file_is_read_from_the_database_instead(
    days: loads.Days, neo4j_uri: str, expected: tuple[dict[str, Any], list[Any]], tmp_path: Path
) -> None:
    wipe(neo4j_uri)
    _load(neo4j_uri, days.day1, str(tmp_path))[0].close()
    kept = StateCache(tmp_path, neo4j_uri).path
    kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])  # truncated, as by a full disk
    assert set(_day2_as_expected(neo4j_uri, days, tmp_path, expected)) == set(STATE_READS)
