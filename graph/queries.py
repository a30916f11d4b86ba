"""The traversals both stores share: ecosystem, organigram, grouping members, path and timeline.

A store provides four primitives (`resolve`, `nodes`, `neighbours`, `versions`); the algorithms are
written once here on top of them, so both stores give the same answers by construction. The rules
are those of docs/queries.md.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx
import orjson

from graph.store import EdgeView, Keys, NodeView, StructureView

# The organisational relationships: what "everything around a structure" follows by default.
DEFAULT_RELATIONS = frozenset(
    {
        "ATTACHED_TO",
        "MEMBER_OF",
        "HEADED_BY",
        "RELATED_TO",
        "HOLDS",
        "OPERATES",
        "IMPLEMENTS",
        "BOUND_BY",
        "ISSUED_BY",
    }
)
RELATION_TYPES = DEFAULT_RELATIONS | {"HAS_ADDRESS", "LOCATED_IN", "PART_OF", "RECORDED"}
# Relationships to a leaf are listed from their owner only.
LEAF_RELATIONS = frozenset({"RECORDED", "HAS_ADDRESS"})
# Nodes shared by thousands of structures, or leaves: reached by a traversal, never crossed.
TERMINAL_LABELS = frozenset({"Commune", "Department", "Region", "Authority", "Event", "Address"})
GROUPING_LABELS = frozenset({"OrganicGrouping", "ConventionalGrouping"})
MAX_DEPTH = 4
ECOSYSTEM_LIMIT = 500
ORGANIGRAM_LIMIT = 20_000
PATH_LIMIT = 10
PATH_MAX_LENGTH = 8
PATH_NODE_BUDGET = 200_000
# An organigram's children: (relationship type, whether the children are its sources).
CHILDREN = {
    "ConventionalGrouping": ("MEMBER_OF", True),
    "OrganicGrouping": ("MEMBER_OF", True),
    "LegalEntity": ("ATTACHED_TO", True),
    "Establishment": ("OPERATES", False),
}
CHILD_TYPES = frozenset(kind for kind, _ in CHILDREN.values())
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})  # which NFKD does not decompose
# What an organigram sorts its boxes by: their relationship's role, then their name.
ROLE, NAME = frozenset({"role"}), frozenset({"name"})
# The relationship types that hold a `role` (docs/graph-schema.md): a keyed read asks no other type for
# one, which Neo4j would look for along the relationship's every property.
ROLE_TYPES = frozenset({"MEMBER_OF", "RELATED_TO"})
# The labels of the graph's nodes (docs/graph-schema.md).
NODE_LABELS = frozenset(
    {"LegalEntity", "Establishment", "OrganicGrouping", "ConventionalGrouping", "AuthorizedActivity"}
    | {"OperatedActivity", "Engagement", "Authority", "Event", "Address", "Commune", "Department", "Region"}
)
LINK_TYPES = frozenset({"ATTACHED_TO", "MEMBER_OF", "HEADED_BY", "RELATED_TO"})

Neighbours = dict[str, list[tuple[EdgeView, NodeView]]]


@dataclass
class Version:
    """A previous version of a node: its properties and source dates until a snapshot date."""

    until: str
    props: dict[str, Any]
    valid_from: str | None
    valid_to: str | None


@dataclass
class Subgraph:
    """Nodes and relationships found by a traversal, with how far each node is from its start."""

    nodes: dict[str, NodeView]
    edges: list[EdgeView]
    depth: dict[str, int]
    truncated: bool = False
    more: dict[str, int] = field(default_factory=dict)
    paths: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)  # thousands per large organigram: no __dict__ each
class OrgNode:
    """One box of an organigram: the structure, its role under its parent, and its children."""

    node: NodeView
    role: str | None
    edge: EdgeView | None
    child_count: int = 0
    children: list[OrgNode] = field(default_factory=list)


@dataclass
class Membership:
    """A member of a grouping: `S` support or `M` member, since and until when."""

    role: str | None
    since: str | None
    until: str | None
    node: NodeView
    edge: EdgeView


@dataclass
class SearchPage:
    """One page of search results and how many there are in all."""

    total: int
    items: list[NodeView]


@dataclass
class SearchQuery:
    """What a search asks for: words (names and numbers, by prefix) and filters."""

    text: str | None = None
    kinds: Sequence[str] | None = None
    department: str | None = None
    region: str | None = None
    commune: str | None = None
    category: str | None = None
    as_of: str | None = None
    offset: int = 0
    limit: int = 20

    def words(self) -> list[str]:
        """Return the folded words of the text, each matched as a prefix."""
        return fold(self.text or "").split()


@dataclass
class TimelineEntry:
    """One dated fact of a structure's life."""

    date: str
    kind: str
    detail: dict[str, Any]
    related: str | None = None


