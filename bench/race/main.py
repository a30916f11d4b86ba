"""bench/run: the race of issue 6 at one scale (or several, then the growth curve), end to end.

It provisions its own Neo4j (a home and port of its own, memory sized by scale) and a second, stopped
home for `neo4j-admin database import`, installs the @neo4j/graphql peer (npm ci), generates two days
(fixed seed), loads them into both stores, imports day 1 offline, then times every query on every
contender and writes DIR/report.json and DIR/report.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench.race import cases, loads, measure, provision, report
from bench.race.explain import explain
from bench.race.growth import write_growth
from graph.embedded_store import EmbeddedStore


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    scale = parser.add_mutually_exclusive_group(required=True)
    scale.add_argument("--scale", type=float, help="1.0 is the national size")
    scale.add_argument("--scales", help="comma-separated scales, each run in turn, then the growth curve")
    parser.add_argument("--out", type=Path, required=True, help="where report.json and report.md go")
    parser.add_argument("--work", type=Path, help="generated data and stores (default bench/out/race-SCALE)")
    parser.add_argument("--neo4j-home", type=Path, default=Path("var/race-neo4j"))
    parser.add_argument("--neo4j-port", type=int, default=7691)
    parser.add_argument("--import-home", type=Path, default=Path("var/race-import"))
    parser.add_argument("--import-port", type=int, default=7692)
    parser.add_argument(
        "--neo4j-lib", type=Path, help="Neo4j's jars (default: var/neo4j/lib if there, else the race home's)"
    )
    parser.add_argument("--heap", help="Neo4j heap (default by scale: 1g up to 0.3, 3g at 1.0, 4g beyond)")
    parser.add_argument("--page-cache", help="Neo4j page cache (default by scale: 6g per 1.0, 1g to 12g)")
    parser.add_argument("--samples", type=int, default=50, help="samples per query")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the samples with 8 clients")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7, help="the workload's seed (the data's is 1)")
    parser.add_argument("--notes", type=Path, help="JSON {target|query: sentence} added to the misses")
    parser.add_argument("--only", help="measure only the queries whose name contains this")
    parser.add_argument(
        "--one-embedded-copy",
        action="store_true",
        help="let this process's embedded store go before `serve` opens its own (default beyond scale 1.5)",
    )
    parser.add_argument(
        "--skip-loads", action="store_true", help="reuse the stores and import figures of a previous run"
    )
    return parser.parse_args()


class Phases:
    """Wall time of each phase of the run, for the report."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - started, 1)
            print(f"   {name}: {self.seconds[name]} s", flush=True)


