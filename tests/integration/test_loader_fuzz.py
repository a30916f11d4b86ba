"""Loader fuzzing: hostile files made from the real ones (tests/integration/fuzz_corpus.py), each given
to the real `finess-graph load` in a process of its own (tests/integration/fuzz_worker.py).

Each is either refused (exit status 1, one sentence naming the file and where in it, the store's file
byte for byte as before) or loaded (exit status 0, what it could not keep reported as warnings); never a
traceback, never another exit status or a signal, never more than 1 GiB of memory. The files that load
are then loaded into a real Neo4j too, which refuses what the embedded store would take (an object as a
property, a list of mixed values, an impossible date): the same outcome is required there. The figures
per class are printed (run with -s): those of docs/reliability.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from graph.embedded_store import EmbeddedStore
from graph.errors import FinessGraphError
from graph.neo4j_store import Neo4jStore
from loaders.detect import read_snapshot
from tests.integration import fuzz_corpus
from tests.integration.fuzz_corpus import BASE_DAY, Case
from tests.integration.stores import wipe

MAX_RSS_KIB = 1 << 20  # 1 GiB
# Where a refusal says the problem is: a line, a byte, a JSON path, the flux's date.
WHERE = re.compile(r"line \d+|byte [\d,]+|\$[.\w\[\]]*|horodatage|its name")
# A bound low enough for the whitespace bomb to meet it at once (at 4 GiB, the default before scale
# 3.0 outgrew it: 23.7 s, 61 MiB).
BOMB_BOUND = {"FINESS_GRAPH_MAX_INPUT_BYTES": str(256 << 20)}
# A JSON file nested 100,000 deep is refused; in a flux file such an element is one more unknown leaf.
ALWAYS_REFUSED = {"deep nesting", "gzip bomb"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def corpus(folder: Path) -> list[Case]:
    return fuzz_corpus.build(folder / "corpus")


@pytest.fixture(scope="module")
def base_store(folder: Path) -> Path:
    """An embedded store holding the JSON bases at BASE_DAY: the mutated ones are a newer snapshot."""
    store = folder / "base.pickle"
    bases = fuzz_corpus.json_bases()
    files = [fuzz_corpus.write_json(d, folder / f"{n}.json", BASE_DAY, False) for n, d in bases.items()]
    EmbeddedStore(store).load([read_snapshot(f) for f in files])
    return store


@pytest.fixture(scope="module")
def results(corpus: list[Case], base_store: Path, folder: Path) -> list[dict[str, Any]]:
    spec = [
        {
            "name": case.name,
            "kind": case.kind,
            "path": str(case.path),
            "store": str(folder / f"store-{i}.pickle"),
            "base_store": str(base_store),
            "env": BOMB_BOUND if "spaces" in case.name else {},
        }
        for i, case in enumerate(corpus)
    ]
    (folder / "cases.json").write_text(json.dumps(spec), "utf-8")
    worker = "tests.integration.fuzz_worker"
    command = [sys.executable, "-m", worker, folder / "cases.json", folder / "out.json"]
    subprocess.run(command, check=True, timeout=1200)
    found: list[dict[str, Any]] = json.loads((folder / "out.json").read_text("utf-8"))
    return found


def _problems(result: dict[str, Any]) -> list[str]:
    """What is wrong with one case's outcome (nothing for a clean refusal or load)."""
    problems = []
    err = result["stderr"].strip()
    if result["signal"] is not None or result["status"] not in (0, 1):
        problems.append(f"ended with status {result['status']}, signal {result['signal']}")
    if "Traceback" in err:
        problems.append(f"a traceback: {err.splitlines()[-1]}")
    if result["rss_kib"] > MAX_RSS_KIB:
        problems.append(f"peak memory {result['rss_kib'] // 1024} MiB")
    if result["status"] == 1:
        lines = err.splitlines()
        head = f"error: {result['path']}"
        if len(lines) != 1 or not lines[0].startswith(head) or not WHERE.search(lines[0][len(head) :]):
            problems.append(f"not one sentence naming the file and where: {err[:300]!r}")
        if not result["unchanged"]:
            problems.append("refused, yet the store's file changed")
    elif result["status"] == 0:
        if not isinstance(result["stats"], dict) or "done in" not in result["stdout"]:
            problems.append(f"loaded, yet the store reads {str(result['stats'])[:200]}")
        flux = result["name"].startswith("cs")
        if result["kind"] in ALWAYS_REFUSED and not (flux and "unread-field" in result["stdout"]):
            problems.append("loaded")
    return problems


