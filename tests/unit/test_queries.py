"""The shared traversals checked against networkx on the whole graph, and the search words."""

from __future__ import annotations

import itertools
import random
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from graph.embedded_store import KIND, EmbeddedStore, _split
from graph.queries import DEFAULT_RELATIONS, PATH_LIMIT, TERMINAL_LABELS, fold, search_text
from loaders.detect import read_snapshot
from loaders.synthetic import generate


def test_fold_and_search_words() -> None:
    assert fold("L'HÔPITAL Saint-Évêque  (Œuvre)") == "l hopital saint eveque oeuvre"
    props = {"name": "CH Dijon", "longName": "CENTRE HOSPITALIER DE DIJON", "finess": "210780581"}
    assert search_text(props) == "ch dijon centre hospitalier de 210780581"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    folder = tmp_path_factory.mktemp("paths")
    files = generate(folder / "gen", scale=0.01, days=1, seed=4, start=date(2026, 8, 13), parallel=False)
    store = EmbeddedStore(folder / "store.pickle")
    store.load([read_snapshot(f) for f in files])
    return store


def _whole_graph(store: EmbeddedStore) -> nx.Graph:  # type: ignore[type-arg]
    """Every organisational relationship of the store whose ends may be crossed."""
    nodes = store.nodes_table
    graph: nx.Graph = nx.Graph()  # type: ignore[type-arg]
    for ident in store.edges:
        kind, source, target = _split(ident)
        ends = [nodes.get(source), nodes.get(target)]
        if kind in DEFAULT_RELATIONS and all(e is not None and e[KIND] not in TERMINAL_LABELS for e in ends):
            graph.add_edge(source, target)
    return graph


def test_paths_are_all_the_shortest_ones(generated: EmbeddedStore) -> None:
    whole = _whole_graph(generated)
    rng = random.Random(2)
    structures = sorted(
        n for n in whole if generated.nodes_table[n][KIND] in ("LegalEntity", "Establishment")
    )
    # Pairs in one component (some far apart) and pairs chosen at random (mostly unconnected).
    kinds = ("LegalEntity", "Establishment")
    components = [
        sorted(n for n in c if generated.nodes_table[n][KIND] in kinds)
        for c in nx.connected_components(whole)
        if len(c) > 20
    ]
    pairs = [tuple(rng.sample(c, 2)) for c in rng.sample(components, min(15, len(components)))]
    pairs += [tuple(rng.sample(structures, 2)) for _ in range(15)]
    lengths = set()
    for a, b in pairs:
        found = generated.path(a, b, max_length=6)
        assert found is not None
        try:
            expected = sorted(itertools.islice(nx.all_shortest_paths(whole, a, b), 1000))
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            expected = []
        expected = [p for p in expected if len(p) <= 7]
        assert found.paths == expected[:PATH_LIMIT], (a, b)
        assert found.truncated == (len(expected) > PATH_LIMIT)
        lengths.add(len(expected[0]) - 1 if expected else None)
    assert len(lengths - {None}) >= 2, "the pairs should include paths of several lengths"


def test_ecosystem_depths_are_breadth_first_distances(generated: EmbeddedStore) -> None:
    whole = _whole_graph(generated)
    rng = random.Random(3)
    kinds = ("LegalEntity", "Establishment")
    structures = sorted(n for n in whole if generated.nodes_table[n][KIND] in kinds)
    for root in rng.sample(structures, 10):
        found = generated.ecosystem(root, depth=3, limit=100_000)
        assert found is not None
        # Terminal nodes (authorities) are reached but not crossed: compare the crossable ones.
        crossable = {n: d for n, d in found.depth.items() if n in whole}
        assert crossable == nx.single_source_shortest_path_length(whole, root, cutoff=3)


def test_unknown_roots(generated: EmbeddedStore, tmp_path: Path) -> None:
    assert generated.ecosystem("nothing") is None
    assert generated.path("nothing", "else") is None
    assert generated.organigram("nothing") is None
    assert generated.timeline("nothing") is None
