"""The GraphQL types of the register: structures, groupings, activities, places and their links."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.utils.str_converters import to_camel_case

from api.formats import code_labels
from api.graphql.context import Context, Pairs
from graph.labels import Labels
from graph.queries import GROUPING_LABELS, span
from graph.store import NodeView

Info = strawberry.Info[Context, None]

# Source dates kept as ISO strings in the store, served as the Date scalar.
DATE_PROPS = frozenset(
    {"openedOn", "closedOn", "firstAuthorisedOn", "startOn", "endOn", "effectiveEndOn", "lapseOn",
     "effectiveOn", "signedOn", "notifiedOn", "date", "filingDeadline"}
)  # fmt: skip


@strawberry.enum(description="The four kinds of structure of the register.")
class StructureKind(enum.Enum):
    LEGAL_ENTITY = "LegalEntity"
    ESTABLISHMENT = "Establishment"
    ORGANIC_GROUPING = "OrganicGrouping"
    CONVENTIONAL_GROUPING = "ConventionalGrouping"


@strawberry.enum(description="The role of a member in a grouping (r360): `S` support, `M` member.")
class MemberRole(enum.Enum):
    SUPPORT = "S"
    MEMBER = "M"


def role_of(code: Any) -> MemberRole | None:
    """Return the member role of a `role` code, None for any other code."""
    return next((r for r in MemberRole if r.value == code), None)


def day(value: Any) -> dt.date | None:
    """Return an ISO date string as a date; None for anything else (the raw value stays in properties)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


@strawberry.type(description="A code of a FINESS nomenclature and its label, when the label is known.")
class Code:
    code: str
    label: str | None


@strawberry.type(description="An interval of snapshots in which an item was present (`until` null: still).")
class Interval:
    since: dt.date | None
    until: dt.date | None


def fill(cls: Any, node: NodeView, labels: Labels, as_of: str | None, **extra: Any) -> Any:
    """Build a GraphQL object of `cls` from a node; its other fields are read when a query asks for them.

    Lazily (`Item.__getattr__`): a page of 100 establishments asked for `{ id finess name }` took
    3.3–3.7 ms in process while every field of each was filled, 2.8–2.9 ms this way (20: 1.13 → 1.05 ms).
    """
    obj = cls.__new__(cls)  # not __init__: it would ask for every field
    obj.__dict__.update(id=strawberry.ID(node.id), node=node, as_of=as_of, _labels=labels, **extra)
    return obj


def _field_value(obj: Any, name: str) -> Any:
    """Return the value of a field of an object built by `fill`, from its node."""
    node: NodeView = obj.__dict__["node"]
    if name == "valid_from":
        return day(node.valid_from)
    if name == "valid_to":
        return day(node.valid_to)
    if name == "observed":
        return [Interval(since=day(a), until=day(b)) for a, b in node.observed]
    if name == "versions":
        return node.versions
    if name == "properties":
        return node.props
    cls: Any = type(obj)
    fields = _property_fields(cls)
    if name not in fields:
        raise AttributeError(name)
    key, kind = fields[name]
    value = node.props.get(key)
    if value is None:
        return None
    if kind is Code:
        named = obj.__dict__.get("_named")
        if named is None:  # the labels of all its codes at once, for the other code fields asked
            named = obj.__dict__["_named"] = code_labels(node, obj.__dict__["_labels"])
        return Code(code=str(value), label=named.get(key))
    if kind is dt.date:
        return day(value)
    if kind is int:
        # Older extracts give some counts as text; a value that is no integer stays in properties.
        return value if isinstance(value, int) else _integer(value)
    return value


