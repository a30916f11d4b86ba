"""The REST API on the real sample: every route, every format, caching, errors, CORS, OpenAPI."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.embedded_store import EmbeddedStore
from graph.settings import Settings

GHT_NUMBER = "49824516535"
CHU = "210780581"


@pytest.fixture
def client(real_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), real_store)) as test_client:
        yield test_client


def test_structure(client: TestClient) -> None:
    got = client.get(f"/api/v1/structures/{CHU}")
    assert got.status_code == 200
    body = got.json()
    assert body["id"] == CHU
    assert body["properties"]["name"] == "CHU DIJON BOURGOGNE"
    assert body["labels"]["legalStatus"]  # codes come with their labels
    assert any(r["type"] == "MEMBER_OF" for r in body["relationships"])
    gone = client.get("/api/v1/structures/010000016", params={"as_of": "2020-01-01"})
    assert gone.status_code == 404
    assert gone.json() == {
        "error": {
            "code": "NOT_FOUND",
            "message": "no structure with FINESS number or id '010000016' at 2020-01-01 in the store",
        }
    }


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("json", "application/json"),
        ("graphml", "application/graphml+xml"),
        ("gexf", "application/gexf+xml"),
        ("csv", "application/zip"),
        ("nodes.csv", "text/csv"),
        ("edges.csv", "text/csv"),
        ("fhir", "application/fhir+json"),
    ],
)
def test_ecosystem_formats(client: TestClient, fmt: str, media_type: str) -> None:
    got = client.get(f"/api/v1/structures/{GHT_NUMBER}/ecosystem", params={"format": fmt, "depth": 1})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith(media_type)
    assert "attachment; filename=" in got.headers["content-disposition"]
    if fmt == "csv":
        assert sorted(zipfile.ZipFile(io.BytesIO(got.content)).namelist()) == ["edges.csv", "nodes.csv"]
    if fmt == "nodes.csv":
        assert len(got.text.strip().splitlines()) == 1 + 10  # the GHT and its nine members


def test_ecosystem_arguments(client: TestClient) -> None:
    url = f"/api/v1/structures/{CHU}/ecosystem"
    only = client.get(url, params={"relation": ["MEMBER_OF"], "depth": 2}).json()
    assert {link["type"] for link in only["links"]} == {"MEMBER_OF"}
    assert len(only["nodes"]) == 10  # the CHU, its GHT, the eight other members
    capped = client.get(url, params={"depth": 2, "limit": 5}).json()
    assert len(capped["nodes"]) == 5
    assert capped["graph"]["truncated"] is True
    assert client.get(url, params={"depth": 5}).status_code == 422
    assert client.get(url, params={"relation": "NOPE"}).status_code == 422
    assert client.get(url, params={"format": "pdf"}).status_code == 422
    bad = client.get("/api/v1/structures/12'--/ecosystem")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "BAD_REQUEST"


def test_members_search_path_stats_organigram_timeline(client: TestClient) -> None:
    members = client.get(f"/api/v1/groupings/{GHT_NUMBER}/members").json()
    assert len(members) == 9
    assert members[0]["role"] == "SUPPORT"
    assert members[0]["structure"]["finess"] == CHU
    assert client.get(f"/api/v1/groupings/{CHU}/members").status_code == 404
    page = client.get("/api/v1/search", params={"q": "centre", "kind": "Establishment", "limit": 3}).json()
    assert page["total"] > 3
    assert len(page["items"]) == 3
    assert {i["kind"] for i in page["items"]} == {"ESTABLISHMENT"}
    following = client.get("/api/v1/search", params={"q": "centre", "kind": "Establishment", "offset": 3})
    assert following.json()["items"][0]["id"] not in {i["id"] for i in page["items"]}
    path = client.get("/api/v1/path", params={"from": CHU, "to": "210780631"}).json()
    assert path["graph"]["paths"] == [[CHU, "gcc:1", "210780631"]]
    stats = client.get("/api/v1/stats").json()
    assert stats["nodes"]["ConventionalGrouping"] == 1
    tree = client.get(f"/api/v1/structures/{GHT_NUMBER}/organigram", params={"depth": 1}).json()
    assert tree["childCount"] == 9
    assert tree["children"][0]["role"] == "S"
    timeline = client.get("/api/v1/structures/010000016/timeline").json()
    assert timeline[0]["kind"] == "OPENED"


def test_etag_and_cache_control(client: TestClient) -> None:
    first = client.get(f"/api/v1/structures/{CHU}")
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get(f"/api/v1/structures/{CHU}", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/api/v1/structures/210780631")
    assert other.headers["etag"] != first.headers["etag"]


def test_cors_is_off_unless_configured(real_store: EmbeddedStore) -> None:
    origin = {"origin": "https://ars.example"}
    with TestClient(create_app(Settings(), real_store)) as closed:
        assert "access-control-allow-origin" not in closed.get("/api/v1/stats", headers=origin).headers
    settings = Settings(cors_origins=["https://ars.example"])
    with TestClient(create_app(settings, real_store)) as open_:
        answer = open_.get("/api/v1/stats", headers=origin)
        assert answer.headers["access-control-allow-origin"] == "https://ars.example"


def test_openapi_lists_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/v1/structures/{finess}",
        "/api/v1/structures/{finess}/ecosystem",
        "/api/v1/structures/{finess}/organigram",
        "/api/v1/structures/{finess}/timeline",
        "/api/v1/groupings/{grouping}/members",
        "/api/v1/search",
        "/api/v1/path",
        "/api/v1/stats",
    }
    docs = client.get("/docs")
    assert docs.status_code == 200
