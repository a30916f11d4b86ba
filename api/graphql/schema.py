"""The GraphQL schema: the queries of ARCHITECTURE.md, limits, and errors masked to clear sentences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from api.arguments import (
    absent,
    bounded,
    checked,
    code_checked,
    day_text,
    relations_checked,
    text_checked,
)
from api.formats import ExportMeta
from api.formats.export import ecosystem_meta
from api.formats.names import DATED_NAMING_KEYS, NAMING_KEYS
from api.graphql.context import ORGANIGRAM_CHARGE, PATH_CHARGE, STATS_CHARGE
from api.graphql.execution import PlainFieldsExecutionContext
from api.graphql.structures import (
    MAX_PAGE,
    After,
    ConventionalGrouping,
    Establishment,
    First,
    Grouping,
    LegalEntity,
    OrganicGrouping,
    Structure,
    StructureConnection,
    connection,
    offset_after,
    page_size,
    structure_object,
)
from api.graphql.types import Info, StructureKind, build, is_grouping
from api.graphql.views import (
    Ecosystem,
    OrgNode,
    RelationType,
    Stats,
    TimelineItem,
    stats_object,
    timeline_object,
)
from api.tree import boxes
from graph.errors import FinessGraphError
from graph.queries import MAX_DEPTH, PATH_MAX_LENGTH, RELATION_TYPES, SearchQuery

# The fields of an ecosystem's or path's nodes and edges that need every property of them, or their
# observed dates (`since`, `until`); the others (`GraphNode`, `GraphEdge`) show what NAMING_KEYS reads,
# and the valid dates, read only when one of DATE_FIELDS is asked for.
WHOLE_VIEW_FIELDS = ("graph", "properties", "structure", "since", "until")
DATE_FIELDS = ("validFrom", "validTo")

MAX_NODES = 2_000
Finess = Annotated[
    str, strawberry.argument(description="A FINESS number (EJ or ET), a GCC number or a grouping id.")
]
AsOf = Annotated[dt.date | None, strawberry.argument(description="As of this date (valid time).")]
Relations = Annotated[
    list[RelationType] | None,
    strawberry.argument(description="Relationship types to follow; default: the organisational ones."),
]


@strawberry.type(description="A structure that the register does not hold (at that date).")
class StructureNotFound:
    finess: str
    message: str


StructureResult = Annotated[
    LegalEntity | Establishment | OrganicGrouping | ConventionalGrouping | StructureNotFound,
    strawberry.union("StructureResult", description="A structure, or why there is none."),
]


@strawberry.type
class Query:
    @strawberry.field(description="A structure by FINESS number (or a grouping's number or id).")
    async def structure(self, info: Info, finess: Finess, as_of: AsOf = None) -> Structure | None:
        ctx, at = info.context, day_text(as_of)
        node = await ctx.call(ctx.store.root, checked(finess), at)
        return structure_object(node, info, at)

    @strawberry.field(description="Like `structure`, with the absence of one expressed in the schema.")
    async def lookup(self, info: Info, finess: Finess, as_of: AsOf = None) -> StructureResult:
        found = await Query.structure(self, info, finess, as_of)
        if found is None:
            message = str(absent(finess, day_text(as_of)))
            return StructureNotFound(finess=finess, message=message)
        return found  # type: ignore[no-any-return]

    @strawberry.field(
        description="Structures whose names or numbers (FINESS, SIREN, SIRET) start with the words of "
        "`text`, accents and case ignored, filtered; by name."
    )
    async def search(
        self,
        info: Info,
        text: str | None = None,
        kinds: list[StructureKind] | None = None,
        department: str | None = None,
        region: str | None = None,
        commune: str | None = None,
        category: str | None = None,
        as_of: AsOf = None,
        first: First = 20,
        after: After = None,
    ) -> StructureConnection:
        text = text_checked(text)
        start, size = offset_after(after), page_size(first)
        query = SearchQuery(
            text=text,
            kinds=[k.value for k in kinds] if kinds else None,
            department=code_checked("department", department),
            region=code_checked("region", region),
            commune=code_checked("commune", commune),
            category=code_checked("category", category),
            as_of=day_text(as_of),
            offset=start,
            limit=size,
        )
        ctx = info.context
        found = await ctx.call(ctx.store.search, query, cost=max(1, size))
        items = [structure_object(n, info, query.as_of) for n in found.items]
        return connection(items, found.total, start)

    @strawberry.field(description=f"What surrounds a structure, up to `depth` (≤ {MAX_DEPTH}) hops.")
    async def ecosystem(
        self,
        info: Info,
        finess: Finess,
        depth: int = 2,
        as_of: AsOf = None,
        relations: Relations = None,
        limit: Annotated[int, strawberry.argument(description=f"Node cap, ≤ {MAX_NODES}.")] = 500,
    ) -> Ecosystem:
        ctx, at = info.context, day_text(as_of)
        names = relations_checked(None if relations is None else [r.value for r in relations])
        number = checked(finess)
        args = (
            number,
            bounded("depth", depth, 0, MAX_DEPTH),
            at,
            names,
            bounded("limit", limit, 1, MAX_NODES),
        )
        sub = await ctx.call(ctx.store.ecosystem, *args, keys=_graph_keys(info), cost=args[-1])
        if sub is None:
            raise absent(number, at)
        return Ecosystem(sub=sub, labels=ctx.labels, meta=ecosystem_meta(sub, at, depth, names))

    @strawberry.field(
        description="The tree under a structure: grouping → members → establishments → activities."
    )
    async def organigram(
        self, info: Info, finess: Finess, as_of: AsOf = None, depth: int = 3
    ) -> OrgNode | None:
        ctx, at = info.context, day_text(as_of)
        tree = await ctx.call(
            ctx.store.organigram,
            checked(finess),
            at,
            bounded("depth", depth, 0, MAX_DEPTH),
            # A box carries only what it shows, unless a client asks for a box's whole structure.
            keys=None if _asks_for(info.selected_fields, "structure") else _naming_keys(info),
            cost=ORGANIGRAM_CHARGE,
        )
        if tree is None:
            return None
        ctx.spend(max(0, boxes(tree) - ORGANIGRAM_CHARGE))
        return OrgNode(box=tree, labels=ctx.labels, as_of=at, depth=0)

    @strawberry.field(description="A grouping (GHT, GCS…) by number or id, with its members.")
    async def grouping(self, info: Info, id: strawberry.ID, as_of: AsOf = None) -> Grouping | None:
        ctx, at = info.context, day_text(as_of)
        node = await ctx.call(ctx.store.root, checked(str(id)), at)
        return build(node, info, at) if node is not None and is_grouping(node) else None

    @strawberry.field(description="The shortest paths between two structures, through any relation type.")
    async def path(
        self,
        info: Info,
        from_: Annotated[str, strawberry.argument(name="from")],
        to: str,
        as_of: AsOf = None,
        max_length: int = 6,
        relations: Annotated[
            list[RelationType] | None,
            strawberry.argument(description="Relationship types to go through; default: every type."),
        ] = None,
    ) -> Ecosystem | None:
        ctx, at = info.context, day_text(as_of)
        names = sorted(RELATION_TYPES) if relations is None else relations_checked(r.value for r in relations)
        length = bounded("maxLength", max_length, 1, PATH_MAX_LENGTH)
        ends = checked(from_), checked(to)
        sub = await ctx.call(
            ctx.store.path, *ends, at, length, names, keys=_graph_keys(info), cost=PATH_CHARGE
        )
        if sub is None:
            return None
        meta = ExportMeta(root=next(iter(sub.nodes)), as_of=at, depth=length, relations=names, kind="path")
        return Ecosystem(sub=sub, labels=ctx.labels, meta=meta)

    @strawberry.field(description="A structure's dated facts, oldest first.")
    async def timeline(self, info: Info, finess: Finess) -> list[TimelineItem]:
        ctx, number = info.context, checked(finess)
        entries = await ctx.call(ctx.store.timeline, number)
        if entries is None:
            raise absent(number, None)
        ctx.spend(len(entries))
        return [timeline_object(e) for e in entries]

    @strawberry.field(description="How many nodes and relationships the store holds (valid at `asOf`).")
    async def stats(self, info: Info, as_of: AsOf = None) -> Stats:
        ctx = info.context
        return stats_object(await ctx.call(ctx.store.stats, day_text(as_of), cost=STATS_CHARGE))


def _graph_keys(info: Info) -> dict[str, frozenset[str]] | None:
    """Return the properties an ecosystem's or path's fields show, None when one needs them all."""
    whole = any(_asks_for(info.selected_fields, name) for name in WHOLE_VIEW_FIELDS)
    return None if whole else _naming_keys(info)


def _naming_keys(info: Info) -> dict[str, frozenset[str]]:
    """Return what names a node, and the valid dates when a field shows them (graph/store.py, DATE_KEYS)."""
    dated = any(_asks_for(info.selected_fields, name) for name in DATE_FIELDS)
    return DATED_NAMING_KEYS if dated else NAMING_KEYS


def _asks_for(selections: Iterable[Any], name: str) -> bool:
    """Return whether a field of this name is selected anywhere under these selections."""
    return any(
        getattr(f, "name", None) == name or _asks_for(getattr(f, "selections", ()), name) for f in selections
    )


def _expected(error: GraphQLError) -> bool:
    """Tell whether an error is ours or a request error: its sentence is shown, never a traceback's.

    A request error (syntax, validation, a variable that cannot be coerced, such as a Date that is no
    date) has no path: it happened before any resolver ran.
    """
    original = error.original_error
    return original is None or isinstance(original, FinessGraphError) or not error.path


# Built once: the validation cache is keyed by the rules, and strawberry's limiter extensions make new
# rule classes per request, which would defeat it.
LIMIT_RULES: list[type[ASTValidationRule]] = [depth_rule(15, None), aliases_rule(30)]


class Limits(AddValidationRules):
    """Query depth at most 15 and at most 30 aliases, checked when a document is validated."""

    def __init__(self) -> None:
        super().__init__(LIMIT_RULES)


class Schema(strawberry.Schema):
    """The schema, logging only the errors nobody expected (a bad FINESS number is not news)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Log unexpected errors with their traceback; ours and request errors are the client's."""
        super().process_errors([e for e in errors if not _expected(e)], execution_context)


def create_schema() -> Schema:
    """Return the schema with its limits: depth, tokens, aliases, and masked unexpected errors."""
    return Schema(
        query=Query,
        types=[LegalEntity, Establishment, OrganicGrouping, ConventionalGrouping],
        execution_context_class=PlainFieldsExecutionContext,
        extensions=[
            # Factories: each request gets fresh extension instances (strawberry's advice).
            # Parsing and validating a query took most of a small request's time (2 to 3 ms of
            # 4.5 ms, profiled): clients send the same few query texts, so both are cached.
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            Limits,
            lambda: MaxTokensLimiter(max_token_count=4_000),
            lambda: MaskErrors(
                should_mask_error=lambda e: not _expected(e), error_message="Unexpected error."
            ),
        ],
    )


__all__ = ["MAX_PAGE", "create_schema"]
