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
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from graph.model import Edge, Node
from graph.queries import search_text
from graph.snapshot_diff import content_hash
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


def _prepared(record: Node | Edge, dataset: str) -> dict[str, Any]:
    """Return the properties the Neo4j store would write for a created item (see the module's doc)."""
    props: dict[str, Any] = {**record.props, "dataset": dataset, "observedFrom": [BASELINE]}
    props.update(validFrom=record.valid_from, validTo=record.valid_to)
    kind = record.label if isinstance(record, Node) else record.type
    props["_hash"] = content_hash(kind, record.props, record.valid_from, record.valid_to)
    if isinstance(record, Node) and record.label in STRUCTURE_LABELS:
        props["_search"] = search_text(record.props)
    if isinstance(record, Edge):
        props["key"] = record.key
    return props


def _records(files: list[Path]) -> Iterator[tuple[Node | Edge, str]]:
    """Yield every record of the files with its dataset, then the territory above their communes."""
    communes: set[str] = set()
    for path in files:
        snap = read_snapshot(path)
        for record in snap.records:
            if isinstance(record, Node) and record.label == "Commune":
                communes.add(str(record.props.get("code") or record.id.removeprefix("com:")))
            yield record, snap.dataset
    for record in territory_records(communes):
        yield record, "territory"


def export(outdir: Path, files: list[Path]) -> dict[str, int]:
    """Write nodes-LABEL.csv and rels-TYPE.csv for the records of these files; return the counts.

    Two passes over the files, so that memory holds the ids seen, not the records: the first finds
    each file's columns and their types, the second writes the rows (the first of a repeated item wins).
    """
    columns: dict[str, dict[str, list[Any]]] = {}  # file → property → a few of its values
    nodes: set[str] = set()
    ends: set[str] = set()
    for record, dataset in _records(files):
        name = f"nodes-{record.label}" if isinstance(record, Node) else f"rels-{record.type}"
        if isinstance(record, Node):
            nodes.add(record.id)
        else:
            ends.update((record.source, record.target))
        seen = columns.setdefault(name, {})
        for key, value in _prepared(record, dataset).items():
            if value is not None:
                values = seen.setdefault(key, [])
                if len(values) < 1000 or type(value) is not type(values[-1]):
                    values.append(value)
    missing = sorted(ends - nodes)
    del ends
    outdir.mkdir(parents=True, exist_ok=True)
    kinds = {name: {k: _kind(v) for k, v in seen.items()} for name, seen in columns.items()}
    for name in kinds:
        kinds[name].update({"validFrom": "date", "validTo": "date", "observedFrom": "date[]"})
    with ExitStack() as stack:
        writers: dict[str, Any] = {}
        for name, found in kinds.items():
            file = stack.enter_context((outdir / f"{name}.csv").open("w", newline="", encoding="utf-8"))
            writers[name] = csv.writer(file)
            fixed = ["id:ID", ":LABEL"] if name.startswith("nodes-") else [":START_ID", ":END_ID", ":TYPE"]
            writers[name].writerow([*fixed, *(f"{k}:{t}" for k, t in found.items())])
        written_nodes: set[str] = set()
        written_edges: set[str] = set()
        for record, dataset in _records(files):
            props = _prepared(record, dataset)
            if isinstance(record, Node):
                if record.id in written_nodes:
                    continue
                written_nodes.add(record.id)
                name, head = f"nodes-{record.label}", [record.id, f"{record.label};Item"]
            else:
                if record.ident in written_edges:
                    continue
                written_edges.add(record.ident)
                name, head = f"rels-{record.type}", [record.source, record.target, record.type]
            found = kinds[name]
            writers[name].writerow([*head, *(_cell(props.get(k), t) for k, t in found.items())])
        with (outdir / "nodes-Item.csv").open("w", newline="", encoding="utf-8") as file:
            out = csv.writer(file)  # the far ends that no record describes: `Item` only, as ensure_items
            out.writerow(["id:ID", ":LABEL"])
            out.writerows([node_id, "Item"] for node_id in missing)
    return {
        "nodes": len(written_nodes) + len(missing),
        "relationships": len(written_edges),
        "files": len(kinds) + 1,
    }


def main() -> None:
    """Export the files named on the command line into the folder named first."""
    counts = export(Path(sys.argv[1]), [Path(f) for f in sys.argv[2:]])
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
