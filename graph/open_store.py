"""Choose the store a location names: a Neo4j URI selects Neo4j, anything else is an embedded file."""

from __future__ import annotations

from pathlib import Path

from graph.embedded_store import EmbeddedStore
from graph.errors import StoreUnavailable
from graph.settings import QUERY_TIMEOUT
from graph.store import GraphStore

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_neo4j(location: str) -> bool:
    """Tell whether a store location is a Neo4j URI."""
    return location.startswith(NEO4J_SCHEMES)


def open_store(
    location: str, *, existing: bool = False, query_timeout: float = QUERY_TIMEOUT, state_cache: str = ""
) -> GraphStore:
    """Open the store at `location`; with `existing`, an embedded store must already be there.

    `query_timeout` bounds each read of a Neo4j store, in seconds; `state_cache` is the folder where
    loads into it keep their item states for the next one ("": nowhere).
    """
    if is_neo4j(location):
        from graph.neo4j_store import Neo4jStore  # the driver is imported only when Neo4j is used

        return Neo4jStore(location, query_timeout=query_timeout, state_cache=state_cache)
    path = Path(location).expanduser()
    if existing and not path.is_file():
        raise StoreUnavailable(f"there is no store at {path} yet: load files into it first")
    return EmbeddedStore(path)
