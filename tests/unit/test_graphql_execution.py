"""Plain objects completed in one loop answer exactly as graphql-core's field-by-field execution does."""

from __future__ import annotations

import asyncio
import enum
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionResult

import api.graphql.execution as execution
from api.graphql.context import Context
from api.graphql.execution import PlainFieldsExecutionContext
from api.graphql.schema import create_schema
from graph.embedded_store import EmbeddedStore

GHT = "49824516535"
QUERIES = [
    # The race's field-by-field ecosystem, with aliases and the type's name.
    """query($f: String!) { ecosystem(finess: $f, depth: 2) { truncated
         nodes { id finess name kind depth more validFrom validTo __typename }
         edges { source target type role since until validFrom validTo properties }
         twice: nodes { key: id id } } }""",
    # Fragments, and fields left out or kept by directives on variables.
    """query($f: String!, $yes: Boolean!, $no: Boolean!) { ecosystem(finess: $f, depth: 1) {
         nodes { ...N name @include(if: $no) depth @skip(if: $yes) } edges { ... on GraphEdge { type } } } }
       fragment N on GraphNode { id kind finess @include(if: $yes) }""",
    # A field with a resolver among plain ones: the object goes the ordinary way.
    """query($f: String!) { ecosystem(finess: $f, depth: 1) {
         nodes { id structure { finess name kind } } } }""",
    # Paths, organigram boxes, connections, timelines and statistics: other plain objects.
    """{ path(from: "210780581", to: "210780631") { paths nodes { id kind } edges { type since } } }""",
    """query($f: String!) { organigram(finess: $f, depth: 2) { role childCount structure { finess }
         children { role childCount children { role } } } }""",
    """{ search(text: "centre hosp", first: 20) { totalCount pageInfo { hasNextPage endCursor }
         edges { cursor node { finess name kind } } } }""",
    """{ timeline(finess: "210780581") { date kind detail related } }""",
    """{ stats { snapshot nodes { label count } relationships { type count } } }""",
]
VARIABLES = {"f": GHT, "yes": True, "no": False}


def _execute(schema: strawberry.Schema, query: str, **options: Any) -> ExecutionResult:
    """Execute a query on an event loop of its own thread: Playwright's tests leave one running here."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, schema.execute(query, **options)).result()


def _run(schema: strawberry.Schema, query: str, context: Any) -> tuple[Any, list[Any]]:
    result = _execute(schema, query, variable_values=VARIABLES, context_value=context)
    return result.data, [error.formatted for error in result.errors or []]


def test_the_register_answers_alike_with_and_without_the_plain_path(
    real_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = create_schema()
    assert ours.execution_context_class is PlainFieldsExecutionContext
    theirs = create_schema()
    theirs.execution_context_class = StrawberryGraphQLCoreExecutionContext
    completed = 0
    complete = execution._complete

    def counting(*args: Any) -> Any:
        nonlocal completed
        completed += 1
        return complete(*args)

    monkeypatch.setattr(execution, "_complete", counting)
    labels = real_store.labels()
    for query in QUERIES:
        expected = _run(theirs, query, Context(real_store, labels))
        assert not expected[1], expected[1]
        assert _run(ours, query, Context(real_store, labels)) == expected, query
    # The ecosystem's nodes and edges, boxes, search edges, timeline events… went the plain way.
    assert completed > 500


@strawberry.enum
class Colour(enum.Enum):
    RED = "r"
    BLUE = "b"


@strawberry.type
class Item:
    id: strawberry.ID
    colour: Colour
    count: int
    label: str | None


def _items() -> list[Any]:
    return [
        Item(id=strawberry.ID("1"), colour=Colour.RED, count=1, label=None),
        Item(id=None, colour=Colour.BLUE, count=2, label="no id"),  # type: ignore[arg-type]
        Item(id=strawberry.ID("3"), colour="green", count=3, label="no such colour"),  # type: ignore[arg-type]
        Item(id=strawberry.ID("4"), colour=Colour.RED, count="four", label="not a number"),  # type: ignore[arg-type]
        None,
        {"id": "6"},  # not an Item at all
    ]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return _items()

    @strawberry.field
    def item(self, n: int) -> Item | None:
        return _items()[n]

    @strawberry.field
    def strict(self) -> list[Item]:
        return _items()[:2]


@pytest.mark.parametrize(
    "query",
    [
        "{ items { id colour count label __typename } }",
        "{ items { label } }",
        "{ strict { id } }",
        "{ a: item(n: 0) { id colour } b: item(n: 1) { id } c: item(n: 2) { colour }"
        " d: item(n: 3) { count } }",
    ],
)
def test_nulls_wrong_values_and_wrong_types_give_graphql_cores_own_errors(query: str) -> None:
    ours = strawberry.Schema(query=Query, execution_context_class=PlainFieldsExecutionContext)
    theirs = strawberry.Schema(query=Query)
    expected = _execute(theirs, query)
    found = _execute(ours, query)
    assert found.data == expected.data
    assert [e.formatted for e in found.errors or []] == [e.formatted for e in expected.errors or []]
