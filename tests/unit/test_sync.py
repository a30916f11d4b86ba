"""`sync` against a local HTTP server that plays the data.gouv API and its file hosting."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from api.cli import run
from graph.embedded_store import EmbeddedStore
from graph.errors import FinessGraphError
from graph.settings import Settings
from tests import factories


class _DataGouv:
    """Serves /api/1/datasets/<slug>/ listings and /files/<name> downloads from a dict."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.listings: dict[str, list[dict[str, object]]] = {}
        self.requests: list[str] = []
        self.base = ""

    def publish(self, slug: str, name: str, data: bytes, checksum: str | None = None) -> None:
        self.files[name] = data
        self.listings.setdefault(slug, []).append(
            {
                "title": name,
                "url": f"{self.base}/files/{name}",
                "checksum": {"type": "sha1", "value": checksum or hashlib.sha1(data).hexdigest()},
                "filesize": len(data),
            }
        )


@pytest.fixture
def datagouv() -> Iterator[_DataGouv]:
    site = _DataGouv()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(self.path)
            if self.path.startswith("/api/1/datasets/"):
                slug = self.path.split("/")[4]
                body = json.dumps({"slug": slug, "resources": site.listings.get(slug, [])}).encode()
            elif self.path.startswith("/files/") and self.path[7:] in site.files:
                body = site.files[self.path[7:]]
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


def _publish_samples(site: _DataGouv, tmp_path: Path, bad_checksum: bool = False) -> None:
    older = factories.write(factories.structures(), tmp_path / "a.json.gz", "2026-08-10")
    latest = factories.write(factories.structures(), tmp_path / "b.json.gz", "2026-08-13")
    acts = factories.write(factories.activities(), tmp_path / "c.json.gz", "2026-08-13")
    site.publish("finess-structures-1", "finess-structures-journalier-20260810.json.gz", older.read_bytes())
    site.publish(
        "finess-structures-1",
        "finess-structures-journalier-20260813.json.gz",
        latest.read_bytes(),
        "0" * 40 if bad_checksum else None,
    )
    site.publish("finess-activites-1", "finess-activites-journalier-20260813.json.gz", acts.read_bytes())


def test_sync_downloads_the_latest_daily_files_and_loads_them(
    datagouv: _DataGouv, tmp_path: Path, shared: Path
) -> None:
    _publish_samples(datagouv, tmp_path)
    settings = Settings(download_dir=str(tmp_path / "dl"), store=str(tmp_path / "s.pickle"))
    assert run(["sync", "--dataset-api", f"{datagouv.base}/api/1"], settings) == 0
    assert "/files/finess-structures-journalier-20260813.json.gz" in datagouv.requests
    assert "/files/finess-structures-journalier-20260810.json.gz" not in datagouv.requests
    store = EmbeddedStore(tmp_path / "s.pickle")
    assert store.snapshots() == {
        "finess-plus-structures": "2026-08-13",
        "finess-plus-activities": "2026-08-13",
    }
    assert store.stats()["nodes"]["OperatedActivity"] == 3660


def test_a_checksum_mismatch_loads_nothing(datagouv: _DataGouv, tmp_path: Path, shared: Path) -> None:
    _publish_samples(datagouv, tmp_path, bad_checksum=True)
    settings = Settings(download_dir=str(tmp_path / "dl"), store=str(tmp_path / "s.pickle"))
    with pytest.raises(FinessGraphError, match=r"sha1 is [0-9a-f]{40}, the published one 0{40}"):
        run(["sync", "--dataset-api", f"{datagouv.base}/api/1"], settings)
    assert not (tmp_path / "s.pickle").exists()
    assert not list((tmp_path / "dl").glob("finess-structures-*"))
