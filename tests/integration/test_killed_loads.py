"""`kill -9` of a `finess-graph load` at random moments, on both stores: afterwards the store answers
exactly as before the load, and the same load run again ends as if it had never been interrupted.

Each store gets RUNS kills of the day-2 load (tests/integration/loads.py) into a store holding day 1.
The moments are drawn with a fixed seed, uniformly over the duration of an uninterrupted load of the
same files measured first, by the same command: they fall anywhere from the interpreter's start to the
write of the new state (embedded) or the commit point (Neo4j). After each kill, `stats --json` (the
next command, which rolls a dead Neo4j load back) and the answers to a fixed set of questions (show,
search, ecosystem, timeline: `loads.answers`) must equal those before the load; then the same load,
run again, must give the answers of the load never interrupted. What each kill interrupted is printed
(run with -s): the figures of docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graph.embedded_store import EmbeddedStore
from graph.neo4j_store import Neo4jStore, connect
from tests.integration import loads
from tests.integration.loads import Days
from tests.integration.stores import wipe_and_load

SEED = 20261126
RUNS = 10
JOURNAL = "MATCH (j:LoadJournal) RETURN j.id AS id"
CREATED_NODES = "MATCH (n:Item) WHERE n._load = $load RETURN count(n) AS n"
CREATED_RELATIONSHIPS = "MATCH ()-[r]->() WHERE r._load = $load RETURN count(r) AS n"
STAGES = "MATCH (s:LoadStage) WHERE s._stageLoad = $load RETURN count(s) AS n"


@dataclass
class Side:
    """One store under test: where it is, how to put day 1 back, what it answers, where a kill fell."""

    location: str
    reset: Callable[[], None]
    answers: Callable[[], dict[str, Any]]
    moment: Callable[[], str]  # what the killed load had done, read right after the kill
    clean: Callable[[], None]  # asserts that nothing of a killed load is left


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> Days:
    return loads.make_days(tmp_path_factory.mktemp("killed-days"))


def _embedded(folder: Path, days: Days) -> Side:
    store, saved = folder / "store.pickle", folder / "day1.pickle"
    done = loads.run("load", *map(str, days.day1), "--store", str(store))
    assert done.returncode == 0, done.stderr.decode()
    shutil.copyfile(store, saved)

    def reset() -> None:
        shutil.copyfile(saved, store)

    def moment() -> str:
        aside = list(folder.glob(".store.pickle.*.tmp"))
        if aside:
            return f"new state being written ({aside[0].stat().st_size:,} bytes)"
        return "new state switched in" if store.read_bytes() != saved.read_bytes() else "reading and merging"

    def clean() -> None:
        assert store.read_bytes() == saved.read_bytes()  # the very file of day 1

    return Side(str(store), reset, lambda: loads.answers(EmbeddedStore(store), days), moment, clean)


def _neo4j(uri: str, days: Days) -> Side:
    def reset() -> None:
        wipe_and_load(uri, days.day1)

    def answers() -> dict[str, Any]:
        store = Neo4jStore(uri)  # a new store object rolls a dead load back before its first read
        try:
            return loads.answers(store, days)
        finally:
            store.close()

    def count(query: str, **params: Any) -> int:
        with connect(uri) as driver, driver.session() as session:
            return int(session.run(query, params).single(strict=True)[0])

    def journal() -> str | None:
        with connect(uri) as driver, driver.session() as session:
            record = session.run(JOURNAL).single()
        return None if record is None else str(record["id"])

    killed: list[str] = []

    def moment() -> str:
        load = journal()
        if load is None:
            return "before its journal"
        killed.append(load)
        nodes, rels = count(CREATED_NODES, load=load), count(CREATED_RELATIONSHIPS, load=load)
        return f"{nodes:,} nodes, {rels:,} relationships created, {count(STAGES, load=load):,} stages"

    def clean() -> None:
        assert journal() is None
        for query in (CREATED_NODES, CREATED_RELATIONSHIPS, STAGES):
            assert count(query, load=killed[-1] if killed else "") == 0

    return Side(uri, reset, answers, moment, clean)


@pytest.fixture(params=["embedded", "neo4j"])
def side(request: pytest.FixtureRequest, days: Days, tmp_path: Path) -> Iterator[Side]:
    if request.param == "embedded":
        yield _embedded(tmp_path, days)
    else:
        yield _neo4j(request.getfixturevalue("neo4j_uri"), days)


def _reading(pid: int, files: list[Path]) -> bool:
    """Tell whether process `pid` has one of `files` open: its load has begun (imports are done)."""
    names = {str(f.resolve()) for f in files}
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{pid}/fd/{fd}") in names:
                    return True
    return False


def _start_load(side: Side, days: Days) -> tuple[subprocess.Popen[bytes], float]:
    """Start the day-2 load; return it and when it opened its first file (not its interpreter's start)."""
    quiet = subprocess.DEVNULL
    proc = loads.command("load", *map(str, days.day2), "--store", side.location, stdout=quiet, stderr=quiet)
    while not _reading(proc.pid, days.day2):
        assert proc.poll() is None, "the load ended before it opened its files"
        time.sleep(0.002)
    return proc, time.monotonic()


def _timed_load(side: Side, days: Days) -> float:
    """Load day 2 to its end; return how long it worked, from opening its files to its exit."""
    proc, began = _start_load(side, days)
    assert proc.wait(timeout=600) == 0
    return time.monotonic() - began


def _kill_at(side: Side, days: Days, delay: float) -> tuple[float, str] | None:
    """Start the day-2 load, SIGKILL it `delay` seconds after it opened its files; None if it ended first."""
    proc, began = _start_load(side, days)
    try:
        proc.wait(timeout=max(0.0, began + delay - time.monotonic()))
    except subprocess.TimeoutExpired:
        pass  # still running, as wanted
    else:
        return None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return time.monotonic() - began, side.moment()


@pytest.mark.slow
def test_a_load_killed_at_random_moments_changes_nothing_and_completes_when_run_again(
    side: Side, days: Days
) -> None:
    side.reset()
    before_stats, before = loads.stats_json(side.location), side.answers()
    _timed_load(side, days)  # a first load warms the server's caches: the next is timed
    side.reset()
    work = _timed_load(side, days)
    after_stats, after = loads.stats_json(side.location), side.answers()
    assert before_stats != after_stats  # the questions tell the two days apart
    assert before != after
    rng = random.Random(SEED)
    for run in range(RUNS):
        delay = rng.uniform(0.0, 1.0) * work
        while True:
            side.reset()
            killed = _kill_at(side, days, delay)
            if killed is not None:
                break
            delay *= 0.8  # this load was faster than the one timed: the same point, earlier
        at, what = killed
        stats = loads.stats_json(side.location)
        # Killed after its commit point (between the commit and the exit), the load is complete.
        committed = stats == after_stats
        print(f"kill {run + 1}: {at:.2f} s into a {work:.2f} s load: {what}" + (" (committed)" * committed))
        assert stats == (after_stats if committed else before_stats)
        assert side.answers() == (after if committed else before)
        if not committed:
            side.clean()
        work = min(work, _timed_load(side, days))  # the load run again: it ends as if never killed
        assert side.answers() == after