class Primitives(Protocol):
    """What a store gives the traversals."""

    def resolve(self, finess: str) -> str | None: ...

    def nodes(self, ids: Collection[str], as_of: str | None = None) -> dict[str, NodeView]: ...

    def neighbours(
        self,
        ids: Collection[str],
        types: Collection[str],
        as_of: str | None = None,
        direction: str = "both",
        keys: Keys | None = None,
    ) -> Neighbours: ...

    def versions(self, node_id: str) -> list[Version]: ...

    def structure(self, finess: str, as_of: str | None = None) -> StructureView | None: ...


def fold(text: str) -> str:
    """Return text without accents, in lower case, with every run of other characters one space."""
    text = text.lower().translate(LIGATURES)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def search_text(props: Mapping[str, Any]) -> str:
    """Return the words a structure is found by: its names and its numbers, folded."""
    parts = [props.get(k) for k in ("name", "longName", "finess", "siren", "siret")]
    words = dict.fromkeys(fold(" ".join(str(p) for p in parts if p)).split())
    return " ".join(words)


def sort_key(name: str | None, node_id: str) -> tuple[bool, str, str]:
    """Order search results by name (unnamed last), then id: the order Cypher's ORDER BY gives."""
    return (name is None, name or "", node_id)


def edge_key(edge: EdgeView) -> tuple[str, str, str, bytes]:
    """Return a total order on relationships, the same in both stores."""
    return (edge.type, edge.source, edge.target, orjson.dumps(edge.props, option=orjson.OPT_SORT_KEYS))


def relation_set(relations: Iterable[str] | None) -> frozenset[str]:
    """Return the relationship types to follow: the organisational ones unless told."""
    return DEFAULT_RELATIONS if relations is None else frozenset(relations) & RELATION_TYPES


def with_keys(keys: Keys | None, more: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]] | None:
    """Return the keys a traversal asks for: the caller's and what it reads itself (`more`)."""
    if keys is None:
        return None
    wanted = {kind: frozenset(k) for kind, k in keys.items()}
    for kind, k in more.items():
        wanted[kind] = wanted.get(kind, frozenset()) | k
    return wanted


def _sorted(found: Neighbours, node_id: str) -> list[tuple[EdgeView, NodeView]]:
    return sorted(found.get(node_id, ()), key=lambda pair: (pair[1].id, edge_key(pair[0])))


def _crossable(node: NodeView, ends: Collection[str]) -> bool:
    return node.id in ends or node.label not in TERMINAL_LABELS


def _name(node: NodeView) -> str:
    return str(node.props.get("name") or "")


def ecosystem_keys(keys: Keys | None) -> dict[str, frozenset[str]] | None:
    """Return the keys an ecosystem asks for: the caller's and the roles of relationships.

    A relationship is told apart from a parallel one by its properties: its role (edge_key).
    """
    return with_keys(keys, dict.fromkeys(ROLE_TYPES, ROLE))


# What an ecosystem reads of one level: (level, the ids to expand) → their relationships and other ends.
Around = Callable[[int, list[str]], Neighbours]


