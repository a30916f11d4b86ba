"""`finess-graph serve`: the API and explorer on one port, on a store or on demo data."""

from __future__ import annotations

import socket
import sys
import tempfile
from pathlib import Path

import uvicorn

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


def serve(settings: Settings, store_option: str | None, demo: bool) -> int:
    """Serve until interrupted; print the address first, as the only line on stdout."""
    with tempfile.TemporaryDirectory(prefix="finess-demo-") as tmp:
        if demo:
            print("generating and loading demo data…", file=sys.stderr, flush=True)
            store = demo_store(Path(tmp))
        else:
            store = open_store(store_option or settings.store, existing=True)
        app = create_app(settings, store)
        # Bind here, so that port 0 gives a free port whose number is printed before serving.
        sock = socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((settings.host, settings.port))
        sock.listen(2048)  # from now on a client's connection waits in the backlog, never refused
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"http://{shown}:{port}/", flush=True)
        config = uvicorn.Config(app, log_level="warning", access_log=False)
        uvicorn.Server(config).run(sockets=[sock])
    return 0
