"""Export formats read back by the tools they are for: networkx, csv, zipfile, fhir.resources."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from datetime import date
from typing import Any
from xml.etree import ElementTree

import networkx as nx
import pytest
from fhir.resources.R4B.bundle import Bundle

from api.formats import FORMATS, ExportMeta, display_name, kind, node_link, render
from api.formats.fhir import FINESS, IDENTIFIER_TYPE, full_url
from api.formats.table import EDGE_COLUMNS, NODE_COLUMNS
from graph.embedded_store import EmbeddedStore
from graph.errors import FinessGraphError, InvalidRequest
from graph.labels import Labels
from graph.queries import RELATION_TYPES, Subgraph, edge_key, span
from graph.store import NodeView
from loaders.detect import read_snapshot
from loaders.synthetic import generate

CHU, GHT = "210780581", "49824516535"
ORGANISATIONS = {"LegalEntity", "Establishment", "OrganicGrouping", "ConventionalGrouping"}
ACTIVITIES = {"AuthorizedActivity", "OperatedActivity"}
Case = tuple[Subgraph, Labels, ExportMeta]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    folder = tmp_path_factory.mktemp("formats")
    files = generate(folder / "gen", scale=0.005, days=1, seed=4, start=date(2026, 8, 13), parallel=False)
    store = EmbeddedStore(folder / "store.pickle")
    store.load([read_snapshot(f) for f in files])
    return store


def _real_cases(store: EmbeddedStore) -> list[Case]:
    """The CHU with everything around it (cut at 500 nodes), and the GHT with its members."""
    labels = store.labels()
    chu = store.ecosystem(CHU, 2, None, RELATION_TYPES)
    ght = store.ecosystem(GHT, 2, "2024-01-01")
    assert chu is not None
    assert chu.truncated
    assert chu.more
    assert ght is not None
    return [
        (chu, labels, ExportMeta(CHU, None, 2, sorted(RELATION_TYPES))),
        (ght, labels, ExportMeta("gcc:1", "2024-01-01", 2)),
    ]


def _generated_cases(store: EmbeddedStore) -> list[Case]:
    """A generated grouping's ecosystem with addresses, and a path between two of its members."""
    labels = store.labels()
    grouping = min(i for i in store.nodes_table if i.startswith(("gco:", "gcc:")))
    sub = store.ecosystem(grouping, 3, None, sorted(RELATION_TYPES - {"RECORDED"}))
    assert sub is not None
    members = sorted(e.source for e in sub.edges if e.type == "MEMBER_OF" and e.target == grouping)
    assert members, "the generated grouping has members"
    far = max(i for i in sub.nodes if sub.nodes[i].label == "Establishment")
    path = store.path(members[0], far)
    assert path is not None
    assert path.paths
    return [
        (sub, labels, ExportMeta(grouping, None, 3, sorted(RELATION_TYPES - {"RECORDED"}))),
        (path, labels, ExportMeta(members[0], None, None, None, "path")),
    ]


def _all_cases(real_store: EmbeddedStore, generated: EmbeddedStore) -> list[Case]:
    return _real_cases(real_store) + _generated_cases(generated)


def _edge_triples(sub: Subgraph) -> Counter[tuple[str, str, str]]:
    return Counter((e.source, e.target, e.type) for e in sub.edges)


def test_kind_and_display_names(real_store: EmbeddedStore) -> None:
    assert [kind(x) for x in ("LegalEntity", "OperatedActivity", "Commune", "ConventionalGrouping")] == [
        "LEGAL_ENTITY",
        "OPERATED_ACTIVITY",
        "COMMUNE",
        "CONVENTIONAL_GROUPING",
    ]
    labels = real_store.labels()

    def node(label: str, **props: Any) -> NodeView:
        return NodeView("x:1", label, props, None, None, [])

    assert display_name(node("LegalEntity", name="CHU DIJON", finess=CHU), labels) == "CHU DIJON"
    assert display_name(node("OperatedActivity", nature="AMM", activity="QA001"), labels) == "Médecine"
    assert display_name(node("AuthorizedActivity", nature="ASDR", activity="394"), labels) == "394"
    assert display_name(node("Commune", code="21231", name="Dijon"), labels) == "Dijon"
    assert display_name(node("Commune", code="21231"), labels) == "21231"
    assert display_name(node("Event", code="001"), labels) == "001"
    assert display_name(node("OrganicGrouping", pmSmsseId="403"), labels) == "x:1"
    address = node(
        "Address", number="10", streetType="BD", street="FOCH", postalCode="21000", routing="DIJON"
    )
    assert display_name(address, labels) == "10 BD FOCH, 21000 DIJON"


