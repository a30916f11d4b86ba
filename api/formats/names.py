"""What people and programs call a node: its kind (an enum name) and its display name."""

from __future__ import annotations

import functools
import re
from typing import Any

from api.report import coded
from graph.labels import Labels
from graph.queries import NODE_LABELS, RELATION_TYPES
from graph.store import DATE_KEYS, NodeView

# The label table of an activity's codes, per nature, where a bundled table is that nomenclature
# (the AMM codes of Nomenclature-AMM-V14); other natures' codes are shown as codes.
AMM_TABLES = {
    "activity": "amm_activity",
    "modality": "amm_modality",
    "mention": "amm_mention",
    "specificPractice": "amm_practice",
    "declaration": "amm_declaration",
}
ACTIVITY_LABELS = frozenset({"AuthorizedActivity", "OperatedActivity"})
# r376 has no bundled table; a user-supplied `event_type.json` is used when present.
EVENT_TABLE = "event_type"
STREET_KEYS = ("number", "streetType", "street")
TOWN_KEYS = ("postalCode", "routing")


# Of the coded properties (api/report.py's `CODED`), those a node of each label holds (docs/graph-schema.md);
# `role` is a relationship's.
_CODED_BY_LABEL = {"LegalEntity": {"legalStatus", "category"}, "Establishment": {"category"}}
_PLACES = frozenset({"Commune", "Department", "Region", "Authority"})


def _naming_keys(label: str) -> frozenset[str]:
    """Return what `display_name`, `code_labels` and a box or graph node read of a node of this label.

    Only what a node of the label can hold (docs/graph-schema.md): asking Neo4j for a property that a
    node lacks walks the node's whole property chain. Activities' four absent keys were a tenth of the
    largest organigram's read of them (bench/README.md).
    """
    if label in ACTIVITY_LABELS:
        return frozenset({"activity", "activityId", "nature", *AMM_TABLES})
    if label == "Event":
        return frozenset({"code"})
    if label == "Address":
        return frozenset({*STREET_KEYS, *TOWN_KEYS, "line4"})
    if label == "Engagement":
        return frozenset({"name", "reference", "engagementType"})
    if label in _PLACES:
        return frozenset({"name", "code"})
    return frozenset({"name", "longName", "finess", *_CODED_BY_LABEL.get(label, ())})


# Per label, all an organigram's boxes, an ecosystem's or a path's nodes ask their store for
# (api/routes/structures.py, api/graphql/schema.py): each shows a node's number, name and coded
# properties. Every property of the largest legal entity's 2,168 activities was a third of its
# organigram's time (bench/README.md).
NAMING_KEYS = {label: _naming_keys(label) for label in NODE_LABELS}
# The same and the valid dates of every node and relationship, for an answer that shows them.
DATED_NAMING_KEYS = {
    **dict.fromkeys(RELATION_TYPES, DATE_KEYS),
    **{label: keys | DATE_KEYS for label, keys in NAMING_KEYS.items()},
}


@functools.cache  # a dozen labels, asked for every node of every answer
def kind(label: str) -> str:
    """Return the node kind enum name of a graph label: `LegalEntity` → `LEGAL_ENTITY`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", label).upper()


def code_labels(node: NodeView, labels: Labels) -> dict[str, str]:
    """Return the labels of a node's coded properties whose code is known, by property name."""
    found = coded(node.props, labels)
    if node.label in ACTIVITY_LABELS and node.props.get("nature") == "AMM":
        activity = node.props.get("activity")
        for key, table in AMM_TABLES.items():
            label = _amm_label(labels, table, node.props.get(key), activity)
            if label:
                found[key] = label
    if node.label == "Event":
        label = labels.label(EVENT_TABLE, _text(node.props.get("code")))
        if label:
            found["code"] = label
    return dict(sorted(found.items()))


def display_name(node: NodeView, labels: Labels, named: dict[str, str] | None = None) -> str:
    """Return what a person sees for a node: a name, else a label of its code, else its code or id.

    `named` is the node's `code_labels`, when the caller has them already.
    """
    p = node.props
    if node.label in ACTIVITY_LABELS:
        named = code_labels(node, labels) if named is None else named
        return named.get("activity") or _first(p, "activity", "activityId") or node.id
    if node.label == "Event":
        named = code_labels(node, labels) if named is None else named
        return named.get("code") or _first(p, "code") or node.id
    if node.label == "Address":
        street = " ".join(str(p[k]) for k in STREET_KEYS if p.get(k))
        town = " ".join(str(p[k]) for k in TOWN_KEYS if p.get(k))
        return ", ".join(part for part in (street or _first(p, "line4"), town) if part) or node.id
    if node.label == "Engagement":
        return _first(p, "name", "reference") or f"{p.get('engagementType') or ''} {node.id}".strip()
    return _first(p, "name", "longName", "code", "finess") or node.id


def _amm_label(labels: Labels, table: str, code: Any, activity: Any) -> str | None:
    label = labels.label(table, _text(code))
    if label is None:
        # A code that names two things (MO026) is labelled per activity.
        entry = labels.entry(table, _text(code))
        by_activity = entry.get("byActivity") if isinstance(entry, dict) else None
        if isinstance(by_activity, dict):
            found = by_activity.get(_text(activity) or "")
            label = found if isinstance(found, str) else None
    return label


def _first(props: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        if props.get(key):
            return str(props[key])
    return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
