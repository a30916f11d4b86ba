"""Fresh stores of both kinds for the contract tests: the same assertions run on each."""

from __future__ import annotations

from pathlib import Path

from graph.embedded_store import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore

KINDS = ("embedded", "neo4j")
# CALL … IN TRANSACTIONS needs an auto-commit transaction: session.run, not execute_write.
WIPE = "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def wipe(uri: str) -> None:
    """Delete every node and relationship of the Neo4j database (schema is kept)."""
    store = Neo4jStore(uri)
    try:
        with store.driver.session() as session:
            session.run(WIPE).consume()
    finally:
        store.close()


def fresh_store(kind: str, folder: Path, neo4j_uri: str) -> GraphStore:
    """Return an empty store of `kind`."""
    if kind == "embedded":
        return EmbeddedStore(folder / "store.pickle")
    wipe(neo4j_uri)
    return Neo4jStore(neo4j_uri)
