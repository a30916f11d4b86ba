"""The GraphQL API on the real sample: every query, the minimum field names, limits, errors, HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.formats.names import NAMING_KEYS
from api.graphql.router import GRAPHQL_RESPONSE
from api.graphql.sdl import sdl
from api.graphql.views import NodeKind
from graph.embedded_store import EmbeddedStore
from graph.errors import FinessGraphError, QueryTimeout, StoreUnavailable
from graph.labels import Labels
from graph.queries import NODE_LABELS, RELATION_TYPES
from graph.settings import Settings
from graph.store import DATE_KEYS
from tests.factories import CountingStore

GHT_NUMBER = "49824516535"  # the sample's GHT, 21-52 Côte d'Or-Haute-Marne
CHU = "210780581"  # its support, CHU Dijon Bourgogne
CLOSED = "010000016"  # a legal entity closed on 2019-03-03
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def counting(real_store: EmbeddedStore) -> CountingStore:
    return CountingStore(real_store)


@pytest.fixture
def client(counting: CountingStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), counting)) as test_client:  # type: ignore[arg-type]
        yield test_client


@pytest.fixture
def gql(client: TestClient) -> Callable[..., dict[str, Any]]:
    def run(query: str, **variables: Any) -> dict[str, Any]:
        response = client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return run


def test_structure_minimum_fields_and_navigation(gql: Callable[..., dict[str, Any]]) -> None:
    body = gql(
        """query($f: String!) { structure(finess: $f) { id finess name kind
             ... on LegalEntity { siren legalStatus { code label }
                 establishments(first: 2) { totalCount edges { cursor node { finess kind
                     ... on Establishment { legalEntity { finess } category { code label } } } }
                   pageInfo { hasNextPage endCursor } } }
             groupings { role structure { finess } grouping { finess name groupingType } } } }""",
        f=CHU,
    )
    s = body["data"]["structure"]
    assert (s["finess"], s["kind"]) == (CHU, "LEGAL_ENTITY")
    assert s["legalStatus"]["code"]
    assert s["legalStatus"]["label"]
    page = s["establishments"]
    assert page["totalCount"] > 2
    assert len(page["edges"]) == 2
    assert page["pageInfo"]["hasNextPage"]
    for edge in page["edges"]:
        assert edge["node"]["kind"] == "ESTABLISHMENT"
        assert edge["node"]["legalEntity"]["finess"] == CHU  # navigation both ways
        assert edge["node"]["category"]["label"]
    assert s["groupings"] == [
        {
            "role": "SUPPORT",
            "structure": {"finess": CHU},
            "grouping": {"finess": GHT_NUMBER, "name": "21-52 Côte d'Or-Haute-Marne", "groupingType": "001"},
        }
    ]
    # The next page starts after the end cursor, without repeating or skipping anyone.
    after = gql(
        """query($f: String!, $a: String) { structure(finess: $f) { ... on LegalEntity {
             establishments(first: 100, after: $a) { totalCount edges { node { finess } } } } } }""",
        f=CHU,
        a=page["pageInfo"]["endCursor"],
    )["data"]["structure"]["establishments"]
    assert len(after["edges"]) == page["totalCount"] - 2


def test_grouping_members_support_first(gql: Callable[..., dict[str, Any]]) -> None:
    body = gql(
        """{ grouping(id: "49824516535") { finess name groupingType
             members { role since until structure { finess name kind } } } }"""
    )
    members = body["data"]["grouping"]["members"]
    assert len(members) == 9
    assert members[0]["role"] == "SUPPORT"
    assert members[0]["structure"]["finess"] == CHU
    assert {m["role"] for m in members[1:]} == {"MEMBER"}
    assert gql('{ grouping(id: "210780581") { finess } }')["data"]["grouping"] is None  # not a grouping
    # structure(finess:) resolves a grouping's number too.
    assert gql('{ structure(finess: "49824516535") { kind } }')["data"]["structure"] == {
        "kind": "CONVENTIONAL_GROUPING"
    }


def test_as_of_on_every_level(gql: Callable[..., dict[str, Any]]) -> None:
    query = 'query($d: Date) { structure(finess: "010000016", asOf: $d) { finess validTo } }'
    assert gql(query, d="2018-06-01")["data"]["structure"] == {"finess": CLOSED, "validTo": "2019-03-03"}
    assert gql(query, d="2020-01-01")["data"]["structure"] is None
    count = '{ stats(asOf: "1990-01-01") { nodes { label count } } }'
    old = {n["label"]: n["count"] for n in gql(count)["data"]["stats"]["nodes"]}
    now = {
        n["label"]: n["count"] for n in gql("{ stats { nodes { label count } } }")["data"]["stats"]["nodes"]
    }
    assert old["Establishment"] < now["Establishment"]


def test_search_by_words_numbers_and_filters(gql: Callable[..., dict[str, Any]]) -> None:
    query = """query($t: String, $k: [StructureKind!], $dep: String, $after: String) {
        search(text: $t, kinds: $k, department: $dep, first: 5, after: $after) {
          totalCount edges { cursor node { finess name kind } } pageInfo { hasNextPage endCursor } } }"""
    page = gql(query, t="chu dijon")["data"]["search"]
    assert CHU in [e["node"]["finess"] for e in page["edges"]]
    accents = gql(query, t="CÔTE D'OR")["data"]["search"]
    assert GHT_NUMBER in [e["node"]["finess"] for e in accents["edges"]]
    siren = gql(query, t="260104633")["data"]["search"]  # the SIREN of 010000016
    assert [e["node"]["finess"] for e in siren["edges"]] == [CLOSED]
    centres = gql(query, t="centre", k=["ESTABLISHMENT"], dep="21")["data"]["search"]
    assert centres["totalCount"] > 5
    assert {e["node"]["kind"] for e in centres["edges"]} == {"ESTABLISHMENT"}
    second = gql(query, t="centre", k=["ESTABLISHMENT"], dep="21", after=centres["pageInfo"]["endCursor"])
    names = [e["node"]["finess"] for e in centres["edges"] + second["data"]["search"]["edges"]]
    assert len(set(names)) == len(names) == min(10, centres["totalCount"])


def test_ecosystem_nodes_edges_graph(gql: Callable[..., dict[str, Any]]) -> None:
    body = gql(
        """{ ecosystem(finess: "49824516535", depth: 2, relations: [MEMBER_OF, ATTACHED_TO], limit: 40) {
             root truncated nodes { id finess name kind depth more }
             edges { source target type role since until }
             graph } }"""
    )
    eco = body["data"]["ecosystem"]
    assert eco["truncated"] is True
    assert any(n["more"] > 0 for n in eco["nodes"])
    assert len(eco["nodes"]) == 40
    assert {e["type"] for e in eco["edges"]} <= {"MEMBER_OF", "ATTACHED_TO"}
    ids = {n["id"] for n in eco["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in eco["edges"])
    graph = eco["graph"]
    assert [n["id"] for n in graph["nodes"]] == [n["id"] for n in eco["nodes"]]
    assert len(graph["links"]) == len(eco["edges"])
    assert graph["graph"]["truncated"] is True


NODE_FIELDS = "nodes { id kind finess name depth more validFrom validTo }"
GRAPH_FIELDS = NODE_FIELDS + " edges { source target type role validFrom validTo }"
ALL_TYPES = "[" + ", ".join(sorted(RELATION_TYPES)) + "]"


@pytest.mark.parametrize("as_of", [None, "2019-01-01"])
def test_ecosystem_and_path_fields_read_only_the_keys_they_show(
    gql: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch, as_of: str | None
) -> None:
    # The same fields, read keyed and (with `since`, which needs the observed dates) whole: a name
    # of every kind of node (addresses, events, activities, engagements…) must come out the same.
    asked: list[object] = []
    neighbours = EmbeddedStore.neighbours

    def spy(self: EmbeddedStore, *args: Any, **kwargs: Any) -> Any:
        asked.append(args[4] if len(args) > 4 else kwargs.get("keys"))
        return neighbours(self, *args, **kwargs)

    monkeypatch.setattr(EmbeddedStore, "neighbours", spy)
    queries = [
        "ecosystem(finess: $f, depth: 2, asOf: $d, relations: " + ALL_TYPES + ", limit: 2000)",
        'path(from: $f, to: "210780631", asOf: $d)',
    ]
    kinds: set[str] = set()
    for field in queries:
        for root in (CHU, GHT_NUMBER, "210987558", "010780195"):
            asked.clear()
            query = "query($f: String!, $d: Date) { answer: " + field + " { " + GRAPH_FIELDS + "%s } }"
            keyed = gql(query % "", f=root, d=as_of)["data"]["answer"]
            assert asked
            assert all(isinstance(k, dict) for k in asked)
            asked.clear()
            whole = gql(query % " edges { since }", f=root, d=as_of)["data"]["answer"]
            assert asked
            assert all(k is None for k in asked)
            if keyed is None:
                assert whole is None
                continue
            for edge in whole["edges"]:
                del edge["since"]
            assert keyed == whole
            kinds |= {n["kind"] for n in keyed["nodes"]}
    assert kinds >= {
        "ADDRESS",
        "EVENT",
        "OPERATED_ACTIVITY",
        "AUTHORIZED_ACTIVITY",
        "COMMUNE",
        "LEGAL_ENTITY",
    }


def test_valid_dates_are_read_only_when_a_field_shows_them(
    gql: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without `validFrom` or `validTo`, no keyed read asks for dates (DATE_KEYS); with them, the dates
    # shown are those of the whole views.
    asked: list[Any] = []
    for name in ("ecosystem", "organigram"):
        method = getattr(EmbeddedStore, name)

        def spy(self: EmbeddedStore, *args: Any, _method: Any = method, **kwargs: Any) -> Any:
            asked.append(kwargs["keys"])
            return _method(self, *args, **kwargs)

        monkeypatch.setattr(EmbeddedStore, name, spy)

    def dated(keys: Any) -> bool:
        return any(not DATE_KEYS.isdisjoint(k) for k in keys.values())

    eco = (
        "ecosystem(finess: $f, depth: 2) { nodes { id depth name %s } edges { source target type role %s } }"
    )
    org = "organigram(finess: $f, depth: 2) { node { id name %s } children { %s node { id name %s } } }"
    for field, plain_fields, dated_fields, whole_fields in (
        (eco, ("", ""), ("validFrom validTo",) * 2, ("validFrom validTo", "validFrom validTo properties")),
        (
            org,
            ("",) * 3,
            ("validFrom", "", "validFrom validTo"),
            ("validFrom", "structure { __typename }", "validFrom validTo"),
        ),
    ):

        def ask(fields: tuple[str, ...], field: str = field) -> Any:
            return gql("query($f: String!) { a: " + field % fields + " }", f=GHT_NUMBER)["data"]["a"]

        plain = ask(plain_fields)
        assert not dated(asked[-1])
        keyed = ask(dated_fields)
        assert dated(asked[-1])
        whole = ask(whole_fields)
        assert asked[-1] is None  # `properties`, `structure`: whole views
        assert any(n["validFrom"] for n in _under_the_root(keyed))
        assert _without(whole, {"properties", "structure"}) == keyed
        assert _without(keyed, {"validFrom", "validTo"}) == plain


def _under_the_root(answer: Any) -> list[dict[str, Any]]:
    """Return the nodes of an ecosystem's answer or the boxes' nodes of an organigram's, but its root."""
    if "nodes" in answer:
        return [n for n in answer["nodes"] if n["depth"]]
    return [c["node"] for c in answer["children"]]


