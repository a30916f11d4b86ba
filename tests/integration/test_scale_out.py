"""Scale-out: `serve` keeps no state between requests, so several processes (or workers) on one Neo4j
give the same answers; routing URIs (neo4j://) work against a standalone server; no secret is logged."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
import pytest

from graph.errors import StoreUnavailable
from graph.neo4j_store import Neo4jStore
from tests.integration.stores import free_port
from tests.integration.test_api_stores import QUERIES, REST


@contextmanager
def serving(*args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run `finess-graph serve --port 0 ARGS`; yield its printed address and the process."""
    command = [sys.executable, "-m", "api.cli", "serve", "--port", "0", *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), (url, proc.stderr.read() if proc.stderr else "")
        yield url, proc
    finally:
        children = _children(proc.pid)
        proc.terminate()
        proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if Path(f"/proc/{pid}").exists()], "a worker outlived serve"


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (serve's workers), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _answers(url: str) -> list[Any]:
    with httpx2.Client(base_url=url, timeout=60) as http:
        found: list[Any] = [http.post("/graphql", json={"query": q}).json() for q in QUERIES]
        for path in REST:
            answer = http.get(path)
            assert answer.status_code == 200, (path, answer.text[:200])
            found.append((answer.headers["etag"], answer.content))
    return found


def _routing(uri: str) -> str:
    """The same server's URI with the routing scheme: neo4j:// rather than bolt://."""
    return urlunsplit(urlsplit(uri)._replace(scheme="neo4j"))


@pytest.mark.slow
def test_two_serve_processes_on_one_neo4j_answer_alike(sample_neo4j: Neo4jStore, neo4j_uri: str) -> None:
    with (
        serving("--store", neo4j_uri) as (one, _),
        serving("--store", neo4j_uri, "--workers", "2") as (two, two_proc),
    ):
        first, second = _answers(one), _answers(two)
        assert len(_children(two_proc.pid)) >= 2  # its workers (and multiprocessing's helper)
        again = _answers(two)  # the second process's two workers answered in turn: still the same
    for query, a, b, c in zip(QUERIES + REST, first, second, again, strict=True):
        assert not (isinstance(a, dict) and "errors" in a), (query, a)
        assert a == b == c, query


def test_a_routing_uri_works_against_the_standalone_server(sample_neo4j: Neo4jStore, neo4j_uri: str) -> None:
    routed = Neo4jStore(_routing(neo4j_uri))
    try:
        assert routed.stats() == sample_neo4j.stats()
        assert routed.structure("210780581") == sample_neo4j.structure("210780581")
    finally:
        routed.close()
    with serving("--store", _routing(neo4j_uri)) as (url, _), serving("--store", neo4j_uri) as (direct, _):
        assert _answers(url) == _answers(direct)


# -- no secret in output or errors -------------------------------------------------------------


def _refused(uri: str) -> str:
    """Return what the store says when the URI's credentials are refused."""
    store = Neo4jStore(uri)
    try:
        with pytest.raises(StoreUnavailable) as refused:
            store.stats()
        return str(refused.value)
    finally:
        store.close()


@pytest.mark.slow
def test_the_password_never_appears_in_output_logs_or_errors(
    sample_neo4j: Neo4jStore, neo4j_uri: str
) -> None:
    parts = urlsplit(neo4j_uri)
    password = parts.password
    assert password
    assert len(password) >= 16
    seen: list[str] = []
    # The real password: serve's output over good requests, a bad one, a 404 and an unexpected path.
    with serving("--store", neo4j_uri) as (url, proc):
        with httpx2.Client(base_url=url, timeout=60) as http:
            seen += [http.get("/api/v1/stats").text, http.get("/api/v1/structures/999999999").text]
            seen.append(http.post("/graphql", json={"query": "{ stats { snapshot } nope }"}).text)
            seen.append(http.get("/openapi.json").text)
        proc.terminate()
        out, err = proc.communicate(timeout=60)
        seen += [out, err]
    # A refused one (an unknown user, so that the shared server's neo4j user is never locked out), and
    # a server that does not answer: the errors name the host, never the password.
    secret = "s3cret-" + "x" * 20
    intruder = urlunsplit(parts._replace(netloc=f"intruder:{secret}@{parts.hostname}:{parts.port}"))
    nobody = urlunsplit(parts._replace(netloc=f"neo4j:{secret}@127.0.0.1:{free_port(29687)}"))
    for uri in (intruder, nobody):
        message = _refused(uri)
        assert "127.0.0.1" in message
        seen.append(message)
        with serving("--store", uri) as (url, proc):
            with httpx2.Client(base_url=url, timeout=60) as http:
                rest = http.get("/api/v1/stats")
                assert rest.status_code == 503
                gql = http.post("/graphql", json={"query": "{ stats { snapshot } }"})
                assert gql.status_code == 503
                seen += [rest.text, gql.text]
            proc.terminate()
            out, err = proc.communicate(timeout=60)
            seen += [out, err]
        command = [sys.executable, "-m", "api.cli", "stats", "--store", uri]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 1
        assert done.stderr.startswith("error: ")
        seen += [done.stdout, done.stderr]
    everything = "\n".join(seen)
    assert "cannot be used" in everything  # the errors were produced and read
    for word in (password, secret):
        assert word not in everything
