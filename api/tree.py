"""The organigram as nested JSON: one value for a whole tree, for GraphQL's `tree` and REST."""

from __future__ import annotations

from typing import Any

from api.formats import code_labels, display_name, kind
from api.formats.names import NAMING_KEYS
from graph.labels import Labels
from graph.queries import OrgNode

# The properties a box shows (its name, number and codes), per label: all an organigram asks its store
# for. Every property of the largest legal entity's 2,168 activities was a third of its time
# (bench/README.md).
BOX_KEYS = NAMING_KEYS


def tree_json(box: OrgNode, labels: Labels) -> dict[str, Any]:
    """Return an organigram as nested JSON, the shape D3's `hierarchy` reads."""
    n = box.node
    return {
        "id": n.id,
        "kind": kind(n.label),
        "finess": n.props.get("finess"),
        "name": display_name(n, labels),
        "role": box.role,
        "category": n.props.get("category"),
        "labels": code_labels(n, labels),
        "childCount": box.child_count,
        "more": box.child_count - len(box.children),
        "children": [tree_json(child, labels) for child in box.children],
    }


def boxes(box: OrgNode) -> int:
    """Return how many boxes an organigram holds."""
    count, todo = 0, [box]
    while todo:
        current = todo.pop()
        count += 1
        todo.extend(current.children)
    return count
