"""One entry point for every export format: a subgraph in, the bytes of a file out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from api.formats import fhir, graph_xml, table
from api.formats.node_link import ExportMeta, node_link
from graph.errors import InvalidRequest
from graph.labels import Labels
from graph.queries import Subgraph


@dataclass(frozen=True)
class Rendered:
    """A rendered export: its bytes, media type and a file name to save it under."""

    body: bytes
    media_type: str
    filename: str


@dataclass(frozen=True)
class Format:
    """How one format is written and served."""

    media_type: str
    suffix: str
    write: Callable[[dict[str, Any]], bytes]


def _json(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


# Every format but FHIR is written from the node-link document, so that they all say the same.
FORMATS: dict[str, Format] = {
    "json": Format("application/json", ".json", _json),
    "graphml": Format("application/graphml+xml", ".graphml", graph_xml.graphml),
    "gexf": Format("application/gexf+xml", ".gexf", graph_xml.gexf),
    "csv": Format("application/zip", ".csv.zip", table.csv_zip),
    "nodes.csv": Format("text/csv; charset=utf-8", "-nodes.csv", table.nodes_csv),
    "edges.csv": Format("text/csv; charset=utf-8", "-edges.csv", table.edges_csv),
    "fhir": Format("application/fhir+json", ".fhir.json", _json),
}


def render(fmt: str, sub: Subgraph, labels: Labels, meta: ExportMeta) -> Rendered:
    """Return a subgraph written in format `fmt` (one of FORMATS), with its media type and file name."""
    chosen = export_format(fmt)
    document = fhir.bundle(sub, labels, meta) if fmt == "fhir" else node_link(sub, labels, meta)
    return Rendered(chosen.write(document), chosen.media_type, filename(meta, chosen.suffix))


def export_format(fmt: str) -> Format:
    """Return how format `fmt` is written; raise InvalidRequest, listing the formats, if it is unknown."""
    chosen = FORMATS.get(fmt)
    if chosen is None:
        raise InvalidRequest(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return chosen


def filename(meta: ExportMeta, suffix: str) -> str:
    """Return a file name that says what was exported: `ecosystem-210780581-2024-01-01.graphml`."""
    parts = [meta.kind, meta.root] + ([meta.as_of] if meta.as_of else [])
    return re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(parts)) + suffix
