"""Measure the store's queries, warm, one client: latency percentiles per query, both stores side by side.

Run: .venv/bin/python bench/query_bench.py --embedded bench/out/store-1.0.pickle [--neo4j URI]
    [--samples 200] [--out bench/results/queries-1.0.json]
The workload is drawn once (fixed seed) from the embedded store, which must hold the same data as the
Neo4j database, then every query runs once unmeasured (warm-up) and `--samples` times measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.formats.names import NAMING_KEYS
from graph.embedded_store import ADJ, KIND, PROPS, EmbeddedStore
from graph.queries import SearchQuery, fold
from graph.store import GraphStore

PAST = "2020-01-01"
Query = Callable[[GraphStore], object]


def workload(store: EmbeddedStore, samples: int, seed: int) -> tuple[dict[str, list[Query]], dict[str, Any]]:
    """Return the queries to time, by name, and what they were drawn from."""
    rng = random.Random(seed)
    table = store.nodes_table
    by_kind: dict[str, list[str]] = {}
    for node_id, item in table.items():
        by_kind.setdefault(item[KIND], []).append(node_id)
    for ids in by_kind.values():
        ids.sort()
    structures = by_kind["LegalEntity"] + by_kind["Establishment"]
    largest = max(by_kind["LegalEntity"], key=lambda i: len(table[i][ADJ] or ()))
    ghts = by_kind.get("ConventionalGrouping", [])

    def pick(ids: list[str]) -> list[str]:
        return [rng.choice(ids) for _ in range(samples)]

    def words(node_id: str) -> str:
        name = fold(json.loads(table[node_id][PROPS]).get("name") or "chu").split() or ["chu"]
        first = name[0][: rng.randint(3, 6)]
        return first if len(name) == 1 else f"{first} {name[-1][:4]}"

    pairs: list[tuple[str, str]] = []
    for _ in range(samples):
        if rng.random() < 0.5 and ghts:  # two members of one GHT: a path exists
            members = store.members(rng.choice(ghts)) or []
            if len(members) >= 2:
                a, b = rng.sample(members, 2)
                pairs.append((a.node.id, b.node.id))
                continue
        pairs.append((rng.choice(structures), rng.choice(structures)))
    departments = [f"{d:02d}" for d in range(1, 96) if d != 20]
    queries: dict[str, list[Query]] = {
        "lookup": [lambda s, f=f: s.root(f, None) for f in pick(structures)],
        "structure": [lambda s, f=f: s.structure(f) for f in pick(structures)],
        "search words": [lambda s, t=t: s.search(SearchQuery(text=t)) for t in map(words, pick(structures))],
        "search number prefix": [
            lambda s, t=f[:6]: s.search(SearchQuery(text=t)) for f in pick(by_kind["Establishment"])
        ],
        "search filtered": [
            lambda s, t=t, d=d: s.search(
                SearchQuery(text=t.split()[0], department=d, kinds=["Establishment"])
            )
            for t, d in zip(map(words, pick(structures)), pick(departments), strict=True)
        ],
        "ecosystem depth 1": [lambda s, f=f: s.ecosystem(f, depth=1) for f in pick(structures)],
        "ecosystem depth 2": [lambda s, f=f: s.ecosystem(f, depth=2) for f in pick(structures)],
        "ecosystem depth 2 as of past": [
            lambda s, f=f: s.ecosystem(f, depth=2, as_of=PAST) for f in pick(structures)
        ],
        "ecosystem depth 3": [lambda s, f=f: s.ecosystem(f, depth=3) for f in pick(structures)],
        "ecosystem depth 2 largest legal entity": [lambda s: s.ecosystem(largest, depth=2)]
        * min(samples, 50),
        # With the properties a box shows, as the REST, web and GraphQL `tree` organigrams ask.
        "organigram largest legal entity": [lambda s: s.organigram(largest, keys=NAMING_KEYS)]
        * min(samples, 50),
        "organigram largest legal entity, every property": [lambda s: s.organigram(largest)]
        * min(samples, 50),
        "organigram GHT": [
            lambda s, g=g: s.organigram(g, keys=NAMING_KEYS) for g in (pick(ghts) if ghts else [])
        ],
        "members GHT": [lambda s, g=g: s.members(g) for g in (pick(ghts) if ghts else [])],
        "path": [lambda s, a=a, b=b: s.path(a, b) for a, b in pairs],
        "timeline": [lambda s, f=f: s.timeline(f) for f in pick(by_kind["Establishment"])],
    }
    drawn = {"largest_legal_entity": largest, "links_of_largest": len(table[largest][ADJ] or ())}
    return queries, drawn


def measure(store: GraphStore, queries: dict[str, list[Query]]) -> dict[str, dict[str, float]]:
    """Run each query once to warm up, then time every sample; return percentiles in milliseconds."""
    for calls in queries.values():
        for call in calls:
            call(store)
    figures: dict[str, dict[str, float]] = {}
    gc.collect()
    for name, calls in queries.items():
        times = []
        for call in calls:
            started = time.perf_counter()
            call(store)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
        figures[name] = {
            "n": len(times),
            "p50": round(cuts[49], 2),
            "p95": round(cuts[94], 2),
            "p99": round(cuts[98], 2),
            "max": round(times[-1], 2),
        }
        print(f"{name:42} {figures[name]}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--embedded", type=Path, required=True, help="embedded store file (the workload's source)"
    )
    parser.add_argument("--neo4j", metavar="URI", help="also measure the Neo4j store holding the same data")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--only", help="measure only the queries whose name contains this")
    args = parser.parse_args()
    embedded = EmbeddedStore(args.embedded)
    started = time.perf_counter()
    embedded.snapshots()
    opened = time.perf_counter() - started
    queries, drawn = workload(embedded, args.samples, args.seed)
    queries = {k: v for k, v in queries.items() if args.only is None or args.only in k}
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "store_stats": embedded.stats()["nodes"],
        "workload": {"samples": args.samples, "seed": args.seed, **drawn},
        "embedded_open_seconds": round(opened, 1),
    }
    print("embedded store")
    results["embedded"] = measure(embedded, queries)
    if args.neo4j:
        from graph.neo4j_store import Neo4jStore

        neo4j = Neo4jStore(args.neo4j)
        if neo4j.stats()["nodes"] != results["store_stats"]:
            raise SystemExit("the Neo4j database does not hold the same data as the embedded store")
        print("neo4j store")
        results["neo4j"] = measure(neo4j, queries)
        neo4j.close()
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
