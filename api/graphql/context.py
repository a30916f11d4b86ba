"""The per-request GraphQL context: the store, code labels and dataloaders that batch store calls."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from graph.labels import Labels
from graph.store import EdgeView, GraphStore, NodeView

T = TypeVar("T")
# (node id, relationship types, as-of date, direction): one node's neighbours of some types.
NeighbourKey = tuple[str, tuple[str, ...], str | None, str]
Pairs = list[tuple[EdgeView, NodeView]]


class Context(BaseContext):
    """What every resolver of one request shares; dataloaders cache within this request only."""

    def __init__(self, store: GraphStore, labels: Labels) -> None:
        super().__init__()
        self.store = store
        self.labels = labels
        self.neighbours: DataLoader[NeighbourKey, Pairs] = DataLoader(self._load_neighbours)

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking store call in a worker thread, so the event loop keeps serving."""
        return await run_in_threadpool(fn, *args)

    async def _load_neighbours(self, keys: Sequence[NeighbourKey]) -> list[Pairs]:
        """Answer every key of one tick with one store call per (types, as-of, direction)."""
        groups: dict[tuple[tuple[str, ...], str | None, str], list[str]] = defaultdict(list)
        for node_id, types, as_of, direction in keys:
            groups[types, as_of, direction].append(node_id)
        found: dict[NeighbourKey, Pairs] = {}
        for (types, as_of, direction), ids in groups.items():
            answer = await self.call(self.store.neighbours, sorted(set(ids)), types, as_of, direction)
            for node_id in ids:
                found[node_id, types, as_of, direction] = answer.get(node_id, [])
        return [found[key] for key in keys]

    async def around(
        self, node_id: str, types: Sequence[str], as_of: str | None, direction: str = "both"
    ) -> Pairs:
        """Return a node's relationships of these types valid at `as_of`, batched with the others."""
        return await self.neighbours.load((node_id, tuple(sorted(types)), as_of, direction))
