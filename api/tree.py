"""The organigram as nested JSON: one value for a whole tree, for GraphQL's `tree` and REST."""

from __future__ import annotations

from typing import Any

from api.formats import code_labels, display_name, kind
from graph.labels import Labels
from graph.queries import OrgNode


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
