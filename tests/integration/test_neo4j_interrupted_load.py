"""A Neo4j load killed half-way leaves the database as it was, and the same load then completes.

Each test loads day 1 into the real Neo4j, starts the day-2 load in a child process (`finess-graph load
--store URI`), kills it with SIGKILL at a chosen moment (read from the database: the journal, the
items carrying its `_load`), then compares everything the database holds with what it held before.
Day 2 (tests/integration/loads.py) drops a third of the legal entities, so that closing has thousands
of items to write.
"""

from __future__ import annotations

import dataclasses
import gzip
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from neo4j import Driver

from graph.errors import InvalidData, LoadInProgress
from graph.neo4j_server import LocalNeo4j
from graph.neo4j_store import Neo4jStore, _Load, connect
from loaders.detect import read_snapshot
from tests import factories
from tests.integration import loads, stores
from tests.integration.stores import free_port, wipe_and_load

DAY1 = date(2026, 8, 13)
# Every node but the stages and LoadApply of committed loads (bookkeeping that the next load deletes;
# those of the load under test are counted apart).
# PlaceWords marks the schema, written before a load begins like the indexes: not a load's content.
NODES = (
    "MATCH (n) WHERE NOT n:LoadStage AND NOT n:LoadApply AND NOT n:PlaceWords "
    "RETURN labels(n) AS labels, properties(n) AS props"
)
RELATIONSHIPS = "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props"
JOURNAL = "MATCH (j:LoadJournal) RETURN j.id AS id"
WRITTEN = "MATCH (n:Item) WHERE n._load = $load RETURN count(n) AS n"
# What a load updates waits on LoadStage nodes until its commit point (docs/loading.md).
UPDATED = "MATCH (s:LoadStage) WHERE s._stageLoad = $load AND s._stageKind = 'node' RETURN count(s) AS n"
CLOSED = (
    "MATCH (s:LoadStage) WHERE s._stageLoad = $load AND s._stageKind = 'node' "
    "AND size(s.observedTo) = size(s.observedFrom) RETURN count(s) AS n"
)
LEFT = "MATCH ()-[r]->() WHERE r._load = $load RETURN count(r) AS n"
RESTORABLE = "MATCH (s:LoadStage) WHERE s._stageLoad = $load AND s._stageKind = 'edge' RETURN count(s) AS n"
STAGED = "MATCH (s:LoadStage) WHERE s._stageLoad = $load RETURN count(s) AS n"


@dataclasses.dataclass
class Days:
    day1: list[Path]
    day2: list[Path]


@dataclasses.dataclass
class Answers:
    """What the database holds (every node and relationship) and what the store answers."""

    dump: list[str]
    stats: dict[str, Any]
    snapshots: dict[str, str]
    structures: dict[str, Any]
    # The same content with the ids of loads (`_load`, `_undo`, `Dataset.load`): equal only within one
    # load's history.
    exact: list[str] = dataclasses.field(compare=False)


def _json(value: Any) -> Any:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    raise TypeError(type(value))


def _dump(driver: Driver) -> tuple[list[str], list[str]]:
    """Every node and relationship with its properties, sorted: without the ids of loads, and with."""
    plain, exact = [], []
    with driver.session() as session:
        for query in (NODES, RELATIONSHIPS):
            for record in session.run(query):
                row = record.data()
                row["labels"] = sorted(row.get("labels", []))
                exact.append(orjson.dumps(row, default=_json, option=orjson.OPT_SORT_KEYS).decode())
                ids = ("_load", "_undo", *(("load",) if row["labels"] == ["Dataset"] else ()))
                row["props"] = {k: v for k, v in row["props"].items() if k not in ids}
                plain.append(orjson.dumps(row, default=_json, option=orjson.OPT_SORT_KEYS).decode())
    return sorted(plain), sorted(exact)


def _count(driver: Driver, query: str, **params: Any) -> int:
    with driver.session() as session:
        return int(session.run(query, params).single(strict=True)["n"])


def _journal(driver: Driver) -> str | None:
    with driver.session() as session:
        record = session.run(JOURNAL).single()
    return None if record is None else str(record["id"])


def _answers(uri: str, driver: Driver, ids: list[str]) -> Answers:
    """The answers of a fresh store object, and the database's content."""
    store = Neo4jStore(uri)  # a fresh store object: it rolls back a dead load before its first read
    try:
        structures = {}
        for finess in ids:
            for as_of in (None, DAY1.isoformat()):
                view = store.structure(finess, as_of)
                answer = None if view is None else dataclasses.asdict(view)
                if answer is not None:  # the database gives a node's relationships in no set order
                    answer["edges"].sort(key=lambda e: orjson.dumps(e, option=orjson.OPT_SORT_KEYS))
                structures[f"{finess}@{as_of}"] = answer
        stats, snapshots = store.stats(), store.snapshots()
        plain, exact = _dump(driver)
        return Answers(plain, stats, snapshots, structures, exact)
    finally:
        store.close()


