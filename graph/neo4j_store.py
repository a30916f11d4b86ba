"""The Neo4j GraphStore: the same graph and the same time rules as the embedded store, in Neo4j 5.

Only this module imports the driver; every statement is a file of `cypher/`, run with parameters.
Each node carries its public label and `Item` (unique `id`); time is kept in properties: `validFrom`,
`validTo` (dates), `observedFrom`/`observedTo` (lists of snapshot dates, the first `0001-01-01` for an
item of its dataset's first snapshot), `dataset`, `_hash` (content hash: a snapshot rewrites only what
changed) and `_history` (previous versions, one JSON string each).

A load writes in batches, one transaction each, under a journal: a `LoadJournal` node names it and
everything it creates carries its id in `_load`; what it updates waits on `LoadStage` nodes. One small
last transaction writes its datasets' latest dates and deletes the journal: the commit point; the
stages are then applied in batches. Readers leave out what the journal's load created and read a
committed load's staged items from their stages, so they see the committed state until the commit point
and the new one after it. A journal left by a dead process is rolled back before the next load or the
first read of a store object (docs/loading.md, *Interrupted loads in Neo4j*).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
import os
import queue
import socket
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlsplit, urlunsplit

import orjson
from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction, Query, Result, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from cypher import statement
from graph.errors import DamagedStates, FinessGraphError, LoadInProgress, QueryTimeout, StoreUnavailable
from graph.labels import Labels
from graph.model import Edge, Node, Record, Snapshot
from graph.queries import (
    ECOSYSTEM_LIMIT,
    ORGANIGRAM_LIMIT,
    Neighbours,
    OrgNode,
    SearchPage,
    SearchQuery,
    Subgraph,
    Traversals,
    Version,
    ecosystem_keys,
    grow_ecosystem,
    grow_organigram,
    organigram_keys,
    organigram_steps,
    relation_set,
    search_text,
)
from graph.settings import QUERY_TIMEOUT
from graph.snapshot_diff import Diff, content_hash, diff_side_by_side
from graph.state_cache import Hashes, Kept, Parts, StateCache, States, by_dataset, moved, states
from graph.store import (
    DATE_KEYS,
    STRUCTURE_LABELS,
    DatasetChange,
    EdgeView,
    Keys,
    LoadResult,
    NodeView,
    Progress,
    StructureView,
    already_loaded,
)
from graph.territory import territory_records
from graph.timeline import valid_at, version_index

BATCH = 10_000
STATE_PAGE = 100_000  # nodes per page when reading what the database holds
APPLY_BATCH = 10_000  # staged updates applied per transaction after the commit point
# A keyed read of at least this many nodes runs as two statements at once, one per half: Community runs
# a statement on one core (the largest organigram's 1,062 establishments: see bench/README.md).
PARALLEL_IDS = 400
READ_ATTEMPTS = 20  # a read that met a commit is asked again; a commit is one short transaction
# Seconds after the server was last found unusable during which reads are tried once, not retried for
# the driver's 5 s: under 8 clients a 503 then took 6-8 s each (docs/reliability.md, *Neo4j stopped*).
OUTAGE_WINDOW = 10.0
BASELINE = dt.date(1, 1, 1)
NO_DATES = (None, None)  # a keyed row's dates when they were not read
TERRITORY = "territory"
PLACE_TYPES = frozenset({"LOCATED_IN", "PART_OF"})  # what gives structures their place words
PLACE_WORD = "_"  # what begins a place word in `_search` (add_place_words); folded words never do
STAGE_KEYS = ("_stageLoad", "_stageTarget", "_stageLabels", "_stageKind", "_stageApplied")
SYSTEM = {
    *("id", "key", "validFrom", "validTo", "observedFrom", "observedTo", "dataset", "_hash", "_history"),
    *("_search", "_load", "_undo"),
    *STAGE_KEYS,
}
SCHEMA = (
    "create_item_id_constraint",
    "create_dataset_constraint",
    "drop_item_dataset_index",
    "create_item_load_index",
    "create_load_journal_constraint",
    "create_load_stage_index",
    "create_grouping_finess_index",
    "create_organic_grouping_finess_index",
    "create_structure_words_index",
)
# What the server answers when it stopped a transaction that outlived its timeout (the client's, or
# db.transaction.timeout).
TIMED_OUT = frozenset(
    {
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.TransientError.Transaction.TransactionTimedOut",
    }
)


def connect(uri: str) -> Driver:
    """Open a driver for a store URI, whose credentials may be in it (`bolt://user:pass@host:port`)."""
    parts = urlsplit(uri)
    netloc = parts.hostname or "127.0.0.1"
    if parts.port:
        netloc += f":{parts.port}"
    auth = (parts.username or "neo4j", parts.password or "")
    # Notifications (unknown property keys in an empty database…) are not errors: keep logs quiet.
    return GraphDatabase.driver(
        urlunsplit((parts.scheme, netloc, "", "", "")),
        auth=auth,
        notifications_min_severity="OFF",
        # A server that went away is reported within seconds (the API answers 503), not after the
        # driver's default 30 s of retries; a brief leader switch in a cluster still fits in them.
        connection_timeout=5.0,
        max_transaction_retry_time=5.0,
    )


class _Unlogged(list[Any]):
    """A list parameter whose `repr` is its length.

    The driver formats every RUN's parameters for its debug log whether that log is on or not
    (neo4j 6.4, `_bolt5.py`): 26 ms for a batch of 10,000 created rows, 23 s of a first national load.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} items>"


def _unlogged(params: dict[str, Any]) -> dict[str, Any]:
    """Return `params` with its lists made `_Unlogged` (packed alike: they are still lists)."""
    return {k: _Unlogged(v) if type(v) is list else v for k, v in params.items()}


def _rows(result: Result) -> list[dict[str, Any]]:
    """Return a result's records as dicts."""
    keys = result.keys()
    # Not record.data(): its recursive conversion took most of a large traversal's time.
    return [dict(zip(keys, record, strict=True)) for record in result]


def _refused(uri: str, name: str, exc: Neo4jError) -> FinessGraphError:
    """One sentence for a statement that the server refused (out of memory, a timeout…)."""
    message = " ".join(str(exc.message or exc).split())
    return FinessGraphError(
        f"Neo4j at {urlsplit(uri).hostname} refused cypher/{name}.cypher ({exc.code}): {message}"
    )


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: Any) -> str | None:
    """Return a Neo4j date, or the ISO string a read statement made of it, as an ISO string."""
    if value is None or value == BASELINE or value == "0001-01-01":
        return None
    return value if isinstance(value, str) else str(value.iso_format())


def _by_date(snapshots: Sequence[Snapshot]) -> Iterator[list[Snapshot]]:
    """Yield the snapshots (in date order) a date at a time."""
    for _, day in itertools.groupby(snapshots, key=lambda s: s.date):
        yield list(day)


def _side_by_side(day: list[Snapshot], latest: dict[str, str], states: _States) -> dict[int, Diff]:
    """Compare a date's next-day snapshots with the states side by side, by id(snapshot).

    Only the files of datasets loaded before, one each, two or more: a first snapshot writes all it
    holds (nothing to leave out), and a single file gains nothing from a child process.
    """
    later = [s for s in day if s.dataset in latest and not already_loaded(s, latest[s.dataset])]
    if len(later) < 2 or len({s.dataset for s in later}) < len(later) or not hasattr(os, "fork"):
        return {}
    # Each child reads its dataset's states from the cache file, or shares those read already; the
    # parent reads them all once the first child is done (the files' parsing takes longer).
    if states.kept() is None:
        states.read()  # before forking: shared by the children
    try:
        found = diff_side_by_side(later, states.present, BATCH, meanwhile=states.read)
    except DamagedStates:  # a child found its part of the cache damaged: from the database, then
        states.forget()
        states.read()
        found = diff_side_by_side(later, states.present, BATCH)
    return {id(snap): diff for snap, diff in zip(later, found, strict=True)}


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


