"""Place words in Neo4j: a database written before them answers searches in a place alike, then gets them."""

from __future__ import annotations

from neo4j import Driver

from graph.neo4j_store import Neo4jStore
from graph.queries import SearchPage, SearchQuery
from loaders.detect import read_snapshot
from tests.factories import STRUCTURES

# Structures with their place words taken off, as a version without them wrote them.
STRIP = """MATCH (n:Item) WHERE n._search IS NOT NULL
SET n._search = reduce(s = '', w IN split(n._search, ' ') |
                       CASE WHEN w STARTS WITH '_' THEN s ELSE trim(s + ' ' + w) END)
WITH count(*) AS stripped MATCH (m:PlaceWords) DELETE m"""
PLACED = "MATCH (n:Item) WHERE n._search CONTAINS ' _dep' RETURN count(n) AS placed"


def _answers(store: Neo4jStore) -> list[SearchPage]:
    queries = [
        SearchQuery(department="21", limit=500),
        SearchQuery(text="centre", region="27", limit=500),
        SearchQuery(text="ch", commune="21231", as_of="2026-08-13"),
    ]
    return [store.search(q) for q in queries]


def test_a_database_without_place_words_gets_them_at_its_next_load(
    neo4j_driver: Driver, neo4j_uri: str
) -> None:
    store = Neo4jStore(neo4j_uri)
    store.load([read_snapshot(STRUCTURES)])
    answers = _answers(store)
    assert all(page.total > 0 for page in answers)
    with neo4j_driver.session() as session:
        placed = session.run(PLACED).single(strict=True)["placed"]
        assert placed > 1000
        session.run(STRIP).consume()
        assert session.run(PLACED).single(strict=True)["placed"] == 0
    assert _answers(store) == answers  # the slower way, from each place
    again = Neo4jStore(neo4j_uri)
    assert again.load([read_snapshot(STRUCTURES)]).changes[0].skipped_as_loaded
    with neo4j_driver.session() as session:
        assert session.run(PLACED).single(strict=True)["placed"] == placed
    assert _answers(again) == answers
    store.close()
    again.close()
