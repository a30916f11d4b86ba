"""API fuzzing with schemathesis, in process (ASGI), on the real sample in both stores: requests made
from the OpenAPI document and from the GraphQL schema get no 5xx and no answer outside the schema."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from graph.embedded_store import EmbeddedStore
from graph.settings import Settings
from graph.store import GraphStore

# Examples per operation and mode (valid requests, then invalid ones): 8 REST operations and 10 GraphQL
# queries, on two stores, within 2 minutes on two cores. Derandomized: CI replays the same examples, and
# a failure reproduces.
EXAMPLES = {"openapi": 12, "graphql": 12}
OURS = {"BAD_REQUEST", "NOT_FOUND"}


@pytest.fixture(params=["embedded", "neo4j"])
def app(request: pytest.FixtureRequest, sample_embedded: EmbeddedStore) -> FastAPI:
    store: GraphStore = (
        sample_embedded if request.param == "embedded" else request.getfixturevalue("sample_neo4j")
    )
    return create_app(Settings(), store)


def _graphql_errors_are_ours(body: Any) -> None:
    """A rejected query is refused by one of our rules, named by its code, or before it ran."""
    for error in body.get("errors") or []:
        assert error["message"] != "Unexpected error.", error
        if error.get("path"):
            assert error.get("extensions", {}).get("code") in OURS, error


def _fuzz(app: FastAPI, kind: str) -> Counter[str]:
    if kind == "openapi":
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    else:
        schema = schemathesis.graphql.from_asgi("/graphql", app)
    statuses: Counter[str] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation, mode in itertools.product(operations, (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)):
        label = f"{operation.label} {mode.value}"

        @settings(
            max_examples=EXAMPLES[kind],
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(mode))
        def run(case: Any) -> None:
            # Every built-in check, except for GraphQL the one that wants each schema-valid query
            # answered without error: GraphQL's types cannot say that `finess` is a FINESS number or that
            # `depth` is at most 4 (the OpenAPI document says both, and is checked in full). What such a
            # rejection must be is checked instead: one of our refusals, with its code.
            excluded = [positive_data_acceptance] if kind == "graphql" else []
            response = case.call_and_validate(excluded_checks=excluded)
            assert response.status_code < 500, response.text[:300]
            if kind == "graphql":
                _graphql_errors_are_ours(response.json())
            statuses[f"{label} {response.status_code}"] += 1  # noqa: B023 (run() runs in this iteration)

        run()
    return statuses


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["openapi", "graphql"])
def test_fuzzed_requests_get_no_5xx_and_answers_within_the_schema(app: FastAPI, kind: str) -> None:
    started = time.monotonic()
    statuses = _fuzz(app, kind)
    total = sum(statuses.values())
    by_status = Counter(key.rsplit(" ", 1)[1] for key in statuses.elements())
    print(f"{kind}: {total} requests in {time.monotonic() - started:.1f} s, by status {dict(by_status)}")
    assert total >= 100
    assert by_status["200"] > 0  # not everything refused: the fuzzing reached the store
