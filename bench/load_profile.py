"""Profile a Neo4j load in process: wall time per Cypher statement (round trip) and the rest (Python).

Run: .venv/bin/python bench/load_profile.py --neo4j URI FILE… [--wipe]
Measurement only: it wraps the store's statement runner to time it, and changes nothing it runs.
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path
from typing import Any

from graph.neo4j_store import Neo4jStore, connect
from loaders.detect import read_snapshot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--neo4j", metavar="URI", required=True)
    parser.add_argument("--wipe", action="store_true", help="delete everything first (small scales)")
    args = parser.parse_args()
    if args.wipe:
        with connect(args.neo4j) as driver, driver.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    spent: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0])
    store = Neo4jStore(args.neo4j)
    run, batched = store._run, store._run_batched

    def timed(name: str, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        started = time.perf_counter()
        try:
            return run(name, write, **params)
        finally:
            spent[name][0] += time.perf_counter() - started
            spent[name][1] += 1

    def timed_batched(name: str, **params: Any) -> None:
        started = time.perf_counter()
        try:
            batched(name, **params)
        finally:
            spent[name][0] += time.perf_counter() - started
            spent[name][1] += 1

    store._run = timed  # type: ignore[method-assign]
    store._run_batched = timed_batched  # type: ignore[method-assign]
    started = time.perf_counter()
    result = store.load([read_snapshot(f) for f in args.files])
    total = time.perf_counter() - started
    store.close()
    in_db = sum(s for s, _ in spent.values())
    for name, (seconds, calls) in sorted(spent.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:32} {seconds:8.1f} s {calls:6} calls")
    print(f"{'statements':32} {in_db:8.1f} s")
    print(f"{'the rest (Python)':32} {total - in_db:8.1f} s")
    print(f"{'total':32} {total:8.1f} s")
    for change in result.changes:
        print(change)


if __name__ == "__main__":
    main()
