"""The Neo4j GraphStore: the same graph and the same time rules as the embedded store, in Neo4j 5.

Only this module imports the driver; every statement is a file of `cypher/`, run with parameters.
Each node carries its public label and `Item` (unique `id`); time is kept in properties: `validFrom`,
`validTo` (dates), `observedFrom`/`observedTo` (lists of snapshot dates, the first `0001-01-01` for an
item of its dataset's first snapshot), `dataset`, `_hash` (content hash: a snapshot rewrites only what
changed) and `_history` (previous versions, one JSON string each).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import AuthError, ServiceUnavailable

from cypher import statement
from graph.errors import StoreUnavailable
from graph.labels import Labels
from graph.model import Edge, Node, Record, Snapshot
from graph.store import DatasetChange, EdgeView, LoadResult, NodeView, Progress, StructureView, already_loaded
from graph.territory import territory_records
from graph.timeline import valid_at, version_index

BATCH = 10_000
STATE_PAGE = 100_000  # nodes per page when reading what the database holds
BASELINE = dt.date(1, 1, 1)
TERRITORY = "territory"
SYSTEM = {"id", "key", "validFrom", "validTo", "observedFrom", "observedTo", "dataset", "_hash", "_history"}
SCHEMA = (
    "create_item_id_constraint",
    "create_dataset_constraint",
    "create_item_dataset_index",
    "create_grouping_finess_index",
    "create_organic_grouping_finess_index",
    "create_structure_search_index",
)


def connect(uri: str) -> Driver:
    """Open a driver for a store URI, whose credentials may be in it (`bolt://user:pass@host:port`)."""
    parts = urlsplit(uri)
    netloc = parts.hostname or "127.0.0.1"
    if parts.port:
        netloc += f":{parts.port}"
    auth = (parts.username or "neo4j", parts.password or "")
    # Notifications (unknown property keys in an empty database…) are not errors: keep logs quiet.
    return GraphDatabase.driver(
        urlunsplit((parts.scheme, netloc, "", "", "")), auth=auth, notifications_min_severity="OFF"
    )


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: Any) -> str | None:
    if value is None or value == BASELINE:
        return None
    return str(value.iso_format())


def _hash(kind: str, props: dict[str, Any], vf: str | None, vt: str | None) -> str:
    blob = orjson.dumps([kind, props, vf, vt], option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(blob, digest_size=12).hexdigest()


class Neo4jStore:
    """A GraphStore in a Neo4j 5 database reached through a Bolt or Neo4j URI."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.driver = connect(uri)
        self._schema_ready = False

    def close(self) -> None:
        """Close the driver's connections."""
        self.driver.close()

    def _run(self, name: str, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(statement(name), params)]

        try:
            with self.driver.session() as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except (ServiceUnavailable, AuthError, OSError) as exc:
            raise StoreUnavailable(f"Neo4j at {urlsplit(self.uri).hostname} cannot be used: {exc}") from exc

    def _ensure_schema(self) -> None:
        if not self._schema_ready:
            for name in SCHEMA:
                self._run(name, write=True)
            self._schema_ready = True

    # -- loading -----------------------------------------------------------------------------

    def _datasets(self) -> dict[str, dict[str, Any]]:
        return {row["dataset"]: row for row in self._run("read_datasets")}

    def snapshots(self) -> dict[str, str]:
        """Return the latest snapshot date loaded, per dataset."""
        return {k: str(v["latest"]) for k, v in self._datasets().items() if k != TERRITORY}

    def labels(self) -> Labels:
        """Return the bundled code labels overridden by the nomenclatures loaded into this store."""
        labels = Labels.bundled()
        for row in self._datasets().values():
            if row.get("labels"):
                labels.merge_all(orjson.loads(row["labels"]))
        return labels

    def load(self, snapshots: Sequence[Snapshot], progress: Progress | None = None) -> LoadResult:
        """Apply full snapshots in date order, batch by batch, nodes before relationships."""
        self._ensure_schema()
        result = LoadResult()
        for snap in sorted(snapshots, key=lambda s: s.date):
            result.changes.append(self._apply(snap, progress))
            result.reports.append(snap.report)
        missing = [row["code"] for row in self._run("read_communes_without_department")]
        if missing:
            writer = _Writer(self, TERRITORY, "", True, DatasetChange(TERRITORY, ""))
            writer.merge(territory_records(set(missing)), None)
            self._run("write_dataset", write=True, dataset=TERRITORY, date="", labels=None)
        return result

    def _apply(self, snap: Snapshot, progress: Progress | None) -> DatasetChange:
        change = DatasetChange(snap.dataset, snap.date)
        latest = self._datasets().get(snap.dataset, {}).get("latest")
        if already_loaded(snap, latest):
            change.skipped_as_loaded = True
            return change
        writer = _Writer(self, snap.dataset, snap.date, latest is None, change)
        writer.merge(snap.records, progress)
        if latest is not None:  # a dataset's first snapshot has nothing earlier to close
            writer.close_missing()
        labels = orjson.dumps(snap.labels).decode() if snap.labels else None
        self._run("write_dataset", write=True, dataset=snap.dataset, date=snap.date, labels=labels)
        return change

    # -- reading -----------------------------------------------------------------------------

    def stats(self, as_of: str | None = None) -> dict[str, Any]:
        """Count nodes per label and relationships per type, all of them or those valid at `as_of`."""
        if as_of is None:
            nodes, rels = self._run("count_nodes"), self._run("count_relationships")
        else:
            day = _day(as_of)
            nodes = self._run("count_nodes_valid_at", day=day)
            rels = self._run("count_relationships_valid_at", day=day)
        latest = self.snapshots()
        return {
            "snapshot": max(latest.values()) if latest else None,
            "snapshots": dict(sorted(latest.items())),
            "nodes": dict(sorted((r["label"], r["count"]) for r in nodes)),
            "relationships": dict(sorted((r["type"], r["count"]) for r in rels)),
        }

    def structure(self, finess: str, as_of: str | None = None) -> StructureView | None:
        """Return the structure with this number and its direct relationships valid at `as_of`."""
        node_id = self._run("resolve_structure", finess=finess)[0]["id"]
        if node_id is None:
            return None
        rows = self._run("read_structure", id=node_id)
        if not rows:
            return None
        row = rows[0]
        node = _node_view(row["node"], row["label"], as_of)
        if as_of is not None and not _valid(row["node"], as_of):
            return None
        edges: list[EdgeView] = []
        neighbours: dict[str, NodeView] = {}
        for e in row["edges"]:
            other = e["other"]
            if as_of is not None and not (_valid(e["props"], as_of) and _valid(other, as_of)):
                continue
            source, target = (node_id, other["id"]) if e["outgoing"] else (other["id"], node_id)
            props, vf, vt, observed, _ = _version(e["props"], as_of)
            edges.append(EdgeView(e["type"], source, target, props, vf, vt, observed))
            neighbours[other["id"]] = _node_view(other, e["otherLabel"], as_of)
        return StructureView(node, edges, neighbours)