def _load(uri: str, files: list[Path]) -> subprocess.Popen[bytes]:
    code = "from api.cli import main; main()"
    args = [sys.executable, "-c", code, "load", *map(str, files), "--store", uri]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait(proc: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, f"the process ended first: {proc.stderr.read() if proc.stderr else ''!r}"
        assert time.monotonic() < deadline, "the process never reached the point to kill it at"
        time.sleep(0.005)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    assert proc.poll() is None, "the process ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> Days:
    made = loads.make_days(tmp_path_factory.mktemp("interrupted"))  # day 2 drops a third, renames…
    return Days(made.day1, made.day2)


@pytest.fixture(scope="module")
def reference(days: Days, neo4j_uri: str) -> tuple[list[str], Answers, Answers]:
    """Structures worth comparing, and the answers after day 1 and after day 2 loaded uninterrupted."""
    with connect(neo4j_uri) as driver:
        wipe_and_load(neo4j_uri, days.day1)
        with driver.session() as session:
            ids = session.run("MATCH (n:LegalEntity) RETURN n.id AS id ORDER BY id LIMIT 3").value()
        store = Neo4jStore(neo4j_uri)
        store.load([read_snapshot(f) for f in days.day2])
        store.close()
        with driver.session() as session:
            for query in (
                "MATCH (n:Establishment) WHERE size(n._history) > 0 RETURN n.id LIMIT 3",
                "MATCH (n:Establishment) WHERE size(n.observedTo) > 0 RETURN n.id ORDER BY n.id LIMIT 3",
                "MATCH (n:LegalEntity) WHERE size(n.observedTo) > 0 RETURN n.id ORDER BY n.id LIMIT 2",
            ):
                found = session.run(query).value()
                assert found, query
                ids += found
        after = _answers(neo4j_uri, driver, ids)
        wipe_and_load(neo4j_uri, days.day1)
        before = _answers(neo4j_uri, driver, ids)
    assert before.stats != after.stats
    assert after.stats["snapshots"]["finess-plus-structures"] == "2026-08-14"
    return ids, before, after


MOMENTS = {
    # right after the journal is written: the load has read states, written little or nothing
    "journal written": lambda driver, load: True,
    # items updated (their new state staged), while merging the day-2 structures
    "items updated": lambda driver, load: _count(driver, UPDATED, load=load) > 0,
    # a first batch of items closed: closing the legal entities that day 2 dropped
    "items closed": lambda driver, load: _count(driver, CLOSED, load=load) > 0,
    # then their relationships (tested in the rollback killed half-way)
    "relationships closed": lambda driver, load: _count(driver, RESTORABLE, load=load) > 0,
}


def _kill_load_at(uri: str, driver: Driver, days: Days, moment: str) -> str:
    """Start the day-2 load, kill it at `moment`; return its load id."""
    proc = _load(uri, days.day2)
    _wait(proc, lambda: _journal(driver) is not None)
    load = _journal(driver)
    assert load is not None
    _wait(proc, lambda: MOMENTS[moment](driver, load))
    _kill(proc)
    return load


@pytest.mark.parametrize("moment", ["journal written", "items updated", "items closed"])
def test_a_killed_load_leaves_the_database_as_it_was_and_the_same_load_then_completes(
    days: Days,
    reference: tuple[list[str], Answers, Answers],
    neo4j_uri: str,
    neo4j_driver: Driver,
    moment: str,
) -> None:
    ids, before, after = reference
    wipe_and_load(neo4j_uri, days.day1)
    _, exact = _dump(neo4j_driver)
    load = _kill_load_at(neo4j_uri, neo4j_driver, days, moment)
    assert _journal(neo4j_driver) == load  # the dead load is still there to roll back
    if moment != "journal written":
        assert _count(neo4j_driver, UPDATED, load=load) > 0

    recovered = _answers(neo4j_uri, neo4j_driver, ids)
    assert _journal(neo4j_driver) is None
    assert _count(neo4j_driver, WRITTEN, load=load) == _count(neo4j_driver, LEFT, load=load) == 0
    assert _count(neo4j_driver, STAGED, load=load) == 0
    assert recovered.stats == before.stats
    assert recovered.snapshots == before.snapshots
    assert recovered.structures == before.structures
    assert recovered.dump == before.dump
    assert recovered.exact == exact  # system properties included: each `_load` is what it was

    assert _load(neo4j_uri, days.day2).wait() == 0
    again = _answers(neo4j_uri, neo4j_driver, ids)
    assert _journal(neo4j_driver) is None
    assert again.stats == after.stats
    assert again.snapshots == after.snapshots
    assert again.structures == after.structures
    assert again.dump == after.dump
    assert _count(neo4j_driver, "MATCH (n:Item) WHERE n._undo IS NOT NULL RETURN count(n) AS n") == 0


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    """A server of this module's own, to stop in the middle of a load (never the shared one)."""
    yield from stores.own_server(tmp_path_factory.mktemp("neo4j-stopped"), free_port(27787), "1g", "512m")


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["clean stop", "SIGKILL"])
def test_a_load_whose_server_stops_is_rolled_back_once_the_server_is_back(
    days: Days, reference: tuple[list[str], Answers, Answers], own_server: LocalNeo4j, stop: str
) -> None:
    ids, before, after = reference
    uri = own_server.uri()
    wipe_and_load(uri, days.day1)
    with connect(uri) as driver:
        assert _answers(uri, driver, ids) == before
        proc = _load(uri, days.day2)
        _wait(proc, lambda: _journal(driver) is not None)
        load = _journal(driver)
        _wait(proc, lambda: MOMENTS["items closed"](driver, str(load)))
    if stop == "clean stop":
        own_server.stop()  # SIGTERM: its running transaction is lost
    else:  # the JVM killed: the database recovers from its transaction log when it starts again
        pid = own_server.pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        own_server.stop()  # reaps it and forgets its pid
    # The load fails with one sentence.
    assert proc.wait(timeout=300) == 1
    assert proc.stderr is not None
    assert b"error: Neo4j at 127.0.0.1 cannot be used" in proc.stderr.read()

    uri = own_server.start()
    with connect(uri) as driver:
        assert _journal(driver) == load
        recovered = _answers(uri, driver, ids)
        assert _journal(driver) is None
        assert recovered == before
        assert _load(uri, days.day2).wait() == 0
        assert _answers(uri, driver, ids) == after


