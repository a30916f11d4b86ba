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
from graph.store import NodeView


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
    root: strawberry.ID
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = strawberry.field(description="Whether the node cap or a path limit cut the answer.")
    paths: list[list[strawberry.ID]] = strawberry.field(description="For `path`: each as node ids.")
    graph: JSON = strawberry.field(
        description="The whole answer as one node-link JSON value (docs/exports.md): the fast way to "
        "fetch a large graph, as no field is resolved one by one."
    )


def ecosystem_object(sub: Subgraph, labels: Labels, meta: ExportMeta) -> Ecosystem:
    """Return the GraphQL ecosystem of a subgraph."""
    nodes = [
        GraphNode(
            id=strawberry.ID(n.id),
            kind=NodeKind(n.label),
            finess=n.props.get("finess"),
            name=display_name(n, labels),
            depth=sub.depth.get(n.id, 0),
            more=sub.more.get(n.id, 0),
            valid_from=day(n.valid_from),
            valid_to=day(n.valid_to),
            node=n,
            as_of=meta.as_of,
        )
        for n in sorted(sub.nodes.values(), key=lambda n: (sub.depth.get(n.id, 0), n.id))
    ]
    edges = []
    for e in sub.edges:
        since, until = span(e)
        edges.append(
            GraphEdge(
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
        )
    return Ecosystem(
        root=strawberry.ID(meta.root),
        nodes=nodes,
        edges=edges,
        truncated=sub.truncated,
        paths=[[strawberry.ID(i) for i in p] for p in sub.paths],
        graph=JSON(node_link(sub, labels, meta)),
    )


@strawberry.type(description="One box of an organigram and the boxes under it.")
class OrgNode:
    node: GraphNode
    role: MemberRole | None = strawberry.field(description="Its role in the grouping above it.")
    child_count: int = strawberry.field(description="How many children it has, shown or not.")
    more: int = strawberry.field(description="How many children are not shown (depth or box limit).")
    children: list[OrgNode]
    box: strawberry.Private[OrgBox]
    labels: strawberry.Private[Labels]

    @strawberry.field(description="The structure of the box; null for an activity box.")
    def structure(self, info: Info) -> Structure | None:
        return structure_object(self.node.node, info, self.node.as_of)

    @strawberry.field(description="This box and everything under it as one JSON value (fast for big trees).")
    def tree(self) -> JSON:
        return JSON(tree_json(self.box, self.labels))


def org_object(box: OrgBox, labels: Labels, as_of: str | None, depth: int = 0) -> OrgNode:
    """Return the GraphQL organigram of a tree of boxes."""
    n = box.node
    node = GraphNode(
        id=strawberry.ID(n.id),
        kind=NodeKind(n.label),
        finess=n.props.get("finess"),
        name=display_name(n, labels),
        depth=depth,
        more=0,
        valid_from=day(n.valid_from),
        valid_to=day(n.valid_to),
        node=n,
        as_of=as_of,
    )
    return OrgNode(
        node=node,
        role=role_of(box.role),
        child_count=box.child_count,
        more=box.child_count - len(box.children),
        children=[org_object(child, labels, as_of, depth + 1) for child in box.children],
        box=box,
        labels=labels,
    )


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
