"""Measure the HTTP API end to end against a real `serve` process: latency beside the store's, throughput.

Run: .venv/bin/python bench/api_bench.py --embedded bench/out/store-1.0.pickle [--store URI]
    [--samples 200] [--clients 8] [--seconds 20] [--out bench/results/api-1.0.json]
`--store` is what `serve` serves (default: the embedded file itself); the workload (random legal
entities and establishments, fixed seed) is drawn from the embedded file, which must hold the same
data. Each query is timed three ways: the store call the resolver makes, in this process; GraphQL over
HTTP; REST over HTTP; the three interleaved call by call. Then `--clients` threads send `structure`
queries for `--seconds`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx2

from graph.embedded_store import KIND, EmbeddedStore
from graph.open_store import open_store
from graph.store import GraphStore

STRUCTURE = "query($f: String!) { structure(finess: $f) { id finess name kind } }"
ECOSYSTEM = "query($f: String!) { ecosystem(finess: $f, depth: 2) { graph } }"
ECOSYSTEM_FIELDS = (
    "query($f: String!) { ecosystem(finess: $f, depth: 2) { truncated nodes { id finess name kind depth }"
    " edges { source target type role since until } } }"
)


def percentiles(times: list[float]) -> dict[str, float]:
    """Return n, p50, p95, p99 and max of durations in milliseconds."""
    times = sorted(times)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "n": len(times),
        "p50": round(cuts[49], 2),
        "p95": round(cuts[94], 2),
        "p99": round(cuts[98], 2),
        "max": round(times[-1], 2),
    }


def timed(*ways: list[Callable[[], object]]) -> list[dict[str, float]]:
    """Run every call once to warm up, then time the ways interleaved call by call; percentiles per way.

    Interleaved, as the race does: this machine's speed drifts by tens of percent within minutes, and
    timing the store in one pass and HTTP in the next made their ratio depend on when each ran.
    """
    for calls in ways:
        for call in calls:
            call()
    times: list[list[float]] = [[] for _ in ways]
    for i in range(len(ways[0])):
        for calls, spent in zip(ways, times, strict=True):
            started = time.perf_counter()
            calls[i]()
            spent.append((time.perf_counter() - started) * 1000)
    return [percentiles(spent) for spent in times]


def graphql(http: httpx2.Client, query: str, finess: str) -> Callable[[], object]:
    def call() -> object:
        answer = http.post("/graphql", json={"query": query, "variables": {"f": finess}})
        # Not answer.json(): decoding a large answer in this client would be counted as the server's.
        if (
            answer.status_code != 200
            or not answer.content.startswith(b'{"data":')
            or b'"errors":' in answer.content
        ):
            raise SystemExit(f"{finess}: {answer.status_code} {answer.text[:300]}")
        return answer

    return call


def rest(http: httpx2.Client, path: str) -> Callable[[], object]:
    def call() -> object:
        answer = http.get(path)
        if answer.status_code != 200:
            raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
        return answer

    return call


def throughput(base: str, ids: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """Send `structure` queries from `clients` threads for `seconds`; return requests per second."""
    done = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        with httpx2.Client(base_url=base, timeout=30) as http:
            while time.monotonic() < stop:
                answer = http.post("/graphql", json={"query": STRUCTURE, "variables": {"f": rng.choice(ids)}})
                if answer.status_code == 200:
                    done[n] += 1
                else:
                    errors[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": sum(done),
        "errors": sum(errors),
        "per_second": round(sum(done) / elapsed, 1),
    }


def memory(pid: int) -> dict[str, int]:
    """Return the resident and peak resident memory of a process, in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) // 1024
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--embedded", type=Path, required=True, help="embedded store file (the workload)")
    parser.add_argument("--store", help="what serve serves (default: the embedded file)")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    location = args.store or str(args.embedded)
    rng = random.Random(args.seed)
    source = EmbeddedStore(args.embedded)
    kinds = ("LegalEntity", "Establishment")
    ids = sorted(i for i, item in source.nodes_table.items() if item[KIND] in kinds)
    sample = [rng.choice(ids) for _ in range(args.samples)]
    store: GraphStore = source if location == str(args.embedded) else open_store(location)

    command = [sys.executable, "-m", "api.cli", "serve", "--store", location, "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE)
    assert server.stdout is not None
    base = server.stdout.readline().decode().strip()
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "store": "neo4j" if location.startswith(("bolt", "neo4j")) else "embedded",
        "workload": {"samples": args.samples, "seed": args.seed, "structures": len(ids)},
    }
    try:
        with httpx2.Client(base_url=base, timeout=120) as http:
            calls = list[Callable[[], object]]
            rows: dict[str, tuple[calls, calls, calls]] = {
                "structure": (
                    [partial(store.root, f, None) for f in sample],
                    [graphql(http, STRUCTURE, f) for f in sample],
                    [rest(http, f"/api/v1/structures/{f}") for f in sample],
                ),
                "ecosystem depth 2": (
                    [partial(store.ecosystem, f, 2) for f in sample],
                    [graphql(http, ECOSYSTEM, f) for f in sample],
                    [rest(http, f"/api/v1/structures/{f}/ecosystem?depth=2") for f in sample],
                ),
                "ecosystem depth 2, field by field": (
                    [partial(store.ecosystem, f, 2) for f in sample],
                    [graphql(http, ECOSYSTEM_FIELDS, f) for f in sample],
                    [],
                ),
            }
            for name, (direct, over_graphql, over_rest) in rows.items():
                measured = timed(direct, over_graphql, *([over_rest] if over_rest else []))
                figures: dict[str, Any] = dict(zip(("store", "graphql", "rest"), measured, strict=False))
                figures["graphql_p95_bound"] = round(1.5 * figures["store"]["p95"] + 5, 2)
                results[name] = figures
                print(name, json.dumps(figures), flush=True)
        results["throughput structure"] = throughput(base, ids, args.clients, args.seconds)
        print("throughput", results["throughput structure"], flush=True)
        results["server_memory_mib"] = memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
