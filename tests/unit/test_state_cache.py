"""The state cache file: what was kept for a mark comes back for that mark only, and a cache that
cannot be written or read is a miss, never an error."""

from __future__ import annotations

from pathlib import Path

from graph.state_cache import StateCache

URI = "bolt://neo4j:secret@127.0.0.1:7687"
NODES = {"010000024": ("0f3a", "finess-plus-structures", True), "ae:1": (None, None, False)}
EDGES = {"ATTACHED_TO|010000032|010000024|": ("9c1d", "finess-plus-structures", False)}


def test_what_is_kept_for_a_mark_comes_back_for_that_mark_only(tmp_path: Path) -> None:
    cache = StateCache(tmp_path, URI)
    cache.write("db|structures=load1;", NODES, EDGES)
    assert cache.read("db|structures=load1;") == (NODES, EDGES)
    assert cache.read("db|structures=load2;") is None
    cache.write("db|structures=load2;", {}, {})  # replaces the earlier states
    assert cache.read("db|structures=load1;") is None
    assert cache.read("db|structures=load2;") == ({}, {})


def test_one_file_per_database_and_no_password_in_its_name(tmp_path: Path) -> None:
    one, same = StateCache(tmp_path, URI), StateCache(tmp_path, URI.replace("secret", "other"))
    other = StateCache(tmp_path, URI.replace("7687", "7688"))
    assert one.path == same.path != other.path
    assert "secret" not in one.path.name


def test_a_missing_or_foreign_file_is_a_miss(tmp_path: Path) -> None:
    cache = StateCache(tmp_path, URI)
    assert cache.read("m") is None
    cache.path.write_bytes(b"\x00not marshal data")
    assert cache.read("m") is None
    cache.path.write_text("just text")
    assert cache.read("m") is None


def test_a_cache_that_cannot_be_written_is_left_out_without_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    cache = StateCache(blocker / "states", URI)
    cache.write("m", NODES, EDGES)  # no exception: the load it follows has committed
    assert cache.read("m") is None


def test_the_folder_is_private(tmp_path: Path) -> None:
    cache = StateCache(tmp_path / "states", URI)
    cache.write("m", NODES, EDGES)
    assert (cache.path.parent.stat().st_mode & 0o777) == 0o700
    assert [p.name for p in cache.path.parent.iterdir()] == [cache.path.name]  # no temporary file left
