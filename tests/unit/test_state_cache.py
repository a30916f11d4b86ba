"""The state cache file: what was kept for a mark comes back for that mark only, a dataset at a time
or whole, and a cache that cannot be written or read is a miss, never an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import DamagedStates
from graph.state_cache import Parts, StateCache, States, by_dataset, moved, states

URI = "bolt://neo4j:secret@127.0.0.1:7687"
NODES: States = {
    "010000024": ("0f3a", "finess-plus-structures", True),
    "ae:1": (None, None, False),
    "act:1": ("77aa", "finess-plus-activities", True),
}
EDGES: States = {"ATTACHED_TO|010000032|010000024|": ("9c1d", "finess-plus-structures", False)}
PARTS = by_dataset(NODES, EDGES)


class _Cache(StateCache):
    """The cache as a load reads it, whole: every part, or None for a miss (damaged included)."""

    def read(self, mark: str) -> Parts | None:
        kept = self.open(mark)
        if kept is None:
            return None
        try:
            return kept.parts()
        except DamagedStates:
            return None
        finally:
            kept.close()


def test_states_are_split_by_dataset_into_hashes_present_and_absent_and_back() -> None:
    assert by_dataset(NODES, EDGES) == {
        "finess-plus-structures": (
            {"010000024": "0f3a"},
            {},
            {},
            {"ATTACHED_TO|010000032|010000024|": "9c1d"},
        ),
        None: ({}, {"ae:1": None}, {}, {}),
        "finess-plus-activities": ({"act:1": "77aa"}, {}, {}, {}),
    }
    assert states(PARTS) == (NODES, EDGES)


def test_what_a_load_wrote_moves_to_its_new_place() -> None:
    parts = by_dataset(NODES, EDGES)
    nodes: States = {
        **NODES,
        "ae:1": ("5e5e", "finess-plus-activities", True),
        "010000024": ("0f3a", "finess-plus-structures", False),
    }
    edges: States = {**EDGES, "HOLDS|010000024|aa:9|": ("1111", "territory", True)}
    moved(parts, nodes, edges, ({"ae:1", "010000024"}, {"HOLDS|010000024|aa:9|"}))
    assert states(parts) == (nodes, edges)  # an emptied part may stay, empty


def test_what_is_kept_for_a_mark_comes_back_for_that_mark_only(tmp_path: Path) -> None:
    cache = _Cache(tmp_path, URI)
    cache.write("db|structures=load1;", PARTS)
    assert cache.read("db|structures=load1;") == PARTS
    assert cache.read("db|structures=load2;") is None
    cache.write("db|structures=load2;", {})  # replaces the earlier states
    assert cache.read("db|structures=load1;") is None
    assert cache.read("db|structures=load2;") == {}


def test_one_dataset_is_read_alone_even_once_the_file_is_replaced(tmp_path: Path) -> None:
    cache = _Cache(tmp_path, URI)
    cache.write("m1", PARTS)
    kept = cache.open("m1")
    assert kept is not None
    cache.write("m2", {})  # a load committed meanwhile elsewhere would not: the open file stays whole
    try:
        assert kept.part("finess-plus-activities") == PARTS["finess-plus-activities"]
        assert kept.part(None) == PARTS[None]
        assert kept.part("territory") == ({}, {}, {}, {})  # a dataset without items
    finally:
        kept.close()
        kept.close()  # twice: closes nothing else


def test_one_file_per_database_and_no_password_in_its_name(tmp_path: Path) -> None:
    one, same = _Cache(tmp_path, URI), _Cache(tmp_path, URI.replace("secret", "other"))
    other = _Cache(tmp_path, URI.replace("7687", "7688"))
    assert one.path == same.path != other.path
    assert "secret" not in one.path.name


def test_a_missing_foreign_or_truncated_file_is_a_miss(tmp_path: Path) -> None:
    cache = _Cache(tmp_path, URI)
    assert cache.read("m") is None
    cache.path.write_bytes(b"\x00not marshal data")
    assert cache.read("m") is None
    cache.path.write_text("just text")
    assert cache.read("m") is None
    cache.write("m", PARTS)
    whole = cache.path.read_bytes()
    for size in (4, 20, len(whole) - 1):
        cache.path.write_bytes(whole[:size])
        assert cache.open("m") is None


def test_a_changed_byte_in_a_part_is_found_where_it_is_read(tmp_path: Path) -> None:
    cache = _Cache(tmp_path, URI)
    cache.write("m", PARTS)
    whole = bytearray(cache.path.read_bytes())
    where = whole.index(b"77aa")  # a hash in the activities part: still marshal data once changed
    whole[where] = ord("8")
    cache.path.write_bytes(bytes(whole))
    kept = cache.open("m")  # the header is whole
    assert kept is not None
    try:
        assert kept.part("finess-plus-structures") == PARTS["finess-plus-structures"]
        with pytest.raises(DamagedStates, match="finess-plus-activities"):
            kept.part("finess-plus-activities")
    finally:
        kept.close()
    assert cache.read("m") is None


def test_a_cache_that_cannot_be_written_is_left_out_without_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    cache = _Cache(blocker / "states", URI)
    cache.write("m", PARTS)  # no exception: the load it follows has committed
    assert cache.read("m") is None


def test_the_folder_is_private(tmp_path: Path) -> None:
    cache = _Cache(tmp_path / "states", URI)
    cache.write("m", PARTS)
    assert (cache.path.parent.stat().st_mode & 0o777) == 0o700
    assert [p.name for p in cache.path.parent.iterdir()] == [cache.path.name]  # no temporary file left
