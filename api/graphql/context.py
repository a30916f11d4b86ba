"""The per-request GraphQL context: the store, code labels and dataloaders that batch store calls."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from graph.errors import AnswerTooLarge
from graph.labels import Labels
from graph.store import EdgeView, GraphStore, NodeView

T = TypeVar("T")
# (node id, relationship types, as-of date, direction): one node's neighbours of some types.
NeighbourKey = tuple[str, tuple[str, ...], str | None, str]
Pairs = list[tuple[EdgeView, NodeView]]
# Nodes one request may fetch in all: an organigram at its cap (20,000 boxes) fits, while nested pages
# (search → establishments → legal entity → establishments…) cannot multiply into millions of objects.
MAX_ANSWER_NODES = 25_000
# What a root field is charged before its store call runs (the fields of one query run concurrently, so
# charging after would let 30 aliases all run first): its cap, or a share of it for the costliest ones.
ORGANIGRAM_CHARGE = 5_000  # then its boxes beyond that: a whole organigram is at most 20,000
PATH_CHARGE = 2_500  # a path search may walk up to 200,000 nodes: at most 10 per request
STATS_CHARGE = 1_000  # a count at a date walks the whole store


class Context(BaseContext):
    """What every resolver of one request shares; dataloaders cache within this request only."""

    def __init__(self, store: GraphStore, labels: Labels) -> None:
        super().__init__()
        self.store = store
        self.labels = labels
        self.neighbours: DataLoader[NeighbourKey, Pairs] = DataLoader(self._load_neighbours)
        self.spent = 0  # nodes fetched so far for this request

    def spend(self, count: int) -> None:
        """Count nodes fetched for this request; refuse the query once past MAX_ANSWER_NODES."""
        self.spent += count
        if self.spent > MAX_ANSWER_NODES:
            raise AnswerTooLarge(
                f"this query asks for more than {MAX_ANSWER_NODES:,} nodes in all: ask for less "
                "(smaller pages, fewer nested lists, fewer aliases)"
            )

    async def call(self, fn: Callable[..., T], *args: Any, cost: int = 1, **kwargs: Any) -> T:
        """Charge `cost` nodes, then run a blocking store call in a worker thread (the loop keeps serving)."""
        self.spend(cost)
        return await run_in_threadpool(fn, *args, **kwargs)

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
        pairs = await self.neighbours.load((node_id, tuple(sorted(types)), as_of, direction))
        self.spend(len(pairs))
        return pairs
