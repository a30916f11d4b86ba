"""Measure loading into the embedded store: parse, first load, reopen, next-day load; time and peak memory.

Run: .venv/bin/python bench/load_bench.py --scale 1.0 [--out bench/out]
Each step runs in its own process so that its peak resident memory is its own (os.wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
# Relationships first: a batch of nodes detached at once could hold a commune's 100,000 relationships,
# beyond the server's transaction memory.
WIPE_BATCHES = (
    "MATCH ()-[r]->() WITH r LIMIT 50000 DELETE r RETURN count(*) AS n",
    "MATCH (n) WITH n LIMIT 50000 DELETE n RETURN count(*) AS n",
)

PARSE = """
import sys
from pathlib import Path
from loaders.detect import read_snapshot
n = 0
for f in sys.argv[1:]:
    for _ in read_snapshot(Path(f)).records:
        n += 1
print(n)
"""
LARGEST = """
import json, sys
from pathlib import Path
from graph.embedded_store import ADJ, EmbeddedStore
store = EmbeddedStore(Path(sys.argv[1]))
best = max((len(i[ADJ] or ()), k) for k, i in store.nodes_table.items() if i[0] == "LegalEntity")
print(json.dumps(best[1]))
"""
REOPEN = """
import sys, time
from pathlib import Path
from graph.embedded_store import EmbeddedStore
t = time.perf_counter()
store = EmbeddedStore(Path(sys.argv[1]))
store.snapshots()
opened = time.perf_counter() - t
view = store.structure(sys.argv[2])
print(opened, time.perf_counter() - t, view is not None)
"""


def _run(args: list[str]) -> tuple[float, float, str]:
    """Run a child process; return (wall seconds, peak RSS in MiB, stdout)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, text=True)
        # wait4 rather than wait: it also returns the child's own resource usage.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(args[:4])}… failed ({proc.returncode}): {err.read()[-2000:]}")
        return wall, usage.ru_maxrss / 1024, out.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--neo4j", metavar="URI", help="measure the Neo4j store at this URI (wiped first)")
    args = parser.parse_args()
    data = args.out / f"data-{args.scale}"
    results: dict[str, object] = {
        "scale": args.scale,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    if not (data / "done").exists():
        shutil.rmtree(data, ignore_errors=True)
        wall, rss, _ = _run(
            [
                PY,
                "-m",
                "api.cli",
                "generate",
                str(data),
                "--scale",
                str(args.scale),
                "--days",
                "2",
                "--seed",
                str(args.seed),
            ]
        )
        (data / "done").write_text("")
        results["generate"] = {"seconds": round(wall, 1), "peak_mib": round(rss)}
    files = sorted(data.glob("finess-*-journalier-*.json.gz"), key=lambda p: p.name[-16:])
    day1, day2 = files[:2], files[2:4]
    results["files"] = {p.name: p.stat().st_size for p in [*day1, *day2]}

    records = 0
    for path in day1:
        wall, rss, out = _run([PY, "-c", PARSE, str(path)])
        records += int(out.strip())
        results[f"parse_only {path.name[:18]}"] = {
            "seconds": round(wall, 1),
            "peak_mib": round(rss),
            "records": int(out.strip()),
        }

    if args.neo4j:
        _neo4j(args, day1, day2, records, results)
        return
    store = args.out / f"store-{args.scale}.pickle"
    store.unlink(missing_ok=True)
    wall, rss, _ = _run([PY, "-m", "api.cli", "load", *map(str, day1), "--store", str(store)])
    results["first_load"] = {
        "seconds": round(wall, 1),
        "peak_mib": round(rss),
        "records_per_s": round(records / wall),
        "store_mib": round(store.stat().st_size / 2**20),
    }
    probe = json.loads(_run([PY, "-m", "api.cli", "stats", "--json", "--store", str(store)])[2])
    results["stats"] = probe
    wall, rss, out = _run([PY, "-c", REOPEN, str(store), "000000000"])
    opened, _, _ = out.split()
    results["reopen"] = {"open_seconds": round(float(opened), 1), "peak_mib": round(rss)}
    largest = json.loads(_run([PY, "-c", LARGEST, str(store)])[2])
    wall, rss, _ = _run([PY, "-m", "api.cli", "show", largest, "--store", str(store)])
    results["show_largest_legal_entity_command"] = {"seconds": round(wall, 1), "finess": largest}
    wall, rss, _ = _run([PY, "-m", "api.cli", "load", *map(str, day2), "--store", str(store)])
    results["next_day_load"] = {"seconds": round(wall, 1), "peak_mib": round(rss)}
    args.out.mkdir(parents=True, exist_ok=True)
    target = Path("bench/results") / f"load-embedded-{args.scale}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


def _neo4j(
    args: argparse.Namespace, day1: list[Path], day2: list[Path], records: int, results: dict[str, object]
) -> None:
    """Measure first and next-day loads into Neo4j, from a wiped database."""
    from graph.neo4j_store import connect

    # A transaction per batch, until none is left: one statement deleting a national database in
    # `CALL … IN TRANSACTIONS` outlives the server's transaction timeout (120 s).
    with connect(args.neo4j) as driver:
        for wipe in WIPE_BATCHES:
            while driver.execute_query(wipe).records[0]["n"]:
                pass
    wall, rss, _ = _run([PY, "-m", "api.cli", "load", *map(str, day1), "--store", args.neo4j])
    results["first_load"] = {
        "seconds": round(wall, 1),
        "loader_peak_mib": round(rss),
        "records_per_s": round(records / wall),
    }
    results["stats"] = json.loads(_run([PY, "-m", "api.cli", "stats", "--json", "--store", args.neo4j])[2])
    wall, rss, _ = _run([PY, "-m", "api.cli", "load", *map(str, day2), "--store", args.neo4j])
    results["next_day_load"] = {"seconds": round(wall, 1), "loader_peak_mib": round(rss)}
    target = Path("bench/results") / f"load-neo4j-{args.scale}.json"
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
