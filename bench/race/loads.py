"""Generate the two days, load them into both stores, and the bulk floor: `neo4j-admin database import`.

Each step runs in a child process timed by bench/load_bench.py's `_run` (wall time and the child's
own peak resident memory); the Neo4j JVM's memory is read from /proc beside it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from bench.load_bench import _run
from bench.race.provision import rss
from graph.neo4j_server import ADMIN_TOOL, JVM_FLAGS, LocalNeo4j

PY = sys.executable


def generate(data: Path, scale: float, seed: int) -> dict[str, Any]:
    """Generate two days of synthetic FINESS+ files unless already there; return what it took."""
    if (data / "done").exists():
        return {"reused": True}
    shutil.rmtree(data, ignore_errors=True)
    args = ["generate", str(data), "--scale", str(scale), "--days", "2", "--seed", str(seed)]
    wall, peak, _ = _run([PY, "-m", "api.cli", *args])
    (data / "done").write_text("")
    return {"seconds": round(wall, 1), "peak_mib": round(peak)}


def days(data: Path) -> tuple[list[Path], list[Path]]:
    """Return the files of day 1 and day 2 (structures and activities of each)."""
    files = sorted(data.glob("finess-*-journalier-*.json.gz"), key=lambda p: p.name[-16:])
    return files[:2], files[2:4]


def _items(store: str) -> int:
    stats = json.loads(_run([PY, "-m", "api.cli", "stats", "--json", "--store", store])[2])
    return int(sum(stats["nodes"].values()) + sum(stats["relationships"].values()))


def _load(files: list[Path], store: str, jvm: int | None = None) -> dict[str, Any]:
    wall, peak, _ = _run([PY, "-m", "api.cli", "load", *map(str, files), "--store", store])
    figures: dict[str, Any] = {"seconds": round(wall, 1), "loader_peak_mib": round(peak)}
    if jvm is not None:
        figures["jvm"] = rss(jvm)
    return figures


def load_embedded(day1: list[Path], day2: list[Path], store: Path, snapshot: Path) -> dict[str, Any]:
    """Load day 1 then day 2 into a new embedded store; keep a copy of day 1's store at `snapshot`."""
    store.unlink(missing_ok=True)
    first = _load(day1, str(store))
    items = _items(str(store))
    first.update(
        items=items, rows_per_s=round(items / first["seconds"]), store_mib=store.stat().st_size >> 20
    )
    shutil.copyfile(store, snapshot)
    second = _load(day2, str(store))
    return {"first_load": first, "next_day": second, "items_after_next_day": _items(str(store))}


def load_neo4j(day1: list[Path], day2: list[Path], server: LocalNeo4j) -> dict[str, Any]:
    """Load day 1 into a new database, then day 2; the JVM's memory after each."""
    # A new database, as a first load meets it: deleting a larger scale's graph left there outran the
    # server's transaction timeout (15 million relationships at scale 3.0).
    server.stop()
    for folder in ("databases", "transactions"):
        shutil.rmtree(server.home / "data" / folder / "neo4j", ignore_errors=True)
    server.start()
    uri = server.uri()
    first = _load(day1, uri, server.pid())
    items = _items(uri)
    first.update(items=items, rows_per_s=round(items / first["seconds"]))
    second = _load(day2, uri, server.pid())
    return {"first_load": first, "next_day": second, "items_after_next_day": _items(uri)}


def bulk_import(day1: list[Path], csv_dir: Path, target: LocalNeo4j, heap: str) -> dict[str, Any]:
    """Write day 1 as CSV (bench/race/csv_export.py), then time `neo4j-admin database import full` of it."""
    shutil.rmtree(csv_dir, ignore_errors=True)
    wall, peak, out = _run([PY, "-m", "bench.race.csv_export", str(csv_dir), *map(str, day1)])
    written = json.loads(out)
    target.stop()
    shutil.rmtree(target.home / "data", ignore_errors=True)  # a fresh database each run
    target.password()
    conf = target.conf_file
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(
        f"server.default_listen_address=127.0.0.1\nserver.bolt.listen_address=127.0.0.1:{target.port}\n"
        "server.http.enabled=false\nserver.https.enabled=false\ndbms.usage_report.enabled=false\n"
    )
    nodes = [f"--nodes={p}" for p in sorted(csv_dir.glob("nodes-*.csv"))]
    rels = [f"--relationships={p}" for p in sorted(csv_dir.glob("rels-*.csv"))]
    command = [
        *("java", f"-Xmx{heap}", *JVM_FLAGS, "-cp", f"{target.lib}/*", ADMIN_TOOL),
        *("database", "import", "full", "neo4j", "--overwrite-destination=true", "--array-delimiter=;"),
        *("--threads=2", "--high-parallel-io=off", f"--report-file={target.home / 'import.report'}"),
        *nodes,
        *rels,
    ]
    env = ["env", f"NEO4J_HOME={target.home}", f"NEO4J_CONF={conf.parent}"]
    try:
        seconds, peak_import, _ = _run([*env, *command])
    except SystemExit as exc:  # _run's way to say the child failed, with the end of its output
        return {"error": f"neo4j-admin database import failed: {exc}", "csv": written}
    items = written["nodes"] + written["relationships"]
    return {
        "csv_export_seconds": round(wall, 1),
        "csv_export_peak_mib": round(peak),
        "csv": written,
        "seconds": round(seconds, 1),
        "rows_per_s": round(items / seconds),
        "peak_mib": round(peak_import),
    }
