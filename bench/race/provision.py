"""What the race runs on: its Neo4j servers, `serve` processes, the peer's server; machine and versions."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.neo4j_server import LocalNeo4j

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT / "bench" / "peers" / "neo4j-graphql"
OWN_LIB = ROOT / "var" / "neo4j" / "lib"  # the jars `finess-graph neo4j start` (the tests') provisioned


def memory_for(scale: float) -> tuple[str, str]:
    """Return the heap and page cache of the race's Neo4j for a scale (national: 3 GiB and 6 GiB)."""
    heap = 1 if scale <= 0.3 else 3 if scale <= 1.0 else 4
    # The page cache holds the whole store (4.8 GB nationally), capped so that one embedded store
    # (about 3 GiB nationally, 9 at scale 3) still fits beside it in 24 GiB: at scale 3 it holds about
    # half of the store, so Neo4j's figures there include reads from the disk.
    page_cache = min(8, max(1, math.ceil(6 * scale)))
    return f"{heap}g", f"{page_cache}g"


def lib_dir(given: Path | None, home: Path) -> Path:
    """Return the folder of the jars the race's server and the bulk import share.

    Given, else this checkout's own when the tests provisioned it, else the race server's home's, which
    its start provisions before the import runs.
    """
    if given is not None:
        return given
    return OWN_LIB if (OWN_LIB / f"neo4j-{LocalNeo4j.version}.jar").is_file() else home / "lib"


def server(
    home: Path, port: int, scale: float, lib: Path | None, heap: str | None, cache: str | None
) -> LocalNeo4j:
    """Return the race's Neo4j server (not started) in its own home and port."""
    default_heap, default_cache = memory_for(scale)
    return LocalNeo4j(home, port, heap=heap or default_heap, page_cache=cache or default_cache, lib_dir=lib)


def rss(pid: int | None) -> dict[str, int]:
    """Return the resident and peak resident memory of a process in MiB (empty if it is gone)."""
    found: dict[str, int] = {}
    if pid is None:
        return found
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[{"VmRSS": "rss_mib", "VmHWM": "peak_mib"}[key]] = int(value.split()[0]) // 1024
    return found


@contextlib.contextmanager
def serve(store: str, log: Path) -> Iterator[tuple[str, int]]:
    """Run `finess-graph serve` on a store, one worker on a free port; yield its URL and pid."""
    command = [sys.executable, "-m", "api.cli", "serve", "--store", store, "--port", "0"]
    with log.open("wb") as err:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, cwd=ROOT)
    try:
        assert process.stdout is not None
        base = process.stdout.readline().decode().strip()
        if not base.startswith("http"):
            raise SystemExit(f"serve did not start on {store}: see {log}")
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=60)


def npm_ci() -> float:
    """Install the peer's pinned packages (npm ci) unless the lockfile's install is there; seconds taken."""
    installed = PEER / "node_modules" / ".package-lock.json"
    lock = PEER / "package-lock.json"
    if installed.is_file() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return 0.0
    started = time.perf_counter()
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed: the @neo4j/graphql peer needs Node 20 and npm")
    subprocess.run(
        [npm, "ci", "--prefix", str(PEER), "--no-audit", "--no-fund", "--loglevel=error"], check=True
    )
    return time.perf_counter() - started


@contextlib.contextmanager
def peer(neo4j: LocalNeo4j, log: Path) -> Iterator[tuple[str, int]]:
    """Run the @neo4j/graphql server on the race's Neo4j; yield its URL and pid."""
    env = {
        **os.environ,
        "NEO4J_URI": f"bolt://127.0.0.1:{neo4j.port}",
        "NEO4J_PASSWORD": neo4j.password(),
        "PORT": "0",
        "NODE_ENV": "production",  # no stack traces in errors, the library's production paths
    }
    with log.open("wb") as err:
        process = subprocess.Popen(
            ["node", "server.js"], cwd=PEER, env=env, stdout=subprocess.PIPE, stderr=err
        )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().decode().strip()
        if not url.startswith("http"):
            raise SystemExit(f"the @neo4j/graphql server did not start: see {log}")
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def machine() -> dict[str, Any]:
    """Return the cpu count and model, memory and system of this machine."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    total = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "ram_gib": round(total / 2**20, 1),
        "system": platform.platform(),
    }


def _package(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _node_package(name: str) -> str | None:
    found = PEER / "node_modules" / name / "package.json"
    return str(json.loads(found.read_text())["version"]) if found.is_file() else None


def versions(neo4j_version: str | None) -> dict[str, Any]:
    """Return the versions of everything measured."""
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "python": platform.python_version(),
        "neo4j": neo4j_version,
        "neo4j_driver": _package("neo4j"),
        "neo4j_rust_ext": _package("neo4j-rust-ext"),
        "strawberry": _package("strawberry-graphql"),
        "fastapi": _package("fastapi"),
        "uvicorn": _package("uvicorn"),
        "node": node,
        "@neo4j/graphql": _node_package("@neo4j/graphql"),
        "@apollo/server": _node_package("@apollo/server"),
        "graphql-js": _node_package("graphql"),
        "neo4j-driver (js)": _node_package("neo4j-driver"),
        "java": subprocess.run(
            ["java", "-version"], capture_output=True, text=True, check=False
        ).stderr.splitlines()[0:1],
    }
