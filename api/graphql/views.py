"""The graph-shaped answers: ecosystems and paths, organigrams, timelines and statistics."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from api.formats import ExportMeta, display_name, node_link
from api.graphql.structures import Structure, structure_object
from api.graphql.types import Info, MemberRole, day, role_of
from api.tree import tree_json
from graph.labels import Labels
from graph.queries import OrgNode as OrgBox
from graph.queries import Subgraph, TimelineEntry, span
from graph.store import EdgeView, NodeView


@strawberry.enum(description="Every kind of node of the graph.")
class NodeKind(enum.Enum):
    LEGAL_ENTITY = "LegalEntity"
    ESTABLISHMENT = "Establishment"
    ORGANIC_GROUPING = "OrganicGrouping"
    CONVENTIONAL_GROUPING = "ConventionalGrouping"
    AUTHORIZED_ACTIVITY = "AuthorizedActivity"
    OPERATED_ACTIVITY = "OperatedActivity"
    ENGAGEMENT = "Engagement"
    AUTHORITY = "Authority"
    EVENT = "Event"
    ADDRESS = "Address"
    COMMUNE = "Commune"
    DEPARTMENT = "Department"
    REGION = "Region"


@strawberry.enum(description="The relationship types of the graph (docs/graph-schema.md).")
class RelationType(enum.Enum):
    ATTACHED_TO = "ATTACHED_TO"
    MEMBER_OF = "MEMBER_OF"
    HEADED_BY = "HEADED_BY"
    RELATED_TO = "RELATED_TO"
    HOLDS = "HOLDS"
    OPERATES = "OPERATES"
    IMPLEMENTS = "IMPLEMENTS"
    BOUND_BY = "BOUND_BY"
    ISSUED_BY = "ISSUED_BY"
    HAS_ADDRESS = "HAS_ADDRESS"
    LOCATED_IN = "LOCATED_IN"
    PART_OF = "PART_OF"
    RECORDED = "RECORDED"


@strawberry.type(description="A node of an ecosystem or path, with how many hops it is from the start.")
class GraphNode:
    id: strawberry.ID
    kind: NodeKind
    finess: str | None
    name: str | None
    depth: int
    more: int = strawberry.field(description="How many of its neighbours the node cap left out.")
    valid_from: dt.date | None
    valid_to: dt.date | None
    node: strawberry.Private[NodeView]
    as_of: strawberry.Private[str | None]

    @strawberry.field(description="The whole structure, for a structure node; null for the others.")
    def structure(self, info: Info) -> Structure | None:
        return structure_object(self.node, info, self.as_of)


@strawberry.type(description="A relationship, with its role and the dates it held.")
class GraphEdge:
    source: strawberry.ID
    target: strawberry.ID
    type: RelationType
    role: str | None
    since: dt.date | None
    until: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    properties: JSON


@strawberry.type(description="What surrounds a structure, or the shortest paths between two.")
class Ecosystem:
    """Fields are built only when asked: a client fetching `graph` pays for nothing else."""

    sub: strawberry.Private[Subgraph]
    labels: strawberry.Private[Labels]
    meta: strawberry.Private[ExportMeta]

    @strawberry.field
    def root(self) -> strawberry.ID:
        return strawberry.ID(self.meta.root)

    @strawberry.field(description="Whether the node cap or a path limit cut the answer.")
    def truncated(self) -> bool:
        return self.sub.truncated

    @strawberry.field(description="For `path`: each path as node ids.")
    def paths(self) -> list[list[strawberry.ID]]:
        return [[strawberry.ID(i) for i in p] for p in self.sub.paths]

    @strawberry.field
    def nodes(self) -> list[GraphNode]:
        sub, labels, as_of = self.sub, self.labels, self.meta.as_of
        ordered = sorted(sub.nodes.values(), key=lambda n: (sub.depth.get(n.id, 0), n.id))
        return [graph_node(n, labels, as_of, sub.depth.get(n.id, 0), sub.more.get(n.id, 0)) for n in ordered]

    @strawberry.field
    def edges(self) -> list[GraphEdge]:
        return [graph_edge(e) for e in self.sub.edges]

    @strawberry.field(
        description="The whole answer as one node-link JSON value (docs/exports.md): the fast way to "
        "fetch a large graph, as no field is resolved one by one."
    )
    def graph(self) -> JSON:
        return JSON(node_link(self.sub, self.labels, self.meta))


def graph_node(n: NodeView, labels: Labels, as_of: str | None, depth: int, more: int = 0) -> GraphNode:
    """Return the GraphQL form of a node of a subgraph or organigram."""
    return GraphNode(
        id=strawberry.ID(n.id),
        kind=NodeKind(n.label),
        finess=n.props.get("finess"),
        name=display_name(n, labels),
        depth=depth,
        more=more,
        valid_from=day(n.valid_from),
        valid_to=day(n.valid_to),
        node=n,
        as_of=as_of,
    )


def graph_edge(e: EdgeView) -> GraphEdge:
    """Return the GraphQL form of a relationship."""
    since, until = span(e)
    return GraphEdge(
        source=strawberry.ID(e.source),
        target=strawberry.ID(e.target),
        type=RelationType(e.type),
        role=e.props.get("role"),
        since=day(since),
        until=day(until),
        valid_from=day(e.valid_from),
        valid_to=day(e.valid_to),
        properties=JSON(e.props),
    )


@strawberry.type(description="One box of an organigram and the boxes under it.")
class OrgNode:
    """Built box by box as a client descends: asking for `tree` alone builds no other object."""

    box: strawberry.Private[OrgBox]
    labels: strawberry.Private[Labels]
    as_of: strawberry.Private[str | None]
    depth: strawberry.Private[int]

    @strawberry.field
    def node(self) -> GraphNode:
        return graph_node(self.box.node, self.labels, self.as_of, self.depth)

    @strawberry.field(description="Its role in the grouping above it.")
    def role(self) -> MemberRole | None:
        return role_of(self.box.role)

    @strawberry.field(description="How many children it has, shown or not.")
    def child_count(self) -> int:
        return self.box.child_count

    @strawberry.field(description="How many children are not shown (depth or box limit).")
    def more(self) -> int:
        return self.box.child_count - len(self.box.children)

    @strawberry.field
    def children(self) -> list[OrgNode]:
        return [
            OrgNode(box=c, labels=self.labels, as_of=self.as_of, depth=self.depth + 1)
            for c in self.box.children
        ]

    @strawberry.field(description="The structure of the box; null for an activity box.")
    def structure(self, info: Info) -> Structure | None:
        return structure_object(self.box.node, info, self.as_of)

    @strawberry.field(description="This box and everything under it as one JSON value (fast for big trees).")
    def tree(self) -> JSON:
        return JSON(tree_json(self.box, self.labels))


@strawberry.enum(description="What a timeline entry tells.")
class TimelineKind(enum.Enum):
    OPENED = "OPENED"
    CLOSED = "CLOSED"
    APPEARED = "APPEARED"
    DISAPPEARED = "DISAPPEARED"
    CHANGED = "CHANGED"
    EVENT = "EVENT"
    LINKED = "LINKED"
    UNLINKED = "UNLINKED"


@strawberry.type(name="TimelineEntry", description="One dated fact of a structure's life.")
class TimelineItem:
    date: dt.date | None
    kind: TimelineKind
    detail: JSON
    related: strawberry.ID | None


def timeline_object(entry: TimelineEntry) -> TimelineItem:
    """Return the GraphQL form of a timeline entry."""
    return TimelineItem(
        date=day(entry.date),
        kind=TimelineKind(entry.kind),
        detail=JSON(entry.detail),
        related=strawberry.ID(entry.related) if entry.related else None,
    )


@strawberry.type
class LabelCount:
    label: str
    count: int


@strawberry.type
class TypeCount:
    type: str
    count: int


@strawberry.type
class DatasetSnapshot:
    dataset: str
    date: dt.date | None


@strawberry.type(description="How much the store holds, all of it or what is valid at a date.")
class Stats:
    snapshot: dt.date | None
    snapshots: list[DatasetSnapshot]
    nodes: list[LabelCount]
    relationships: list[TypeCount]


def stats_object(stats: dict[str, Any]) -> Stats:
    """Return the GraphQL form of a store's `stats`."""
    return Stats(
        snapshot=day(stats.get("snapshot")),
        snapshots=[DatasetSnapshot(dataset=k, date=day(v)) for k, v in stats["snapshots"].items()],
        nodes=[LabelCount(label=k, count=v) for k, v in stats["nodes"].items()],
        relationships=[TypeCount(type=k, count=v) for k, v in stats["relationships"].items()],
    )
