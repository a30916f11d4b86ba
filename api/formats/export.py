"""A structure's ecosystem rendered in an export format: what `finess-graph export` and REST return."""

from __future__ import annotations

from collections.abc import Sequence

from api.formats.node_link import ExportMeta
from api.formats.render import Rendered, export_format, render
from graph.errors import InvalidRequest, NotFound
from graph.queries import ECOSYSTEM_LIMIT, MAX_DEPTH, RELATION_TYPES
from graph.store import GraphStore


def export_ecosystem(
    store: GraphStore,
    finess: str,
    fmt: str,
    depth: int = 2,
    as_of: str | None = None,
    relations: Sequence[str] | None = None,
    limit: int = ECOSYSTEM_LIMIT,
) -> Rendered:
    """Return the ecosystem of a structure in format `fmt`; raise NotFound or InvalidRequest."""
    export_format(fmt)  # before asking the store anything
    if not 0 <= depth <= MAX_DEPTH:
        raise InvalidRequest(f"depth {depth} is out of range: choose 0 to {MAX_DEPTH}")
    unknown = sorted(set(relations or ()) - RELATION_TYPES)
    if unknown:
        raise InvalidRequest(
            f"unknown relation type {', '.join(unknown)}: choose among {', '.join(sorted(RELATION_TYPES))}"
        )
    sub = store.ecosystem(finess, depth, as_of, relations, limit)
    if sub is None:
        when = f" at {as_of}" if as_of else ""
        raise NotFound(f"no structure with FINESS number or id {finess!r}{when} in the store")
    root = next(node_id for node_id, level in sub.depth.items() if level == 0)
    meta = ExportMeta(root, as_of, depth, sorted(relations) if relations else None, "ecosystem")
    return render(fmt, sub, store.labels(), meta)
