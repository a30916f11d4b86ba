"""A load killed at any point leaves the store as it was, and the same load then completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from graph.embedded_store import EmbeddedStore
from loaders.synthetic import generate
from tests import factories


def _start_load(store: Path, files: list[Path]) -> subprocess.Popen[bytes]:
    code = "from api.cli import main; main()"
    args = [sys.executable, "-c", code, "load", *map(str, files), "--store", str(store)]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_when(proc: subprocess.Popen[bytes], ready: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not ready() and proc.poll() is None:  # type: ignore[operator]
        assert time.monotonic() < deadline, "the load never reached the point to kill it at"
        time.sleep(0.005)
    assert proc.poll() is None, "the load ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize("moment", ["while reading", "while writing the new state"])
def test_a_killed_load_changes_nothing(tmp_path: Path, moment: str, shared: Path) -> None:
    store = tmp_path / "s.pickle"
    day1 = factories.write(factories.structures(), tmp_path / "day1.json.gz", "2026-08-01")
    assert _start_load(store, [day1]).wait() == 0
    before = store.read_bytes()
    stats = EmbeddedStore(store).stats()
    files = generate(tmp_path / "gen", scale=0.02, days=1, seed=3, start=date(2026, 8, 13))
    proc = _start_load(store, files)
    started = time.monotonic()
    if moment == "while reading":
        _kill_when(proc, lambda: time.monotonic() - started > 0.8)
    else:
        _kill_when(proc, lambda: any(tmp_path.glob(".s.pickle.*.tmp")))
    assert store.read_bytes() == before
    assert EmbeddedStore(store).stats() == stats
    assert _start_load(store, files).wait() == 0
    assert not list(tmp_path.glob(".s.pickle.*.tmp"))
    after = EmbeddedStore(store)
    assert after.snapshots()["finess-plus-structures"] == "2026-08-13"
    assert after.stats()["nodes"]["LegalEntity"] > stats["nodes"]["LegalEntity"]