def _integer(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


COMMON = frozenset({"id", "valid_from", "valid_to", "observed", "versions", "properties", "node", "as_of"})


@functools.cache
def _property_fields(cls: Any) -> dict[str, tuple[str, Any]]:
    """Return field → (property key, how to read it) for each field of `cls` filled from a property.

    Cached: asking strawberry for a field's type resolves its annotation each time, and that took most of
    the time of building an object (a nested query of 25,000 objects: 15 s of 24, profiled).
    """
    found = {}
    for field in cls.__strawberry_definition__.fields:
        name = field.python_name
        if name in COMMON or field.base_resolver is not None:
            continue
        key = to_camel_case(name)
        of = getattr(field.type, "of_type", field.type)
        kind = Code if of is Code else dt.date if key in DATE_PROPS else int if of is int else None
        found[name] = (key, kind)
    return found


@strawberry.interface(description="What every node has: its id and its time.")
class Item:
    id: strawberry.ID
    valid_from: dt.date | None = strawberry.field(description="Valid time from the source: start.")
    valid_to: dt.date | None = strawberry.field(description="Valid time from the source: end, excluded.")
    observed: list[Interval] = strawberry.field(description="When the snapshots held it.")
    versions: int = strawberry.field(description="How many versions of its properties are known.")
    properties: JSON = strawberry.field(description="Every property as of the date, as stored.")
    node: strawberry.Private[NodeView]
    as_of: strawberry.Private[str | None]

    if not TYPE_CHECKING:  # to mypy, the fields are the declared ones

        def __getattr__(self, name: str) -> Any:
            """Read a field `fill` left unset from the node, once: only missing attributes come here."""
            if name.startswith("_") or "node" not in self.__dict__:
                raise AttributeError(name)
            value = self.__dict__[name] = _field_value(self, name)
            return value

    def at(self, as_of: dt.date | None) -> str | None:
        """Return the date a nested field answers for: its own argument, else its query's."""
        return as_of.isoformat() if as_of is not None else self.as_of

    async def pairs(
        self, info: Info, types: tuple[str, ...], as_of: dt.date | None, direction: str = "both"
    ) -> Pairs:
        """Return this node's relationships of `types` valid at the date, batched per request."""
        return await info.context.around(self.id, types, self.at(as_of), direction)


AsOf = Annotated[
    dt.date | None, strawberry.argument(description="As of this date; default: the query's date.")
]


@strawberry.type(description="A commune, département or région (code officiel géographique).")
class Place(Item):
    code: str | None
    name: str | None

    @strawberry.field(description="The département of a commune, the région of a département.")
    async def part_of(self, info: Info, as_of: AsOf = None) -> Place | None:
        found = await self.pairs(info, ("PART_OF",), as_of, "out")
        return next((build(n, info, self.at(as_of)) for _, n in found), None)


@strawberry.type(description="An address of a structure (adresse); an establishment may have several.")
class Address(Item):
    rank: int | None
    usage: str | None
    number: str | None
    street_type: str | None
    street: str | None
    street_complement: str | None
    place_complement: str | None
    locality: str | None
    commune_code: str | None
    postal_code: str | None
    routing: str | None
    line1: str | None
    line2: str | None
    line3: str | None
    line4: str | None
    line5: str | None
    line6: str | None
    longitude: float | None
    latitude: float | None
    x: float | None
    y: float | None
    ban_key: str | None
    ban_score: float | None

    @strawberry.field(description="The commune of this address.")
    async def commune(self, info: Info, as_of: AsOf = None) -> Place | None:
        found = await self.pairs(info, ("LOCATED_IN",), as_of, "out")
        return next((build(n, info, self.at(as_of)) for _, n in found), None)


@strawberry.type(description="A regulation authority (autorité de régulation): ARS, conseil départemental…")
class Authority(Item):
    code: str | None
    kind: str | None
    territory: str | None


@strawberry.type(description="An order, agreement or label binding a structure or activity (engagement).")
class Engagement(Item):
    engagement_id: str | None
    engagement_type: str | None
    engagement_subtype: str | None
    name: str | None
    reference: str | None
    effective_on: dt.date | None
    signed_on: dt.date | None
    notified_on: dt.date | None
    end_on: dt.date | None
    lapse_on: dt.date | None
    reason: str | None

    @strawberry.field(description="The authorities that issued it.")
    async def authorities(self, info: Info, as_of: AsOf = None) -> list[Authority]:
        found = await self.pairs(info, ("ISSUED_BY",), as_of, "out")
        return [build(n, info, self.at(as_of)) for _, n in sorted(found, key=lambda p: p[1].id)]


@strawberry.type(description="An event of the register (événement): creation, closure, change…")
class Event(Item):
    event_id: str | None
    code: str | None
    date: dt.date | None
    recorded_at: str | None
    object_type: str | None
    object_id: str | None
    object_type2: str | None
    object_id2: str | None
    state: str | None
    master_system: str | None


def build(node: NodeView, info: Info, as_of: str | None) -> Any:
    """Return the GraphQL object of a node, of the type its label names."""
    from api.graphql.structures import OBJECT_TYPES  # structures refer to these types, and back

    return fill(OBJECT_TYPES[node.label], node, info.context.labels, as_of)


def membership(edge_pair: tuple[Any, NodeView], grouping: NodeView, info: Info, as_of: str | None) -> Any:
    """Return a Membership of one MEMBER_OF relationship, seen from either end."""
    from api.graphql.structures import Membership

    edge, other = edge_pair
    member = other if edge.target == grouping.id else grouping
    group = grouping if edge.target == grouping.id else other
    since, until = span(edge)
    return Membership(
        role=role_of(edge.props.get("role")),
        since=day(since),
        until=day(until),
        structure=build(member, info, as_of),
        grouping=build(group, info, as_of),
    )


def is_grouping(node: NodeView) -> bool:
    """Tell whether a node is a GCO or a GCC."""
    return node.label in GROUPING_LABELS
