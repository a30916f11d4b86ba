"""An embedded load whose store cannot be written: a full disk, a file size limit, a read-only or
impossible place. Real kernel errors, from a real `finess-graph load`: each gives one sentence naming
the store file and exit status 1, and the previous data stays as it was, byte for byte.

- disk full: a tmpfs just large enough for the day-1 store and not for it and its next state side by
  side (ENOSPC), then made larger: the same load completes;
- file size limit: RLIMIT_FSIZE set in the child below the new state's size (EFBIG: Python ignores the
  SIGXFSZ that comes with it);
- read-only: the tmpfs remounted read-only (EROFS), the store still readable;
- impossible: a store path whose folder is a regular file (root ignores permissions, not that).

Mounting needs root, which CI has (tests/run): elsewhere those cases are skipped, in CI they fail.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded_store import EmbeddedStore
from tests.integration import loads
from tests.integration.loads import Days


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> Days:
    return loads.make_days(tmp_path_factory.mktemp("disk-days"))


@pytest.fixture(scope="module")
def day1_store(tmp_path_factory: pytest.TempPathFactory, days: Days) -> Path:
    """A store holding day 1, to copy where a test needs it."""
    store = tmp_path_factory.mktemp("disk-day1") / "store.pickle"
    done = loads.run("load", *map(str, days.day1), "--store", str(store))
    assert done.returncode == 0, done.stderr.decode()
    return store


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = f"mount {' '.join(args)} failed: {done.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs mounted for this test, unmounted after it (its size set by the test)."""
    folder = tmp_path / "tmpfs"
    folder.mkdir()
    _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _load_day2(days: Days, store: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    args = ["load", *map(str, days.day2), "--store", str(store)]
    proc = loads.command(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(), err.decode())


def _refused(done: subprocess.CompletedProcess[str], store: Path, reason: str) -> None:
    """Exit status 1 and one sentence on stderr naming the store file and the kernel's reason."""
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # no traceback
    assert lines[0].startswith(f"error: cannot write the store {store}"), lines[0]
    assert reason in lines[0], lines[0]
    assert "Traceback" not in done.stderr


def _unchanged(store: Path, saved: Path) -> None:
    assert store.read_bytes() == saved.read_bytes()
    assert not list(store.parent.glob(f".{store.name}.*.tmp"))  # nothing written aside is left
    assert EmbeddedStore(store).snapshots()["finess-plus-structures"] == "2026-08-13"


def test_a_full_disk_refuses_the_load_and_keeps_the_store(days: Days, day1_store: Path, tmpfs: Path) -> None:
    store = tmpfs / "store.pickle"
    shutil.copyfile(day1_store, store)
    size = store.stat().st_size
    # Room for the store and half of it again: not for its next state written beside it.
    _mount("-o", f"remount,size={size * 3 // 2}", str(tmpfs))
    _refused(_load_day2(days, store), store, "No space left on device")
    _unchanged(store, day1_store)
    _mount("-o", f"remount,size={size * 4}", str(tmpfs))  # space freed: the same load completes
    done = _load_day2(days, store)
    assert done.returncode == 0, done.stderr
    assert EmbeddedStore(store).snapshots()["finess-plus-structures"] == "2026-08-14"


def test_a_file_size_limit_refuses_the_load_and_keeps_the_store(
    days: Days, day1_store: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store.pickle"
    shutil.copyfile(day1_store, store)
    limit = store.stat().st_size // 2

    def limited() -> None:  # in the child, before it runs Python
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    _refused(_load_day2(days, store, preexec_fn=limited), store, "File too large")
    _unchanged(store, day1_store)


def test_a_read_only_store_refuses_the_load_and_still_answers(
    days: Days, day1_store: Path, tmpfs: Path
) -> None:
    store = tmpfs / "store.pickle"
    shutil.copyfile(day1_store, store)
    _mount("-o", "remount,ro", str(tmpfs))
    _refused(_load_day2(days, store), store, "Read-only file system")
    _unchanged(store, day1_store)
    assert loads.stats_json(str(store)) == loads.stats_json(str(day1_store))


def test_a_store_whose_folder_is_a_file_refuses_the_load(days: Days, tmp_path: Path) -> None:
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file\n")
    store = folder / "store.pickle"
    _refused(_load_day2(days, store), store, "Not a directory")
    assert folder.read_text() == "a file\n"
