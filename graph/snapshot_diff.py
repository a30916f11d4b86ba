"""What a daily snapshot changes, found for several files at once, each in a child process of its own.

A next-day load spends most of its time reading the files and hashing their records (national: 42 s
of parsing and 20 s of hashing for 7 million records), to write the few thousand that changed. The
files of one date are independent: each is compared with the item states the load started from in a
forked child, on its own core — the content hashes of its dataset's items, which the child reads
from the state cache (graph/state_cache.py) or takes from the states the load read before forking —
and only what must be written comes back. The load then writes each file's changes in order, as it
would have.

For an item that two files of the same date both hold (an engagement's issuing authority), each file
is compared with the states of the day before rather than with what the other file just wrote: such
an item is written by the file whose content differs from the day before, not by both one after the
other. Its observed time is the same either way (docs/loading.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import pickle
import select
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from graph.errors import FinessGraphError
from graph.model import LoadReport, Node, Record, Snapshot
from graph.state_cache import Hashes

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when the thread that forked it ends


def content_hash(kind: str, props: dict[str, Any], valid_from: str | None, valid_to: str | None) -> str:
    """Return the hash of a record's content: its kind, properties and valid time."""
    blob = orjson.dumps([kind, props, valid_from, valid_to], option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(blob, digest_size=12).hexdigest()


@dataclass
class Diff:
    """One snapshot compared with the item states: what to write, and what it no longer holds."""

    # New, changed or repeated records, in the load's batches (those of `_Writer.merge`) that hold any.
    batches: list[list[Record]] = field(default_factory=list)
    unchanged: int = 0
    # Ids whose first record was unchanged and that come again in a later batch (a repeated record).
    repeated_nodes: set[str] = field(default_factory=set)
    repeated_edges: set[str] = field(default_factory=set)
    gone_nodes: list[str] = field(default_factory=list)  # present in its dataset, absent from the file
    gone_edges: list[str] = field(default_factory=list)
    report: LoadReport | None = None  # as reading the file left it (counts, warnings)
    labels: dict[str, dict[str, str]] | None = None


def diff(snap: Snapshot, nodes: Hashes, edges: Hashes, batch: int) -> Diff:
    """Read a snapshot's records and compare each with its state as the load's writer would: in
    batches of `batch` records (the last of an id in a batch stands for it), nodes then relationships.

    `nodes` and `edges` hold the content hash of each item present in the snapshot's dataset.
    """
    found = Diff()
    # Each id met so far → whether its first record was unchanged: one dict rather than two sets, as
    # millions of ids go through it.
    seen_nodes: dict[str, bool] = {}
    seen_edges: dict[str, bool] = {}
    batch_nodes: dict[str, Record] = {}
    batch_edges: dict[str, Record] = {}

    def compare() -> None:
        todo: list[Record] = []
        for records, hashes, seen, repeated in (
            (batch_nodes, nodes, seen_nodes, found.repeated_nodes),
            (batch_edges, edges, seen_edges, found.repeated_edges),
        ):
            for ident, rec in records.items():
                first = seen.get(ident)
                if first is None:
                    kind = rec.label if isinstance(rec, Node) else rec.type
                    same = hashes.get(ident) == content_hash(kind, rec.props, rec.valid_from, rec.valid_to)
                    seen[ident] = same
                    if same:
                        found.unchanged += 1
                        continue
                elif first:
                    repeated.add(ident)
                todo.append(rec)
            records.clear()
        if todo:
            found.batches.append(todo)

    for rec in snap.records:
        if isinstance(rec, Node):
            batch_nodes[rec.id] = rec
        else:
            batch_edges[rec.ident] = rec
        if len(batch_nodes) + len(batch_edges) >= batch:
            compare()
    compare()
    found.gone_nodes = [i for i in nodes if i not in seen_nodes]
    found.gone_edges = [i for i in edges if i not in seen_edges]
    found.report, found.labels = snap.report, snap.labels
    return found


def diff_side_by_side(
    snapshots: Sequence[Snapshot],
    present: Callable[[Snapshot], tuple[Hashes, Hashes]],
    batch: int,
    meanwhile: Callable[[], object] | None = None,
) -> list[Diff]:
    """Return `diff` of each snapshot, each computed in a forked child process, all at once.

    Each child compares its snapshot with `present(snapshot)`, called in the child; the parent runs
    `meanwhile` once the first child has answered, on the core that child leaves free.
    """
    running: dict[int, int] = {}  # child pid → the end of its pipe to read, until it is reaped
    try:
        for snap in snapshots:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: compare, answer, and end without running the parent's exit code
                os.close(read)
                _answer(write, snap, present, batch)
            os.close(write)
            running[pid] = read
        order = list(running)
        answers: dict[int, tuple[bool, Any]] = {}
        while running:
            ready, _, _ = select.select(list(running.values()), [], [])
            pid = next(pid for pid, read in running.items() if read == ready[0])
            answers[pid] = _result(pid, running, snapshots[order.index(pid)])
            # The error of the first file in order that has one, as comparing them in turn would tell.
            for earlier in order:
                if earlier not in answers:
                    break
                if not answers[earlier][0]:
                    raise answers[earlier][1]
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
        return [answers[pid][1] for pid in order]
    finally:
        for pid, read in running.items():  # what is left after an error: stopped, reaped, closed
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            os.close(read)


def _answer(
    fd: int, snap: Snapshot, present: Callable[[Snapshot], tuple[Hashes, Hashes]], batch: int
) -> None:
    code = 1
    try:
        # A loader killed by `kill -9` takes its children with it rather than leaving them to finish.
        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        try:
            answer: tuple[bool, Any] = (True, diff(snap, *present(snap), batch))
        except BaseException as exc:
            answer = (False, exc)
        try:
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an error that cannot cross a pipe: its message can
            error = answer[1]
            payload = pickle.dumps((False, FinessGraphError(f"{snap.path}: {type(error).__name__}: {error}")))
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
        code = 0
    finally:
        os._exit(code)


def _result(pid: int, running: dict[int, int], snap: Snapshot) -> tuple[bool, Any]:
    """Return a child's answer, (True, its Diff) or (False, the error to raise), once it has ended."""
    with os.fdopen(running[pid], "rb", closefd=False) as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    os.close(running.pop(pid))
    if not payload:
        return False, FinessGraphError(
            f"{snap.path}: the process comparing it with the database ended without an answer "
            f"(wait status {status}); load again"
        )
    answer: tuple[bool, Any] = pickle.loads(payload)
    return answer