def run(args: argparse.Namespace, scale: float, out: Path) -> dict[str, Any]:
    """Run the race at one scale; write out/report.json and out/report.md; return the report."""
    work = args.work or Path(f"bench/out/race-{scale}")
    work.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    phase = Phases()
    lib = provision.lib_dir(args.neo4j_lib, args.neo4j_home)
    server = provision.server(args.neo4j_home, args.neo4j_port, scale, lib, args.heap, args.page_cache)
    target = provision.server(args.import_home, args.import_port, scale, lib, args.heap, args.page_cache)
    raw: dict[str, Any] = {
        "scale": scale,
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "load_average": {"start": [round(x, 2) for x in os.getloadavg()]},
        "machine": provision.machine(),
        "samples": args.samples,
        "neo4j_memory": {"heap": server.heap, "page_cache": server.page_cache},
    }
    with ExitStack() as stack:
        with phase("provision (npm ci, Neo4j start)"):
            raw["npm_ci_seconds"] = round(provision.npm_ci(), 1)
            server.start(lambda m: print("  ", m, flush=True))
            stack.callback(server.stop)
        from graph.neo4j_store import Neo4jStore

        neo4j = Neo4jStore(server.uri())
        stack.callback(neo4j.close)
        raw["versions"] = provision.versions(_neo4j_version(server.uri()))
        data, store_file, day1_store = work / "data", work / "store.pickle", work / "store-day1.pickle"
        with phase("generate"):
            raw["generate"] = loads.generate(data, scale, 1)
        day1, day2 = loads.days(data)
        raw["files_bytes"] = {p.name: p.stat().st_size for p in [*day1, *day2]}
        if args.skip_loads and store_file.exists():
            raw["loads"] = json.loads((work / "loads.json").read_text())
        else:
            raw["loads"] = {}
            with phase("load embedded (day 1, day 2)"):
                raw["loads"]["embedded"] = loads.load_embedded(day1, day2, store_file, day1_store)
            with phase("load Neo4j (day 1, day 2)"):
                raw["loads"]["neo4j"] = loads.load_neo4j(day1, day2, server)
            (work / "loads.json").write_text(json.dumps(raw["loads"], indent=2))
        if args.skip_loads and (work / "bulk.json").exists():
            raw["bulk_import"] = json.loads((work / "bulk.json").read_text())
        else:
            with phase("bulk import (CSV, neo4j-admin)"):
                raw["bulk_import"] = loads.bulk_import(day1, work / "csv", target, server.heap)
            (work / "bulk.json").write_text(json.dumps(raw["bulk_import"], indent=2))
        csv = raw["bulk_import"].get("csv", {})
        first_items = raw["loads"].get("embedded", {}).get("first_load", {}).get("items")
        raw["bulk_import"]["same_items_as_first_load"] = (
            csv.get("nodes", 0) + csv.get("relationships", 0) == first_items
        )
        with phase("open the embedded store, draw the workload"):
            embedded = EmbeddedStore(store_file)
            embedded.snapshots()
            queries = cases.draw(embedded, args.samples, args.seed)
            queries = [q for q in queries if args.only is None or args.only in q.name]
            raw["workload"] = cases.workload_facts(embedded, queries) | {"seed": args.seed}
            if neo4j.stats()["nodes"] != embedded.stats()["nodes"]:
                raise SystemExit("the Neo4j database does not hold the same data as the embedded store")
            raw["store_stats"] = embedded.stats()
        raw["queries"] = {
            q.name: {"samples": len(q.samples), "peer_note": q.peer_note, "rest_note": q.family.rest_note}
            for q in queries
        }
        raw["round_trips"] = _round_trips(neo4j, queries)
        logs = work / "logs"  # beside the data: never in a results folder
        logs.mkdir(exist_ok=True)
        base_neo4j, pid_neo4j = stack.enter_context(provision.serve(server.uri(), logs / "serve-neo4j.log"))
        peer_url, pid_peer = stack.enter_context(provision.peer(server, logs / "peer.log"))
        driver = stack.enter_context(_driver(server.uri()))
        contenders = {
            "graphql_neo4j": measure.graphql_contender("graphql_neo4j", base_neo4j, "/graphql", peer=False),
            "rest_neo4j": measure.rest_contender("rest_neo4j", base_neo4j),
            "peer": measure.graphql_contender("peer", peer_url, "/", peer=True),
            "floor": measure.floor_contender(driver),
            "store_neo4j": measure.store_contender("store_neo4j", neo4j),
            "store_embedded": measure.store_contender("store_embedded", embedded),
        }
        with phase("same answers"):
            for q in queries:
                ours = measure.content(contenders["graphql_neo4j"], q, "ours") or []
                raw["queries"][q.name]["agreement"] = {
                    "peer": measure.agreement(q, ours, measure.content(contenders["peer"], q, "peer")),
                    "floor": measure.agreement(q, ours, measure.content(contenders["floor"], q, "floor")),
                }
        raw["one_client"] = {}
        # Beyond national size, one copy of the embedded store at a time: this process's is let go
        # before `serve` opens its own (two copies and Neo4j's page cache would not fit in 24 GiB).
        one_copy = args.one_embedded_copy or scale > 1.5
        raw["one_embedded_copy"] = one_copy
        if one_copy:
            with phase("one client, every contender in turn (the store in process)"):
                _one_client(raw, contenders, queries)
            del contenders["store_embedded"], embedded
            gc.collect()
        base_emb, pid_emb = stack.enter_context(provision.serve(str(store_file), logs / "serve-embedded.log"))
        embedded_http = {
            "graphql_embedded": measure.graphql_contender(
                "graphql_embedded", base_emb, "/graphql", peer=False
            ),
            "rest_embedded": measure.rest_contender("rest_embedded", base_emb),
        }
        if one_copy:
            with phase("one client, our endpoints on the embedded store"):
                _one_client(raw, embedded_http, queries)
        else:
            with phase("one client, every contender in turn"):
                _one_client(raw, contenders | embedded_http, queries)
        contenders |= embedded_http
        with phase(f"{args.clients} concurrent clients"):
            raw["eight_clients"] = {}
            for name in ("graphql_neo4j", "graphql_embedded", "peer", "floor"):
                contender = contenders[name]

                def eight(q: cases.Query, c: measure.Contender = contender) -> dict[str, Any] | None:
                    return measure.concurrent(c, q, args.clients, args.rounds)

                raw["eight_clients"][name] = _each(queries, eight, name)
        raw["memory"] = {
            "serve (Neo4j store)": provision.rss(pid_neo4j),
            "serve (embedded store)": provision.rss(pid_emb),
            "Neo4j JVM": provision.rss(server.pid()),
            "@neo4j/graphql (node)": provision.rss(pid_peer),
        }
    raw["too_slow"] = {"seconds": measure.SLOW_SECONDS, "answers": measure.too_slow}
    raw["failed"] = measure.failed
    raw["load_average"]["end"] = [round(x, 2) for x in os.getloadavg()]
    raw["phases"] = phase.seconds
    raw["ratios"] = report.ratios(raw)
    raw["missed"] = report.missed(raw["ratios"])
    notes = json.loads(args.notes.read_text()) if args.notes else {}
    raw["why"] = explain(raw, notes)
    (out / "report.json").write_text(json.dumps(raw, indent=2, default=str) + "\n")
    (out / "report.md").write_text(report.render(raw))
    print(f"wrote {out / 'report.json'} and {out / 'report.md'}", flush=True)
    return raw