def grow_ecosystem(root: NodeView, depth: int, limit: int, around: Around) -> Subgraph:
    """Return what surrounds `root` up to `depth` hops, at most `limit` nodes, each level read by `around`."""
    graph = Subgraph({root.id: root}, [], {root.id: 0})
    seen: set[tuple[str, str, str, bytes]] = set()
    frontier = [root.id]
    for level in range(1, max(0, min(depth, MAX_DEPTH)) + 1):
        expand = sorted(i for i in frontier if _crossable(graph.nodes[i], (root.id,)))
        if not expand:
            break
        found = around(level, expand)
        frontier = []
        for node_id in expand:
            cut: set[str] = set()
            for edge, other in _sorted(found, node_id):
                if other.id not in graph.nodes:
                    if len(graph.nodes) >= limit:
                        cut.add(other.id)
                        continue
                    graph.nodes[other.id] = other
                    graph.depth[other.id] = level
                    frontier.append(other.id)
                key = edge_key(edge)
                if key not in seen:
                    seen.add(key)
                    graph.edges.append(edge)
            if cut:
                graph.more[node_id] = len(cut)
                graph.truncated = True
        if graph.truncated:
            break  # the next level would only count what is cut: a client expands a node itself
    return graph


# What an organigram reads of one level: (step, parents' ids, relationship types, "in" or "out") →
# the parents' relationships of those types and their other ends.
Children = Callable[[int, list[str], set[str], str], Neighbours]


def organigram_keys(keys: Keys | None) -> dict[str, frozenset[str]] | None:
    """Return the keys an organigram asks for: the caller's, its boxes' names and members' roles."""
    roles = dict.fromkeys(CHILD_TYPES & ROLE_TYPES, ROLE)
    return with_keys(keys, {**roles, **dict.fromkeys(NODE_LABELS, NAME)})


def organigram_steps(depth: int) -> int:
    """Return how many levels an organigram of `depth` reads: one more than it shows, to count theirs."""
    return max(0, min(depth, MAX_DEPTH)) + 1


def grow_organigram(root: NodeView, depth: int, limit: int, children: Children) -> OrgNode:
    """Return the tree under `root`, level by level, its boxes' children read by `children`."""
    tree = OrgNode(root, None, None)
    level, total = [tree], 1
    for step in range(organigram_steps(depth)):
        parents = [box for box in level if box.node.label in CHILDREN]
        if not parents:
            break
        found: Neighbours = {}
        for incoming in (True, False):  # children only: not the way back to the parent
            # Once each: a node under two parents of one level is read once for both of its boxes.
            ids = list(dict.fromkeys(p.node.id for p in parents if CHILDREN[p.node.label][1] is incoming))
            types = {kind for kind, into in CHILDREN.values() if into is incoming}
            if ids:
                found.update(children(step, ids, types, "in" if incoming else "out"))
        level = []
        for parent in parents:
            kind, incoming = CHILDREN[parent.node.label]
            kids = [
                (edge, node)
                for edge, node in found.get(parent.node.id, ())
                if edge.type == kind and (edge.target if incoming else edge.source) == parent.node.id
            ]
            parent.child_count = len(kids)
            if step == min(depth, MAX_DEPTH):
                continue
            kids.sort(key=_box_order)
            parent.children = [
                OrgNode(node, edge.props.get("role"), edge) for edge, node in kids[: max(0, limit - total)]
            ]
            level += parent.children
            total += len(parent.children)
    return tree


def _box_order(kid: tuple[EdgeView, NodeView]) -> tuple[bool, str, str]:
    """Order an organigram's boxes under a parent: the support first, then by name and id."""
    edge, node = kid
    return (edge.props.get("role") != "S", str(node.props.get("name") or ""), node.id)


