"""The `finess-graph` command line: serve, load, stats, show, export, generate, sync, demo, neo4j."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from api.formats import FORMATS
from api.formats.export import export_ecosystem
from api.report import print_load_summary, print_structure, structure_json
from graph.errors import FinessGraphError, NotFound
from graph.open_store import open_store
from graph.queries import DEFAULT_RELATIONS, MAX_DEPTH, RELATION_TYPES
from graph.settings import Settings
from graph.store import GraphStore
from loaders.detect import read_snapshot
from loaders.source import input_limit


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date of the form YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="finess-graph", description="Explore FINESS+ as a time-aware graph."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    store_help = "the store to use (default: the FINESS_GRAPH_STORE setting, else the user data dir)"

    p = sub.add_parser("load", help="load official FINESS files (JSON, CSV, XML; plain or .gz)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--store", help=store_help)

    p = sub.add_parser("stats", help="count nodes per label and relationships per type")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--as-of", type=_date, help="count only what is valid at this date")
    p.add_argument("--store", help=store_help)

    p = sub.add_parser("show", help="a structure and its direct relationships")
    p.add_argument("finess", help="a FINESS number (or a grouping's number or id)")
    p.add_argument("--as-of", type=_date, help="as it was at this date")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--store", help=store_help)

    p = sub.add_parser("export", help="a structure's ecosystem as JSON, GraphML, GEXF, CSV or FHIR")
    p.add_argument("finess", help="a FINESS number (or a grouping's number or id)")
    p.add_argument(
        "--format", required=True, choices=list(FORMATS), metavar="FORMAT", help=", ".join(FORMATS)
    )
    p.add_argument("--depth", type=int, default=2, choices=range(MAX_DEPTH + 1), metavar="N", help="0 to 4")
    p.add_argument("--as-of", type=_date, help="as it was at this date")
    p.add_argument(
        "--relation",
        action="append",
        choices=sorted(RELATION_TYPES),
        metavar="TYPE",
        help=f"a relation to follow, repeatable (default: {', '.join(sorted(DEFAULT_RELATIONS))})",
    )
    p.add_argument("--output", type=Path, help="the file to write (default: standard output)")
    p.add_argument("--store", help=store_help)

    p = sub.add_parser("generate", help="write synthetic FINESS+ daily files")
    p.add_argument("outdir", type=Path)
    p.add_argument("--scale", type=float, default=1.0, help="1.0 is the national size")
    p.add_argument("--days", type=int, default=1, help="consecutive daily snapshots")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--start", type=_date, default="2026-08-13", help="date of the first day")

    p = sub.add_parser("sync", help="download the latest FINESS+ daily files from data.gouv and load")
    p.add_argument("--dataset-api", help="base URL of the data.gouv API")
    p.add_argument("--store", help=store_help)

    p = sub.add_parser("demo", help="generate demo data, load it and print its statistics")
    p.add_argument("--scale", type=float, default=0.01)
    p.add_argument("--days", type=int, default=2)
    p.add_argument("--store", help=store_help)

    p = sub.add_parser(
        "serve",
        help="serve the web explorer, GraphQL (/graphql) and REST (/api/v1/) on 127.0.0.1",
        description="Prints the address it listens on as the only line of stdout, then serves until "
        "interrupted. Read-only: nothing served writes to the store.",
    )
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 8000; 0 picks a free one)")
    p.add_argument(
        "--workers",
        type=int,
        choices=range(1, 65),
        metavar="N",
        help="processes sharing the port, each with its own store connection (1 to 64; default 1)",
    )
    p.add_argument("--store", help=store_help)
    p.add_argument(
        "--demo", action="store_true", help="serve synthetic demo data, generated into a temporary store"
    )

    p = sub.add_parser(
        "neo4j",
        help="start, stop or ask about the local Neo4j server (provisioned from Maven Central once)",
        description="start prints progress on stderr and the store URI alone as the last line of stdout; "
        "status exits with 3 when the server is stopped.",
    )
    p.add_argument("action", choices=["start", "stop", "status"])
    return parser


def _store(settings: Settings, option: str | None, *, existing: bool = False) -> GraphStore:
    return open_store(option or settings.store, existing=existing, state_cache=settings.state_cache)


def _load(store: GraphStore, files: Sequence[Path], settings: Settings) -> int:
    started = time.perf_counter()
    # The files are read while the store loads: the bound holds until then.
    with input_limit(settings.max_input_bytes):
        snapshots = [read_snapshot(path) for path in files]
        with tqdm(unit=" records", unit_scale=True, desc="loading", disable=None, file=sys.stderr) as bar:
            result = store.load(snapshots, progress=bar.update)
    print_load_summary(result, time.perf_counter() - started, sys.stdout)
    return 0


def _stats(store: GraphStore, as_of: str | None, as_json: bool) -> int:
    stats = store.stats(as_of)
    if as_json:
        print(json.dumps({k: stats[k] for k in ("snapshot", "nodes", "relationships")}, indent=2))
        return 0
    print(f"snapshot {stats['snapshot']}" + (f", as of {as_of}" if as_of else ""))
    for dataset, date in stats["snapshots"].items():
        print(f"  {dataset}: {date}")
    for section in ("nodes", "relationships"):
        print(section)
        for name, n in stats[section].items():
            print(f"  {name:<22}{n:>12,}")
    return 0


def _show(store: GraphStore, finess: str, as_of: str | None, as_json: bool) -> int:
    view = store.structure(finess, as_of)
    if view is None:
        when = f" at {as_of}" if as_of else ""
        raise NotFound(f"no structure with FINESS number or id {finess!r}{when} in the store")
    if as_json:
        print(json.dumps(structure_json(view, store.labels()), indent=2, ensure_ascii=False))
    else:
        print_structure(view, store.labels(), sys.stdout)
    return 0


def _export(store: GraphStore, args: argparse.Namespace) -> int:
    rendered = export_ecosystem(store, args.finess, args.format, args.depth, args.as_of, args.relation)
    if args.output is None:
        sys.stdout.buffer.write(rendered.body)
    else:
        args.output.write_bytes(rendered.body)
        print(f"{args.output}: {len(rendered.body):,} bytes, {rendered.media_type}", file=sys.stderr)
    return 0


def _generate(outdir: Path, scale: float, days: int, seed: int, start: str) -> list[Path]:
    from loaders.synthetic.generator import generate  # heavy tables: imported only when used

    return generate(outdir, scale=scale, days=days, seed=seed, start=dt.date.fromisoformat(start))


def _neo4j(settings: Settings, action: str) -> int:
    from graph.neo4j_server import LocalNeo4j

    server = LocalNeo4j.from_settings(settings)
    if action == "start":
        uri = server.start(progress=lambda message: print(message, file=sys.stderr, flush=True))
        print(uri)
        return 0
    if action == "stop":
        pid = server.stop(progress=lambda message: print(message, file=sys.stderr, flush=True))
        print(f"stopped (pid {pid})" if pid is not None else "not running")
        return 0
    print(server.status())
    # 3 is what LSB init scripts answer for "not running", so scripts can test it.
    return 0 if server.pid() is not None else 3


def run(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    """Run one command; return its exit status."""
    args = _parser().parse_args(argv)
    settings = settings or Settings()
    if args.command == "load":
        return _load(_store(settings, args.store), args.files, settings)
    if args.command == "stats":
        return _stats(_store(settings, args.store, existing=True), args.as_of, args.json)
    if args.command == "show":
        return _show(_store(settings, args.store, existing=True), args.finess, args.as_of, args.json)
    if args.command == "export":
        return _export(_store(settings, args.store, existing=True), args)
    if args.command == "generate":
        for path in _generate(args.outdir, args.scale, args.days, args.seed, args.start):
            print(path)
        return 0
    if args.command == "sync":
        from loaders.datagouv import download_latest

        files = download_latest(args.dataset_api or settings.dataset_api, Path(settings.download_dir))
        return _load(_store(settings, args.store), files, settings)
    if args.command == "demo":
        store = _store(settings, args.store)
        with tempfile.TemporaryDirectory(prefix="finess-demo-") as tmp:
            files = _generate(Path(tmp), args.scale, args.days, 0, "2026-08-13")
            _load(store, files, settings)
        return _stats(store, None, False)
    if args.command == "neo4j":
        return _neo4j(settings, args.action)
    if args.command == "serve":
        from api.serve import serve  # the web stack is imported only by the command that serves

        options = (("host", args.host), ("port", args.port), ("workers", args.workers))
        overrides = {k: v for k, v in options if v is not None}
        return serve(settings.model_copy(update=overrides), args.store, args.demo)
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run a command and turn expected failures into one sentence and an exit status."""
    # The Neo4j driver warns at each retry of a transaction on a server that does not answer; the
    # error that follows says it in one sentence (and serve's 503s tell clients).
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    try:
        status = run(argv)
    except FinessGraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        status = 1
    except KeyboardInterrupt:
        print("interrupted; the store is unchanged", file=sys.stderr)
        status = 130
    sys.stdout.flush()
    sys.stderr.flush()
    # A national store is millions of objects: freeing them one by one at exit takes seconds.
    os._exit(status)


if __name__ == "__main__":
    main()