def _without(value: Any, fields: set[str]) -> Any:
    """Return a GraphQL answer without these fields, wherever they are."""
    if isinstance(value, dict):
        return {k: _without(v, fields) for k, v in value.items() if k not in fields}
    if isinstance(value, list):
        return [_without(v, fields) for v in value]
    return value


def test_every_node_kind_has_its_naming_keys() -> None:
    # A label the keyed reads do not know would come back without properties, named by its id.
    assert {kind.value for kind in NodeKind} == NODE_LABELS == set(NAMING_KEYS)


def test_organigram_path_timeline(gql: Callable[..., dict[str, Any]]) -> None:
    org = gql(
        """{ organigram(finess: "49824516535", depth: 2) { node { name kind } childCount more
             children { role childCount node { finess } children { node { kind } } } tree } }"""
    )["data"]["organigram"]
    assert org["childCount"] == 9
    assert len(org["children"]) == 9
    assert org["children"][0]["role"] == "SUPPORT"
    assert org["tree"]["childCount"] == 9
    assert len(org["tree"]["children"]) == 9
    chu = org["children"][0]
    assert chu["node"]["finess"] == CHU
    assert len(chu["children"]) == chu["childCount"] > 0
    path = gql('{ path(from: "210780581", to: "210780631") { paths nodes { id } edges { type } } }')
    found = path["data"]["path"]
    assert found["paths"] == [[CHU, "gcc:1", "210780631"]]
    assert {e["type"] for e in found["edges"]} == {"MEMBER_OF"}
    timeline = gql('{ timeline(finess: "010000016") { date kind detail related } }')["data"]["timeline"]
    kinds = [t["kind"] for t in timeline]
    assert kinds[0] == "OPENED"
    assert "CLOSED" in kinds
    assert [t["date"] for t in timeline] == sorted(t["date"] for t in timeline)


