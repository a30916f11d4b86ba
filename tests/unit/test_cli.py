"""The command line: load, stats --json, show, and one clear sentence for every bad input."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import run
from graph.settings import Settings
from tests import factories
from tests.factories import ACTIVITIES, STRUCTURES


def _stats(store: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    assert run(["stats", "--json", "--store", str(store), *extra]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_load_then_stats_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], shared: Path) -> None:
    store = tmp_path / "s.pickle"
    assert run(["load", str(STRUCTURES), str(ACTIVITIES), "--store", str(store)]) == 0
    summary = capsys.readouterr().out
    assert "legal entities: 30" in summary
    assert "establishment addresses: 2,000" in summary
    assert "dangling-reference 3" in summary
    stats = _stats(store, capsys)
    assert set(stats) == {"snapshot", "nodes", "relationships"}
    assert stats["snapshot"] == "2026-08-18"
    assert stats["nodes"]["Establishment"] == 1753  # type: ignore[index]
    old = _stats(store, capsys, "--as-of", "2000-01-01")
    assert 0 < old["nodes"]["Establishment"] < 1753  # type: ignore[index,operator]


def test_show_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], shared: Path) -> None:
    store = tmp_path / "s.pickle"
    run(["load", str(STRUCTURES), str(ACTIVITIES), "--store", str(store)])
    capsys.readouterr()
    assert run(["show", "210780581", "--store", str(store)]) == 0
    text = capsys.readouterr().out
    assert "CHU DIJON BOURGOGNE" in text
    assert "→ MEMBER_OF (1)" in text
    assert "[S]" in text
    assert run(["show", "49824516535", "--json", "--store", str(store)]) == 0
    ght = json.loads(capsys.readouterr().out)
    assert ght["label"] == "ConventionalGrouping"
    roles = sorted(r["properties"]["role"] for r in ght["relationships"] if r["type"] == "MEMBER_OF")
    assert roles == ["M"] * 8 + ["S"]


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from api.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    data = STRUCTURES.read_bytes()
    truncated = tmp_path / "truncated.json.gz"
    truncated.write_bytes(data[: len(data) // 2])
    invalid = tmp_path / "invalid.json"
    text = gzip.decompress(data).decode("utf-8")
    invalid.write_text(text.replace('"siren": "260104633"', '"siren": 260104633 x', 1), "utf-8")
    line = text[: text.index('"siren": "260104633"')].count("\n") + 1
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(text.replace("Côte", "C\u00f4te").encode("latin-1", errors="replace"))
    unknown = tmp_path / "unknown.dat"
    unknown.write_bytes(b"PK\x03\x04 not a FINESS file")
    csv = tmp_path / "cs1100502.csv"
    csv.write_text("finess;etalab;102;2021-12-14\nstructureet;010000040;010000032;too;few\n", "latin-1")
    return {
        "truncated gzip": (
            truncated,
            r"truncated\.json\.gz, line \d+: the compressed data is truncated",
        ),
        "invalid JSON": (invalid, rf"invalid\.json, line {line} \(\$\.pmej\[0\]\): invalid JSON"),
        "wrong encoding": (latin1, r"latin1\.json, byte \d+: is not valid UTF-8"),
        "unknown format": (unknown, r"unknown\.dat, line 1: is not a format this tool reads"),
        "CSV column count": (csv, r"cs1100502\.csv, line 2: .*column"),
    }


@pytest.mark.parametrize(
    "case",
    ["truncated gzip", "invalid JSON", "wrong encoding", "unknown format", "CSV column count"],
)
def test_bad_input_is_one_sentence_and_leaves_the_store(tmp_path: Path, case: str, shared: Path) -> None:
    store = tmp_path / "s.pickle"
    good = factories.write(factories.structures(), tmp_path / "good.json.gz", "2026-08-01")
    assert _run_cli("load", str(good), "--store", str(store)).returncode == 0
    before = store.read_bytes()
    path, message = _bad_inputs(tmp_path)[case]
    done = _run_cli("load", str(path), "--store", str(store))
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in done.stderr
    assert re.search(message, lines[0]), lines[0]
    assert store.read_bytes() == before


def test_show_gives_the_labels_of_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared: Path
) -> None:
    store = tmp_path / "s.pickle"
    run(["load", str(STRUCTURES), "--store", str(store)])
    capsys.readouterr()
    run(["show", "210780581", "--json", "--store", str(store)])
    chu = json.loads(capsys.readouterr().out)
    assert chu["properties"]["legalStatus"] == "13"
    assert chu["labels"]["legalStatus"].startswith("Etablissement Public")
    clinic = next(r["other"] for r in chu["relationships"] if r["type"] == "ATTACHED_TO")
    assert clinic["labels"]["category"]


def test_the_store_setting_comes_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, shared: Path
) -> None:
    monkeypatch.setenv("FINESS_GRAPH_STORE", str(tmp_path / "env.pickle"))
    assert run(["load", str(ACTIVITIES)]) == 0
    assert (tmp_path / "env.pickle").is_file()


def test_the_readme_documents_every_setting() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    for name in Settings.model_fields:
        assert f"FINESS_GRAPH_{name.upper()}" in readme, name


def test_the_deployment_guide_documents_every_setting() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text("utf-8")
    for name in Settings.model_fields:
        short = f"_{name.upper().removeprefix('NEO4J_')}"
        assert f"FINESS_GRAPH_{name.upper()}" in guide or f"_NEO4J{short}" in guide, name


@pytest.mark.parametrize("command", [["stats", "--json"], ["show", "210780581"]])
def test_reading_a_missing_store_is_a_clear_error(tmp_path: Path, command: list[str]) -> None:
    done = _run_cli(*command, "--store", str(tmp_path / "none.pickle"))
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == f"error: there is no store at {tmp_path / 'none.pickle'} yet: load files into it first"
    )
    assert not (tmp_path / "none.pickle").exists()


def test_an_unknown_structure_is_a_clear_error(tmp_path: Path, shared: Path) -> None:
    store = tmp_path / "s.pickle"
    assert _run_cli("load", str(STRUCTURES), "--store", str(store)).returncode == 0
    done = _run_cli("show", "999999999", "--store", str(store))
    assert done.returncode == 1
    assert done.stderr.startswith("error: no structure with FINESS number or id '999999999'")
