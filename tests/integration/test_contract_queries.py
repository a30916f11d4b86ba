"""The store's queries on the real sample: search, ecosystem, organigram, members, path, timeline."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest

from graph import neo4j_store
from graph.model import Edge, LoadReport, Node, Snapshot
from graph.neo4j_store import Neo4jStore
from graph.queries import ECOSYSTEM_LIMIT, RELATION_TYPES, OrgNode, SearchQuery, Subgraph
from graph.store import DATE_KEYS, EdgeView, GraphStore, NodeView
from loaders.detect import read_snapshot
from tests.factories import ACTIVITIES, STRUCTURES
from tests.integration.stores import KINDS, fresh_store

GHT = "49824516535"
CHU = "210780581"  # the GHT's support legal entity
MEMBERS = 9


@pytest.fixture(scope="module", params=KINDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, neo4j_uri: str
) -> GraphStore:
    store = fresh_store(request.param, tmp_path_factory.mktemp(f"queries-{request.param}"), neo4j_uri)
    store.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    return store


def _attached(store: GraphStore, finess: str) -> set[str]:
    view = store.structure(finess)
    assert view is not None
    return {e.source for e in view.edges if e.type == "ATTACHED_TO" and e.target == finess}


def test_lookup_by_number_and_by_grouping_id(store: GraphStore) -> None:
    assert store.resolve(GHT) == "gcc:1"
    assert store.resolve("gcc:1") == "gcc:1"
    assert store.resolve(CHU) == CHU
    assert store.resolve("999999999") is None
    ght = store.root(GHT, None)
    assert ght is not None
    assert (ght.id, ght.label) == ("gcc:1", "ConventionalGrouping")
    assert store.root(CHU, "1800-01-01") is None
    assert store.root("999999999", None) is None
    found = store.nodes([CHU, "gcc:1", "nothing"])
    assert {k: v.label for k, v in found.items()} == {CHU: "LegalEntity", "gcc:1": "ConventionalGrouping"}


def test_grouping_members_support_first(store: GraphStore) -> None:
    members = store.members(GHT)
    assert members is not None
    assert len(members) == MEMBERS
    assert (members[0].role, members[0].node.id) == ("S", CHU)
    assert {m.role for m in members[1:]} == {"M"}
    names = [m.node.props.get("name", "") for m in members[1:]]
    assert names == sorted(names)
    assert store.members(CHU) is None  # not a grouping
    assert store.members("gcc:999") is None


def test_ecosystem_follows_only_the_relations_asked(store: GraphStore) -> None:
    graph = store.ecosystem(CHU, depth=2, relations=["MEMBER_OF"])
    assert graph is not None
    assert len(graph.nodes) == 1 + MEMBERS  # the CHU, its GHT, the 8 other members
    assert graph.depth["gcc:1"] == 1
    assert sum(1 for d in graph.depth.values() if d == 2) == MEMBERS - 1
    assert {e.type for e in graph.edges} == {"MEMBER_OF"}
    assert len(graph.edges) == MEMBERS
    assert not graph.truncated


def test_ecosystem_cap_counts_what_was_cut(store: GraphStore) -> None:
    whole = store.ecosystem(CHU, depth=1)
    assert whole is not None
    assert not whole.truncated
    establishments = _attached(store, CHU)
    assert establishments <= set(whole.nodes)
    assert len(whole.nodes) < ECOSYSTEM_LIMIT
    capped = store.ecosystem(CHU, depth=1, limit=10)
    assert capped is not None
    assert capped.truncated
    assert len(capped.nodes) == 10
    assert capped.more == {CHU: len(whole.nodes) - 10}
    assert all(e.source in capped.nodes and e.target in capped.nodes for e in capped.edges)


def test_ecosystem_does_not_cross_authorities(store: GraphStore) -> None:
    graph = store.ecosystem(CHU, depth=4)
    assert graph is not None
    authorities = [n for n, v in graph.nodes.items() if v.label == "Authority"]
    for node_id in authorities:
        assert node_id not in graph.more
        below = [e for e in graph.edges if node_id in (e.source, e.target)]
        assert {e.type for e in below} <= {"ISSUED_BY"}


def test_ecosystem_as_of_and_unknown(store: GraphStore) -> None:
    assert store.ecosystem(CHU, as_of="1800-01-01") is None
    assert store.ecosystem("999999999") is None
    root_only = store.ecosystem(CHU, depth=0)
    assert root_only is not None
    assert list(root_only.nodes) == [CHU]


def test_organigram_of_a_ght(store: GraphStore) -> None:
    tree = store.organigram(GHT, depth=2)
    assert tree is not None
    assert tree.node.id == "gcc:1"
    assert tree.child_count == MEMBERS
    support = tree.children[0]
    assert (support.role, support.node.id) == ("S", CHU)
    assert support.child_count == len(_attached(store, CHU))
    assert {c.node.id for c in support.children} == _attached(store, CHU)
    first = support.children[0]
    assert first.node.label == "Establishment"
    assert not first.children  # depth 2 stops at establishments…
    view = store.structure(first.node.id)
    assert view is not None
    assert first.child_count == sum(1 for e in view.edges if e.type == "OPERATES")  # …and counts below


def test_organigram_limit_and_as_of(store: GraphStore) -> None:
    tree = store.organigram(CHU, depth=3, limit=5)
    assert tree is not None
    assert tree.child_count == len(_attached(store, CHU))
    assert len(tree.children) == 4
    assert store.organigram(CHU, as_of="1800-01-01") is None


def test_path_through_the_grouping(store: GraphStore) -> None:
    direct = store.path(CHU, GHT)
    assert direct is not None
    assert direct.paths == [[CHU, "gcc:1"]]
    members = store.members(GHT)
    assert members is not None
    other = members[-1].node.id
    through = store.path(CHU, other)
    assert through is not None
    assert [CHU, "gcc:1", other] in through.paths
    assert all(len(p) == 3 for p in through.paths)
    assert {e.type for e in through.edges} <= {"MEMBER_OF", "ATTACHED_TO", "HEADED_BY", "RELATED_TO"} | {
        "HOLDS",
        "OPERATES",
        "IMPLEMENTS",
        "BOUND_BY",
    }


def test_path_limits(store: GraphStore) -> None:
    members = store.members(GHT)
    assert members is not None
    other = members[-1].node.id
    short = store.path(CHU, other, max_length=1)
    assert short is not None
    assert short.paths == []
    assert store.path(CHU, "999999999") is None
    same = store.path(CHU, CHU)
    assert same is not None
    assert same.paths == [[CHU]]


def test_timeline_is_dated_and_ordered(store: GraphStore) -> None:
    entries = store.timeline("010780195")
    assert entries is not None
    assert entries[0].kind == "OPENED"
    assert entries[0].date == "1956-11-16"
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert any(e.kind == "EVENT" and e.related and e.related.startswith("ev:") for e in entries)
    assert store.timeline("999999999") is None


@pytest.mark.parametrize("text", ["chu dijon", "CHU Dijon", "Dijon   chu", "chu dij"])
def test_search_by_words_in_any_case_and_order(store: GraphStore, text: str) -> None:
    page = store.search(SearchQuery(text=text))
    assert page.items[0].id == CHU
    assert page.total == store.search(SearchQuery(text="chu dijon")).total


def test_search_folds_accents(store: GraphStore) -> None:
    with_accent = store.search(SearchQuery(text="hôpital", limit=100))
    without = store.search(SearchQuery(text="HOPITAL", limit=100))
    assert with_accent.total == without.total > 0
    assert [n.id for n in with_accent.items] == [n.id for n in without.items]


def test_search_by_numbers(store: GraphStore) -> None:
    chu = store.nodes([CHU])[CHU]
    assert [n.id for n in store.search(SearchQuery(text=CHU)).items] == [CHU]
    assert CHU in {n.id for n in store.search(SearchQuery(text=chu.props["siren"], limit=50)).items}
    prefix = store.search(SearchQuery(text="0107", limit=500))
    assert prefix.total == len(prefix.items) > 1
    assert all(
        any(str(n.props.get(k, "")).startswith("0107") for k in ("finess", "siren", "siret"))
        for n in prefix.items
    )
    assert [n.id for n in store.search(SearchQuery(text=GHT)).items] == ["gcc:1"]


def test_search_filters_and_pages(store: GraphStore) -> None:
    entities = store.search(SearchQuery(kinds=["LegalEntity"], limit=100))
    assert entities.total == 30
    dijon = store.search(SearchQuery(kinds=["LegalEntity"], department="21", limit=100))
    assert 0 < dijon.total < 30
    assert CHU in {n.id for n in dijon.items}
    region = store.search(SearchQuery(kinds=["LegalEntity"], region="27", limit=100))
    assert {n.id for n in dijon.items} <= {n.id for n in region.items}
    assert store.search(SearchQuery(kinds=["LegalEntity"], department="59")).total == 0
    hospitals = store.search(SearchQuery(category="355", limit=100))
    assert hospitals.total > 0
    assert all(n.props["category"] == "355" for n in hospitals.items)
    whole = store.search(SearchQuery(text="centre", limit=1000))
    pages = [store.search(SearchQuery(text="centre", offset=o, limit=7)) for o in range(0, whole.total, 7)]
    assert [n.id for p in pages for n in p.items] == [n.id for n in whole.items]
    names = [(n.props.get("name") or "") for n in whole.items]
    assert names == sorted(names)


def test_search_as_of(store: GraphStore) -> None:
    assert store.search(SearchQuery(text="chu", as_of="1800-01-01")).total == 0
    now = store.search(SearchQuery(as_of="2026-08-14")).total
    old = store.search(SearchQuery(as_of="2000-01-01")).total
    assert 0 < old < now


# -- both stores give identical answers --------------------------------------------------------


# A few keys per label and relationship type; `id` and `_hash` are the store's own: never given. The
# valid dates of some (DATE_KEYS), not of others.
FEW_KEYS = {
    "Establishment": {"category", "finess", "phone", "id", "_hash", "validFrom"},
    "LegalEntity": {"finess", "legalStatus"},
    "OperatedActivity": {"activity", "nature", "validTo"},
    "ConventionalGrouping": {"finess"},
    "HAS_ADDRESS": {"usage"},
    "MEMBER_OF": {"validFrom", "validTo"},
}


def _dates(kept: Collection[str], valid_from: str | None, valid_to: str | None) -> dict[str, str | None]:
    """Return a keyed view's valid dates: the whole view's when the keys ask for them, else none."""
    dated = not DATE_KEYS.isdisjoint(kept)
    return {"valid_from": valid_from if dated else None, "valid_to": valid_to if dated else None}


def _keyed_node(whole: NodeView, kept: Collection[str]) -> NodeView:
    """Return a whole view cut to a keyed one: those keys, its dates if asked, no observations or versions."""
    cut = {k: v for k, v in whole.props.items() if k in kept}
    dates = _dates(kept, whole.valid_from, whole.valid_to)
    return dataclasses.replace(whole, props=cut, observed=[], versions=0, **dates)


def _keyed_edge(whole: EdgeView, kept: Collection[str]) -> EdgeView:
    cut = {k: v for k, v in whole.props.items() if k in kept}
    return dataclasses.replace(
        whole, props=cut, observed=[], **_dates(kept, whole.valid_from, whole.valid_to)
    )


def _boxes(
    store: GraphStore, root: str, as_of: str | None, depth: int = 3, limit: int = 20_000
) -> OrgNode | None:
    """Return the organigram read with a few keys, after checking it is the whole one cut to them."""
    whole = store.organigram(root, as_of, depth, limit)
    boxed = store.organigram(root, as_of, depth, limit, keys=FEW_KEYS)
    todo = [(whole, boxed)] if whole is not None and boxed is not None else []
    assert (whole is None) == (boxed is None)
    for a, b in todo:
        assert b.child_count == a.child_count
        assert len(b.children) == len(a.children)
        if a is not whole:  # the root comes whole; every box has its name and role, their order
            assert b.node == _keyed_node(a.node, FEW_KEYS.get(a.node.label, set()) | {"name"})
            assert b.edge is not None
            assert a.edge is not None
            assert b.edge == _keyed_edge(a.edge, FEW_KEYS.get(a.edge.type, set()) | {"role"})
        todo += zip(a.children, b.children, strict=True)
    return boxed


def _keyed_graph(whole: Subgraph | None, keyed: Subgraph | None, ends: Collection[str]) -> Subgraph | None:
    """Check that a keyed ecosystem or path is the whole one cut to FEW_KEYS (and `role`); return it."""
    assert (whole is None) == (keyed is None)
    if whole is None or keyed is None:
        return keyed
    assert (keyed.depth, keyed.truncated, keyed.more, keyed.paths) == (
        whole.depth,
        whole.truncated,
        whole.more,
        whole.paths,
    )
    assert list(keyed.nodes) == list(whole.nodes)
    for node_id, node in whole.nodes.items():
        cut = node if node_id in ends else _keyed_node(node, FEW_KEYS.get(node.label, ()))
        assert keyed.nodes[node_id] == cut
    cut_edges = [_keyed_edge(e, FEW_KEYS.get(e.type, set()) | {"role"}) for e in whole.edges]
    assert sorted(map(repr, keyed.edges)) == sorted(map(repr, cut_edges))
    return keyed


def _battery(store: GraphStore, roots: list[str], as_of: str | None) -> list[object]:
    """Every query of the contract, from each root, as plain data to compare."""
    answers: list[object] = []
    for root in roots:
        answers += [
            store.root(root, as_of),
            store.ecosystem(root, depth=2, as_of=as_of),
            store.ecosystem(root, depth=3, as_of=as_of, limit=60),
            store.ecosystem(root, depth=1, as_of=as_of, relations=["HAS_ADDRESS", "LOCATED_IN", "RECORDED"]),
            _keyed_graph(
                store.ecosystem(root, depth=2, as_of=as_of, relations=RELATION_TYPES),
                store.ecosystem(root, depth=2, as_of=as_of, relations=RELATION_TYPES, keys=FEW_KEYS),
                {store.resolve(root) or root},
            ),
            _keyed_graph(  # Neo4j reads the root and its first level in one statement: cut there
                store.ecosystem(root, depth=1, as_of=as_of, limit=5),
                store.ecosystem(root, depth=1, as_of=as_of, limit=5, keys=FEW_KEYS),
                {store.resolve(root) or root},
            ),
            _keyed_graph(
                store.ecosystem(root, depth=3, as_of=as_of, limit=60),
                store.ecosystem(root, depth=3, as_of=as_of, limit=60, keys=FEW_KEYS),
                {store.resolve(root) or root},
            ),
            store.organigram(root, as_of=as_of),
            _boxes(store, root, as_of),
            _boxes(store, root, as_of, depth=4, limit=40),  # every level Neo4j reads in one statement, cut
            _boxes(store, root, as_of, depth=0),
            store.members(root, as_of=as_of),
            store.timeline(root),
        ]
        for other in roots:
            answers.append(store.path(root, other, as_of=as_of))
            ends = {store.resolve(root) or root, store.resolve(other) or other}
            keyed = store.path(root, other, as_of=as_of, keys=FEW_KEYS)
            answers.append(_keyed_graph(store.path(root, other, as_of=as_of), keyed, ends))
    for text in ("centre", "chu", "ehpad", "01", None):
        answers.append(store.search(SearchQuery(text=text, as_of=as_of, limit=15)))
        answers.append(store.search(SearchQuery(text=text, as_of=as_of, department="21", offset=3)))
    return [dataclasses.asdict(a) if dataclasses.is_dataclass(a) else a for a in answers]  # type: ignore[arg-type]


def compare(stores: dict[str, GraphStore], roots: list[str], as_of: str | None) -> None:
    """Ask both stores every query from these roots; their answers must be equal."""
    embedded, neo4j = (_battery(stores[kind], roots, as_of) for kind in KINDS)
    for i, (a, b) in enumerate(zip(embedded, neo4j, strict=True)):
        assert b == a, f"answer {i} differs"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, neo4j_uri: str) -> dict[str, GraphStore]:
    stores = {kind: fresh_store(kind, tmp_path_factory.mktemp(f"same-{kind}"), neo4j_uri) for kind in KINDS}
    for s in stores.values():
        s.load([read_snapshot(STRUCTURES), read_snapshot(ACTIVITIES)])
    return stores


@pytest.mark.parametrize("as_of", [None, "2005-06-30", "2026-08-14"])
def test_identical_answers_on_the_sample(both: dict[str, GraphStore], as_of: str | None) -> None:
    compare(both, [CHU, GHT, "010780195", "gco:403", "210987558"], as_of)


@pytest.mark.parametrize("as_of", [None, "2026-08-14"])
def test_neo4j_reads_of_many_nodes_in_two_halves_answer_alike(
    both: dict[str, GraphStore], monkeypatch: pytest.MonkeyPatch, as_of: str | None
) -> None:
    # The sample's reads are small: from two nodes on, each read of the neighbours is split in halves.
    neo4j = both["neo4j"]
    assert isinstance(neo4j, Neo4jStore)
    submitted: list[object] = []
    submit = neo4j._halves.submit

    def counted(*args: Any, **kwargs: Any) -> Any:
        submitted.append(args[0])
        return submit(*args, **kwargs)

    monkeypatch.setattr(neo4j._halves, "submit", counted)
    monkeypatch.setattr(neo4j_store, "PARALLEL_IDS", 2)
    compare(both, [CHU, GHT, "010780195"], as_of)
    assert len(submitted) > 20


@pytest.mark.parametrize("as_of", [None, "2024-06-01"])
def test_views_give_properties_in_key_order(store: GraphStore, as_of: str | None) -> None:
    # The node-link JSON writes a view's properties as they come: the same bytes need the same order.
    graph = store.ecosystem(CHU, depth=2, as_of=as_of)
    assert graph is not None
    views = [*graph.nodes.values(), *graph.edges]
    assert sum(len(v.props) > 1 for v in views) > 10
    assert all(list(v.props) == sorted(v.props) for v in views)


def _dated_links() -> Snapshot:
    """A legal entity, two establishments, their attachments dated from 2021 and 2019 until 2030."""
    records: list[Node | Edge] = [
        Node("900000001", "LegalEntity", {"name": "Entité", "finess": "900000001"}, valid_from="2000-01-01"),
        Node(
            "900000002", "Establishment", {"name": "Site A", "finess": "900000002"}, valid_from="2018-01-01"
        ),
        Node("900000003", "Establishment", {"name": "Site B", "finess": "900000003"}),
        Edge("ATTACHED_TO", "900000002", "900000001", {}, valid_from="2021-01-01"),
        Edge("ATTACHED_TO", "900000003", "900000001", {}, valid_from="2019-01-01", valid_to="2030-01-01"),
    ]
    return Snapshot("structures", "2026-08-13", "dated.json", iter(records), LoadReport("dated.json"))


@pytest.mark.parametrize("kind", KINDS)
def test_keyed_reads_give_dates_only_when_asked_and_judge_validity_by_them(
    kind: str, tmp_path: Path, neo4j_uri: str
) -> None:
    # No loader dates a relationship today; the model and both stores allow it.
    store = fresh_store(kind, tmp_path, neo4j_uri)
    store.load([_dated_links()])
    plain = {"Establishment": {"name"}}
    dated = {"Establishment": {"name", "validFrom"}, "ATTACHED_TO": {"validTo"}}
    node_dates = {"900000002": ("2018-01-01", None), "900000003": (None, None)}
    edge_dates = {"900000002": ("2021-01-01", None), "900000003": ("2019-01-01", "2030-01-01")}
    for as_of, present in ((None, {"900000002", "900000003"}), ("2020-06-01", {"900000003"})):
        for keys in (plain, dated):
            tree = store.organigram("900000001", as_of, keys=keys)
            around = store.ecosystem("900000001", 1, as_of, ["ATTACHED_TO"], keys=keys)
            assert tree is not None
            assert around is not None
            assert {box.node.id for box in tree.children} == present == set(around.nodes) - {"900000001"}
            boxes = {box.node.id: box for box in tree.children}
            for edge in around.edges:
                node = around.nodes[edge.source]
                box = boxes[edge.source]
                assert box.edge is not None
                expected = (
                    (edge_dates[node.id], node_dates[node.id]) if keys is dated else ((None, None),) * 2
                )
                assert ((edge.valid_from, edge.valid_to), (node.valid_from, node.valid_to)) == expected
                assert (
                    (box.edge.valid_from, box.edge.valid_to),
                    (box.node.valid_from, box.node.valid_to),
                ) == expected
    if isinstance(store, Neo4jStore):
        store.close()