# The loads running in this process: a journal naming this process and none of them is a leftover.
_ACTIVE: set[str] = set()


def _alive(journal: dict[str, Any]) -> bool:
    """Tell whether the process that wrote a load journal may still be running it.

    Only a process of this host can be asked; a journal written on another host is taken as dead.
    """
    pid = journal.get("pid")
    if journal.get("host") != socket.gethostname() or not isinstance(pid, int):
        return False
    if pid == os.getpid():
        return journal.get("id") in _ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    with contextlib.suppress(OSError, IndexError):  # a killed process not yet reaped is dead
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _restored(undo: str) -> tuple[dict[str, Any], list[str]]:
    """Return the properties and labels that an `_undo` string gives back, dates as dates.

    Loads no longer write `_undo` (their updates are staged); a journal left by an earlier version of
    this tool may still name items that carry one.
    """
    state = orjson.loads(undo)
    props: dict[str, Any] = state["props"]
    for key in ("validFrom", "validTo"):
        if props.get(key) is not None:
            props[key] = dt.date.fromisoformat(props[key])
    for key in ("observedFrom", "observedTo"):
        if key in props:
            props[key] = [dt.date.fromisoformat(d) for d in props[key]]
    return props, [state["label"]] if state.get("label") else []


class _Moved(FinessGraphError):
    """A load began or committed while a read was under way: the read is asked again (never raised
    out of this module)."""

    def __init__(self) -> None:
        super().__init__("a load began or committed during this read")


P = ParamSpec("P")
R = TypeVar("R")


