"""CSV of a subgraph's nodes and of its relationships, alone or both in one zip file."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from api.formats.node_link import LINK_FIELDS, NODE_FIELDS

# Fixed leading columns, then the JSON ones; `properties` is always the last.
NODE_COLUMNS = (*NODE_FIELDS, "labels", "properties")
EDGE_COLUMNS = (*LINK_FIELDS, "properties")
# A fixed date in the zip entries, so that the same subgraph gives the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def nodes_csv(document: dict[str, Any]) -> bytes:
    """Return the nodes of a node-link document as CSV (UTF-8, header row)."""
    return _csv(NODE_COLUMNS, document["nodes"])


def edges_csv(document: dict[str, Any]) -> bytes:
    """Return the links of a node-link document as CSV (UTF-8, header row)."""
    return _csv(EDGE_COLUMNS, document["links"])


def csv_zip(document: dict[str, Any]) -> bytes:
    """Return a zip file holding nodes.csv and edges.csv."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in (("nodes.csv", nodes_csv(document)), ("edges.csv", edges_csv(document))):
            entry = zipfile.ZipInfo(name, ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, body)
    return buffer.getvalue()


def _csv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return text.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    return str(value)
