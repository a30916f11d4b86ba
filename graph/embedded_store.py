"""The embedded GraphStore: the whole graph in memory, persisted to one local file.

Each node or relationship is a small list `[kind, props, valid_from, valid_to, observed, dataset,
seen, history]` in a dict keyed by its id, where `seen` is the date of its dataset's latest snapshot
that held it and `props` canonical JSON bytes (orjson, sorted keys): comparing two snapshots'
versions of an item is a bytes comparison. A node's list ends with the ids of its relationships
(its adjacency), so that node ids are not stored twice; events and addresses are leaves listed only
by their owner, which keeps a national store within its memory budget (see bench/README.md).
"""

from __future__ import annotations

import bisect
import functools
import gc
import heapq
import sys
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import orjson

from graph import embedded_file
from graph.collector import long_lived
from graph.labels import Labels
from graph.model import Edge, Node, Record, Snapshot
from graph.queries import (
    LEAF_RELATIONS,
    Neighbours,
    SearchPage,
    SearchQuery,
    Traversals,
    Version,
    search_text,
    sort_key,
)
from graph.store import (
    DATE_KEYS,
    STRUCTURE_LABELS,
    DatasetChange,
    EdgeView,
    Keys,
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
P = ParamSpec("P")
R = TypeVar("R")


def _one_state(method: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """Answer from the state published when the call began, whatever a load publishes meanwhile."""

    @functools.wraps(method)
    def read(store: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:  # an EmbeddedStore
        local = store._local
        if getattr(local, "state", None) is not None:  # nested, or the loading thread: already pinned
            return method(store, *args, **kwargs)
        local.state = store._published()
        try:
            return method(store, *args, **kwargs)
        finally:
            local.state = None

    return read


def _empty_state() -> dict[str, Any]:
    return {
        "format": embedded_file.FORMAT,
        "meta": {"latest": {}, "index": {}},
        "nodes": {},
        "edges": {},
        "pending": {},
    }


def _split(ident: str) -> tuple[str, str, str]:
    kind, source, target, _ = ident.split("|", 3)
    return kind, source, target


class EmbeddedStore(Traversals):
    """A GraphStore kept in this process and in the file at `path`.

    A load builds the new state apart from the published one and publishes it once written: each
    answer comes from the state published when it began (other threads read on while a load runs).
    """

    def __init__(self, path: Path) -> None:
        self.file = path
        self._state: dict[str, Any] | None = None  # the published state
        self._search: tuple[dict[str, Any], _SearchIndex] | None = None  # for which state
        self._local = threading.local()  # `state`: the one this thread's current call works on

    # -- state -------------------------------------------------------------------------------

    @property
    def state(self) -> dict[str, Any]:
        pinned: dict[str, Any] | None = getattr(self._local, "state", None)
        return pinned if pinned is not None else self._published()

    def _published(self) -> dict[str, Any]:
        state = self._state
        if state is None:
            state = self._state = embedded_file.read_state(self.file) or _empty_state()
            long_lived()
        return state

    @property
    def nodes_table(self) -> dict[str, Item]:
        return self.state["nodes"]  # type: ignore[no-any-return]

    @property
    def edges(self) -> dict[str, Item]:
        return self.state["edges"]  # type: ignore[no-any-return]

    @_one_state
    def labels(self) -> Labels:
        """Return the bundled code labels overridden by the nomenclatures loaded into this store."""
        labels = Labels.bundled()
        labels.merge_all(self.state["meta"].get("labels", {}))
        return labels

    @_one_state
    def snapshots(self) -> dict[str, str]:
        """Return the latest snapshot date loaded, per dataset."""
        return {k: v for k, v in self.state["meta"]["latest"].items() if k != TERRITORY}

    # -- loading -----------------------------------------------------------------------------

    def load(self, snapshots: Sequence[Snapshot], progress: Progress | None = None) -> LoadResult:
        """Apply full snapshots in date order and persist them, all or nothing."""
        result = LoadResult()
        with embedded_file.exclusive(self.file):
            # From the file: another process may have loaded since this one opened the store. This
            # thread works on it; others read the published state until it is written and published.
            # Should the load fail, it is dropped: the file and the published state are untouched.
            with embedded_file.no_gc():
                state = embedded_file.read_state(self.file) or _empty_state()
            self._local.state = state
            try:
                with embedded_file.no_gc():
                    for snap in sorted(snapshots, key=lambda s: s.date):
                        result.changes.append(self._apply(snap, progress))
                        result.reports.append(snap.report)
                    if any(not c.skipped_as_loaded for c in result.changes):
                        self._add_territory()
                        embedded_file.write_state(self.file, state)
                result.dangling, result.dangling_examples = self._dangling()
            finally:
                self._local.state = None
            self._state, self._search = state, None
        long_lived()
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
        for table in (self.nodes_table, self.edges):
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
        nodes, edges, pending = self.nodes_table, self.edges, self.state["pending"]
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
            for node_id, item in self.nodes_table.items()
            if item[KIND] == "Commune"
            and not any(ident.startswith(f"PART_OF|{node_id}|") for ident in item[ADJ] or ())
        }
        if missing:
            change = DatasetChange(TERRITORY, "")
            self._merge(territory_records(missing), TERRITORY, "", BASELINE, change, None)

    def _dangling(self) -> tuple[int, list[str]]:
        nodes = self.nodes_table
        bad = [i for i in self.edges if any(end not in nodes for end in _split(i)[1:])]
        return len(bad), bad[:5]

    # -- reading -----------------------------------------------------------------------------

    def _node_valid(self, node_id: str, as_of: str | None) -> bool:
        item = self.nodes_table.get(node_id)
        if item is None:
            return False
        return as_of is None or valid_at(as_of, item[VFROM], item[VTO], item[OBS])

    def _edge_valid(self, ident: str, as_of: str | None) -> bool:
        item = self.edges[ident]
        _, source, target = _split(ident)
        if not (self._node_valid(source, as_of) and self._node_valid(target, as_of)):
            return False
        return as_of is None or valid_at(as_of, item[VFROM], item[VTO], item[OBS])

    @_one_state
    def stats(self, as_of: str | None = None) -> dict[str, Any]:
        """Count nodes per label and relationships per type, all of them or those valid at `as_of`."""
        valid: set[str] | None = None
        node_counts: Counter[str] = Counter()
        if as_of is None:
            node_counts.update(item[KIND] for item in self.nodes_table.values())
        else:
            valid = {
                node_id
                for node_id, item in self.nodes_table.items()
                if valid_at(as_of, item[VFROM], item[VTO], item[OBS])
            }
            node_counts.update(self.nodes_table[node_id][KIND] for node_id in valid)
        ends: Any = valid if valid is not None else self.nodes_table
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

    @_one_state
    def resolve(self, finess: str) -> str | None:
        """Return the node id of a structure's FINESS number or of a grouping's number or id."""
        item = self.nodes_table.get(finess)
        if item is not None and item[KIND] in STRUCTURE_LABELS:
            return finess
        node_id = self.state["meta"]["index"].get(finess)
        if node_id is None and finess.startswith(("gcc:", "gco:")) and finess in self.nodes_table:
            node_id = finess
        return node_id  # type: ignore[no-any-return]

    @_one_state
    def structure(self, finess: str, as_of: str | None = None) -> StructureView | None:
        """Return the structure with this number and its direct relationships valid at `as_of`."""
        node_id = self.resolve(finess)
        if node_id is None or not self._node_valid(node_id, as_of):
            return None
        edges: list[EdgeView] = []
        neighbours: dict[str, NodeView] = {}
        for ident in self.nodes_table[node_id][ADJ] or ():
            if not self._edge_valid(ident, as_of):
                continue
            view = _edge_view(ident, self.edges[ident], as_of)
            edges.append(view)
            other = view.target if view.source == node_id else view.source
            neighbours[other] = self.node_view(other, as_of)
        return StructureView(self.node_view(node_id, as_of), edges, neighbours)

    @_one_state
    def nodes(self, ids: Collection[str], as_of: str | None = None) -> dict[str, NodeView]:
        """Return the nodes with these ids that are valid at `as_of`."""
        return {i: self.node_view(i, as_of) for i in ids if self._node_valid(i, as_of)}

    @_one_state
    def neighbours(
        self,
        ids: Collection[str],
        types: Collection[str],
        as_of: str | None = None,
        direction: str = "both",
        keys: Keys | None = None,
    ) -> Neighbours:
        """Return, per node, its relationships of these types valid at `as_of` and their other ends.

        `direction` keeps only those leaving the node (`out`) or coming to it (`in`); `keys`, when
        given, the only properties wanted of those relationships and nodes, per type and label.
        """
        nodes, edges = self.nodes_table, self.edges
        found: Neighbours = {}
        for node_id in ids:
            item = nodes.get(node_id)
            pairs = found[node_id] = []
            for ident in (item[ADJ] or ()) if item is not None else ():
                # The type first: most of an establishment's relationships are events, rarely asked for.
                if ident[: ident.index("|")] not in types:
                    continue
                kind, source, target = _split(ident)
                if (direction == "out" and source != node_id) or (direction == "in" and target != node_id):
                    continue
                other = target if source == node_id else source
                edge, far = edges[ident], nodes.get(other)
                if far is None or (kind in LEAF_RELATIONS and target == node_id):
                    continue
                if as_of is not None and not (
                    valid_at(as_of, edge[VFROM], edge[VTO], edge[OBS])
                    and valid_at(as_of, far[VFROM], far[VTO], far[OBS])
                ):
                    continue
                # Views from the items already at hand: a large organigram builds thousands, and
                # looking the items up again took a fifth of its time.
                if keys is None:
                    pairs.append((_edge_view(ident, edge, as_of), _node_view(other, far, as_of)))
                else:
                    edge_keys, node_keys = keys.get(kind, ()), keys.get(far[KIND], ())
                    pairs.append(
                        (_edge_view(ident, edge, as_of, edge_keys), _node_view(other, far, as_of, node_keys))
                    )
        return found

    @_one_state
    def versions(self, node_id: str) -> list[Version]:
        """Return a node's previous versions, oldest first."""
        item = self.nodes_table.get(node_id)
        history = (item[HIST] if item is not None else None) or ()
        return [Version(until, orjson.loads(blob), vf, vt) for until, blob, vf, vt in history]

    @_one_state
    def search(self, query: SearchQuery) -> SearchPage:
        """Return the structures whose words start with the query's words, filtered, by name."""
        state = self.state
        if self._search is None or self._search[0] is not state:
            self._search = (state, _SearchIndex(state["nodes"]))
            gc.freeze()  # as for the state: millions of long-lived objects
        index, day = self._search[1], query.as_of
        words = query.words()
        # Structures are numbered in result order (name, then id), so a page is the smallest numbers.
        candidates: Iterable[int] = index.matching(words) if words else range(len(index.ids))
        for prefix, code in (("com:", query.commune), ("dep:", query.department), ("reg:", query.region)):
            if code is not None:  # ever located there: the exact, dated check follows on these only
                candidates = index.places.get(prefix + code, set()).intersection(candidates)
        kinds = set(query.kinds) if query.kinds else None
        located = query.commune or query.department or query.region
        ids, labels, categories = index.ids, index.labels, index.categories
        hits = [
            rank
            for rank in candidates
            if (kinds is None or labels[rank] in kinds)
            and (query.category is None or categories[rank] == query.category)
            and (day is None or self._node_valid(ids[rank], day))
            and (not located or self._located(ids[rank], query, index))
        ]
        start, stop = max(0, query.offset), max(0, query.offset) + max(0, query.limit)
        page = heapq.nsmallest(stop, hits)[start:]
        return SearchPage(len(hits), [self.node_view(ids[rank], day) for rank in page])

    def _located(self, node_id: str, query: SearchQuery, index: _SearchIndex) -> bool:
        """Tell whether a structure is located (at the query's date) in its commune, department, region."""
        nodes, day = self.nodes_table, query.as_of
        for ident in self.nodes_table[node_id][ADJ] or ():
            if not ident.startswith("LOCATED_IN|"):
                continue
            commune = _split(ident)[2]
            edge, place = self.edges[ident], nodes.get(commune)
            if place is None:
                continue
            if day is not None and not (
                valid_at(day, edge[VFROM], edge[VTO], edge[OBS])
                and valid_at(day, place[VFROM], place[VTO], place[OBS])
            ):
                continue
            department = index.above(commune)
            region = index.above(department) if department else None
            if (
                (query.commune is None or _code(commune) == query.commune)
                and (query.department is None or _code(department) == query.department)
                and (query.region is None or _code(region) == query.region)
            ):
                return True
        return False

    @_one_state
    def node_view(self, node_id: str, as_of: str | None = None) -> NodeView:
        """Return a node with the properties in force at `as_of` (the latest without a date)."""
        return _node_view(node_id, self.nodes_table[node_id], as_of)

    # The shared traversals (graph/queries.py), each answered from one state.
    root = _one_state(Traversals.root)
    ecosystem = _one_state(Traversals.ecosystem)
    organigram = _one_state(Traversals.organigram)
    members = _one_state(Traversals.members)
    path = _one_state(Traversals.path)
    timeline = _one_state(Traversals.timeline)


class _SearchIndex:
    """Every structure numbered in result order (name, then id), its words sorted for prefix lookups."""

    def __init__(self, nodes: dict[str, Item]) -> None:
        self.nodes = nodes
        found = []
        for node_id, item in nodes.items():
            if item[KIND] in STRUCTURE_LABELS:
                props = orjson.loads(item[PROPS])
                found.append((sort_key(props.get("name"), node_id), item[KIND], props))
        found.sort(key=lambda f: f[0])
        self.ids: list[str] = [key[2] for key, _, _ in found]
        self.labels: list[str] = [label for _, label, _ in found]
        self.categories: list[str | None] = [props.get("category") for _, _, props in found]
        self.postings: dict[str, list[int]] = {}
        self.parents: dict[str, str | None] = {}  # commune → department → region
        self.places: dict[str, set[int]] = {}  # commune, department, region → structures ever there
        for rank, (_, _, props) in enumerate(found):
            node_id = self.ids[rank]
            for word in search_text(props).split():
                self.postings.setdefault(word, []).append(rank)
            for ident in nodes[node_id][ADJ] or ():
                kind, source, target = _split(ident)
                place: str | None = target if kind == "LOCATED_IN" and source == node_id else None
                while place is not None:
                    self.places.setdefault(place, set()).add(rank)
                    place = self.above(place)
        self.words = sorted(self.postings)

    def above(self, node_id: str) -> str | None:
        """Return the department of a commune or the region of a department."""
        if node_id not in self.parents:
            item = self.nodes.get(node_id)
            links = (item[ADJ] if item is not None else None) or ()
            self.parents[node_id] = next(
                (
                    target
                    for kind, source, target in map(_split, links)
                    if kind == "PART_OF" and source == node_id and target in self.nodes
                ),
                None,
            )
        return self.parents[node_id]

    def matching(self, words: list[str]) -> set[int]:
        """Return the structures having, for every word, a word that starts with it."""
        result: set[int] | None = None
        for word in words:
            ids: set[int] = set()
            # Words are [a-z0-9]: those starting with `word` sort before `word + "{"`.
            low, high = bisect.bisect_left(self.words, word), bisect.bisect_left(self.words, word + "{")
            for token in self.words[low:high]:
                ids.update(self.postings[token])
            result = ids if result is None else result & ids
        return result or set()


def _code(node_id: str | None) -> str | None:
    """Return the code of a commune, department or region from its id (`com:21231` → `21231`)."""
    return node_id.partition(":")[2] if node_id else None


def _canonical(props: dict[str, Any]) -> bytes:
    """Return the props as canonical JSON bytes, copied to their exact size.

    orjson's result keeps a 4 KiB allocation behind a short object: the copy makes a national store
    take about a tenth of the memory.
    """
    return bytes(memoryview(orjson.dumps(props, option=orjson.OPT_SORT_KEYS)))


def _edge_view(ident: str, item: Item, as_of: str | None, keys: Collection[str] | None = None) -> EdgeView:
    kind, source, target = _split(ident)
    props = _version(item, as_of, keys)
    if keys is not None:  # a keyed view: no observations, dates if asked (graph/store.py)
        return EdgeView(kind, source, target, props, *_dates(item, keys), [])
    return EdgeView(kind, source, target, props, item[VFROM], item[VTO], intervals(item[OBS]))


def _node_view(node_id: str, item: Item, as_of: str | None, keys: Collection[str] | None = None) -> NodeView:
    props = _version(item, as_of, keys)
    if keys is not None:  # a keyed view: neither observations nor versions, dates if asked (graph/store.py)
        return NodeView(node_id, item[KIND], props, *_dates(item, keys), [], 0)
    history = item[HIST]
    return NodeView(
        node_id, item[KIND], props, item[VFROM], item[VTO], intervals(item[OBS]), 1 + len(history or ())
    )


def _dates(item: Item, keys: Collection[str]) -> tuple[str | None, str | None]:
    """Return a keyed view's valid dates: the item's if its keys ask for them, else none."""
    return (None, None) if DATE_KEYS.isdisjoint(keys) else (item[VFROM], item[VTO])


def _version(item: Item, as_of: str | None, keys: Collection[str] | None = None) -> dict[str, Any]:
    """Return the item's props in force at `as_of` (all, or only `keys`), in key order."""
    history = item[HIST]
    if as_of is None or not history:
        blob = item[PROPS]
    else:
        i = version_index(as_of, [h[0] for h in history])
        blob = item[PROPS] if i == len(history) else history[i][1]
    props: dict[str, Any] = orjson.loads(blob)
    return props if keys is None else {k: v for k, v in props.items() if k in keys}