def _consistent(method: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """Run a read so that all its statements see one committed state, asking again after a commit.

    Each read statement returns the journal and the datasets' loads as it found them first and last
    (`before`, `after`); the call is consistent when every statement of it found the same, both times.
    Calls nested in a consistent call are checked by the outermost one.
    """

    @functools.wraps(method)
    def read(store: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:  # a Neo4jStore
        calls = store._calls
        if hasattr(calls, "signature"):
            return method(store, *args, **kwargs)
        for attempt in range(READ_ATTEMPTS):
            calls.signature = None
            try:
                return method(store, *args, **kwargs)
            except _Moved:
                time.sleep(0.01 * attempt)
            finally:
                del calls.signature
        raise StoreUnavailable(
            f"Neo4j at {urlsplit(store.uri).hostname}: loads kept committing during "
            f"{READ_ATTEMPTS} attempts of one read; ask again"
        )

    return read


class _Load:
    """A load in progress: its journal id, the thread writing its batches, what it commits."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex
        self.sender: _Sender | None = None  # the thread writing this load's batches
        self.staged = False  # whether it staged updates, to apply after its commit point
        self.placed = False  # whether it wrote LOCATED_IN or PART_OF: place words to add after it
        # The datasets' latest snapshot and labels, written at the commit point.
        self.datasets: dict[str, dict[str, Any]] = {}


# The writes on nodes; every other write is on relationships.
NODE_WRITES = frozenset({"create_nodes", "update_nodes", "stage_nodes", "ensure_items"})


class _Lane:
    """One thread running one kind of write (on nodes, or on relationships) in the order sent."""

    def __init__(self, sender: _Sender, name: str) -> None:
        self.sender = sender
        # Up to three batches waiting: the loader runs ahead where one left it blocked (national first load
        # 321.9, 327.6 s -> 301.5, 312.8 s).
        self.queue: queue.Queue[tuple[str, dict[str, Any], int] | None] = queue.Queue(maxsize=3)
        self.done = 0  # how many writes of this lane are done
        self.thread = threading.Thread(target=self._work, name=f"neo4j-load-{name}", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        sender = self.sender
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                name, params, after = item
                sender.nodes_done(after)
                if sender.error is None and not sender.cancelled:
                    sender.store._run(name, write=True, **params)
            except BaseException as exc:  # raised in the loader's thread by its next call
                sender.error = exc
            finally:
                with sender.progress:
                    self.done += 1
                    sender.progress.notify_all()
                self.queue.task_done()


class _Sender:
    """Runs a load's writes on two threads of their own, one for nodes and one for relationships: the
    loader prepares the next batch while the server writes the nodes of one and the relationships of
    the one before, each in its own transaction (the server used 1.2 of the two cores with one writer).

    Each lane writes in the order sent; a relationship write waits until the node writes sent before it
    are done (its ends exist), and a read until every write sent before it is. The first write that
    fails stops the others; its error is raised by the next call.
    """

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store
        self.error: BaseException | None = None
        self.cancelled = False
        self.progress = threading.Condition()
        self.sent_nodes = 0
        self.nodes = _Lane(self, "nodes")
        self.edges = _Lane(self, "relationships")

    def nodes_done(self, count: int) -> None:
        """Return once `count` node writes are done, or one failed."""
        with self.progress:
            self.progress.wait_for(lambda: self.nodes.done >= count or self.error is not None)

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def write(self, name: str, **params: Any) -> None:
        """Send a write statement, run after those of its kind sent before it."""
        self._raise()
        if name in NODE_WRITES:
            self.sent_nodes += 1
            self.nodes.queue.put((name, params, 0))
        else:
            self.edges.queue.put((name, params, self.sent_nodes))

    def wait(self) -> None:
        """Return once every write sent is done; raise the error of one that failed."""
        self.nodes.queue.join()
        self.edges.queue.join()
        self._raise()

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a read statement once the writes sent before it are done."""
        self.wait()
        return self.store._run(name, **params)

    def stop(self) -> None:
        """End the threads once the writes in progress are done, dropping those not yet started."""
        self.cancelled = True
        for lane in (self.nodes, self.edges):
            if lane.thread.is_alive():
                lane.queue.put(None)
                lane.thread.join()


class Neo4jStore(Traversals):
    """A GraphStore in a Neo4j 5 database reached through a Bolt or Neo4j URI.

    Every read runs in a read transaction (routable to a cluster's secondaries) that the server stops
    after `query_timeout` seconds; writes run in write transactions, bounded by the server's own
    `db.transaction.timeout`, as are the reads of a load or a rollback (a national load reads for longer).
    """

    def __init__(self, uri: str, query_timeout: float = QUERY_TIMEOUT, state_cache: str = "") -> None:
        self.uri = uri
        self.query_timeout = query_timeout
        # Where loads keep the item states between them (graph/state_cache.py); "": not kept.
        self.state_cache = StateCache(Path(state_cache), uri) if state_cache else None
        self.driver = connect(uri)
        self._schema_ready = False
        self._recovered = False  # whether a dead load's journal was looked for (and rolled back)
        self._calls = threading.local()  # the state that the reads of the current call found
        self._local = threading.local()  # whether this thread runs a load or a rollback
        self._unusable_at = -OUTAGE_WINDOW  # monotonic time the server was last found unusable
        self._halves = ThreadPoolExecutor(max_workers=4, thread_name_prefix="neo4j-half")

    def close(self) -> None:
        """Close the driver's connections."""
        self._halves.shutdown()
        self.driver.close()

    @contextlib.contextmanager
    def _unbounded(self) -> Iterator[None]:
        """Run this thread's reads without the query timeout: a load's or a rollback's."""
        previous = getattr(self._local, "unbounded", False)
        self._local.unbounded = True
        try:
            yield
        finally:
            self._local.unbounded = previous

    def _run(self, name: str, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        params = _unlogged(params)

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return _rows(tx.run(statement(name), params))

        timeout = None if write or getattr(self._local, "unbounded", False) else self.query_timeout
        try:
            if write:
                with self.driver.session() as session:
                    return session.execute_write(work)
            query = Query(statement(name), timeout=timeout)
            try:
                # A read runs in an auto-commit transaction: one round trip, where a managed one takes
                # three (BEGIN, RUN, COMMIT): 20-30 % of a lookup or an organigram (bench/README.md, the
                # race). Only on an error the managed one would have retried is it retried that way.
                with self.driver.session(default_access_mode=READ_ACCESS) as session:
                    return _rows(session.run(query, params))
            except (ServiceUnavailable, SessionExpired, TransientError) as exc:
                if getattr(exc, "code", None) in TIMED_OUT:
                    raise
                if time.monotonic() - self._unusable_at < OUTAGE_WINDOW:
                    raise  # a known outage: answer at once, and the first read after it succeeds
                with self.driver.session(default_access_mode=READ_ACCESS) as session:
                    return session.execute_read(unit_of_work(timeout=timeout)(work))
        except (DriverError, AuthError, OSError) as exc:
            self._unusable_at = time.monotonic()
            raise StoreUnavailable(f"Neo4j at {urlsplit(self.uri).hostname} cannot be used: {exc}") from exc
        except ConstraintError:
            raise  # the journal's lock, expected by _begin
        except Neo4jError as exc:
            if exc.code not in TIMED_OUT:
                raise _refused(self.uri, name, exc) from exc
            limit = f"{timeout:g} s" if timeout else "the server's transaction timeout"
            raise QueryTimeout(
                f"the store's query ({name}) ran longer than {limit} and was stopped: "
                "ask for less (a smaller depth, limit or page), or try again later"
            ) from exc

    def _read(self, name: str, **params: Any) -> list[Any]:
        """Run a read statement of the committed state (`before`, `rows`, `after`); return its rows.

        Raises _Moved when a load began or committed during it, or since an earlier statement of the
        same consistent call.
        """
        return self._checked(self._run(name, **params)[0])

    def _read_halves(self, name: str, ids: list[str], **params: Any) -> list[Any]:
        """Run `_read` for each half of many `ids` at once, in two sessions, so the server uses two cores."""
        if len(ids) < PARALLEL_IDS:
            return self._read(name, ids=ids, **params)
        half = len(ids) // 2
        other = self._halves.submit(self._run, name, ids=ids[half:], **params)
        first = self._read(name, ids=ids[:half], **params)
        return first + self._checked(other.result()[0])

    def _checked(self, row: dict[str, Any]) -> list[Any]:
        """Return the rows of a read statement's answer, after checking the state it read (see `_read`)."""
        before = row["before"]
        if before != row["after"]:
            raise _Moved()
        found = getattr(self._calls, "signature", False)
        if found is None:
            self._calls.signature = before
        elif found is not False and found != before:
            raise _Moved()
        return row["rows"]  # type: ignore[no-any-return]

    def _run_batched(self, name: str, **params: Any) -> None:
        """Run a statement that commits its own batches (CALL … IN TRANSACTIONS): auto-commit."""
        try:
            with self.driver.session() as session:
                session.run(statement(name), _unlogged(params)).consume()
        except (DriverError, AuthError, OSError) as exc:
            raise StoreUnavailable(f"Neo4j at {urlsplit(self.uri).hostname} cannot be used: {exc}") from exc
        except Neo4jError as exc:
            raise _refused(self.uri, name, exc) from exc

    def _ensure_schema(self) -> None:
        if not self._schema_ready:
            for name in SCHEMA:
                self._run(name, write=True)
            if not self._run("read_place_words")[0]["ready"]:  # written by a version without them
                self._run_batched("add_place_words", load=None, batch=BATCH)
                self._run("mark_place_words", write=True)
            self._schema_ready = True

    # -- the load journal --------------------------------------------------------------------

    def _recover(self, loading: bool = False) -> bool:
        """Roll back the load of a journal left by a dead process, finish applying the staged updates
        of a committed load whose process died; tell whether no journal remains.

        A journal or an apply whose process still runs is left alone: a load refuses to start beside it
        (LoadInProgress), a reader reads on.
        """
        for applying in self._run("read_load_applies"):
            if applying["done"]:
                continue
            if not _alive(applying):
                self._apply_stages(applying["id"])  # committed, then killed: its updates are finished here
            elif loading:
                raise LoadInProgress(
                    f"another load (pid {applying['pid']}, started {applying['startedAt']}) is applying "
                    "its updates: wait for it to end, then load again"
                )
        journals = self._run("read_journal")
        if not journals:
            return True
        journal = journals[0]
        if _alive(journal):
            if loading:
                raise LoadInProgress(
                    f"another load is running (pid {journal['pid']}, started {journal['startedAt']}): "
                    "wait for it to end, then load again"
                )
            return False
        self._rollback(journal["id"])
        return True

    def _rollback(self, load: str) -> None:
        """Undo what load `load` wrote, batch by batch, then delete its journal.

        What it created is deleted, its staged updates too; an item that an earlier version of this tool
        updated in place gets back its `_undo` state. Idempotent: whatever is undone no longer carries
        `_load = load`, so a rollback killed half-way is simply run again.
        """
        with self._unbounded():
            self._undo_load(load)

    def _undo_load(self, load: str) -> None:
        self._run_batched("delete_load_relationships", load=load, batch=BATCH)
        rids = [row["rid"] for row in self._run("read_load_relationships", load=load)]
        for chunk in _chunks(rids):
            undo = self._run("read_relationship_undo", load=load, rids=chunk)
            rows = [{"rid": row["rid"], "props": _restored(row["undo"])[0]} for row in undo]
            self._run("restore_relationships", write=True, load=load, rows=rows)
        self._run_batched("delete_load_nodes", load=load, batch=BATCH)
        previous: list[str] = []
        while batch := self._run("read_load_nodes", load=load, limit=BATCH):
            ids = [row["id"] for row in batch]
            if ids == previous:  # nothing restored: never loop for ever
                raise FinessGraphError(f"the rollback of load {load} cannot restore node {ids[0]}")
            rows = []
            for row in batch:
                props, labels = _restored(row["undo"])
                rows.append({"id": row["id"], "props": props, "labels": labels})
            self._run("restore_nodes", write=True, load=load, rows=rows)
            previous = ids
        self._run_batched("delete_load_stages", load=load, batch=BATCH)
        self._run("delete_journal", write=True, load=load)

    def _ready_to_read(self) -> None:
        """Before the first read of this object, roll back a load that died half-way, if any."""
        if not self._recovered:
            self._recovered = self._recover()

    def _begin(self) -> _Load:
        """Write the journal of a new load, once a dead load's is rolled back."""
        load = _Load()
        while True:
            self._recover(loading=True)
            try:
                self._run(
                    "create_journal", write=True, load=load.id, pid=os.getpid(), host=socket.gethostname()
                )
            except ConstraintError:
                continue  # another load wrote its journal in between: look at it
            _ACTIVE.add(load.id)
            self._recovered = True
            self._drop_applied()
            return load

    def _commit(self, load: _Load) -> None:
        """The commit point: one transaction writes the datasets' dates, deletes the journal and marks
        the load's staged updates as committed (a LoadApply node); then they are applied."""
        datasets = list(load.datasets.values())
        # Place words are added after the commit point, with the staged updates: until then readers
        # search in a place the slower way, which does not need them.
        after = load.staged or load.placed
        rows = self._run("commit_load", write=True, load=load.id, datasets=datasets, staged=after)
        if not rows[0]["committed"]:
            raise FinessGraphError(
                "the load was rolled back by another command, which took it for dead; load again"
            )
        if after:
            self._apply_stages(load.id)

    def _apply_stages(self, load: str) -> None:
        """Apply a committed load's staged updates, a batch per transaction.

        Until all are applied (its LoadApply is `done`), readers read every staged item from its stage:
        the new content, whether its batch is applied yet or not. The stages stay until the next load
        (_drop_applied). Idempotent: run again by the next command when the load's process died first.
        """
        while self._run("apply_node_stages", write=True, load=load, limit=APPLY_BATCH)[0]["applied"]:
            pass
        while self._run("apply_edge_stages", write=True, load=load, limit=APPLY_BATCH)[0]["applied"]:
            pass
        self._run_batched("add_place_words", load=load, batch=BATCH)  # once the staged `_search` is in
        self._run("finish_load_apply", write=True, load=load)

    def _drop_applied(self) -> None:
        """Delete the stages of earlier loads, all applied; only once this load's journal exists, so that
        a reader still reading them (it began before they were all applied) is made to ask again."""
        for applying in self._run("read_load_applies"):
            if applying["done"]:
                self._run_batched("delete_load_stages", load=applying["id"], batch=BATCH)
                self._run("delete_load_apply", write=True, load=applying["id"])

    def _abort(self, load: _Load) -> None:
        """Undo at once what a failed load wrote, unless it committed (a commit whose answer was lost)."""
        if not self._run("read_committed", load=load.id)[0]["committed"]:
            self._rollback(load.id)

    # -- loading -----------------------------------------------------------------------------

    def _datasets(self) -> dict[str, dict[str, Any]]:
        return {row["dataset"]: row for row in self._read("read_datasets")}

    @_consistent
    def snapshots(self) -> dict[str, str]:
        """Return the latest snapshot date loaded, per dataset."""
        self._ready_to_read()
        return {k: str(v["latest"]) for k, v in self._datasets().items() if k != TERRITORY}

    @_consistent
    def labels(self) -> Labels:
        """Return the bundled code labels overridden by the nomenclatures loaded into this store."""
        self._ready_to_read()
        labels = Labels.bundled()
        for row in self._datasets().values():
            if row.get("labels"):
                labels.merge_all(orjson.loads(row["labels"]))
        return labels

    def load(self, snapshots: Sequence[Snapshot], progress: Progress | None = None) -> LoadResult:
        """Apply full snapshots in date order, batch by batch, nodes before relationships, all or nothing."""
        with _few_collections(), self._unbounded():
            return self._load(snapshots, progress)

    def _load(self, snapshots: Sequence[Snapshot], progress: Progress | None) -> LoadResult:
        self._ensure_schema()
        load = self._begin()
        sender = load.sender = _Sender(self)
        try:
            result = LoadResult()
            latest = {k: v["latest"] for k, v in self._datasets().items()}
            states = _States(self, self.state_cache)
            for day in _by_date(sorted(snapshots, key=lambda s: s.date)):
                diffs = _side_by_side(day, latest, states)
                for snap in day:
                    change = self._apply(snap, progress, load, latest, states, diffs.get(id(snap)))
                    result.changes.append(change)
                    result.reports.append(snap.report)
            found = sender.read("read_communes_without_department", load=load.id)
            missing = [row["id"].removeprefix("com:") for row in found]
            if missing:
                writer = _Writer(self, TERRITORY, "", True, DatasetChange(TERRITORY, ""), load, states)
                writer.merge(territory_records(set(missing)), None)
                load.datasets[TERRITORY] = {"name": TERRITORY, "latest": "", "labels": None}
            sender.wait()
            self._commit(load)
        except BaseException as exc:
            sender.stop()  # nothing of this load is written after this point
            # Undo at once what can be undone, unless the database cannot be reached: then, and if the
            # undo fails, the journal stays for the next command to roll back.
            if not isinstance(exc, StoreUnavailable):
                with contextlib.suppress(Exception):
                    self._abort(load)
            raise
        finally:
            sender.stop()
            states.close()
            _ACTIVE.discard(load.id)
        states.keep()
        return result

    def _apply(
        self,
        snap: Snapshot,
        progress: Progress | None,
        load: _Load,
        latest: dict[str, str],
        states: _States,
        found: Diff | None,
    ) -> DatasetChange:
        change = DatasetChange(snap.dataset, snap.date)
        # The latest snapshot of each dataset, this load's own included: nothing is committed before the end.
        previous = latest.get(snap.dataset)
        if already_loaded(snap, previous):
            change.skipped_as_loaded = True
            return change
        writer = _Writer(self, snap.dataset, snap.date, previous is None, change, load, states)
        if found is None:
            writer.merge(snap.records, progress)
        else:  # compared already, in a child process (graph/snapshot_diff.py)
            writer.merge_diff(found, progress)
            vars(snap.report).update(vars(found.report))
            snap.labels = found.labels
        if previous is not None:  # a dataset's first snapshot has nothing earlier to close
            writer.close_missing(found)
        latest[snap.dataset] = snap.date
        labels = orjson.dumps(snap.labels).decode() if snap.labels else None
        if labels is None and snap.dataset in load.datasets:  # a later snapshot without labels keeps them
            labels = load.datasets[snap.dataset]["labels"]
        load.datasets[snap.dataset] = {"name": snap.dataset, "latest": snap.date, "labels": labels}
        return change

    # -- reading -----------------------------------------------------------------------------

    @_consistent
    def stats(self, as_of: str | None = None) -> dict[str, Any]:
        """Count nodes per label and relationships per type, all of them or those valid at `as_of`."""
        self._ready_to_read()
        if as_of is None:
            nodes, rels = self._read("count_nodes"), self._read("count_relationships")
        else:
            day = _day(as_of)
            nodes = self._read("count_nodes_valid_at", day=day)
            rels = self._read("count_relationships_valid_at", day=day)
        latest = self.snapshots()
        return {
            "snapshot": max(latest.values()) if latest else None,
            "snapshots": dict(sorted(latest.items())),
            "nodes": dict(sorted((r["label"], r["count"]) for r in nodes)),
            "relationships": dict(sorted((r["type"], r["count"]) for r in rels)),
        }

    @_consistent
    def resolve(self, finess: str) -> str | None:
        """Return the node id of a structure's FINESS number or of a grouping's number or id."""
        self._ready_to_read()
        found = self._read("resolve_structure", finess=finess)
        return str(found[0]) if found else None

    @_consistent
    def root(self, finess: str, as_of: str | None) -> NodeView | None:
        """Return the structure with this number (or grouping id) if it is valid at `as_of`."""
        self._ready_to_read()
        rows = self._read("read_root", finess=finess)
        return _root_view(rows[0] if rows else None, as_of)

    @_consistent
    def nodes(self, ids: Collection[str], as_of: str | None = None) -> dict[str, NodeView]:
        """Return the nodes with these ids that are valid at `as_of`."""
        self._ready_to_read()
        rows = self._read("read_views", ids=list(ids)) if ids else []
        return {
            row["id"]: _node_view(row["props"], row["label"], as_of)
            for row in rows
            if as_of is None or _valid(row["props"], as_of)
        }

    @_consistent
    def neighbours(
        self,
        ids: Collection[str],
        types: Collection[str],
        as_of: str | None = None,
        direction: str = "both",
        keys: Keys | None = None,
    ) -> Neighbours:
        """Return, per node, its relationships of these types valid at `as_of` and their other ends.

        `direction` keeps only those leaving the node (`out`) or coming to it (`in`); `keys`, when
        given, the only properties wanted of those relationships and nodes, per type and label.
        """
        self._ready_to_read()
        found: Neighbours = {node_id: [] for node_id in ids}
        if not ids or not types:
            return found
        if keys is not None:
            return self._keyed_neighbours(found, types, as_of, direction, keys)
        rows = self._read_halves("read_neighbours", list(ids), types=sorted(types), direction=direction)
        for row in rows:
            rel, other = row["rel"], row["other"]
            if as_of is not None and not (_valid(rel, as_of) and _valid(other, as_of)):
                continue
            node_id = row["id"]
            source, target = (node_id, other["id"]) if row["outgoing"] else (other["id"], node_id)
            props, vf, vt, observed, _ = _version(rel, as_of)
            edge = EdgeView(row["type"], source, target, props, vf, vt, observed)
            found[node_id].append((edge, _node_view(other, row["label"], as_of)))
        return found

    def _keyed_neighbours(
        self, found: Neighbours, types: Collection[str], as_of: str | None, direction: str, keys: Keys
    ) -> Neighbours:
        """Fill `found` with keyed views of the neighbours (read_neighbour_keys' rows)."""
        wanted, dated = _wanted(keys), _dated(keys)
        rows = self._read_halves(
            "read_neighbour_keys",
            list(found),
            types=sorted(types),
            direction=direction,
            keys=wanted,
            dated=dated,
            history=as_of is not None,
        )
        _add_keyed(found, rows, wanted, dated, as_of)
        return found

    @_consistent
    def versions(self, node_id: str) -> list[Version]:
        """Return a node's previous versions, oldest first."""
        self._ready_to_read()
        rows = self._read("read_history", id=node_id)
        history = [orjson.loads(h) for h in (rows[0] or ())] if rows else []
        return [Version(h["until"], h["props"], h["validFrom"], h["validTo"]) for h in history]

    @_consistent
    def search(self, query: SearchQuery) -> SearchPage:
        """Return the structures whose words start with the query's words, filtered, by name."""
        self._ready_to_read()
        params: dict[str, Any] = {
            "kinds": list(query.kinds) if query.kinds else None,
            "category": query.category,
            "day": _day(query.as_of),
            "skip": max(0, query.offset),
            "limit": max(0, query.limit),
        }
        words = query.words()
        places = (("com:", query.commune), ("dep:", query.department), ("reg:", query.region))
        place = next((prefix + code for prefix, code in places if code is not None), None)
        lucene = " ".join(f"+{w}*" for w in words)
        if place is not None:  # the words and the place word together (add_place_words): `dep:59` → `_dep59`
            params.update(commune=query.commune, department=query.department, region=query.region)
            lucene = f"{lucene} +{PLACE_WORD}{place.replace(':', '')}".strip()
            rows = self._read("search_in_place", place=place, lucene=lucene, words=words, **params)
        elif words:  # from the full-text index
            rows = self._read("search_structures", query=lucene, words=words, **params)
        else:
            rows = self._read("list_structures", **params)
        # Nothing found in a place gives no row at all (no structure to aggregate).
        row: dict[str, Any] = rows[0] if rows else {"total": 0, "page": []}
        items = [_node_view(hit["props"], hit["label"], query.as_of) for hit in row["page"]]
        return SearchPage(row["total"], items)

    @_consistent
    def structure(self, finess: str, as_of: str | None = None) -> StructureView | None:
        """Return the structure with this number and its direct relationships valid at `as_of`."""
        node_id = self.resolve(finess)
        if node_id is None:
            return None
        rows = self._read("read_structure", id=node_id)
        if not rows:
            return None
        row = rows[0]
        node = _node_view(row["node"], row["label"], as_of)
        if as_of is not None and not _valid(row["node"], as_of):
            return None
        edges: list[EdgeView] = []
        neighbours: dict[str, NodeView] = {}
        for e in row["edges"]:
            other = e["other"]
            if as_of is not None and not (_valid(e["props"], as_of) and _valid(other, as_of)):
                continue
            source, target = (node_id, other["id"]) if e["outgoing"] else (other["id"], node_id)
            props, vf, vt, observed, _ = _version(e["props"], as_of)
            edges.append(EdgeView(e["type"], source, target, props, vf, vt, observed))
            neighbours[other["id"]] = _node_view(other, e["otherLabel"], as_of)
        return StructureView(node, edges, neighbours)

    # The traversals of graph/queries.py, each one consistent read of the committed state; with keys,
    # an ecosystem's first level and a whole organigram are read in fewer statements.
    @_consistent
    def ecosystem(
        self,
        finess: str,
        depth: int = 2,
        as_of: str | None = None,
        relations: Iterable[str] | None = None,
        limit: int = ECOSYSTEM_LIMIT,
        keys: Keys | None = None,
    ) -> Subgraph | None:
        """Return what surrounds a structure (GraphStore.ecosystem).

        With `keys`, the root and its first level come in one statement (read_root_neighbour_keys),
        the next levels one statement each; without them, or while a load is pending, the root and
        each level are read apart.
        """
        types, wanted = relation_set(relations), ecosystem_keys(keys)
        if wanted is None or not types or depth < 1:
            return Traversals.ecosystem(self, finess, depth, as_of, relations, limit, keys)
        self._ready_to_read()
        asked, dated = _wanted(wanted), _dated(wanted)
        history = as_of is not None  # as of a date: the dates, observed dates and versions
        rows = self._read(
            "read_root_neighbour_keys",
            finess=finess,
            types=sorted(types),
            keys=asked,
            dated=dated,
            history=history,
        )
        if not rows:  # a load pending or applying: the reads apart know its stages
            return Traversals.ecosystem(self, finess, depth, as_of, relations, limit, keys)
        view = _root_view(rows[0]["root"], as_of)
        if view is None:
            return None
        first: Neighbours = {view.id: []}
        _add_keyed(first, rows[0]["rows"], asked, dated, as_of)

        def around(level: int, ids: list[str]) -> Neighbours:
            return first if level == 1 else self.neighbours(ids, types, as_of, "both", wanted)

        return grow_ecosystem(view, depth, limit, around)

    @_consistent
    def organigram(
        self,
        finess: str,
        as_of: str | None = None,
        depth: int = 3,
        limit: int = ORGANIGRAM_LIMIT,
        keys: Keys | None = None,
    ) -> OrgNode | None:
        """Return the tree under a structure (GraphStore.organigram).

        With `keys`, the whole tree comes in one statement per share, each run in its own session
        (read_organigram_keys); without them, or while a load is pending, it is read level by level.
        """
        wanted = organigram_keys(keys)
        if wanted is None:
            return Traversals.organigram(self, finess, as_of, depth, limit)
        self._ready_to_read()
        steps, asked, dated = organigram_steps(depth), _wanted(wanted), _dated(wanted)
        # As of a date: the dates, observed dates and versions too (`history`).
        params: dict[str, Any] = {
            "finess": finess,
            "levels": steps,
            "keys": asked,
            "dated": dated,
            "history": as_of is not None,
        }
        other = self._halves.submit(self._run, "read_organigram_keys", share=1, shares=2, **params)
        mine = self._read("read_organigram_keys", share=0, shares=2, **params)
        theirs = self._checked(other.result()[0])
        if not (mine and theirs):  # a load pending or applying: the level by level reads know its stages
            return Traversals.organigram(self, finess, as_of, depth, limit, keys)
        view = _root_view(mine[0]["root"], as_of)
        if view is None:
            return None
        levels: list[Neighbours] = [defaultdict(list) for _ in range(steps)]
        for share in (mine[0], theirs[0]):
            for found, rows in zip(levels, share["levels"], strict=False):
                _add_keyed(found, rows, asked, dated, as_of)
        return grow_organigram(view, depth, limit, lambda step, ids, types, way: levels[step])

    members = _consistent(Traversals.members)
    path = _consistent(Traversals.path)
    timeline = _consistent(Traversals.timeline)


def _observed(props: dict[str, Any]) -> tuple[str | None, ...]:
    """Return an item's observed dates in the embedded store's flat form (see graph/timeline.py)."""
    return _flat(
        [_iso(d) for d in props.get("observedFrom") or ()], [_iso(d) for d in props.get("observedTo") or ()]
    )


def _flat(starts: Sequence[str | None], ends: Sequence[str | None]) -> tuple[str | None, ...]:
    """Return observed dates, read as ISO strings, in the embedded store's flat form."""
    flat: list[str | None] = []
    for i, start in enumerate(starts):
        flat.append(start)
        if i < len(ends):
            flat.append(ends[i])
    return tuple(flat)


def _keyed_version(
    props: dict[str, Any], history: Sequence[str], as_of: str, keys: Collection[str]
) -> dict[str, Any]:
    """Return the keyed properties in force at `as_of`: these, or those of an older version."""
    if not history:
        return props
    old = [orjson.loads(h) for h in history]
    i = version_index(as_of, [h["until"] for h in old])
    return props if i == len(old) else {k: v for k, v in sorted(old[i]["props"].items()) if k in keys}


def _valid(props: dict[str, Any], as_of: str) -> bool:
    return valid_at(as_of, _iso(props.get("validFrom")), _iso(props.get("validTo")), _observed(props))


def _version(
    props: dict[str, Any], as_of: str | None
) -> tuple[dict[str, Any], str | None, str | None, list[tuple[str | None, str | None]], int]:
    """Return (domain props in force at `as_of`, valid from, valid to, observed intervals, versions)."""
    history = props.get("_history") or ()
    # In key order, as the embedded store gives them: a view's props are written out as they are.
    domain = {k: props[k] for k in sorted(props) if k not in SYSTEM}
    if as_of is not None and history:  # without a date, the latest version: no need to decode the others
        old = [orjson.loads(h) for h in history]
        i = version_index(as_of, [h["until"] for h in old])
        if i < len(old):
            domain = old[i]["props"]
    vf, vt = _iso(props.get("validFrom")), _iso(props.get("validTo"))
    # (from, to) per observed interval, `to` None while present: the pairs of _observed's flat form.
    ends = props.get("observedTo") or ()
    pairs = [
        (_iso(start), _iso(ends[i]) if i < len(ends) else None)
        for i, start in enumerate(props.get("observedFrom") or ())
    ]
    return domain, vf, vt, pairs, 1 + len(history)


def _node_view(props: dict[str, Any], label: str, as_of: str | None) -> NodeView:
    domain, vf, vt, observed, versions = _version(props, as_of)
    return NodeView(props["id"], label, domain, vf, vt, observed, versions)


def _wanted(keys: Keys) -> dict[str, list[str]]:
    """Return the properties a keyed read asks for, per label and type, in the order its rows hold them."""
    return {kind: sorted(set(k) - SYSTEM) for kind, k in keys.items()}


def _dated(keys: Keys) -> list[str]:
    """Return the labels and types whose keyed views hold their valid dates (graph/store.py, DATE_KEYS)."""
    return sorted(kind for kind, k in keys.items() if not DATE_KEYS.isdisjoint(k))


def _root_view(row: dict[str, Any] | None, as_of: str | None) -> NodeView | None:
    """Return the view of a root row as read_root gives it (`props`, `label`); None if absent or not valid."""
    if row is None or (as_of is not None and not _valid(row["props"], as_of)):
        return None
    return _node_view(row["props"], row["label"], as_of)


def _add_keyed(
    found: Neighbours,
    rows: Iterable[list[Any]],
    wanted: dict[str, list[str]],
    dated: Collection[str],
    as_of: str | None,
) -> None:
    """Add to `found` the keyed views of read_neighbour_keys' rows valid at `as_of`, per node id."""
    dated = frozenset(dated)  # asked of every row as of a date: not a list's scan each time
    for node_id, kind, outgoing, edates, evals, other, ndates, nvals, label, history in rows:
        edge_keys, node_keys = wanted.get(kind, ()), wanted.get(label, ())
        eprops = {k: v for k, v in zip(edge_keys, evals, strict=True) if v is not None} if evals else {}
        nprops = {k: v for k, v in zip(node_keys, nvals, strict=True) if v is not None}
        evf, evt = edates or NO_DATES
        nvf, nvt = ndates or NO_DATES
        if as_of is not None:  # every row's dates came, to tell what held then
            e_from, e_to, e_old, n_from, n_to, n_old = history
            edge_seen, node_seen = _flat(e_from, e_to), _flat(n_from, n_to)
            if not (valid_at(as_of, evf, evt, edge_seen) and valid_at(as_of, nvf, nvt, node_seen)):
                continue
            eprops = _keyed_version(eprops, e_old, as_of, edge_keys)
            nprops = _keyed_version(nprops, n_old, as_of, node_keys)
            evf, evt = (evf, evt) if kind in dated else NO_DATES
            nvf, nvt = (nvf, nvt) if label in dated else NO_DATES
        source, target = (node_id, other) if outgoing else (other, node_id)
        edge = EdgeView(kind, source, target, eprops, evf, evt, [])
        # A keyed view: neither observations nor versions (graph/store.py).
        found[node_id].append((edge, NodeView(other, label, nprops, nvf, nvt, [], 0)))


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Run the cyclic collector every 200,000 allocations rather than 700 while loading.

    A batch is tens of thousands of containers alive at once (records, rows, the dicts that index
    them): each pass over the young generation walked them all again, and with the states out of
    reach (_out_of_collection) that was still half of the loader's time (1.5 million activities,
    writes left out: 45 s of CPU, 23 s in the collector; 24 s and 1 s with these thresholds). The
    cycles that each transaction leaves are still collected: with no collection at all they made a
    national loader of 9 GiB.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _out_of_collection() -> None:
    """Move every container that exists now out of the cyclic collector's reach (`gc.freeze`).

    The item states and seen sets grow to millions of entries and hold no cycles (refcounting frees
    them): left in reach, each full pass of the collector walked them all, freeing nothing, and
    nationally those passes took most of the loader's time (py-spy; 5 million states made 2 million
    small allocations 30 times slower). What is created later is collected as usual.
    """
    gc.collect()  # not to keep for ever the garbage of the moment
    gc.freeze()


class _States:
    """What the database holds, read once per load and kept up to date as it writes.

    (content hash, dataset, present) per node id and per relationship identity, so that an unchanged
    item is neither read back nor written. Reading them takes most of a daily update: once per load,
    not once per file, and from the state cache when it holds them for the database's committed
    content (graph/state_cache.py).
    """

    def __init__(self, store: Neo4jStore, cache: StateCache | None) -> None:
        self.store, self.cache = store, cache
        self._nodes: States | None = None
        self._edges: States = {}
        self._kept: Kept | None = None  # the cache file, open, once its mark is checked
        self._checked = False
        # The cache's parts as read, and what this load wrote since: the next file is these updated.
        # None without parts (states read from the database): the next file is made from them all.
        self._parts: Parts | None = None
        self.written_nodes: set[str] | None = None
        self.written_edges: set[str] | None = None

    @property
    def nodes(self) -> States:
        return self.read()[0]

    @property
    def edges(self) -> States:
        return self.read()[1]

    def kept(self) -> Kept | None:
        """Return the cache file for the database's committed content, unless the states are read."""
        if self._nodes is not None or self.cache is None:
            return None
        if not self._checked:
            self._checked = True
            # This load's journal is written: no other load can commit before it does, so the mark
            # cannot change between here and the states read.
            mark = self.store._run("read_state_mark")[0]["mark"]
            self._kept = self.cache.open(mark) if mark else None
        return self._kept

    def read(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Read the states on first use: when a snapshot is to be written, not for one already loaded."""
        if self._nodes is not None:
            return self._nodes, self._edges
        _out_of_collection()
        kept = self.kept()
        if kept is not None:
            with contextlib.suppress(DamagedStates), contextlib.closing(kept):
                self._parts = kept.parts()
                self._nodes, self._edges = states(self._parts)
                self.written_nodes, self.written_edges = set(), set()
                _out_of_collection()
                return self._nodes, self._edges
        self._nodes, self._edges, self._parts = {}, {}, None
        self._read_from_database()
        return self._nodes, self._edges

    def _read_from_database(self) -> None:
        assert self._nodes is not None
        store = self.store
        after: str = ""
        while True:
            pages = store._run("read_node_states", after=after, limit=STATE_PAGE)
            if not pages or not pages[0]["ids"]:
                break
            page = pages[0]
            rows = zip(page["ids"], page["hashes"], page["datasets"], page["present"], strict=True)
            # Datasets as one string each (not one per item): 500 MB less nationally, and shared as
            # such in the state cache.
            self._nodes.update((i, (h or None, sys.intern(d) if d else None, p)) for i, h, d, p in rows)
            after = page["ids"][-1]
        after = ""
        while True:
            pages = store._run("read_edge_states", after=after, limit=STATE_PAGE)
            if not pages or pages[0]["last"] is None:
                break
            page = pages[0]
            columns = ("idents", "hashes", "datasets", "present")
            for ident, h, d, p in zip(*(page[c] for c in columns), strict=True):
                self._edges[ident] = (h, d and sys.intern(d), p)
            after = page["last"]

    def present(self, snap: Snapshot) -> tuple[Hashes, Hashes]:
        """Return the content hashes of the nodes and relationships present in `snap`'s dataset.

        Called in the child process comparing `snap`: from the cache file, or from the states read.
        """
        if self._nodes is None:
            assert self._kept is not None  # `kept()` told so before forking
            part = self._kept.part(snap.dataset)
            return part[0], part[2]
        dataset = snap.dataset
        nodes = {i: h for i, (h, d, present) in self._nodes.items() if present and d == dataset}
        edges = {i: h for i, (h, d, present) in self._edges.items() if present and d == dataset}
        return nodes, edges

    def forget(self) -> None:
        """Leave the cache file out for this load (a part of it is damaged)."""
        self.close()
        self._kept, self._checked = None, True

    def close(self) -> None:
        """Close the cache file if it is open."""
        if self._kept is not None:
            self._kept.close()

    def keep(self) -> None:
        """Write the states, as this committed load left them, to the cache (if read, and kept)."""
        if self.cache is None or self._nodes is None:
            return  # not read: every snapshot was loaded already, and the database did not change
        try:
            mark = self.store._run("read_state_mark")[0]["mark"]
        except FinessGraphError:
            return  # the load is committed; the cache only saves the next one a read
        if not mark:
            return
        nodes_written, edges_written = self.written_nodes, self.written_edges
        if self._parts is None or nodes_written is None or edges_written is None:
            parts = by_dataset(self._nodes, self._edges)
        else:  # the parts read, with what this load wrote moved to its dataset's (a few thousand)
            parts = self._parts
            moved(parts, self._nodes, self._edges, (nodes_written, edges_written))
        # Its last use: marshal takes note of every object held twice, which doubled its time.
        self._nodes.clear()
        self._edges.clear()
        self.cache.write(mark, parts)


class _Writer:
    """Writes one snapshot's records in batches, only what is new or changed, then closes the rest."""

    def __init__(
        self,
        store: Neo4jStore,
        dataset: str,
        date: str,
        baseline: bool,
        change: DatasetChange,
        load: _Load,
        states: _States,
    ) -> None:
        self.store, self.dataset, self.change, self.load = store, dataset, change, load
        self.date = _day(date)
        self.opened = BASELINE if baseline else self.date
        # What every created item of this snapshot holds alike: parameters of the create statements.
        opened = self.opened.isoformat() if self.opened else None
        self._created = {"dataset": dataset, "load": load.id, "opened": opened}
        self.seen_nodes: set[str] = set()
        self.seen_edges: set[str] = set()
        self.node_states, self.edge_states = states.nodes, states.edges
        # What this load writes, for the states file: noted only where it is kept by dataset already.
        self.node_written, self.edge_written = states.written_nodes, states.written_edges
        _out_of_collection()  # the seen sets: as many entries as the file
        assert load.sender is not None
        self.sender = load.sender

    def merge_diff(self, found: Diff, progress: Progress | None) -> None:
        """Write what a snapshot compared in a child process changes (graph/snapshot_diff.py)."""
        self.change.unchanged += found.unchanged
        # A repeated record whose first was unchanged is written as the second of two, as in `merge`.
        self.seen_nodes |= found.repeated_nodes
        self.seen_edges |= found.repeated_edges
        if progress is not None:
            progress(found.unchanged)
        for batch in found.batches:  # the batches `merge` would have flushed, with only what to write
            self.merge(batch, progress)

    def merge(self, records: Iterable[Record], progress: Progress | None) -> None:
        nodes: dict[str, Node] = {}
        edges: dict[str, Edge] = {}
        for rec in records:
            if type(rec) is Node:
                nodes[rec.id] = rec
            else:
                assert isinstance(rec, Edge)
                edges[rec.ident] = rec
            if len(nodes) + len(edges) >= BATCH:
                self._flush(nodes, edges, progress)
        self._flush(nodes, edges, progress)

    def _todo(self, records: dict[str, Any], states: dict[str, Any], seen: set[str]) -> dict[str, str]:
        """Return the content hash of each record that must be written; count and skip the others.

        A record repeated in the file with the content this load gave it already is skipped without a
        count, as the embedded store does: reading it back would wait for every write sent.
        """
        todo: dict[str, str] = {}
        for ident, rec in records.items():
            kind = rec.label if isinstance(rec, Node) else rec.type
            digest = content_hash(kind, rec.props, rec.valid_from, rec.valid_to)
            state = states.get(ident)
            if state == (digest, self.dataset, True):
                if ident not in seen:
                    seen.add(ident)
                    self.change.unchanged += 1
            else:
                todo[ident] = digest
        return todo

    def _read(self, name: str, wait: bool = True, **params: Any) -> list[dict[str, Any]]:
        """Read items as this load left them (staged updates included), once its writes so far are
        done unless told not to `wait`."""
        read = self.sender.read if wait else self.store._run
        rows = read(name, load=self.load.id, **params)
        for row in rows:
            if "_stageLoad" in row["props"]:
                row["props"] = {k: v for k, v in row["props"].items() if k not in STAGE_KEYS}
        return rows

    def _flush(self, nodes: dict[str, Node], edges: dict[str, Edge], progress: Progress | None) -> None:
        write = self.sender.write
        if nodes:
            todo = self._todo(nodes, self.node_states, self.seen_nodes)
            ids = [i for i in todo if i in self.node_states or i in self.seen_nodes]
            existing = {r["id"]: r for r in self._read("read_nodes", ids=ids)} if ids else {}
            created, updated, staged = self._rows(nodes, todo, existing, self.seen_nodes, self.node_states)
            if self.node_written is not None:
                self.node_written.update(todo)
            if created:
                write("create_nodes", rows=created, **self._created)
            if updated:
                write("update_nodes", rows=updated)
            if staged:
                self.load.staged = True
                write("stage_nodes", rows=staged, load=self.load.id)
        if edges:
            ends = {end for e in edges.values() for end in (e.source, e.target)}
            # A far end absent so far (activities before structures) becomes an unlabelled Item.
            outside = [end for end in ends if end not in self.seen_nodes and end not in self.node_states]
            if outside:
                write("ensure_items", ids=outside, load=self.load.id)
                self.node_states.update((end, (None, None, False)) for end in outside)
                if self.node_written is not None:
                    self.node_written.update(outside)
            todo = self._todo(edges, self.edge_states, self.seen_edges)
            keys = [
                {"ident": i, "type": e.type, "source": e.source, "target": e.target, "key": e.key}
                for i, e in ((i, edges[i]) for i in todo)
                if i in self.edge_states or i in self.seen_edges
            ]
            existing = {r["ident"]: r for r in self._read("read_edges", rows=keys)} if keys else {}
            created, updated, staged = self._rows(edges, todo, existing, self.seen_edges, self.edge_states)
            if not self.load.placed and (created or updated or staged):
                self.load.placed = any(edges[i].type in PLACE_TYPES for i in todo)
            if self.edge_written is not None:
                self.edge_written.update(todo)
            if created:
                write("create_edges", rows=created, **self._created)
            if updated:
                write("update_edges", rows=updated)
            if staged:
                self.load.staged = True
                write("stage_edges", rows=staged, load=self.load.id)
        if progress is not None:
            progress(len(nodes) + len(edges))
        nodes.clear()
        edges.clear()

    def _rows(
        self,
        records: dict[str, Any],
        todo: dict[str, str],
        existing: dict[str, dict[str, Any]],
        seen: set[str],
        states: States,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """Return the rows to create, to write again and to stage; what did not change needs no row.

        An item this load created is written again in place (readers do not see it yet); one that was
        there before is staged, to be applied at the commit point.
        """
        created: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        staged: list[dict[str, Any]] = []
        dataset, load = self.dataset, self.load.id
        for ident, digest in todo.items():
            rec = records[ident]
            is_node = type(rec) is Node
            kind = rec.label if is_node else rec.type
            row = existing.get(ident, {})
            found = row.get("props")
            props: dict[str, Any] = {**rec.props, "_hash": digest}
            if is_node:
                props["id"] = rec.id
                if kind in STRUCTURE_LABELS:  # with the place words it had (add_place_words)
                    places = [w for w in (found or {}).get("_search", "").split() if w.startswith(PLACE_WORD)]
                    props["_search"] = " ".join([search_text(rec.props), *places]).strip()
            else:
                props["key"] = rec.key
            if found is None:
                # Created: its dates as ISO strings, made dates (and its empty observed ends and history)
                # by the statement: the driver's conversion of Python dates took a third of its time
                # sending a batch. Its dataset, load and first observed date, the same for the whole
                # batch, are parameters of the statement rather than sent with every row.
                self.change.added += 1
                seen.add(ident)
                states[ident] = (digest, dataset, True)
                valid = {"validFrom": rec.valid_from or None, "validTo": rec.valid_to or None}
                new = {"props": props, **valid}
                if is_node:
                    new["label"] = kind
                else:
                    new.update(type=kind, source=rec.source, target=rec.target)
                created.append(new)
                continue
            props["dataset"] = dataset
            # An unlabelled Item (the far end of an earlier relationship) has no content yet.
            old = found if "_hash" in found else None
            props.update(validFrom=_day(rec.valid_from), validTo=_day(rec.valid_to))
            if old is None:
                props.update(observedFrom=[self.opened], observedTo=[], _history=[])
                self.change.added += 1
            else:
                starts, ends = list(old["observedFrom"]), list(old["observedTo"])
                history = list(old.get("_history") or [])
                if ident not in seen and len(starts) == len(ends):
                    starts.append(self.date)
                    self.change.reopened += 1
                changed = old.get("_hash") != digest
                if changed and ident not in seen:
                    # In key order: the order in which the database gives properties is no content.
                    domain = {k: old[k] for k in sorted(old) if k not in SYSTEM}
                    version = {
                        "until": self.date.isoformat() if self.date else "",
                        "props": domain,
                        "validFrom": _iso(old.get("validFrom")),
                        "validTo": _iso(old.get("validTo")),
                    }
                    history.append(orjson.dumps(version, default=_json_default).decode())
                    self.change.changed += 1
                elif (
                    not changed
                    and len(starts) == len(old["observedFrom"])
                    and old.get("dataset") == self.dataset
                ):
                    self.change.unchanged += 1
                    seen.add(ident)
                    continue  # nothing to write: the daily update's common case
                props.update(observedFrom=starts, observedTo=ends, _history=history)
            seen.add(ident)
            states[ident] = (digest, dataset, True)
            props["_load"] = load
            target = {"id": rec.id, "labels": [kind]} if is_node else {"rid": row["rid"]}
            (updated if row["created"] else staged).append({"props": props, **target})
        return created, updated, staged

    def _write_closed(self, nodes: bool, rows: list[dict[str, Any]]) -> None:
        """Append this snapshot's date to the observed ends of the nodes or relationships read."""
        staged: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        for row in rows:
            props = {k: v for k, v in row["props"].items() if k != "_undo"}  # an earlier version's leftover
            props.update(observedTo=[*props["observedTo"], self.date], _load=self.load.id)
            target = {"id": row["id"], "labels": row["labels"]} if nodes else {"rid": row["rid"]}
            (updated if row["created"] else staged).append({"props": props, **target})
        write, load = self.sender.write, self.load
        if staged:
            load.staged = True
            if nodes:
                write("stage_nodes", rows=staged, load=load.id)
            else:
                write("stage_edges", rows=staged, load=load.id)
        if updated:
            if nodes:
                write("update_nodes", rows=updated)
            else:
                write("update_edges", rows=updated)

    def _held(self, states: States, candidates: Iterable[str] | None, seen: set[str]) -> list[str]:
        """Return the candidates (else all items) present in this dataset that this snapshot did not hold."""
        if candidates is None:  # the few unseen first: looking at each state costs 4 times as much
            candidates = [i for i in states if i not in seen]
        return [i for i in candidates if (s := states[i])[2] and s[1] == self.dataset and i not in seen]

    def close_missing(self, found: Diff | None = None) -> None:
        """Close what this dataset's previous snapshot held and this one does not.

        Closing is an update like any other: read, the closing date appended, staged for the commit.
        With the snapshot's `found` diff, only its candidates are looked at, as the states are now.
        """
        # Once what this snapshot wrote is done, reads need not wait: each chunk closes other items.
        self.sender.wait()
        nodes, edges = self.node_states, self.edge_states
        gone = self._held(nodes, found.gone_nodes if found else None, self.seen_nodes)
        idents = self._held(edges, found.gone_edges if found else None, self.seen_edges)
        for ids in _chunks(gone):
            self._write_closed(True, self._read("read_nodes", wait=False, ids=ids))
        for chunk in _chunks(idents):
            keys = []
            for ident in chunk:
                kind, source, target, key = ident.split("|", 3)
                keys.append({"ident": ident, "type": kind, "source": source, "target": target, "key": key})
            self._write_closed(False, self._read("read_edges", wait=False, rows=keys))
        for table, closed, written in (
            (self.node_states, gone, self.node_written),
            (self.edge_states, idents, self.edge_written),
        ):
            for ident in closed:
                digest, dataset, _ = table[ident]
                table[ident] = (digest, dataset, False)
            if written is not None:
                written.update(closed)
        self.change.closed += len(gone) + len(idents)


def _json_default(value: Any) -> Any:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    raise TypeError(type(value))