def test_a_rollback_killed_half_way_is_completed_by_the_next_command(
    days: Days, reference: tuple[list[str], Answers, Answers], neo4j_uri: str, neo4j_driver: Driver
) -> None:
    ids, before, _ = reference
    wipe_and_load(neo4j_uri, days.day1)
    _, exact = _dump(neo4j_driver)
    load = _kill_load_at(neo4j_uri, neo4j_driver, days, "relationships closed")
    assert _count(neo4j_driver, CLOSED, load=load) > 0
    queries = (WRITTEN, LEFT, STAGED)
    written = sum(_count(neo4j_driver, query, load=load) for query in queries)
    # A reader recovers the dead load; in batches of 50 it is slow enough to be killed half-way.
    code = "import sys, graph.neo4j_store as s; s.BATCH = 50; s.Neo4jStore(sys.argv[1]).stats()"
    proc = subprocess.Popen([sys.executable, "-c", code, neo4j_uri], stderr=subprocess.PIPE)

    def half_way() -> bool:
        left = sum(_count(neo4j_driver, query, load=load) for query in queries)
        return 0 < left < written - 100

    _wait(proc, half_way)
    _kill(proc)
    assert _journal(neo4j_driver) == load

    recovered = _answers(neo4j_uri, neo4j_driver, ids)
    assert _journal(neo4j_driver) is None
    assert recovered == before
    assert recovered.exact == exact
    store = Neo4jStore(neo4j_uri)
    store._rollback(load)  # once more: a rollback already done changes nothing
    store.close()
    assert _dump(neo4j_driver)[1] == exact


def test_a_second_load_is_refused_and_readers_leave_a_running_load_alone(
    days: Days, neo4j_uri: str, neo4j_driver: Driver
) -> None:
    proc = _load(neo4j_uri, days.day1)  # a first load into an empty database
    _wait(proc, lambda: _journal(neo4j_driver) is not None)
    load = _journal(neo4j_driver)
    second = Neo4jStore(neo4j_uri)
    with pytest.raises(LoadInProgress, match=rf"another load is running \(pid {proc.pid}, started "):
        second.load([read_snapshot(days.day1[0])])
    empty = {"snapshot": None, "snapshots": {}, "nodes": {}, "relationships": {}}
    _wait(proc, lambda: _count(neo4j_driver, WRITTEN, load=load) > 1000)
    assert second.stats() == empty  # the committed state: nothing of the running load, rolled back or seen
    assert _journal(neo4j_driver) == load
    _kill(proc)

    # The journal it saw was alive: this store object looks again before its next read, and recovers.
    assert second.stats() == empty
    assert _journal(neo4j_driver) is None
    assert _dump(neo4j_driver) == ([], [])
    second.close()


