"""The embedded store's file: pickles written aside and switched into place atomically.

The file is a header (the state without its two tables) then each table as pickles of `CHUNK`
items, a None after each table. One pickle of the whole state kept a memo entry for each of its
tens of millions of objects: at three times the national data, writing it took 5 times as long as
at national scale (bench/README.md, *The embedded file in chunks*).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import pickle
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

from graph.errors import FinessGraphError, StoreUnavailable

FORMAT = 2
OLD_FORMATS = (1,)  # one pickle of the whole state: still read, written as FORMAT at the next load
TABLES = ("nodes", "edges")
CHUNK = 5_000  # items per pickle: 1,000 to 10,000 measured alike, 200,000 twice as slow (memo out of cache)
WRITES_AHEAD = 32  # pickles made and not yet written, about 1 MB each


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of containers (it only slows that)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_state(path: Path) -> dict[str, Any] | None:
    """Read the persisted state, or None when no store exists yet at `path`."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreUnavailable(f"cannot open the store {path}: {exc.strerror}") from exc
    with handle, no_gc():
        try:
            state = pickle.load(handle)
            if isinstance(state, dict) and state.get("format") == FORMAT:
                for table in TABLES:
                    rows = state[table] = {}
                    while (chunk := pickle.load(handle)) is not None:
                        rows.update(chunk)
        except Exception as exc:  # a damaged or truncated file surfaces as any unpickling error
            raise StoreUnavailable(f"the store {path} is damaged and cannot be read ({exc})") from exc
    if not isinstance(state, dict) or state.get("format") not in (FORMAT, *OLD_FORMATS):
        raise StoreUnavailable(f"{path} is not a finess-graph store of format {FORMAT}")
    state["format"] = FORMAT
    return state


def _pickles(state: dict[str, Any]) -> Iterator[bytes]:
    """Return the pickles of the file: the header, then each table's chunks and its None."""
    header = {k: v for k, v in state.items() if k not in TABLES}
    yield pickle.dumps({**header, "format": FORMAT}, protocol=pickle.HIGHEST_PROTOCOL)
    for table in TABLES:
        items = iter(state[table].items())
        while chunk := list(islice(items, CHUNK)):
            yield pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
        yield pickle.dumps(None, protocol=pickle.HIGHEST_PROTOCOL)


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write `state` beside `path`, flush it to disk, then rename it over `path` in one step."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle, no_gc(), ThreadPoolExecutor(1) as writer:
            # One thread writes each pickle while the next is made: past what the kernel keeps dirty
            # (a 3.6 GB file at three times national), writes wait on the disk, 8 s of 16 here.
            waiting: deque[Future[int]] = deque()
            for blob in _pickles(state):
                waiting.append(writer.submit(handle.write, blob))
                if len(waiting) > WRITES_AHEAD:
                    waiting.popleft().result()  # the writer's error, if any, raised here
            for write in waiting:
                write.result()
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise FinessGraphError(
            f"cannot write the store {path} ({exc.strerror}); the previous data is unchanged"
        ) from exc


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the store, so that two loads never interleave."""
    try:
        # A file where the folder should be: the open below then fails with the kernel's own reason.
        with contextlib.suppress(FileExistsError):
            path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.with_name(f".{path.name}.lock").open("a")
    except OSError as exc:
        raise FinessGraphError(
            f"cannot write the store {path}: {path.parent} is not a folder this command can write in "
            f"({exc.strerror}); nothing was changed"
        ) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        # Holding the lock, any state file written aside is a killed load's leftover.
        for stale in path.parent.glob(f".{path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