def _one_client(
    raw: dict[str, Any], contenders: dict[str, measure.Contender], queries: list[cases.Query]
) -> None:
    """Time every query on these contenders in turn, one client; add the figures to the raw report."""
    for name in contenders:
        raw["one_client"].setdefault(name, {})
    for q in queries:
        for name, figures in measure.interleaved(list(contenders.values()), q).items():
            raw["one_client"][name][q.name] = figures
        shown = {n: raw["one_client"][n].get(q.name, {}).get("p50") for n in contenders}
        print(f"   {q.name:34} p50 {shown}", flush=True)


def _each(
    queries: list[cases.Query], time_one: Callable[[cases.Query], dict[str, Any] | None], name: str
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for q in queries:
        figures = time_one(q)
        if figures is not None:
            found[q.name] = figures
            print(f"   {name:18} {q.name:34} p50 {figures.get('p50')} p95 {figures.get('p95')}", flush=True)
    return found


@contextmanager
def _driver(uri: str) -> Iterator[Any]:
    from graph.neo4j_store import connect

    driver = connect(uri)
    try:
        yield driver
    finally:
        driver.close()


def _neo4j_version(uri: str) -> str:
    with _driver(uri) as driver:
        records = driver.execute_query(
            "CALL dbms.components() YIELD versions RETURN versions[0] AS v"
        ).records
        return str(records[0]["v"])


def _round_trips(store: Any, queries: list[cases.Query]) -> dict[str, float]:
    """Count the statements the Neo4j store sends per call, on the first samples of each query."""
    counted = [0]
    original = store._run

    def counting(*a: Any, **k: Any) -> Any:
        counted[0] += 1
        return original(*a, **k)

    store._run = counting
    found: dict[str, float] = {}
    try:
        for q in queries:
            counted[0] = 0
            tried = q.samples[:5]
            for s in tried:
                q.family.store(s)(store)
            found[q.name] = round(counted[0] / max(1, len(tried)), 1)
    finally:
        store._run = original
    return found


def main() -> None:
    """Run the race at one scale, or at several and then the growth curve."""
    args = _arguments()
    if args.scale is not None:
        run(args, args.scale, args.out)
        return
    scales = [float(s) for s in args.scales.split(",")]
    for scale in scales:
        run(args, scale, args.out / f"scale-{scale}")
    write_growth(args.out, [args.out / f"scale-{s}" / "report.json" for s in scales])
    shutil.copyfile(args.out / "growth.md", args.out / "report.md")
    shutil.copyfile(args.out / "growth.json", args.out / "report.json")
