"""The measured figures (`figures.json`) and weighted pickers over them."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import orjson


class Table:
    """A weighted choice among codes, drawn with one uniform number."""

    __slots__ = ("codes", "cumulative", "total")

    def __init__(self, weights: Mapping[str, float]) -> None:
        items = sorted(weights.items())
        self.codes = [code for code, _ in items]
        self.cumulative = list(itertools.accumulate(w for _, w in items))
        self.total = self.cumulative[-1] if self.cumulative else 0.0

    def pick(self, rng: random.Random) -> str:
        """Return one code, drawn in proportion to its weight."""
        return self.codes[bisect.bisect(self.cumulative, rng.random() * self.total)]


class Figures:
    """Typed access to the figures measured from the national census."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.counts: dict[str, int] = dict(data["counts"])
        self.rates: dict[str, float] = dict(data["rates"])
        self.category_labels: dict[str, str] = dict(data["categoryLabels"])
        self._tables: dict[str, Table] = {}

    def table(self, name: str) -> Table:
        """Return the picker over the code frequencies called `name`."""
        if name not in self._tables:
            self._tables[name] = Table(self.data["codes"][name])
        return self._tables[name]

    def null(self, file: str, path: str) -> float:
        """Return the share of nulls the census found at `path` of `file` (structures/activites)."""
        return float(self.data["nulls"][file].get(path, 0.0))

    def histogram(self, name: str) -> tuple[dict[int, int], list[int]]:
        """Return a cardinality histogram (without its outliers) and its pinned outliers."""
        entry = self.data["histograms"][name]
        return {int(k): int(n) for k, n in entry["hist"].items()}, list(entry["pinned"])


@cache
def load() -> Figures:
    """Load the figures shipped with the package."""
    text = resources.files("loaders.synthetic").joinpath("figures.json").read_bytes()
    return Figures(orjson.loads(text))
