"""The embedded GraphStore: the whole graph in memory, persisted to one local file.

Each node or relationship is a small list `[kind, props, valid_from, valid_to, observed, dataset,
seen, history]` in a dict keyed by its id, where `seen` is the date of its dataset's latest snapshot
that held it and `props` canonical JSON bytes (orjson, sorted keys): comparing two snapshots'
versions of an item is a bytes comparison. A node's list ends with the ids of its relationships
(its adjacency), so that node ids are not stored twice; events and addresses are leaves listed only
by their owner, which keeps a national store within its memory budget (see bench/README.md).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from graph import embedded_file
from graph.labels import Labels
from graph.model import Edge, Node, Record, Snapshot
from graph.store import (
    STRUCTURE_LABELS,
    DatasetChange,
    EdgeView,
    LoadResult,
    NodeView,
    Progress,
    StructureView,
    already_loaded,
)
from graph.territory import territory_records
from graph.timeline import intervals, is_present, valid_at, version_index

KIND, PROPS, VFROM, VTO, OBS, DS, SEEN, HIST, ADJ = range(9)
# Relationships to a leaf (an Event, an Address): only the owner lists them.
LEAF_TYPES = frozenset({"RECORDED", "HAS_ADDRESS"})
EMPTY = orjson.dumps({})
BASELINE: tuple[str | None, ...] = (None,)
TERRITORY = "territory"
GROUPING_LABELS = ("OrganicGrouping", "ConventionalGrouping")
Item = list[Any]


def _split(ident: str) -> tuple[str, str, str]:
    kind, source, target, _ = ident.split("|", 3)
    return kind, source, target


class EmbeddedStore:
    """A GraphStore kept in this process and in the file at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._state: dict[str, Any] | None = None

    # -- state -------------------------------------------------------------------------------

    @property
    def state(self) -> dict[str, Any]:
        if self._state is None:
            self._state = embedded_file.read_state(self.path) or {
                "format": embedded_file.FORMAT,
                "meta": {"latest": {}, "index": {}},
                "nodes": {},
                "edges": {},
                "pending": {},
            }
        return self._state

    @property
    def nodes(self) -> dict[str, Item]:
        return self.state["nodes"]  # type: ignore[no-any-return]

    @property
    def edges(self) -> dict[str, Item]:
        return self.state["edges"]  # type: ignore[no-any-return]

    def labels(self) -> Labels:
        """Return the bundled code labels overridden by the nomenclatures loaded into this store."""
        labels = Labels.bundled()
        labels.merge_all(self.state["meta"].get("labels", {}))
        return labels

    def snapshots(self) -> dict[str, str]:
        """Return the latest snapshot date loaded, per dataset."""
        return {k: v for k, v in self.state["meta"]["latest"].items() if k != TERRITORY}

    # -- loading -----------------------------------------------------------------------------

    def load(self, snapshots: Sequence[Snapshot], progress: Progress | None = None) -> LoadResult:
        """Apply full snapshots in date order and persist them, all or nothing."""
        result = LoadResult()
        with embedded_file.exclusive(self.path):
            self._state = None  # another process may have loaded since this one opened the store
            try:
                with embedded_file.no_gc():
                    for snap in sorted(snapshots, key=lambda s: s.date):
                        result.changes.append(self._apply(snap, progress))
                        result.reports.append(snap.report)
                    if any(not c.skipped_as_loaded for c in result.changes):
                        self._add_territory()
                        embedded_file.write_state(self.path, self.state)
            except BaseException:
                self._state = None  # the half-applied state is dropped; the file is untouched
                raise
        result.dangling, result.dangling_examples = self._dangling()
        return result

    def _apply(self, snap: Snapshot, progress: Progress | None) -> DatasetChange:
        meta = self.state["meta"]
        change = DatasetChange(snap.dataset, snap.date)
        latest = meta["latest"].get(snap.dataset)
        if already_loaded(snap, latest):
            change.skipped_as_loaded = True
            return change
        date = sys.intern(snap.date)
        opened: tuple[str | None, ...] = BASELINE if latest is None else (date,)
        self._merge(snap.records, snap.dataset, date, opened, change, progress)
        # What the dataset's previous snapshot held and this one does not is closed at its date.
        for table in (self.nodes, self.edges):
            for item in table.values():
                if item[DS] == snap.dataset and item[SEEN] != date and is_present(item[OBS]):
                    item[OBS] = (*item[OBS], date)
                    change.closed += 1
        if snap.labels:
            labels = meta.setdefault("labels", {})
            for table_name, mapping in snap.labels.items():
                labels.setdefault(table_name, {}).update(mapping)
        meta["latest"][snap.dataset] = snap.date
        return change

    def _merge(
        self,
        records: Iterable[Record],
        dataset: str,
        date: str,
        opened: tuple[str | None, ...],
        change: DatasetChange,
        progress: Progress | None,
    ) -> None:
        nodes, edges, pending = self.nodes, self.edges, self.state["pending"]
        index = self.state["meta"]["index"]
        intern = sys.intern
        count = 0
        for rec in records:
            count += 1
            if progress is not None and count % 50_000 == 0:
                progress(50_000)
            if type(rec) is Node:
                key, table, kind = rec.id, nodes, rec.label
                if kind in GROUPING_LABELS and rec.props.get("finess"):
                    index[rec.props["finess"]] = key
            else:
                assert isinstance(rec, Edge)
                key, table, kind = rec.ident, edges, rec.type
            blob = _canonical(rec.props) if rec.props else EMPTY
            vf = intern(rec.valid_from) if rec.valid_from else None
            vt = intern(rec.valid_to) if rec.valid_to else None
            item = table.get(key)
            if item is None:
                change.added += 1
                if table is nodes:
                    nodes[key] = [kind, blob, vf, vt, opened, dataset, date, None, pending.pop(key, None)]
                    continue
                edges[key] = [kind, blob, vf, vt, opened, dataset, date, None]
                _, source, target = _split(key)
                ends = (source,) if kind in LEAF_TYPES or target == source else (source, target)
                for end in ends:
                    owner = nodes.get(end)
                    if owner is None:  # its node comes in a later file (activities before structures)
                        pending.setdefault(end, []).append(key)
                    elif owner[ADJ] is None:
                        owner[ADJ] = [key]
                    else:
                        owner[ADJ].append(key)
                continue
            if item[SEEN] == date and item[DS] == dataset:  # twice in one file: the last one wins
                item[KIND], item[PROPS], item[VFROM], item[VTO] = kind, blob, vf, vt
                continue
            if not is_present(item[OBS]):
                item[OBS] = (*item[OBS], date)
                change.reopened += 1
            if item[PROPS] != blob or item[VFROM] != vf or item[VTO] != vt or item[KIND] != kind:
                history = item[HIST] or []
                history.append((date, item[PROPS], item[VFROM], item[VTO]))
                item[HIST] = history
                item[KIND], item[PROPS], item[VFROM], item[VTO] = kind, blob, vf, vt
                change.changed += 1
            else:
                change.unchanged += 1
            item[DS], item[SEEN] = dataset, date
        if progress is not None:
            progress(count % 50_000)

    def _add_territory(self) -> None:
        """Add the departments and regions above communes that have none yet (never closed)."""
        missing = {
            node_id[4:]
            for node_id, item in self.nodes.items()
            if item[KIND] == "Commune"
            and not any(ident.startswith(f"PART_OF|{node_id}|") for ident in item[ADJ] or ())
        }
        if missing:
            change = DatasetChange(TERRITORY, "")
            self._merge(territory_records(missing), TERRITORY, "", BASELINE, change, None)

    def _dangling(self) -> tuple[int, list[str]]:
        nodes = self.nodes
        bad = [i for i in self.edges if any(end not in nodes for end in _split(i)[1:])]
        return len(bad), bad[:5]

    # -- reading -----------------------------------------------------------------------------

    def _node_valid(self, node_id: str, as_of: str | None) -> bool:
        item = self.nodes.get(node_id)
        if item is None:
            return False
        return as_of is None or valid_at(as_of, item[VFROM], item[VTO], item[OBS])

    def _edge_valid(self, ident: str, as_of: str | None) -> bool:
        item = self.edges[ident]
        _, source, target = _split(ident)
        if not (self._node_valid(source, as_of) and self._node_valid(target, as_of)):
            return False
        return as_of is None or valid_at(as_of, item[VFROM], item[VTO], item[OBS])

    def stats(self, as_of: str | None = None) -> dict[str, Any]:
        """Count nodes per label and relationships per type, all of them or those valid at `as_of`."""
        valid: set[str] | None = None
        node_counts: Counter[str] = Counter()
        if as_of is None:
            node_counts.update(item[KIND] for item in self.nodes.values())
        else:
            valid = {
                node_id
                for node_id, item in self.nodes.items()
                if valid_at(as_of, item[VFROM], item[VTO], item[OBS])
            }
            node_counts.update(self.nodes[node_id][KIND] for node_id in valid)
        ends: Any = valid if valid is not None else self.nodes
        edge_counts: Counter[str] = Counter()
        for ident, item in self.edges.items():
            kind, source, target = _split(ident)
            if (
                source in ends
                and target in ends
                and (as_of is None or valid_at(as_of, item[VFROM], item[VTO], item[OBS]))
            ):
                edge_counts[kind] += 1
        latest = self.snapshots()
        return {
            "snapshot": max(latest.values()) if latest else None,
            "snapshots": dict(sorted(latest.items())),
            "nodes": dict(sorted(node_counts.items())),
            "relationships": dict(sorted(edge_counts.items())),
        }

    def resolve(self, finess: str) -> str | None:
        """Return the node id of a structure's FINESS number or of a grouping's number or id."""
        item = self.nodes.get(finess)
        if item is not None and item[KIND] in STRUCTURE_LABELS:
            return finess
        node_id = self.state["meta"]["index"].get(finess)
        if node_id is None and finess.startswith(("gcc:", "gco:")) and finess in self.nodes:
            node_id = finess
        return node_id  # type: ignore[no-any-return]

    def structure(self, finess: str, as_of: str | None = None) -> StructureView | None:
        """Return the structure with this number and its direct relationships valid at `as_of`."""
        node_id = self.resolve(finess)
        if node_id is None or not self._node_valid(node_id, as_of):
            return None
        edges: list[EdgeView] = []
        neighbours: dict[str, NodeView] = {}
        for ident in self.nodes[node_id][ADJ] or ():
            if not self._edge_valid(ident, as_of):
                continue
            view = self._edge_view(ident, as_of)
            edges.append(view)
            other = view.target if view.source == node_id else view.source
            neighbours[other] = self.node_view(other, as_of)
        return StructureView(self.node_view(node_id, as_of), edges, neighbours)

    def node_view(self, node_id: str, as_of: str | None = None) -> NodeView:
        """Return a node with the properties in force at `as_of` (the latest without a date)."""
        item = self.nodes[node_id]
        props = _version(item, as_of)
        return NodeView(
            node_id,
            item[KIND],
            props,
            item[VFROM],
            item[VTO],
            intervals(item[OBS]),
            1 + len(item[HIST] or ()),
        )

    def _edge_view(self, ident: str, as_of: str | None) -> EdgeView:
        item = self.edges[ident]
        kind, source, target = _split(ident)
        props = _version(item, as_of)
        return EdgeView(kind, source, target, props, item[VFROM], item[VTO], intervals(item[OBS]))


def _canonical(props: dict[str, Any]) -> bytes:
    """Return the props as canonical JSON bytes, copied to their exact size.

    orjson's result keeps a 4 KiB allocation behind a short object: the copy makes a national store
    take about a tenth of the memory.
    """
    return bytes(memoryview(orjson.dumps(props, option=orjson.OPT_SORT_KEYS)))


def _version(item: Item, as_of: str | None) -> dict[str, Any]:
    history = item[HIST]
    if as_of is None or not history:
        return orjson.loads(item[PROPS])  # type: ignore[no-any-return]
    i = version_index(as_of, [h[0] for h in history])
    blob = item[PROPS] if i == len(history) else history[i][1]
    return orjson.loads(blob)  # type: ignore[no-any-return]
