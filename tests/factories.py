"""Small factories: the real FINESS+ sample, read and rewritten with chosen changes."""

from __future__ import annotations

import copy
import gzip
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from graph.embedded_store import EmbeddedStore

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REALDATA = SHARED / "finess" / "realdata"
STRUCTURES = REALDATA / "finess-structures-sample-20260813.json.gz"
ACTIVITIES = REALDATA / "finess-activites-sample-20260818.json.gz"


@cache
def _sample(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


def structures() -> dict[str, Any]:
    """Return a fresh, mutable copy of the real structures sample."""
    return copy.deepcopy(_sample(STRUCTURES))


def activities() -> dict[str, Any]:
    """Return a fresh, mutable copy of the real activities sample."""
    return copy.deepcopy(_sample(ACTIVITIES))


def write(doc: dict[str, Any], path: Path, date: str | None = None, gz: bool = True) -> Path:
    """Write a FINESS+ document to `path`, dated `date` (YYYY-MM-DD) when given."""
    if date:
        doc["generatedAt"] = f"{date}T02:00:00.000000000Z"
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    path.write_bytes(gzip.compress(data, 1) if gz else data)
    return path


def establishment(doc: dict[str, Any], finess: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (legal entity entry, establishment entry) of the establishment `finess`."""
    for pm in doc["pmej"]:
        for ege in pm["ege"]:
            if ege["informationsGeneralesEGE"]["numFinessEge"] == finess:
                return pm, ege
    raise KeyError(finess)


def legal_entity(doc: dict[str, Any], finess: str) -> dict[str, Any]:
    """Return the legal entity entry `finess`."""
    for pm in doc["pmej"]:
        if pm["informationsGeneralesPMEJ"]["numFinessPm"] == finess:
            return pm  # type: ignore[no-any-return]
    raise KeyError(finess)


DAY1, DAY2 = "2026-08-13", "2026-08-14"
GONE, RENAMED, MOVED = "010013472", "010780195", "010008183"


def next_day(folder: Path) -> Path:
    """The sample one day later: one establishment gone, one renamed, one moved, one GHT member out."""
    doc = structures()
    pm, _ = establishment(doc, GONE)
    pm["ege"] = [e for e in pm["ege"] if e["informationsGeneralesEGE"]["numFinessEge"] != GONE]
    _, ege = establishment(doc, RENAMED)
    ege["informationsGeneralesEGE"]["nomEgeCourt"] = "CLINIQUE CONVERT NOUVEAU NOM"
    old_pm, moving = establishment(doc, MOVED)
    old_pm["ege"].remove(moving)
    legal_entity(doc, "210780581")["ege"].append(moving)
    doc["gcc"][0]["pmejDuGcc"] = [m for m in doc["gcc"][0]["pmejDuGcc"] if m["pmSmsseId"] != "15052"]
    return write(doc, folder / "day2.json.gz", DAY2)


class CountingStore:
    """A store that counts the calls made to it and the neighbours they return (dataloaders, budgets)."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
        self.calls: Counter[str] = Counter()
        self.fetched = 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.store, name)
        if not callable(attr):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            found = attr(*args, **kwargs)
            if name == "neighbours":
                self.fetched += sum(len(pairs) for pairs in found.values())
            return found

        return counted