def test_dataloaders_batch_nested_fields(gql: Callable[..., dict[str, Any]], counting: CountingStore) -> None:
    counting.calls.clear()
    body = gql(
        """{ search(text: "ch", first: 50) { edges { node { finess kind
             ... on Establishment { legalEntity { name } addresses { street commune { code } } }
             ... on LegalEntity { establishments(first: 1) { totalCount } } } } } }"""
    )
    hits = body["data"]["search"]["edges"]
    assert len(hits) == 50
    assert {h["node"]["kind"] for h in hits} == {"ESTABLISHMENT", "LEGAL_ENTITY"}
    # One call per kind of neighbour asked (legal entity, addresses, their communes, establishments),
    # not one per search hit.
    assert counting.calls["neighbours"] == 4, counting.calls
    assert counting.calls["search"] == 1


def test_expected_failures(gql: Callable[..., dict[str, Any]]) -> None:
    missing = gql('{ structure(finess: "999999999") { id } lookup(finess: "999999999") { __typename '
                  "... on StructureNotFound { finess message } } }")  # fmt: skip
    assert missing["data"]["structure"] is None
    assert missing["data"]["lookup"]["__typename"] == "StructureNotFound"
    found = gql('{ lookup(finess: "210780581") { __typename ... on LegalEntity { siren } } }')
    assert found["data"]["lookup"]["__typename"] == "LegalEntity"
    unknown = gql('{ ecosystem(finess: "999999999") { root } }')
    assert unknown["data"] is None
    assert unknown["errors"][0]["message"] == "no structure with FINESS number or id '999999999' in the store"
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    bad = gql('{ structure(finess: "x\' OR 1=1") { id } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "is not a FINESS number" in bad["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("{ search(first: 101) { totalCount } }", "first: 101 is out of range"),
        ('{ ecosystem(finess: "210780581", depth: 5) { root } }', "depth: 5 is out of range"),
        ('{ ecosystem(finess: "210780581", limit: 5000) { root } }', "limit: 5000 is out of range"),
        ('{ search(text: "' + "a" * 201 + '") { totalCount } }', "too long"),
        ('{ search(after: "nonsense") { totalCount } }', "is not a cursor"),
        ("{ " + " ".join(f"a{i}: stats {{ snapshot }}" for i in range(31)) + " }", "aliases"),
        ("{ stats { " + "snapshot " * 4_000 + "} }", "Syntax Error: Document contains more than 4000 tokens"),
        (
            "{ search(first: 1, kinds: [LEGAL_ENTITY]) { edges { node { ... on LegalEntity {"
            " establishments(first: 101) { totalCount } }"
            " } } } }",
            "first: 101 is out of range",
        ),
        (
            '{ structure(finess: "210780581") { ... on LegalEntity { establishments { edges { node { '
            "... on Establishment { legalEntity { establishments { edges { node { ... on Establishment {"
            " legalEntity { establishments { edges { node { ... on Establishment { legalEntity {"
            " establishments { edges { node { id } } } } } } } } } } } } } } } } } } } } }",
            "exceeds maximum operation depth",
        ),
    ],
)
def test_limits(client: TestClient, query: str, says: str) -> None:
    body = client.post("/graphql", json={"query": query}).json()
    assert says in body["errors"][0]["message"]