def test_a_load_that_fails_rolls_itself_back(tmp_path: Path, neo4j_uri: str, neo4j_driver: Driver) -> None:
    store = Neo4jStore(neo4j_uri)
    store.load([read_snapshot(factories.ACTIVITIES)])  # structures are unlabelled Items until theirs come
    before = _dump(neo4j_driver)
    unlabelled = "MATCH (n:Item) WHERE size(labels(n)) = 1 RETURN count(n) AS n"
    assert _count(neo4j_driver, unlabelled) > 1000
    whole = gzip.decompress(factories.next_day(tmp_path).read_bytes())
    truncated = tmp_path / "structures-day2.json"  # plain JSON: read as far as the cut, then refused
    truncated.write_bytes(whole[: len(whole) // 2])
    # The first file labels those Items and fills them; the second breaks off half-way.
    snapshots = [read_snapshot(factories.STRUCTURES), read_snapshot(truncated)]
    with pytest.raises(InvalidData, match=r"structures-day2\.json, line"):
        store.load(snapshots)
    assert _journal(neo4j_driver) is None
    assert _dump(neo4j_driver) == before
    store.close()


def test_a_write_that_fails_on_the_writing_thread_fails_the_load_and_rolls_it_back(
    neo4j_uri: str, neo4j_driver: Driver
) -> None:
    # Batches are written by a thread of their own: a write refused there (here the second batch of
    # relationships) must fail the load, stop the writes queued behind it and leave nothing.
    store = Neo4jStore(neo4j_uri)
    store.load([read_snapshot(factories.ACTIVITIES)])
    before = _dump(neo4j_driver)
    run, writes = store._run, []

    def failing(name: str, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        if name == "create_edges":
            writes.append(name)
            if len(writes) == 2:
                raise RuntimeError("refused by the server")
        return run(name, write, **params)

    store._run = failing  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="refused by the server"):
        store.load([read_snapshot(factories.STRUCTURES)])
    assert len(writes) == 2  # none of those queued behind the failed one was written
    store._run = run  # type: ignore[method-assign]
    assert _journal(neo4j_driver) is None
    assert _dump(neo4j_driver) == before
    store.close()


def test_a_load_whose_commit_went_through_is_not_undone_when_it_then_fails(
    tmp_path: Path, neo4j_uri: str, neo4j_driver: Driver
) -> None:
    # A commit whose answer is lost (the connection dropped) leaves the load failing after its commit
    # point: undoing it then would take back committed data behind the datasets' new dates.
    store = Neo4jStore(neo4j_uri)
    store.load([read_snapshot(factories.STRUCTURES)])
    after = _dump(neo4j_driver)
    with neo4j_driver.session() as session:
        committed = session.run("MATCH (d:Dataset) RETURN d.load AS load").value()
    assert len(set(committed)) == 1
    load = _Load()
    load.id = committed[0]
    store._abort(load)
    assert _dump(neo4j_driver) == after
    store.close()


def test_a_load_stopped_then_killed_after_its_commit_point_answers_the_new_snapshot(
    days: Days, reference: tuple[list[str], Answers, Answers], neo4j_uri: str, neo4j_driver: Driver
) -> None:
    # After the commit point the staged updates are applied a batch per transaction (here one item
    # each, to stop the load half-way): readers answer the new snapshot throughout, reading the items
    # not yet written from their stages, and the next command finishes what a killed load left.
    ids, _, after = reference
    wipe_and_load(neo4j_uri, days.day1)
    code = "import graph.neo4j_store as s; s.APPLY_BATCH = 1; from api.cli import main; main()"
    args = [sys.executable, "-c", code, "load", *map(str, days.day2), "--store", neo4j_uri]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    applied = "MATCH (s:LoadStage) WHERE s._stageApplied RETURN count(s) AS n"
    waiting = "MATCH (s:LoadStage) WHERE s._stageApplied IS NULL RETURN count(s) AS n"
    _wait(proc, lambda: _count(neo4j_driver, applied) > 20)
    os.kill(proc.pid, signal.SIGSTOP)  # alive: no other command takes its apply over
    try:
        assert _journal(neo4j_driver) is None  # committed
        assert _count(neo4j_driver, waiting) > 100
        during = _answers(neo4j_uri, neo4j_driver, ids)
        assert _count(neo4j_driver, waiting) > 100  # read from the stages, not finished by the reader
        assert (during.stats, during.snapshots, during.structures) == (
            after.stats,
            after.snapshots,
            after.structures,
        )
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finished = _answers(neo4j_uri, neo4j_driver, ids)  # a new command: the dead load's apply is finished
    assert _count(neo4j_driver, waiting) == 0
    assert finished == after
