"""The node-link JSON of a subgraph: what D3 draws, networkx reads, GraphQL and REST return."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from api.formats.names import code_labels, display_name, kind
from graph.labels import Labels
from graph.queries import Subgraph, edge_key, relation_set, span
from graph.store import EdgeView, NodeView

NODE_FIELDS = ("id", "kind", "label", "finess", "name", "depth", "more", "validFrom", "validTo")
LINK_FIELDS = ("source", "target", "type", "key", "role", "since", "until", "validFrom", "validTo")


@dataclass(frozen=True)
class ExportMeta:
    """What was asked for: the start node id, the date, the depth, the relations, ecosystem or path."""

    root: str
    as_of: str | None = None
    depth: int | None = None
    relations: Sequence[str] | None = None  # None: the organisational relations, as the queries do
    kind: str = "ecosystem"


def ordered_nodes(sub: Subgraph) -> list[NodeView]:
    """Return the nodes by depth, then id: the order of every export."""
    return sorted(sub.nodes.values(), key=lambda n: (sub.depth.get(n.id, 0), n.id))


def ordered_edges(sub: Subgraph) -> list[tuple[str, EdgeView]]:
    """Return the relationships in `edge_key` order, each with its key among parallel ones."""
    keyed: list[tuple[str, EdgeView]] = []
    taken: set[tuple[str, str, str]] = set()
    for edge in sorted(sub.edges, key=edge_key):
        role = edge.props.get("role")
        base = f"{edge.type}:{role}" if role is not None else edge.type
        key, n = base, 1
        while (edge.source, edge.target, key) in taken:
            n += 1
            key = f"{base}#{n}"
        taken.add((edge.source, edge.target, key))
        keyed.append((key, edge))
    return keyed


def node_json(node: NodeView, sub: Subgraph, labels: Labels) -> dict[str, Any]:
    """Return one node of the node-link JSON."""
    named = code_labels(node, labels)
    data: dict[str, Any] = {
        "id": node.id,
        "kind": kind(node.label),
        "label": node.label,
        "finess": node.props.get("finess"),
        "name": display_name(node, labels, named),
        "depth": sub.depth.get(node.id),
    }
    if node.id in sub.more:
        data["more"] = sub.more[node.id]
    data["validFrom"] = node.valid_from
    data["validTo"] = node.valid_to
    data["properties"] = node.props  # in key order already: every store gives them so
    data["labels"] = named
    return data


def link_json(key: str, edge: EdgeView) -> dict[str, Any]:
    """Return one relationship of the node-link JSON."""
    since, until = span(edge)
    return {
        "source": edge.source,
        "target": edge.target,
        "type": edge.type,
        "key": key,
        "role": edge.props.get("role"),
        "since": since,
        "until": until,
        "validFrom": edge.valid_from,
        "validTo": edge.valid_to,
        "properties": edge.props,
    }


def graph_json(sub: Subgraph, meta: ExportMeta) -> dict[str, Any]:
    """Return the graph-level facts: what was asked and whether the answer was cut."""
    return {
        "root": meta.root,
        "asOf": meta.as_of,
        "depth": meta.depth,
        "relations": sorted(relation_set(meta.relations)),
        "truncated": sub.truncated,
        "paths": [list(p) for p in sub.paths],
        "kind": meta.kind,
    }


def node_link(sub: Subgraph, labels: Labels, meta: ExportMeta) -> dict[str, Any]:
    """Return the complete node-link JSON of a subgraph (docs/exports.md)."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": graph_json(sub, meta),
        "nodes": [node_json(n, sub, labels) for n in ordered_nodes(sub)],
        "links": [link_json(key, e) for key, e in ordered_edges(sub)],
    }
