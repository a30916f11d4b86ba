"""What routes and resolvers depend on: the store and its code labels, held by the application."""

from __future__ import annotations

import threading
import time
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from graph.labels import Labels
from graph.store import GraphStore

LABELS_TTL = 60.0  # seconds: a load in another process may bring nomenclatures


class LabelCache:
    """The store's code labels, read again at most once a minute (reading them costs a query or files)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._labels: Labels | None = None
        self._read_at = 0.0

    def fresh(self) -> Labels | None:
        """Return the labels when they are younger than the TTL, without blocking; None otherwise."""
        if self._labels is not None and time.monotonic() - self._read_at <= LABELS_TTL:
            return self._labels
        return None

    def get(self) -> Labels:
        """Return the labels, reading them when they are older than the TTL."""
        with self._lock:
            if self.fresh() is None:
                self._labels = self.store.labels()
                self._read_at = time.monotonic()
            assert self._labels is not None
            return self._labels


async def get_store(request: Request) -> GraphStore:
    """Return the application's store (async: FastAPI runs a plain function in a worker thread)."""
    store: GraphStore = request.app.state.store
    return store


async def get_labels(request: Request) -> Labels:
    """Return the application's code labels, without blocking the event loop."""
    cache: LabelCache = request.app.state.labels
    # A worker thread only once a minute, when they are read again: not one hop per request.
    labels = cache.fresh()
    return labels if labels is not None else await run_in_threadpool(cache.get)


StoreDep = Annotated[GraphStore, Depends(get_store)]
LabelsDep = Annotated[Labels, Depends(get_labels)]
