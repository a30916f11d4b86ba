"""What the organigram draws from the API's tree, written independently of web/static/js/organigram.js.

The rules (docs/web.md): beyond GROUP_ABOVE children a box's children are grouped (by category, or by
activity for activities), group boxes folded unless there is only one group; grouping is abandoned for
pages when it gives more than MAX_GROUPS groups or fewer than three children per group on average; a
list shows PAGE children then one "N de plus" box; in a tree of more than FOLD_ABOVE boxes,
establishments start folded.
"""

from __future__ import annotations

from typing import Any

GROUP_ABOVE, PAGE, MAX_GROUPS, FOLD_ABOVE = 40, 40, 120, 300
ACTIVITIES = {"AUTHORIZED_ACTIVITY", "OPERATED_ACTIVITY"}


def boxes(tree: dict[str, Any]) -> int:
    """Every box of the API's tree."""
    return 1 + sum(boxes(c) for c in tree["children"])


def _group(child: dict[str, Any]) -> str:
    if child["kind"] in ACTIVITIES:
        return str(child["name"] or "?")
    return str(child["category"] or "?")


def visible(tree: dict[str, Any]) -> int:
    """How many boxes the organigram draws at first for the API's tree (grouped by category)."""
    fold = boxes(tree) > FOLD_ABOVE

    def paged(items: list[dict[str, Any]]) -> int:
        return sum(count(c) for c in items[:PAGE]) + (1 if len(items) > PAGE else 0)

    def count(node: dict[str, Any]) -> int:
        children = node["children"]
        if not children:
            return 2 if node["more"] > 0 else 1
        if fold and node["kind"] == "ESTABLISHMENT":
            return 1
        groups: dict[str, list[dict[str, Any]]] = {}
        if len(children) > GROUP_ABOVE:
            for child in children:
                groups.setdefault(_group(child), []).append(child)
        if groups and len(groups) <= MAX_GROUPS and len(groups) <= len(children) / 3:
            if len(groups) == 1:
                return 2 + paged(next(iter(groups.values())))
            return 1 + len(groups)
        return 1 + paged(children)

    return count(tree)
