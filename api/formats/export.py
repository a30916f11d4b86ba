"""A structure's ecosystem rendered in an export format: what `finess-graph export` and REST return."""

from __future__ import annotations

from collections.abc import Sequence

from api.arguments import absent, bounded, checked, relations_checked
from api.formats.node_link import ExportMeta
from api.formats.render import Rendered, export_format, render
from graph.labels import Labels
from graph.queries import ECOSYSTEM_LIMIT, MAX_DEPTH, Subgraph
from graph.store import GraphStore


def export_ecosystem(
    store: GraphStore,
    finess: str,
    fmt: str,
    depth: int = 2,
    as_of: str | None = None,
    relations: Sequence[str] | None = None,
    limit: int = ECOSYSTEM_LIMIT,
    labels: Labels | None = None,
) -> Rendered:
    """Return the ecosystem of a structure in format `fmt`; raise NotFound or InvalidRequest."""
    export_format(fmt)  # before asking the store anything
    number, names = checked(finess), relations_checked(relations)
    sub = store.ecosystem(number, bounded("depth", depth, 0, MAX_DEPTH), as_of, names, limit)
    if sub is None:
        raise absent(number, as_of)
    return render(fmt, sub, labels or store.labels(), ecosystem_meta(sub, as_of, depth, names))


def ecosystem_meta(sub: Subgraph, as_of: str | None, depth: int, relations: list[str] | None) -> ExportMeta:
    """Return what an ecosystem answered: the same in every format, GraphQL's `graph` included."""
    root = next(node_id for node_id, level in sub.depth.items() if level == 0)
    return ExportMeta(root, as_of, depth, relations, "ecosystem")
