"""Both stores give identical answers to every query across snapshots: the sample over two days,
and generated multi-day data."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from graph.embedded_store import EmbeddedStore
from graph.store import GraphStore
from loaders.detect import read_snapshot
from loaders.synthetic import generate
from tests import factories
from tests.factories import DAY1, DAY2, GONE, MOVED, RENAMED
from tests.integration.stores import KINDS, fresh_store
from tests.integration.test_contract_queries import CHU, GHT, compare

START = date(2026, 8, 13)


def _loaded(folder: Path, neo4j_uri: str, days: list[list[Path]]) -> dict[str, GraphStore]:
    stores = {kind: fresh_store(kind, folder / kind, neo4j_uri) for kind in KINDS}
    for store in stores.values():
        for files in days:
            store.load([read_snapshot(f) for f in files])
    return stores


@pytest.mark.parametrize("as_of", [None, DAY1, DAY2, "2015-01-01"])
def test_two_days_of_the_sample(tmp_path: Path, neo4j_uri: str, as_of: str | None) -> None:
    day1 = factories.write(factories.structures(), tmp_path / "day1.json.gz", DAY1)
    stores = _loaded(tmp_path, neo4j_uri, [[day1], [factories.next_day(tmp_path)]])
    renamed = stores["embedded"].structure(RENAMED)
    assert renamed is not None
    owner = next(e.target for e in renamed.edges if e.type == "ATTACHED_TO")  # a box renamed under it
    compare(stores, [GONE, MOVED, RENAMED, owner, GHT, CHU, "010000255"], as_of)


def test_generated_days(tmp_path: Path, neo4j_uri: str) -> None:
    files = generate(tmp_path / "gen", scale=0.01, days=3, seed=11, start=START, parallel=False)
    stores = _loaded(tmp_path, neo4j_uri, [files[i : i + 2] for i in range(0, len(files), 2)])
    embedded = stores["embedded"]
    assert isinstance(embedded, EmbeddedStore)
    table = embedded.nodes_table
    largest = max(
        (len(item[-1] or ()), node_id) for node_id, item in table.items() if item[0] == "LegalEntity"
    )[1]
    rng = random.Random(5)
    structures = sorted(i for i, item in table.items() if item[0] in ("LegalEntity", "Establishment"))
    groupings = sorted(i for i, item in table.items() if item[0] == "ConventionalGrouping")
    roots = [largest, *rng.sample(structures, 4), *groupings[:2]]
    for as_of in (None, "2026-08-14", "2026-08-15", "2010-01-01"):
        compare(stores, roots, as_of)
