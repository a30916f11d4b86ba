"""The queries of docs/cypher-cookbook.md run on Neo4j and agree with the embedded store."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from graph.embedded_store import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from loaders.detect import read_snapshot
from tests import factories
from tests.factories import ACTIVITIES, DAY1, DAY2, MOVED
from tests.integration.stores import wipe

BOOK = Path(__file__).resolve().parents[2] / "docs" / "cypher-cookbook.md"
GHT = "49824516535"


def _queries() -> list[str]:
    return re.findall(r"```cypher\n(.*?)```", BOOK.read_text("utf-8"), re.DOTALL)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, neo4j_uri: str) -> tuple[EmbeddedStore, Neo4jStore]:
    folder = tmp_path_factory.mktemp("cookbook")
    wipe(neo4j_uri)
    embedded, neo4j = EmbeddedStore(folder / "s.pickle"), Neo4jStore(neo4j_uri)
    day1 = factories.write(factories.structures(), folder / "day1.json.gz", DAY1)
    day2 = factories.next_day(folder)
    for store in (embedded, neo4j):
        store.load([read_snapshot(day1), read_snapshot(ACTIVITIES)])
        store.load([read_snapshot(day2)])
    return embedded, neo4j


def _run(store: Neo4jStore, query: str, **params: Any) -> list[dict[str, Any]]:
    with store.driver.session() as session:
        return [r.data() for r in session.run(query, params)]


def test_the_cookbook_has_the_three_queries() -> None:
    assert len(_queries()) == 3


@pytest.mark.parametrize("day", [DAY1, DAY2])
def test_ght_members_with_their_establishments(stores: tuple[EmbeddedStore, Neo4jStore], day: str) -> None:
    embedded, neo4j = stores
    rows = _run(neo4j, _queries()[0], ght=GHT, day=dt.date.fromisoformat(day))
    view = embedded.structure(GHT, day)
    assert view is not None
    expected = {e.source: e.props["role"] for e in view.edges if e.type == "MEMBER_OF"}
    assert {r["member"]: r["role"] for r in rows} == expected
    assert rows[0]["role"] == "S"
    for row in rows:
        member = embedded.structure(row["member"], day)
        assert member is not None
        attached = {e.source for e in member.edges if e.type == "ATTACHED_TO" and e.target == row["member"]}
        assert set(row["establishments"]) == attached
    # The establishment that moved into the support's legal entity on day 2 is there only then.
    support = next(r for r in rows if r["role"] == "S")
    assert (MOVED in support["establishments"]) == (day == DAY2)


def test_establishments_with_installed_capacity(stores: tuple[EmbeddedStore, Neo4jStore]) -> None:
    embedded, neo4j = stores
    rows = _run(neo4j, _queries()[1], finess="210780581")
    view = embedded.structure("210780581")
    assert view is not None
    establishments = sorted(e.source for e in view.edges if e.type == "ATTACHED_TO")
    assert [r["establishment"] for r in rows] == establishments
    total = 0
    for finess in establishments:
        et = embedded.structure(finess)
        assert et is not None
        total += sum(
            et.neighbours[e.target].props.get("installedCapacity", 0)
            for e in et.edges
            if e.type == "OPERATES"
        )
    assert sum(r["installedCapacity"] for r in rows) == total
    assert total > 0


def test_history_of_an_attachment(stores: tuple[EmbeddedStore, Neo4jStore]) -> None:
    _, neo4j = stores
    rows = _run(neo4j, _queries()[2], finess=MOVED)
    assert [
        (r["legalEntity"], r["since"].iso_format(), r["until"] and r["until"].iso_format()) for r in rows
    ] == [
        ("010000255", "0001-01-01", DAY2),
        ("210780581", DAY2, None),
    ]
