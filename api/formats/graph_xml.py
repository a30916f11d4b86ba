"""GraphML (yEd, Cytoscape) and GEXF (Gephi) of a subgraph, written by networkx's own writers.

Both are built from the node-link document, flattened one level: a node's or link's scalar fields
keep their names, `properties` and `labels` become `properties.<key>` and `labels.<key>`, lists are
JSON strings and absent values are left out (neither format has a null).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from xml.etree.ElementTree import SubElement

import networkx as nx
import orjson
from networkx.readwrite.gexf import GEXFWriter

Attributes = dict[str, str | int | float | bool]


def graphml(document: dict[str, Any]) -> bytes:
    """Return the GraphML of a node-link document, graph facts as graph attributes."""
    graph = _multigraph(document, gexf=False)
    graph.graph.update(_flat(document["graph"]))
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def gexf(document: dict[str, Any]) -> bytes:
    """Return the GEXF 1.2 of a node-link document, valid time as each node's and edge's start and end.

    GEXF has a label of its own, which Gephi shows: a node's is its display name (its graph label
    moves to `graphLabel`), an edge's is its type. GEXF intervals include their end, so `end` is the
    day before `validTo`. The graph facts are in the meta description, as JSON.
    """
    graph = _multigraph(document, gexf=True)
    graph.graph["name"] = f"{document['graph']['kind']} of {document['graph']['root']}"
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(graph)
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)  # today's date: the same subgraph must give the same bytes
    SubElement(meta, "description").text = orjson.dumps(document["graph"]).decode()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _multigraph(document: dict[str, Any], *, gexf: bool) -> Any:
    graph = nx.MultiDiGraph()
    nodes = [_flat(node) for node in document["nodes"]]
    links = [_flat(link) for link in document["links"]]
    if gexf:
        for node in nodes:
            node["graphLabel"] = node.pop("label")
            node["label"] = node.pop("name")
            _spell(node)
        for link in links:
            link["label"] = link.pop("type")
            _spell(link)
    for node in _uniform(nodes):
        graph.add_node(node.pop("id"), **node)
    for link in _uniform(links):
        graph.add_edge(link.pop("source"), link.pop("target"), key=link.pop("key"), **link)
    return graph


def _flat(item: dict[str, Any]) -> Attributes:
    flat: Attributes = {}
    for key, value in item.items():
        if isinstance(value, dict):
            for inner, v in value.items():
                if v is not None:
                    flat[f"{key}.{inner}"] = _scalar(v)
        elif value is not None:
            flat[key] = _scalar(value)
    return flat


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, str | int | float | bool):
        return value
    return orjson.dumps(value).decode()


def _uniform(items: list[Attributes]) -> list[Attributes]:
    """Write as text every attribute whose values are not all of one type: both formats type a key once."""
    types: dict[str, set[type]] = {}
    for item in items:
        for key, value in item.items():
            types.setdefault(key, set()).add(type(value))
    mixed = {key for key, found in types.items() if len(found) > 1}
    for item in items:
        for key in mixed & item.keys():
            item[key] = orjson.dumps(item[key]).decode() if isinstance(item[key], bool) else str(item[key])
    return items


def _spell(item: Attributes) -> None:
    if "validFrom" in item:
        item["start"] = item["validFrom"]
    if "validTo" in item:
        item["end"] = (dt.date.fromisoformat(str(item["validTo"])) - dt.timedelta(days=1)).isoformat()