@pytest.mark.slow
def test_every_hostile_file_is_refused_in_one_sentence_or_loaded_with_warnings(
    results: list[dict[str, Any]],
) -> None:
    failures = [f"{r['name']} ({r['kind']}): {p}" for r in results for p in _problems(r)]
    per_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        per_kind[result["kind"]].append(result)
    print(f"\n{'class':<15}{'files':>6}{'refused':>9}{'loaded':>8}{'peak MiB':>10}{'longest s':>11}")
    for kind, found in sorted(per_kind.items()):
        refused = sum(r["status"] == 1 for r in found)
        peak = max(r["rss_kib"] for r in found) // 1024
        longest = max(r["seconds"] for r in found)
        print(f"{kind:<15}{len(found):>6}{refused:>9}{len(found) - refused:>8}{peak:>10}{longest:>11.2f}")
    assert len(results) > 200
    assert not failures, "\n".join(failures)


def _neo4j_cases(folder: Path) -> list[tuple[str, Path]]:
    """The mutations that the embedded store loads, each dated a day after the one before."""
    cases, day = [], dt.date.fromisoformat(BASE_DAY)
    for base, doc in fuzz_corpus.json_bases().items():
        rng = fuzz_corpus.random.Random(fuzz_corpus.SEED)
        for kind, name, mutated in fuzz_corpus.json_mutations(doc, rng):
            if kind in ("wrong types", "dates", "coordinates", "duplicate ids"):
                day += dt.timedelta(days=1)
                path = folder / f"neo4j-{len(cases):03d}.json"
                fuzz_corpus.write_json(mutated, path, day.isoformat(), False)
                cases.append((f"{base}: {kind}: {name}", path))
    return cases


@pytest.mark.slow
def test_the_files_that_load_load_into_neo4j_too(corpus: list[Case], folder: Path, neo4j_uri: str) -> None:
    wipe(neo4j_uri)
    store = Neo4jStore(neo4j_uri)
    try:
        bases = fuzz_corpus.json_bases()
        files = [fuzz_corpus.write_json(d, folder / f"n-{n}.json", BASE_DAY, False) for n, d in bases.items()]
        store.load([read_snapshot(f) for f in files])
        # One flux and one etalab case each, first snapshots of their datasets.
        picked = {
            "cs1400102: every date 0000-00-00",
            "cs1400109: coordinates nan",
            "etalab-507: coordinates 1e999",
            "cs1400105: letters in numbers",
        }
        cases = _neo4j_cases(folder) + [(c.name, c.path) for c in corpus if c.name in picked]
        assert len(cases) > 30
        failures, refused = [], []
        for name, path in cases:
            before = store.stats()
            try:
                store.load([read_snapshot(path)])
            except FinessGraphError as exc:  # refused: one sentence, nothing kept
                refused.append(name)
                kept = store.stats() == before
                if not str(exc).startswith(str(path)) or not kept:
                    failures.append(f"{name}: refused as {exc}, the store {'kept' if kept else 'changed'}")
            except Exception as exc:  # a traceback in the command line
                failures.append(f"{name}: {type(exc).__name__}: {exc}")
        print(f"\nNeo4j: {len(cases)} files, {len(cases) - len(refused)} loaded, {len(refused)} refused")
        assert not failures, "\n".join(failures)
        # As the embedded store: only a top-level array that is none is refused (the others load).
        assert refused == [name for name, _ in cases if name.endswith("not a list")]
    finally:
        store.close()