class Traversals:
    """The shared queries, mixed into both stores."""

    def root(self: Primitives, finess: str, as_of: str | None) -> NodeView | None:
        """Return the structure with this number (or grouping id) if it is valid at `as_of`."""
        node_id = self.resolve(finess)
        return None if node_id is None else self.nodes([node_id], as_of).get(node_id)

    def ecosystem(
        self,
        finess: str,
        depth: int = 2,
        as_of: str | None = None,
        relations: Iterable[str] | None = None,
        limit: int = ECOSYSTEM_LIMIT,
        keys: Keys | None = None,
    ) -> Subgraph | None:
        """Return what surrounds a structure up to `depth` hops, at most `limit` nodes.

        `keys`, when given, the only properties wanted of the nodes around the root, per label.
        """
        root = self.root(finess, as_of)  # type: ignore[misc]
        if root is None:
            return None
        types, wanted = relation_set(relations), ecosystem_keys(keys)

        def around(level: int, ids: list[str]) -> Neighbours:
            return self.neighbours(ids, types, as_of, "both", wanted)  # type: ignore[attr-defined,no-any-return]

        return grow_ecosystem(root, depth, limit, around)

    def organigram(
        self,
        finess: str,
        as_of: str | None = None,
        depth: int = 3,
        limit: int = ORGANIGRAM_LIMIT,
        keys: Keys | None = None,
    ) -> OrgNode | None:
        """Return the tree under a structure: grouping → members → establishments → activities.

        `keys`, when given, the only properties wanted of the boxes under the root, per label.
        """
        root = self.root(finess, as_of)  # type: ignore[misc]
        if root is None:
            return None
        wanted = organigram_keys(keys)

        def children(step: int, ids: list[str], types: set[str], way: str) -> Neighbours:
            return self.neighbours(ids, types, as_of, way, wanted)  # type: ignore[attr-defined,no-any-return]

        return grow_organigram(root, depth, limit, children)

    def members(self, grouping: str, as_of: str | None = None) -> list[Membership] | None:
        """Return a grouping's members valid at `as_of`, its support first, then by name."""
        root = self.root(grouping, as_of)  # type: ignore[misc]
        if root is None or root.label not in GROUPING_LABELS:
            return None
        found = self.neighbours([root.id], ("MEMBER_OF",), as_of)  # type: ignore[attr-defined]
        members = [
            Membership(edge.props.get("role"), *span(edge), node, edge)
            for edge, node in found.get(root.id, ())
            if edge.target == root.id
        ]
        members.sort(key=lambda m: (m.role != "S", _name(m.node), m.node.id))
        return members

    def path(
        self,
        source: str,
        target: str,
        as_of: str | None = None,
        max_length: int = 6,
        relations: Iterable[str] | None = None,
        limit: int = PATH_LIMIT,
        keys: Keys | None = None,
    ) -> Subgraph | None:
        """Return the shortest paths between two structures (at most `limit`), or None if one is unknown.

        A bidirectional breadth-first search fetches one level at a time from the smaller side; the
        paths are then enumerated by networkx on the subgraph it fetched. `keys` as for `ecosystem`.
        """
        a = self.root(source, as_of)  # type: ignore[misc]
        b = self.root(target, as_of)  # type: ignore[misc]
        if a is None or b is None:
            return None
        if a.id == b.id:
            return Subgraph({a.id: a}, [], {a.id: 0}, paths=[[a.id]])
        types = relation_set(relations)
        wanted = with_keys(keys, dict.fromkeys(RELATION_TYPES, ROLE))
        max_length = max(1, min(max_length, PATH_MAX_LENGTH))
        nodes = {a.id: a, b.id: b}
        edges: dict[tuple[str, str, str, bytes], EdgeView] = {}
        sides = ({a.id: 0}, {b.id: 0})
        frontiers = ([a.id], [b.id])
        reached = [0, 0]
        truncated = False
        while reached[0] + reached[1] < max_length and all(frontiers):
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            dist, frontier = sides[side], frontiers[side]
            found = self.neighbours(sorted(frontier), types, as_of, "both", wanted)  # type: ignore[attr-defined]
            reached[side] += 1
            new: list[str] = []
            for node_id in sorted(frontier):
                for edge, other in _sorted(found, node_id):
                    if not _crossable(other, (a.id, b.id)):
                        continue
                    nodes.setdefault(other.id, other)
                    edges.setdefault(edge_key(edge), edge)
                    if other.id not in dist:
                        dist[other.id] = reached[side]
                        new.append(other.id)
            frontiers = (new, frontiers[1]) if side == 0 else (frontiers[0], new)
            if any(n in sides[1 - side] for n in new):
                break
            if len(nodes) > PATH_NODE_BUDGET:
                truncated = True
                break
        return _shortest(a.id, b.id, nodes, edges, max_length, limit, truncated)

    def timeline(self, finess: str) -> list[TimelineEntry] | None:
        """Return a structure's dated facts, oldest first: opening, changes, links, events, closure."""
        view: StructureView | None = self.structure(finess)  # type: ignore[attr-defined]
        if view is None:
            return None
        node = view.node
        entries = [
            TimelineEntry(day, kind, {})
            for day, kind in ((node.valid_from, "OPENED"), (node.valid_to, "CLOSED"))
            if day is not None
        ]
        entries += _observations(node.observed, "APPEARED", "DISAPPEARED", {}, None)
        history = self.versions(node.id)  # type: ignore[attr-defined]
        newer = [v.props for v in history[1:]] + [node.props] if history else []
        for version, after in zip(history, newer, strict=True):
            changed = {
                k: [version.props.get(k), after.get(k)]
                for k in sorted(version.props.keys() | after.keys())
                if version.props.get(k) != after.get(k)
            }
            entries.append(TimelineEntry(version.until, "CHANGED", {"fields": changed}))
        for edge in sorted(view.edges, key=edge_key):
            other = edge.target if edge.source == node.id else edge.source
            if edge.type == "RECORDED":
                event = view.neighbours[other]
                day = event.valid_from or event.props.get("date")
                if day:
                    entries.append(TimelineEntry(day, "EVENT", {"code": event.props.get("code")}, other))
            elif edge.type in LINK_TYPES:
                detail = {"type": edge.type, "outgoing": edge.source == node.id, **edge.props}
                for day, kind in ((edge.valid_from, "LINKED"), (edge.valid_to, "UNLINKED")):
                    if day is not None:
                        entries.append(TimelineEntry(day, kind, detail, other))
                entries += _observations(edge.observed, "LINKED", "UNLINKED", detail, other)
        order = {"OPENED": 0, "APPEARED": 1, "LINKED": 2, "CHANGED": 3, "EVENT": 4, "UNLINKED": 5}
        entries.sort(
            key=lambda e: (
                e.date,
                order.get(e.kind, 6),
                e.related or "",
                orjson.dumps(e.detail, option=orjson.OPT_SORT_KEYS),
            )
        )
        return entries


