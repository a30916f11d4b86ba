"""The explorer's pages: served with a strict CSP, in French, with no inline script or style."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.embedded_store import EmbeddedStore
from graph.settings import Settings

WEB = Path(__file__).resolve().parents[2] / "web"


@pytest.fixture
def client(real_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), real_store)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/", "/structures/210780581", "/chemin"])
def test_pages_are_french_and_strict(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    html = page.text
    assert '<html lang="fr">' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # no inline script
    assert "<style" not in html
    assert " style=" not in html
    assert re.findall(r"(?:src|href)=\"(?:https?:)?//", html) == []  # nothing from another site


def test_structure_page_carries_the_latest_snapshot(client: TestClient, real_store: EmbeddedStore) -> None:
    latest = max(real_store.snapshots().values())
    assert f'data-dernier="{latest}"' in client.get("/structures/210780581").text


def test_organigram_boxes_carry_code_labels(client: TestClient) -> None:
    tree = client.get("/api/v1/structures/210780581/organigram", params={"depth": 1}).json()
    labelled = [c for c in tree["children"] if c["category"]]
    assert labelled
    assert all(c["labels"]["category"] for c in labelled)


def test_modules_ask_no_other_site() -> None:
    for module in (WEB / "static" / "js").glob("*.js"):
        text = module.read_text("utf-8")
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), module.name
