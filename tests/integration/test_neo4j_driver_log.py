"""What the driver's debug log holds of a load: each statement and the size of its batch, not its rows."""

from __future__ import annotations

import logging

import pytest
from neo4j import Driver

from graph.neo4j_store import Neo4jStore
from loaders.detect import read_snapshot
from tests.factories import STRUCTURES


def test_a_load_s_rows_are_not_formatted_for_the_driver_s_debug_log(
    neo4j_driver: Driver, neo4j_uri: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The driver formats every RUN's parameters for its debug log, on or off: a national first load's
    # batches took 23 s of the loader to format (bench/README.md).
    caplog.set_level(logging.DEBUG, logger="neo4j")
    store = Neo4jStore(neo4j_uri)
    try:
        result = store.load([read_snapshot(STRUCTURES)])
    finally:
        store.close()
    assert result.changes[0].added > 1_000
    runs = [r.getMessage() for r in caplog.records if " C: RUN " in r.getMessage()]
    creates = [m for m in runs if "CREATE (n:Item" in m]
    assert creates
    assert all(" items>" in m for m in creates)
    assert not any("'props'" in m or "CENTRE HOSPITALIER" in m for m in runs)
