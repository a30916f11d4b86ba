"""The embedded store's file: written in chunks, read back whole, older and damaged files told apart."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from graph import embedded_file
from graph.errors import StoreUnavailable


def _state(nodes: int, edges: int) -> dict[str, Any]:
    return {
        "format": embedded_file.FORMAT,
        "meta": {"latest": {"finess-plus-structures": "2026-08-13"}, "index": {"010000001": "010000001"}},
        "nodes": {
            f"n{i}": ["LegalEntity", b'{"name":"A"}', None, None, ("2026-08-13",)] for i in range(nodes)
        },
        "edges": {f"E|n{i}|n{i + 1}|": ["E", b"{}", None, None, (None,)] for i in range(edges)},
        "pending": {},
    }


@pytest.mark.parametrize(("nodes", "edges"), [(0, 0), (7, 3), (6, 9)])
def test_a_state_written_in_chunks_reads_back_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nodes: int, edges: int
) -> None:
    monkeypatch.setattr(embedded_file, "CHUNK", 3)  # tables of several chunks, one exactly full
    state, path = _state(nodes, edges), tmp_path / "store.pickle"
    embedded_file.write_state(path, state)
    back = embedded_file.read_state(path)
    assert back == state
    assert list(back["nodes"]) == list(state["nodes"])  # in the same order


def test_a_store_of_the_former_single_pickle_format_is_read(tmp_path: Path) -> None:
    state, path = _state(4, 2), tmp_path / "store.pickle"
    path.write_bytes(pickle.dumps({**state, "format": 1}))
    assert embedded_file.read_state(path) == state  # and will be written in chunks at the next load


@pytest.mark.parametrize("cut", ["inside a chunk", "before a table's end"])
def test_a_truncated_file_is_refused_as_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: str
) -> None:
    monkeypatch.setattr(embedded_file, "CHUNK", 3)
    path = tmp_path / "store.pickle"
    embedded_file.write_state(path, _state(7, 3))
    whole = path.read_bytes()
    ending = pickle.dumps(None, protocol=pickle.HIGHEST_PROTOCOL)
    assert whole.endswith(ending)
    path.write_bytes(whole[: len(whole) // 2] if cut == "inside a chunk" else whole[: -len(ending)])
    with pytest.raises(StoreUnavailable, match=r"store\.pickle is damaged and cannot be read"):
        embedded_file.read_state(path)


def test_a_pickle_that_is_no_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.pickle"
    path.write_bytes(pickle.dumps({"format": 99}))
    with pytest.raises(StoreUnavailable, match=r"other\.pickle is not a finess-graph store of format 2"):
        embedded_file.read_state(path)
