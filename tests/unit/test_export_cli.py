"""`finess-graph export`: the bytes `render` gives, and one clear sentence when it cannot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import run
from api.formats import FORMATS, ExportMeta, render
from api.formats.export import export_ecosystem
from graph.embedded_store import EmbeddedStore
from graph.errors import InvalidRequest, NotFound

CHU = "210780581"


def _expected(
    store: EmbeddedStore, fmt: str, depth: int, as_of: str | None, relations: list[str] | None
) -> bytes:
    sub = store.ecosystem(CHU, depth, as_of, relations)
    assert sub is not None
    meta = ExportMeta(CHU, as_of, depth, sorted(relations) if relations else None)
    return render(fmt, sub, store.labels(), meta).body


@pytest.mark.parametrize(
    ("fmt", "extra", "depth", "as_of", "relations"),
    [
        ("gexf", [], 2, None, None),
        ("fhir", ["--depth", "1", "--as-of", "2020-01-01"], 1, "2020-01-01", None),
        (
            "csv",
            ["--relation", "HAS_ADDRESS", "--relation", "ATTACHED_TO"],
            2,
            None,
            ["ATTACHED_TO", "HAS_ADDRESS"],
        ),
    ],
)
def test_export_writes_what_render_gives(
    real_store: EmbeddedStore,
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    fmt: str,
    extra: list[str],
    depth: int,
    as_of: str | None,
    relations: list[str] | None,
) -> None:
    expected = _expected(real_store, fmt, depth, as_of, relations)
    store = ["--store", str(real_store.file)]
    assert run(["export", CHU, "--format", fmt, *extra, *store]) == 0
    assert capsysbinary.readouterr().out == expected
    target = tmp_path / "out.bin"
    assert run(["export", CHU, "--format", fmt, *extra, "--output", str(target), *store]) == 0
    assert target.read_bytes() == expected
    assert capsysbinary.readouterr().err.decode().startswith(f"{target}: {len(expected):,} bytes")


def test_export_refuses_what_it_cannot_answer(real_store: EmbeddedStore) -> None:
    with pytest.raises(NotFound, match="no structure with FINESS number or id '999999999' at 2020-01-01"):
        export_ecosystem(real_store, "999999999", "json", as_of="2020-01-01")
    with pytest.raises(InvalidRequest, match="unknown export format 'xml': choose one of json, graphml"):
        export_ecosystem(real_store, CHU, "xml")
    with pytest.raises(InvalidRequest, match="depth: 5 is out of range; use 0 to 4"):
        export_ecosystem(real_store, CHU, "json", depth=5)
    with pytest.raises(InvalidRequest, match="unknown relation type OWNS: choose among ATTACHED_TO"):
        export_ecosystem(real_store, CHU, "json", relations=["OWNS"])


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from api.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_an_unknown_number_or_format_is_one_clear_sentence(real_store: EmbeddedStore) -> None:
    store = str(real_store.file)
    done = _run_cli("export", "999999999", "--format", "json", "--store", store)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == "error: no structure with FINESS number or id '999999999' in the store\n"
    done = _run_cli("export", CHU, "--format", "xlsx", "--store", store)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "argument --format: invalid choice: 'xlsx' (choose from" in done.stderr
    assert all(fmt in done.stderr for fmt in FORMATS)