def test_node_link_round_trips_through_networkx(real_store: EmbeddedStore, generated: EmbeddedStore) -> None:
    for sub, labels, meta in _all_cases(real_store, generated):
        data = node_link(sub, labels, meta)
        assert json.loads(render("json", sub, labels, meta).body) == data
        graph = nx.node_link_graph(data, edges="links")
        assert graph.is_directed()
        assert graph.is_multigraph()
        assert set(graph.nodes) == set(sub.nodes)
        assert Counter((u, v, d["type"]) for u, v, d in graph.edges(data=True)) == _edge_triples(sub)
        assert graph.graph == {
            "root": meta.root,
            "asOf": meta.as_of,
            "depth": meta.depth,
            "relations": sorted(
                meta.relations or RELATION_TYPES - {"HAS_ADDRESS", "LOCATED_IN", "PART_OF", "RECORDED"}
            ),
            "truncated": sub.truncated,
            "paths": sub.paths,
            "kind": meta.kind,
        }
        assert [n["id"] for n in data["nodes"]] == sorted(sub.nodes, key=lambda i: (sub.depth[i], i))
        assert {n["id"]: n["more"] for n in data["nodes"] if "more" in n} == sub.more
        for item in data["nodes"]:
            node = sub.nodes[item["id"]]
            assert item["kind"] == kind(node.label)
            assert item["label"] == node.label
            assert item["name"] == display_name(node, labels)
            assert item["depth"] == sub.depth[node.id]
            assert (item["validFrom"], item["validTo"], item["properties"]) == (
                node.valid_from,
                node.valid_to,
                node.props,
            )
        edges = sorted(sub.edges, key=edge_key)
        assert [(x["source"], x["target"], x["type"]) for x in data["links"]] == [
            (e.source, e.target, e.type) for e in edges
        ]
        for link, edge in zip(data["links"], edges, strict=True):
            assert (link["since"], link["until"]) == span(edge)
            assert link["role"] == edge.props.get("role")
        keys = Counter((x["source"], x["target"], x["key"]) for x in data["links"])
        assert max(keys.values()) == 1, "a link's key tells it from its parallel links"


def test_node_link_names_codes_and_roles_on_the_real_sample(real_store: EmbeddedStore) -> None:
    (chu, labels, meta), (ght, _, ght_meta) = _real_cases(real_store)
    data = node_link(chu, labels, meta)
    root = data["nodes"][0]
    assert (root["id"], root["kind"], root["name"], root["finess"], root["depth"]) == (
        CHU,
        "LEGAL_ENTITY",
        "CHU DIJON BOURGOGNE",
        CHU,
        0,
    )
    assert root["labels"]["legalStatus"] == "Etablissement Public Communal d'Hospitalisation"
    assert data["graph"]["truncated"] is True
    members = [x for x in node_link(ght, labels, ght_meta)["links"] if x["type"] == "MEMBER_OF"]
    assert sorted(x["role"] for x in members) == ["M"] * 8 + ["S"]
    assert all(x["key"] == f"MEMBER_OF:{x['role']}" for x in members)


