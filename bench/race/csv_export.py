"""Write a first load's graph as the CSV files `neo4j-admin database import full` reads.

Run: python -m bench.race.csv_export OUTDIR FILE… (prints the counts as JSON)
The same items, labels, types and properties as the Neo4j store writes on a first load of those files
(docs/graph-schema.md, *In Neo4j*): domain properties, `id`, `dataset`, `_hash`, `_search`, `key`,
`validFrom`/`validTo` as dates, `observedFrom` = [0001-01-01] (seen since its dataset's first
snapshot). Left out: the load journal (`_load`) and the empty lists (`observedTo`, `_history`), which
CSV cannot tell from absent. A relationship to an id no record describes gets an `Item` node, as the
store's `ensure_items` does.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from graph.model import Edge, Node
from graph.neo4j_store import _hash
from graph.queries import search_text
from graph.store import STRUCTURE_LABELS
from graph.territory import territory_records
from loaders.detect import read_snapshot

BASELINE = "0001-01-01"


def _kind(values: list[Any]) -> str:
    """Return the CSV header type of a column from its values."""
    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds and kinds <= {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    if kinds == {list}:
        inner = {type(x) for v in values if v for x in v}
        return "long[]" if inner and inner <= {int} else "string[]"
    return "string"


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind.endswith("[]"):
        return ";".join(str(x) for x in value)
    if kind == "string" and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if kind == "boolean":
        return "true" if value else "false"
    return str(value)


def _write(path: Path, fixed: list[str], rows: list[tuple[list[str], dict[str, Any]]]) -> None:
    keys = sorted({k for _, props in rows for k in props})
    kinds = {k: _kind([props.get(k) for _, props in rows]) for k in keys}
    kinds.update({"validFrom": "date", "validTo": "date", "observedFrom": "date[]"})
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow([*fixed, *(f"{k}:{kinds[k]}" for k in keys)])
        for head, props in rows:
            out.writerow([*head, *(_cell(props.get(k), kinds[k]) for k in keys)])


def export(outdir: Path, files: list[Path]) -> dict[str, int]:
    """Write nodes-LABEL.csv and rels-TYPE.csv for the records of these files; return the counts."""
    nodes: dict[str, tuple[str, dict[str, Any]]] = {}
    edges: dict[str, tuple[Edge, dict[str, Any]]] = {}
    communes: set[str] = set()

    def take(record: Node | Edge, dataset: str) -> None:
        props: dict[str, Any] = {**record.props, "dataset": dataset, "observedFrom": [BASELINE]}
        props.update(validFrom=record.valid_from, validTo=record.valid_to)
        kind = record.label if isinstance(record, Node) else record.type
        props["_hash"] = _hash(kind, record.props, record.valid_from, record.valid_to)
        if isinstance(record, Node):
            if record.label in STRUCTURE_LABELS:
                props["_search"] = search_text(record.props)
            if record.label == "Commune":
                communes.add(str(record.props.get("code") or record.id.removeprefix("com:")))
            nodes[record.id] = (record.label, props)
        else:
            props["key"] = record.key
            edges[record.ident] = (record, props)

    for path in files:
        snap = read_snapshot(path)
        for record in snap.records:
            take(record, snap.dataset)
    for record in territory_records(communes):
        take(record, "territory")
    for edge, _ in edges.values():
        for end in (edge.source, edge.target):
            nodes.setdefault(end, ("", {}))

    outdir.mkdir(parents=True, exist_ok=True)
    by_label: dict[str, list[tuple[list[str], dict[str, Any]]]] = {}
    for node_id, (label, props) in nodes.items():
        labels = f"{label};Item" if label else "Item"
        by_label.setdefault(label or "Item", []).append(([node_id, labels], props))
    for label, rows in by_label.items():
        _write(outdir / f"nodes-{label}.csv", ["id:ID", ":LABEL"], rows)
    by_type: dict[str, list[tuple[list[str], dict[str, Any]]]] = {}
    for edge, props in edges.values():
        by_type.setdefault(edge.type, []).append(([edge.source, edge.target, edge.type], props))
    for kind, rows in by_type.items():
        _write(outdir / f"rels-{kind}.csv", [":START_ID", ":END_ID", ":TYPE"], rows)
    return {"nodes": len(nodes), "relationships": len(edges), "files": len(by_label) + len(by_type)}


def main() -> None:
    """Export the files named on the command line into the folder named first."""
    counts = export(Path(sys.argv[1]), [Path(f) for f in sys.argv[2:]])
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
