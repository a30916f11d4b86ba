"""The GraphStore contract that the embedded and Neo4j stores both fulfil, and the views they return."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from graph.errors import SnapshotRefused
from graph.labels import Labels
from graph.model import LoadReport, Snapshot

if TYPE_CHECKING:
    from graph.queries import Membership, OrgNode, SearchPage, SearchQuery, Subgraph, TimelineEntry, Version

STRUCTURE_LABELS = ("LegalEntity", "Establishment", "OrganicGrouping", "ConventionalGrouping")
# Per node label and per relationship type, the only properties a keyed read wants of them; a label or
# type absent from it: none of its properties.
Keys = Mapping[str, Collection[str]]
# Named among a label's or type's keys, either asks a keyed view for its valid dates: without them, its
# `valid_from` and `valid_to` are None. Most answers show none, and in Neo4j reading two dates of each
# of the largest organigram's 3,230 boxes was a sixth of its statement (bench/README.md).
DATE_KEYS = frozenset({"validFrom", "validTo"})


@dataclass(slots=True)  # thousands per large answer: no __dict__ each
class NodeView:
    """A node as of a date: the properties of the version then in force (in key order) and its time stamps."""

    id: str
    label: str
    props: dict[str, Any]
    valid_from: str | None
    valid_to: str | None
    observed: list[tuple[str | None, str | None]]
    versions: int = 1


@dataclass(slots=True)  # thousands per large answer: no __dict__ each
class EdgeView:
    """A relationship as of a date; its properties in key order."""

    type: str
    source: str
    target: str
    props: dict[str, Any]
    valid_from: str | None
    valid_to: str | None
    observed: list[tuple[str | None, str | None]]


@dataclass
class StructureView:
    """A structure with its direct relationships and the nodes at their other ends."""

    node: NodeView
    edges: list[EdgeView]
    neighbours: dict[str, NodeView]


@dataclass
class DatasetChange:
    """What applying one snapshot did to the store."""

    dataset: str
    snapshot: str
    added: int = 0
    changed: int = 0
    closed: int = 0
    reopened: int = 0
    unchanged: int = 0
    skipped_as_loaded: bool = False


@dataclass
class LoadResult:
    """The outcome of one load: a change and a report per file, and what points nowhere."""

    changes: list[DatasetChange] = field(default_factory=list)
    reports: list[LoadReport] = field(default_factory=list)
    dangling: int = 0
    dangling_examples: list[str] = field(default_factory=list)


Progress = Callable[[int], object]


def already_loaded(snap: Snapshot, latest: str | None) -> bool:
    """Refuse a snapshot older than its dataset's latest one; tell whether it is that same one."""
    if latest is not None and snap.date < latest:
        where = f", {snap.dated_by}" if snap.dated_by else ""
        raise SnapshotRefused(
            f"{snap.path}{where}: its snapshot of {snap.date} is older than {latest}, the latest "
            f"{snap.dataset} snapshot already loaded; load snapshots in date order"
        )
    return latest == snap.date


class GraphStore(Protocol):
    """What both stores offer; every query takes an optional `as_of` ISO date (valid time).

    The traversals (ecosystem, organigram, members, path, timeline) are written once, in
    graph/queries.py, on top of `resolve`, `nodes`, `neighbours` and `versions`.
    """

    def load(self, snapshots: Sequence[Snapshot], progress: Progress | None = None) -> LoadResult:
        """Apply full snapshots in date order, all or nothing."""
        ...

    def snapshots(self) -> dict[str, str]:
        """Return the latest snapshot date loaded, per dataset."""
        ...

    def labels(self) -> Labels:
        """Return the code labels: the bundled tables and the nomenclatures loaded."""
        ...

    def stats(self, as_of: str | None = None) -> dict[str, Any]:
        """Count nodes per label and relationships per type, all of them or those valid at `as_of`."""
        ...

    def structure(self, finess: str, as_of: str | None = None) -> StructureView | None:
        """Return the structure with this FINESS number (or grouping id) and its direct relationships."""
        ...

    def resolve(self, finess: str) -> str | None:
        """Return the node id of a structure's FINESS number or of a grouping's number or id."""
        ...

    def root(self, finess: str, as_of: str | None) -> NodeView | None:
        """Return the structure with this number (or grouping id) if it is valid at `as_of`."""
        ...

    def nodes(self, ids: Collection[str], as_of: str | None = None) -> dict[str, NodeView]:
        """Return the nodes with these ids that are valid at `as_of`."""
        ...

    def neighbours(
        self,
        ids: Collection[str],
        types: Collection[str],
        as_of: str | None = None,
        direction: str = "both",
        keys: Keys | None = None,
    ) -> dict[str, list[tuple[EdgeView, NodeView]]]:
        """Return, per node, its relationships of these types valid at `as_of` and their other ends.

        `direction` keeps only those leaving the node (`out`) or coming to it (`in`); `keys`, when
        given, the only properties wanted of those relationships and nodes, per type and label: their
        views then hold those, their valid dates only if asked (`DATE_KEYS`), no observed intervals
        (`[]`) and no count of versions (`0`).
        """
        ...

    def versions(self, node_id: str) -> list[Version]:
        """Return a node's previous versions, oldest first."""
        ...

    def search(self, query: SearchQuery) -> SearchPage:
        """Return the structures whose words start with the query's words, filtered, by name."""
        ...

    def ecosystem(
        self,
        finess: str,
        depth: int = 2,
        as_of: str | None = None,
        relations: Iterable[str] | None = None,
        limit: int = ...,
        keys: Keys | None = None,
    ) -> Subgraph | None:
        """Return what surrounds a structure up to `depth` hops, at most `limit` nodes.

        `keys`, when given, the only properties wanted of the nodes around the root and of the
        relationships, per label and type (and the `role` of the relationships that hold one, which
        tells parallel ones apart): their views are keyed ones, as `neighbours` gives them.
        """
        ...

    def organigram(
        self,
        finess: str,
        as_of: str | None = None,
        depth: int = 3,
        limit: int = ...,
        keys: Keys | None = None,
    ) -> OrgNode | None:
        """Return the tree under a structure: grouping → members → establishments → activities.

        `keys`, when given, the only properties wanted of the boxes under the root, per label (and their
        order: every node's `name`, a member's `role`): their views are keyed ones, as `neighbours`
        gives them.
        """
        ...

    def members(self, grouping: str, as_of: str | None = None) -> list[Membership] | None:
        """Return a grouping's members valid at `as_of`, its support first, then by name."""
        ...

    def path(
        self,
        source: str,
        target: str,
        as_of: str | None = None,
        max_length: int = 6,
        relations: Iterable[str] | None = None,
        limit: int = ...,
        keys: Keys | None = None,
    ) -> Subgraph | None:
        """Return the shortest paths between two structures, or None if one is unknown.

        `keys` as for `ecosystem`: the two ends are whole views, the nodes between them keyed ones.
        """
        ...

    def timeline(self, finess: str) -> list[TimelineEntry] | None:
        """Return a structure's dated facts, oldest first."""
        ...
