"""The race's provisioning: where the jars come from, for its server and the bulk import alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.race import provision
from graph.neo4j_server import LocalNeo4j


def test_the_bulk_import_uses_the_jars_the_race_server_provisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a fresh machine neither home had jars: the import's own home was never provisioned, and
    # `neo4j-admin` failed with "Could not find or load main class org.neo4j.cli.AdminTool".
    own, home = tmp_path / "own-lib", tmp_path / "race-home"
    monkeypatch.setattr(provision, "OWN_LIB", own)
    assert provision.lib_dir(None, home) == home / "lib"
    server = provision.server(home, 7691, 1.0, provision.lib_dir(None, home), None, None)
    target = provision.server(tmp_path / "import", 7692, 1.0, provision.lib_dir(None, home), None, None)
    assert server.lib == target.lib == (home / "lib").resolve()
    own.mkdir()
    (own / f"neo4j-{LocalNeo4j.version}.jar").touch()  # the tests' server provisioned them
    assert provision.lib_dir(None, home) == own
    assert provision.lib_dir(tmp_path / "given", home) == tmp_path / "given"
