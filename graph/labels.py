"""Code → label tables: the bundled ones (`graph/data/labels/*.json`) and those a user supplies.

Nodes keep codes (`category: "355"`); these tables give their labels. An entry is a label, or an
object of facts (short label, domain, aggregates…) whose `label` is the label. An unknown code has
no label: callers show the code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

Entry = str | dict[str, Any]


class Labels:
    """A set of label tables, looked up by table name and code."""

    def __init__(self, tables: Mapping[str, Mapping[str, Entry]] | None = None) -> None:
        self._tables: dict[str, dict[str, Entry]] = {
            name: dict(table) for name, table in (tables or {}).items()
        }

    @classmethod
    def bundled(cls) -> Labels:
        """Return the tables shipped in `graph/data/labels`."""
        return cls.from_files(resources.files("graph").joinpath("data", "labels").iterdir())

    @classmethod
    def from_directory(cls, directory: Path) -> Labels:
        """Return the tables of the `*.json` files of `directory`."""
        return cls.from_files(directory.iterdir())

    @classmethod
    def from_files(cls, files: Iterable[Traversable | Path]) -> Labels:
        """Return the tables of the given `<table>.json` files (other files are ignored)."""
        tables: dict[str, dict[str, Entry]] = {}
        for file in files:
            if file.name.endswith(".json"):
                tables[file.name.removesuffix(".json")] = json.loads(file.read_text("utf-8"))
        return cls(tables)

    def tables(self) -> list[str]:
        """Return the names of the tables held, sorted."""
        return sorted(self._tables)

    def entry(self, table: str, code: str | None) -> Entry | None:
        """Return everything known about `code` in `table`, or None."""
        if code is None:
            return None
        return self._tables.get(table, {}).get(code.strip())

    def label(self, table: str, code: str | None) -> str | None:
        """Return the label of `code` in `table`, or None when it is not known."""
        found = self.entry(table, code)
        if isinstance(found, dict):
            label = found.get("label")
            return label if isinstance(label, str) else None
        return found

    def merge(self, table: str, mapping: Mapping[str, str]) -> None:
        """Override the labels of `table` with `mapping` (code → label), keeping the other facts."""
        target = self._tables.setdefault(table, {})
        for code, label in mapping.items():
            current = target.get(code)
            target[code] = {**current, "label": label} if isinstance(current, dict) else label

    def merge_all(self, tables: Mapping[str, Mapping[str, str]]) -> None:
        """Merge several tables at once, such as `Snapshot.labels` of a nomenclature file."""
        for table, mapping in tables.items():
            self.merge(table, mapping)