def span(edge: EdgeView) -> tuple[str | None, str | None]:
    """Return since and until of a relationship: its source dates, else its observations."""
    since = edge.valid_from or (edge.observed[0][0] if edge.observed else None)
    until = edge.valid_to or (edge.observed[-1][1] if edge.observed else None)
    return since, until


def _observations(
    observed: list[tuple[str | None, str | None]],
    start: str,
    end: str,
    detail: dict[str, Any],
    related: str | None,
) -> list[TimelineEntry]:
    entries = []
    for begin, finish in observed:
        if begin is not None:
            entries.append(TimelineEntry(begin, start, {**detail, "observed": True}, related))
        if finish is not None:
            entries.append(TimelineEntry(finish, end, {**detail, "observed": True}, related))
    return entries


def _shortest(
    a: str,
    b: str,
    nodes: dict[str, NodeView],
    edges: dict[tuple[str, str, str, bytes], EdgeView],
    max_length: int,
    limit: int,
    truncated: bool,
) -> Subgraph:
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from(sorted({tuple(sorted((e.source, e.target))) for e in edges.values()}))
    result = Subgraph({}, [], {}, truncated=truncated)
    try:
        found = sorted(itertools.islice(nx.all_shortest_paths(graph, a, b), 1000))
    except nx.NetworkXNoPath:
        found = []
    found = [p for p in found if len(p) - 1 <= max_length]
    if len(found) > limit:
        result.truncated = True
    result.paths = found[:limit]
    for path in result.paths:
        for i, node_id in enumerate(path):
            result.nodes.setdefault(node_id, nodes[node_id])
            result.depth.setdefault(node_id, i)
    steps = {frozenset(pair) for path in result.paths for pair in itertools.pairwise(path)}
    result.edges = [e for key, e in sorted(edges.items()) if frozenset((e.source, e.target)) in steps]
    if not result.paths:
        result.nodes, result.depth = {a: nodes[a], b: nodes[b]}, {a: 0}
    return result
