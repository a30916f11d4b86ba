"""Domain records: every loader turns official files into these nodes and edges.

A node or edge carries its valid time as given by the source (`valid_from`, `valid_to`,
ISO dates, the end excluded); observed time is added by the store from the snapshot dates.
Property values are JSON scalars or lists of scalars, so both stores hold them as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

Props = dict[str, Any]


class Node(NamedTuple):
    """A node of the public graph schema: `id` is unique across all labels."""

    id: str
    label: str
    props: Props
    valid_from: str | None = None
    valid_to: str | None = None


class Edge(NamedTuple):
    """A directed relationship; `key` tells apart parallel edges of one type (e.g. two roles)."""

    type: str
    source: str
    target: str
    props: Props
    valid_from: str | None = None
    valid_to: str | None = None
    key: str = ""

    @property
    def ident(self) -> str:
        """The identity of this edge across snapshots."""
        return f"{self.type}|{self.source}|{self.target}|{self.key}"


Record = Node | Edge


@dataclass
class LoadReport:
    """What a load read, skipped and warned about, for the end summary."""

    file: str
    dataset: str = ""
    snapshot: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0
    warning_counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        """Add `n` to the counter `what`."""
        self.counts[what] = self.counts.get(what, 0) + n

    def warn(self, kind: str, message: str, *, skipped: bool = False) -> None:
        """Record a warning of `kind`; the first 20 of a kind are kept word for word."""
        seen = self.warning_counts.get(kind, 0)
        self.warning_counts[kind] = seen + 1
        if seen < 20:
            self.warnings.append(f"{kind}: {message}")
        if skipped:
            self.skipped += 1


@dataclass
class Snapshot:
    """One official file read as a full snapshot of its dataset at `date`."""

    dataset: str
    date: str
    path: str
    records: Iterator[Record]
    report: LoadReport
    labels: dict[str, dict[str, str]] | None = None
    dated_by: str = ""  # where in the file its date is read: `$.generatedAt`, `line 1`, `horodatage`…