def _observed(props: dict[str, Any]) -> tuple[str | None, ...]:
    """Return an item's observed dates in the embedded store's flat form (see graph/timeline.py)."""
    starts = [_iso(d) for d in props.get("observedFrom") or ()]
    ends = [_iso(d) for d in props.get("observedTo") or ()]
    flat: list[str | None] = []
    for i, start in enumerate(starts):
        flat.append(start)
        if i < len(ends):
            flat.append(ends[i])
    return tuple(flat)


def _valid(props: dict[str, Any], as_of: str) -> bool:
    return valid_at(as_of, _iso(props.get("validFrom")), _iso(props.get("validTo")), _observed(props))


def _version(
    props: dict[str, Any], as_of: str | None
) -> tuple[dict[str, Any], str | None, str | None, list[tuple[str | None, str | None]], int]:
    """Return (domain props in force at `as_of`, valid from, valid to, observed intervals, versions)."""
    history = [orjson.loads(h) for h in props.get("_history") or ()]
    domain = {k: v for k, v in props.items() if k not in SYSTEM}
    if as_of is not None and history:
        i = version_index(as_of, [h["until"] for h in history])
        if i < len(history):
            domain = history[i]["props"]
    flat = _observed(props)
    pairs = [(flat[i], flat[i + 1] if i + 1 < len(flat) else None) for i in range(0, len(flat), 2)]
    return domain, _iso(props.get("validFrom")), _iso(props.get("validTo")), pairs, 1 + len(history)