def test_unexpected_errors_are_masked(real_store: EmbeddedStore) -> None:
    class Broken(CountingStore):
        def stats(self, as_of: str | None = None) -> dict[str, Any]:
            raise RuntimeError("secret internals")

    with TestClient(create_app(Settings(), Broken(real_store))) as client:  # type: ignore[arg-type]
        body = client.post("/graphql", json={"query": "{ stats { snapshot } }"}).json()
    assert body["errors"][0]["message"] == "Unexpected error."
    assert "secret" not in str(body)


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [(QueryTimeout("too slow"), 504, "QUERY_TIMEOUT"), (StoreUnavailable("down"), 503, "STORE_UNAVAILABLE")],
)
def test_errors_before_execution_are_graphql_errors(
    real_store: EmbeddedStore, error: FinessGraphError, status: int, code: str
) -> None:
    class NoLabels(CountingStore):  # the request's context reads the code labels before any resolver runs
        def labels(self) -> Labels:
            raise error

    with TestClient(create_app(Settings(), NoLabels(real_store))) as client:  # type: ignore[arg-type]
        for accept in ("application/json", GRAPHQL_RESPONSE):
            query = {"query": "{ stats { snapshot } }"}
            answer = client.post("/graphql", json=query, headers={"accept": accept})
            assert answer.status_code == status
            assert answer.headers["content-type"].startswith(accept)
            assert answer.json() == {"errors": [{"message": str(error), "extensions": {"code": code}}]}
            assert ("retry-after" in answer.headers) == (status == 503)
        rest = client.get(f"/api/v1/structures/{CHU}")  # REST keeps its own error body
        assert rest.status_code == status
        assert rest.json() == {"error": {"code": code, "message": str(error)}}


