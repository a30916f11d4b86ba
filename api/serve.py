"""`finess-graph serve`: the API and explorer on one port, on a store or on demo data.

With `--workers N`, N processes share the port (uvicorn's supervisor restarts one that dies); each opens
the store itself. The API keeps nothing between requests, so any worker, or any `serve` behind a load
balancer, gives the same answer.
"""

from __future__ import annotations

import functools
import socket
import sys
import tempfile
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from api.app import create_app
from graph.open_store import open_store
from graph.settings import Settings
from graph.store import GraphStore
from loaders.detect import read_snapshot

DEMO_SCALE = 0.01  # about one region: 3,000 structures, enough to see every kind of link


def demo_store(folder: Path) -> GraphStore:
    """Generate two days of synthetic FINESS+ files and load them into a new embedded store."""
    from loaders.synthetic.generator import generate  # heavy tables: imported only when used

    files = generate(folder / "files", scale=DEMO_SCALE, days=2, seed=0)
    store = open_store(str(folder / "demo.pickle"))
    store.load([read_snapshot(path) for path in files])
    return store


def worker_app(settings: Settings, location: str) -> FastAPI:
    """Return the application of one worker process, on a store of its own."""
    return create_app(settings, open_store(location, existing=True, query_timeout=settings.query_timeout))


def serve(settings: Settings, store_option: str | None, demo: bool) -> int:
    """Serve until interrupted; print the address first, as the only line on stdout."""
    with tempfile.TemporaryDirectory(prefix="finess-demo-") as tmp:
        location = store_option or settings.store
        if demo:
            print("generating and loading demo data…", file=sys.stderr, flush=True)
            store = demo_store(Path(tmp))
            location = str(Path(tmp) / "demo.pickle")
        else:
            store = open_store(location, existing=True, query_timeout=settings.query_timeout)
        # Bind here, so that port 0 gives a free port whose number is printed before serving.
        sock = socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((settings.host, settings.port))
        sock.listen(2048)  # from now on a client's connection waits in the backlog, never refused
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"http://{shown}:{port}/", flush=True)
        if settings.workers == 1:
            config = uvicorn.Config(create_app(settings, store), log_level="warning", access_log=False)
            uvicorn.Server(config).run(sockets=[sock])
            return 0
        # Each worker is a new process (spawned) that builds its app from this picklable factory.
        factory = functools.partial(worker_app, settings, location)
        config = uvicorn.Config(
            factory, factory=True, workers=settings.workers, log_level="warning", access_log=False
        )
        Multiprocess(config, sockets=[sock]).run()
    return 0