def test_graphml_and_gexf_parse_back_with_networkx(
    real_store: EmbeddedStore, generated: EmbeddedStore
) -> None:
    for sub, labels, meta in _all_cases(real_store, generated):
        data = node_link(sub, labels, meta)
        graphml = nx.read_graphml(
            io.BytesIO(render("graphml", sub, labels, meta).body), force_multigraph=True
        )
        gexf_bytes = render("gexf", sub, labels, meta).body
        gexf = nx.read_gexf(io.BytesIO(gexf_bytes))
        for graph in (graphml, gexf):
            assert set(graph.nodes) == set(sub.nodes)
            assert graph.number_of_edges() == len(sub.edges)
        assert Counter((u, v, d["type"]) for u, v, d in graphml.edges(data=True)) == _edge_triples(sub)
        assert Counter((u, v, d["label"]) for u, v, d in gexf.edges(data=True)) == _edge_triples(sub)
        assert graphml.graph["root"] == meta.root
        assert graphml.graph["truncated"] is sub.truncated
        assert json.loads(graphml.graph["paths"]) == sub.paths
        description = ElementTree.fromstring(gexf_bytes).find("{*}meta/{*}description")
        assert description is not None
        assert json.loads(description.text or "") == data["graph"]
        assert b"lastmodifieddate" not in gexf_bytes
        for item in data["nodes"]:
            a, b = graphml.nodes[item["id"]], gexf.nodes[item["id"]]
            assert (a["kind"], a["label"], a["name"]) == (item["kind"], item["label"], item["name"])
            assert (b["kind"], b["graphLabel"], b["label"]) == (item["kind"], item["label"], item["name"])
            assert a.get("more") == b.get("more") == item.get("more")
            for key, value in item["properties"].items():
                expected = (
                    value
                    if isinstance(value, str | int | float)
                    else json.dumps(value, separators=(",", ":"))
                )
                assert a[f"properties.{key}"] == b[f"properties.{key}"] == expected
            if item["validFrom"]:
                assert b["start"] == b["validFrom"] == a["validFrom"] == item["validFrom"]
            if item["validTo"]:
                assert b["end"] < item["validTo"] == a["validTo"]
        keys = Counter((x["source"], x["target"], x["key"]) for x in data["links"])
        assert Counter(list(graphml.edges(keys=True))) == keys
        simple = Counter((u, v) for u, v, _ in keys.elements())
        assert Counter(_gexf_keys(gexf)) == (keys if gexf.is_multigraph() else simple)
        roles = Counter((u, v, d.get("role")) for u, v, d in graphml.edges(data=True))
        assert roles == Counter((u, v, d.get("role")) for u, v, d in gexf.edges(data=True))


def test_csv_rows_are_the_nodes_and_links(real_store: EmbeddedStore, generated: EmbeddedStore) -> None:
    for sub, labels, meta in _all_cases(real_store, generated):
        data = node_link(sub, labels, meta)
        nodes_body = render("nodes.csv", sub, labels, meta).body
        edges_body = render("edges.csv", sub, labels, meta).body
        nodes = list(csv.DictReader(io.StringIO(nodes_body.decode("utf-8"))))
        edges = list(csv.DictReader(io.StringIO(edges_body.decode("utf-8"))))
        assert tuple(nodes[0]) == NODE_COLUMNS
        assert NODE_COLUMNS[-1] == "properties"
        assert tuple(edges[0]) == EDGE_COLUMNS
        assert EDGE_COLUMNS[-1] == "properties"
        assert [r["id"] for r in nodes] == [n["id"] for n in data["nodes"]]
        assert [r["name"] for r in nodes] == [n["name"] for n in data["nodes"]]
        assert [json.loads(r["properties"]) for r in nodes] == [sub.nodes[r["id"]].props for r in nodes]
        assert [(r["source"], r["target"], r["type"], r["key"]) for r in edges] == [
            (x["source"], x["target"], x["type"], x["key"]) for x in data["links"]
        ]
        archive = zipfile.ZipFile(io.BytesIO(render("csv", sub, labels, meta).body))
        assert archive.namelist() == ["nodes.csv", "edges.csv"]
        assert archive.read("nodes.csv") == nodes_body
        assert archive.read("edges.csv") == edges_body