def test_graphql_over_http(client: TestClient) -> None:
    got = client.get("/graphql", params={"query": '{ structure(finess: "210780581") { name } }'})
    assert got.status_code == 200
    assert got.json()["data"]["structure"]["name"] == "CHU DIJON BOURGOGNE"
    modern = {"accept": "application/graphql-response+json"}
    ok = client.post("/graphql", json={"query": "{ stats { snapshot } }"}, headers=modern)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith("application/graphql-response+json")
    for broken in ("{ stats { snapshot ", "{ stats { nothing } }"):  # syntax, then validation
        answer = client.post("/graphql", json={"query": broken}, headers=modern)
        assert answer.status_code == 400
        assert "data" not in answer.json()
        legacy = client.post("/graphql", json={"query": broken})
        assert legacy.status_code == 200
        assert legacy.headers["content-type"] == "application/json"
    assert client.put("/graphql", json={"query": "{ stats { snapshot } }"}).status_code == 405


def test_graphiql_is_served_from_local_files(client: TestClient) -> None:
    page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "GraphiQL" in page.text
    assert "npm ci" not in page.text, "web/node_modules is missing: run npm ci --prefix web"
    assets = re.findall(r'(?:src|href)="(?!data:)([^"]+)"', page.text)
    assert len(assets) == 6
    for asset in assets:
        assert asset.startswith("/static/"), asset  # no CDN
        assert client.get(asset).status_code == 200, asset


def test_exported_schema_is_current() -> None:
    committed = (ROOT / "docs" / "schema.graphql").read_text("utf-8")
    assert committed == sdl(), "docs/schema.graphql is stale: python -m api.graphql.sdl > docs/schema.graphql"


def test_typed_fields_from_loose_properties() -> None:
    from api.graphql.structures import OperatedActivity
    from api.graphql.types import fill
    from graph.labels import Labels
    from graph.store import NodeView

    node = NodeView(
        "ae:1",
        "OperatedActivity",
        {"nature": "AMM", "activity": "QA001", "installedCapacity": "12", "authorisedCapacity": "n/a",
         "startOn": "2019-05-01", "endOn": "not a date"},
        "2019-05-01",
        None,
        [(None, None)],
    )  # fmt: skip
    activity = fill(OperatedActivity, node, Labels.bundled(), None)
    assert activity.installed_capacity == 12
    assert activity.authorised_capacity is None  # kept as is in `properties`
    assert activity.properties["authorisedCapacity"] == "n/a"
    assert activity.activity.code == "QA001"
    assert activity.activity.label == "Médecine"  # the AMM nomenclature names it
    assert str(activity.start_on) == "2019-05-01"
    assert activity.end_on is None


def test_organigram_boxes_are_whole_when_a_structure_is_asked(gql: Callable[..., dict[str, Any]]) -> None:
    # `tree` boxes are read with the properties they show; asking a box's `structure` reads them all.
    fields = "finess phone openedOn siret category { code label }"
    org = gql(
        f"""{{ organigram(finess: "{CHU}", depth: 1) {{ tree
             children {{ structure {{ ... on Establishment {{ {fields} }} }} }} }} }}"""
    )["data"]["organigram"]
    boxes = [c["structure"] for c in org["children"]]
    for box in boxes:
        alone = gql(f'{{ structure(finess: "{box["finess"]}") {{ ... on Establishment {{ {fields} }} }} }}')
        assert box == alone["data"]["structure"]
    assert any(box["phone"] for box in boxes)
    assert any(box["openedOn"] for box in boxes)
    assert [c["finess"] for c in org["tree"]["children"]] == [box["finess"] for box in boxes]
