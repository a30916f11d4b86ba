"""The embedded store's file: one pickle written aside and switched into place atomically."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.errors import FinessGraphError, StoreUnavailable

FORMAT = 1


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
        except Exception as exc:  # a damaged file surfaces as any unpickling error
            raise StoreUnavailable(f"the store {path} is damaged and cannot be read ({exc})") from exc
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise StoreUnavailable(f"{path} is not a finess-graph store of format {FORMAT}")
    return state


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write `state` beside `path`, flush it to disk, then rename it over `path` in one step."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle, no_gc():
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
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
