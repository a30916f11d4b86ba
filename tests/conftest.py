"""Fixtures shared by every test: the shared data folder and fresh stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded_store import EmbeddedStore
from loaders.detect import read_snapshot
from tests.factories import ACTIVITIES, SHARED, STRUCTURES


@pytest.fixture(scope="session", autouse=True)
def _state_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the state caches of the `load` commands that tests run out of the user's cache folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FINESS_GRAPH_STATE_CACHE", str(tmp_path_factory.mktemp("state-cache")))
        yield


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared/ folder beside the clone (CI lays it there); its absence is a failure."""
    assert SHARED.is_dir(), f"{SHARED} is missing: tests read the real FINESS+ sample from it"
    return SHARED


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    """An empty embedded store in a temporary folder."""
    return EmbeddedStore(tmp_path / "store" / "graph.pickle")


@pytest.fixture
def real_store(store: EmbeddedStore, shared: Path) -> EmbeddedStore:
    """An embedded store holding the real sample (structures and activities)."""
    store.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    return store