def _node_view(props: dict[str, Any], label: str, as_of: str | None) -> NodeView:
    domain, vf, vt, observed, versions = _version(props, as_of)
    return NodeView(props["id"], label, domain, vf, vt, observed, versions)


class _Writer:
    """Writes one snapshot's records in batches, only what is new or changed, then closes the rest."""

    def __init__(self, store: Neo4jStore, dataset: str, date: str, baseline: bool, change: DatasetChange):
        self.store, self.dataset, self.change = store, dataset, change
        self.date = _day(date)
        self.opened = BASELINE if baseline else self.date
        self.seen_nodes: set[str] = set()
        self.seen_edges: set[str] = set()
        # What the database holds, read once: (content hash, dataset, present) per node id and per
        # relationship identity, so that an unchanged item is neither read back nor written.
        self.node_states: dict[str, tuple[str | None, str | None, bool]] = {}
        self.edge_states: dict[str, tuple[str | None, str | None, bool, str]] = {}
        after: str = ""
        while True:
            pages = store._run("read_node_states", after=after, limit=STATE_PAGE)
            if not pages or not pages[0]["ids"]:
                break
            page = pages[0]
            rows = zip(page["ids"], page["hashes"], page["datasets"], page["present"], strict=True)
            self.node_states.update((i, (h or None, d or None, p)) for i, h, d, p in rows)
            after = page["ids"][-1]
        after = ""
        while True:
            pages = store._run("read_edge_states", after=after, limit=STATE_PAGE)
            if not pages or pages[0]["last"] is None:
                break
            page = pages[0]
            columns = ("idents", "hashes", "datasets", "present", "rids")
            for ident, h, d, p, rid in zip(*(page[c] for c in columns), strict=True):
                self.edge_states[ident] = (h, d, p, rid)
            after = page["last"]

    def merge(self, records: Iterable[Record], progress: Progress | None) -> None:
        nodes: dict[str, Node] = {}
        edges: dict[str, Edge] = {}
        for rec in records:
            if type(rec) is Node:
                nodes[rec.id] = rec
            else:
                assert isinstance(rec, Edge)
                edges[rec.ident] = rec
            if len(nodes) + len(edges) >= BATCH:
                self._flush(nodes, edges, progress)
        self._flush(nodes, edges, progress)

    def _todo(self, records: dict[str, Any], states: dict[str, Any], seen: set[str]) -> dict[str, str]:
        """Return the content hash of each record that must be written; count and skip the others."""
        todo: dict[str, str] = {}
        for ident, rec in records.items():
            kind = rec.label if isinstance(rec, Node) else rec.type
            digest = _hash(kind, rec.props, rec.valid_from, rec.valid_to)
            state = states.get(ident)
            if ident not in seen and state is not None and state[:3] == (digest, self.dataset, True):
                seen.add(ident)
                self.change.unchanged += 1
            else:
                todo[ident] = digest
        return todo

    def _flush(self, nodes: dict[str, Node], edges: dict[str, Edge], progress: Progress | None) -> None:
        run = self.store._run
        if nodes:
            todo = self._todo(nodes, self.node_states, self.seen_nodes)
            ids = [i for i in todo if i in self.node_states or i in self.seen_nodes]
            existing = {r["id"]: r for r in run("read_nodes", ids=ids)} if ids else {}
            created, updated = self._rows(nodes, todo, existing, self.seen_nodes)
            if created:
                run("create_nodes", write=True, rows=created)
            if updated:
                run("update_nodes", write=True, rows=updated)
        if edges:
            ends = {end for e in edges.values() for end in (e.source, e.target)}
            # A far end absent so far (activities before structures) becomes an unlabelled Item.
            outside = [end for end in ends if end not in self.seen_nodes and end not in self.node_states]
            if outside:
                run("ensure_items", write=True, ids=outside)
                self.node_states.update((end, (None, None, False)) for end in outside)
            todo = self._todo(edges, self.edge_states, self.seen_edges)
            keys = [
                {"ident": i, "type": e.type, "source": e.source, "target": e.target, "key": e.key}
                for i, e in ((i, edges[i]) for i in todo)
                if i in self.edge_states or i in self.seen_edges
            ]
            existing = {r["ident"]: r for r in run("read_edges", rows=keys)} if keys else {}
            created, updated = self._rows(edges, todo, existing, self.seen_edges)
            if created:
                run("create_edges", write=True, rows=created)
            if updated:
                run("update_edges", write=True, rows=updated)
        if progress is not None:
            progress(len(nodes) + len(edges))
        nodes.clear()
        edges.clear()

    def _rows(
        self,
        records: dict[str, Any],
        todo: dict[str, str],
        existing: dict[str, dict[str, Any]],
        seen: set[str],
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return the rows to create and the rows to update; what did not change needs no row."""
        created: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        for ident, digest in todo.items():
            rec = records[ident]
            kind = rec.label if isinstance(rec, Node) else rec.type
            found = existing.get(ident, {}).get("props")
            # An unlabelled Item (the far end of an earlier relationship) has no content yet.
            old = found if found is not None and "_hash" in found else None
            props: dict[str, Any] = {
                **rec.props,
                "validFrom": _day(rec.valid_from),
                "validTo": _day(rec.valid_to),
            }
            props.update(dataset=self.dataset, _hash=digest)
            if isinstance(rec, Node):
                props["id"] = rec.id
            else:
                props["key"] = rec.key
            if old is None:
                props.update(observedFrom=[self.opened], observedTo=[], _history=[])
                self.change.added += 1
            else:
                starts, ends = list(old["observedFrom"]), list(old["observedTo"])
                history = list(old.get("_history") or [])
                if ident not in seen and len(starts) == len(ends):
                    starts.append(self.date)
                    self.change.reopened += 1
                changed = old.get("_hash") != digest
                if changed and ident not in seen:
                    # In key order: the order in which the database gives properties is no content.
                    domain = {k: old[k] for k in sorted(old) if k not in SYSTEM}
                    version = {
                        "until": self.date.isoformat() if self.date else "",
                        "props": domain,
                        "validFrom": _iso(old.get("validFrom")),
                        "validTo": _iso(old.get("validTo")),
                    }
                    history.append(orjson.dumps(version, default=_json_default).decode())
                    self.change.changed += 1
                elif (
                    not changed
                    and len(starts) == len(old["observedFrom"])
                    and old.get("dataset") == self.dataset
                ):
                    self.change.unchanged += 1
                    seen.add(ident)
                    continue  # nothing to write: the daily update's common case
                props.update(observedFrom=starts, observedTo=ends, _history=history)
            seen.add(ident)
            rows = created if found is None else updated
            if isinstance(rec, Node):
                rows.append({"props": props, "label": kind, "id": rec.id})
            else:
                rows.append(
                    {"props": props, "type": kind, "source": rec.source, "target": rec.target, "key": rec.key}
                )
        return created, updated

    def close_missing(self) -> None:
        """Close what this dataset's previous snapshot held and this one does not."""
        gone = [
            i
            for i, (_, ds, present) in self.node_states.items()
            if present and ds == self.dataset and i not in self.seen_nodes
        ]
        rids = [
            rid
            for i, (_, ds, present, rid) in self.edge_states.items()
            if present and ds == self.dataset and i not in self.seen_edges
        ]
        for start in range(0, len(gone), BATCH):
            self.store._run("close_nodes", write=True, ids=gone[start : start + BATCH], date=self.date)
        for start in range(0, len(rids), BATCH):
            self.store._run("close_edges", write=True, rids=rids[start : start + BATCH], date=self.date)
        self.change.closed += len(gone) + len(rids)


def _json_default(value: Any) -> Any:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    raise TypeError(type(value))