def test_fhir_bundle_validates_and_maps_every_structure(
    real_store: EmbeddedStore, generated: EmbeddedStore
) -> None:
    for sub, labels, meta in _all_cases(real_store, generated):
        body = render("fhir", sub, labels, meta).body
        bundle = json.loads(body)
        Bundle.model_validate(bundle)  # raises on anything R4(B) does not allow
        assert bundle["type"] == "collection"
        by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
        assert len(by_url) == len(bundle["entry"])
        resources = Counter(r["resourceType"] for r in by_url.values())
        orgs = {i for i, n in sub.nodes.items() if n.label in ORGANISATIONS}
        assert resources["Organization"] == len(orgs)
        assert resources["HealthcareService"] == sum(n.label in ACTIVITIES for n in sub.nodes.values())
        members = [e for e in sub.edges if e.type == "MEMBER_OF"]
        assert resources["OrganizationAffiliation"] == len(members)
        for ref in _references(bundle):
            assert ref in by_url, "every reference resolves within the bundle"
        for node_id in orgs:
            node, org = sub.nodes[node_id], by_url[full_url(node_id)]
            if node.label in ("LegalEntity", "Establishment"):
                finess = [i for i in org["identifier"] if i["system"] == FINESS]
                assert finess[0]["value"] == node.props["finess"]
                code = finess[0]["type"]["coding"][0]
                assert code["system"] == IDENTIFIER_TYPE
                assert code["code"] == ("FINEJ" if node.label == "LegalEntity" else "FINEG")
        for edge in sub.edges:
            if edge.type == "ATTACHED_TO":
                establishment = by_url[full_url(edge.source)]
                assert establishment["partOf"]["reference"] == full_url(edge.target)
            if edge.type in ("HOLDS", "OPERATES"):
                service = by_url[full_url(edge.target)]
                assert service["providedBy"]["reference"] == full_url(edge.source)
        affiliations = [r for r in by_url.values() if r["resourceType"] == "OrganizationAffiliation"]
        found = Counter(
            (
                a["participatingOrganization"]["reference"],
                a["organization"]["reference"],
                a["code"][0]["text"],
            )
            for a in affiliations
        )
        roles = {"S": "support", "M": "member"}
        assert found == Counter(
            (full_url(e.source), full_url(e.target), roles[e.props["role"]]) for e in members
        )


def test_fhir_on_the_real_ght_and_chu(real_store: EmbeddedStore) -> None:
    (chu, labels, meta), (ght, _, ght_meta) = _real_cases(real_store)
    bundle = json.loads(render("fhir", ght, labels, ght_meta).body)
    affiliations = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "OrganizationAffiliation"
    ]
    assert sorted(a["code"][0]["coding"][0]["code"] for a in affiliations) == ["M"] * 8 + ["S"]
    support = next(a for a in affiliations if a["code"][0]["text"] == "support")
    assert support["participatingOrganization"] == {
        "reference": full_url(CHU),
        "display": "CHU DIJON BOURGOGNE",
    }
    chu_bundle = json.loads(render("fhir", chu, labels, meta).body)
    root = next(e["resource"] for e in chu_bundle["entry"] if e["fullUrl"] == full_url(CHU))
    assert {i["type"]["coding"][0]["code"]: i["value"] for i in root["identifier"]} == {
        "FINEJ": CHU,
        "SIREN": "262100076",
    }
    assert root["active"] is True
    assert root["address"][0]["postalCode"] == "21034"
    services = [
        e["resource"] for e in chu_bundle["entry"] if e["resource"]["resourceType"] == "HealthcareService"
    ]
    amm = [s for s in services if s["category"][0]["text"].startswith("AMM")]
    assert amm
    assert all(s["type"][0]["coding"][0]["system"].endswith("tre-r381-activite-amm") for s in amm)
    assert any(s["name"] == "Médecine" for s in amm)


def test_render_is_deterministic_and_names_its_files(real_store: EmbeddedStore) -> None:
    (sub, labels, meta), _ = _real_cases(real_store)
    for fmt, chosen in FORMATS.items():
        first, again = render(fmt, sub, labels, meta), render(fmt, sub, labels, meta)
        assert first == again
        assert first.media_type == chosen.media_type
        assert first.filename.startswith(f"ecosystem-{CHU}")
        assert first.filename.endswith(chosen.suffix)
    assert (
        render("gexf", sub, labels, ExportMeta("gcc:1", "2024-01-01")).filename
        == "ecosystem-gcc-1-2024-01-01.gexf"
    )


def test_an_unknown_format_is_one_sentence_listing_the_formats() -> None:
    sub = Subgraph({}, [], {})
    with pytest.raises(InvalidRequest) as caught:
        render("xlsx", sub, Labels(), ExportMeta("x"))
    assert isinstance(caught.value, FinessGraphError)
    assert str(caught.value) == (
        "unknown export format 'xlsx': choose one of json, graphml, gexf, csv, nodes.csv, edges.csv, fhir"
    )


def _gexf_keys(graph: Any) -> list[tuple[str, ...]]:
    """networkx reads a GEXF without parallel edges as a simple graph, which has no keys."""
    if graph.is_multigraph():
        return list(graph.edges(keys=True))
    return list(graph.edges())


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []
