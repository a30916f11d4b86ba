"""Time every contender on every query: one client, then 8 concurrent clients; check the answers agree.

A contender is a way to ask (our GraphQL or REST over HTTP, the peer's GraphQL over HTTP, the floor's
Cypher through the driver, a store in process) and a factory of connections, one per client thread.
The percentiles come from bench/api_bench.py, the in-process store timings from bench/query_bench.py.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.api_bench import percentiles
from bench.race.cases import Query, Sample
from graph.store import GraphStore

CYPHER = Path(__file__).resolve().parent.parent / "floor"
CHECKED = 20  # samples per query whose content is compared
# One answer slower than this and the contender is not asked that query again in the run: at national
# size the peer's nested ecosystems of the largest legal entity ran for minutes per answer. A
# contender's first answer to a query is not judged: it may pay a cold start (at national size the
# embedded `serve` opening its store took 26.9 s, the embedded search index 11.7 s).
SLOW_SECONDS = 10.0
# Longer than the server's transaction timeout (120 s, graph/neo4j_server.py): a statement it stops comes
# back as the contender's error. On a machine twice slower than usual (2026-11-28) the peer's depth-3
# ecosystem of the largest legal entity ran into the client's former 120 s, and the run stopped there.
HTTP_TIMEOUT = 180.0
Call = Callable[[Any], object]
# contender → query → seconds of the answer found too slow
too_slow: dict[str, dict[str, float]] = {}
# contender → query → the error it answered (at scale 3.0 the peer ran out of Neo4j's transaction
# memory): it is not asked that query again, and the report lists it.
failed: dict[str, dict[str, str]] = {}


def _slow(contender: str, query: str) -> bool:
    return query in too_slow.get(contender, {}) or query in failed.get(contender, {})


def _timed_call(contender: str, query: str, call: Call, conn: Any, judged: bool) -> tuple[object, bool]:
    """Return a call's answer, and whether it was `judged` and too slow (noted in `too_slow`) or an
    error (noted in `failed`): either way the contender is not asked that query again."""
    started = time.perf_counter()
    try:
        answer = call(conn)
    except AnswerError as exc:
        failed.setdefault(contender, {})[query] = str(exc)[:300]
        return None, True
    except TimeoutError:  # no answer within the client's timeout (Http), first answer or not
        if isinstance(conn, Http):
            conn.close()  # the next request opens a new connection
        too_slow.setdefault(contender, {})[query] = round(time.perf_counter() - started, 1)
        return None, True
    elapsed = time.perf_counter() - started
    slow = judged and elapsed > SLOW_SECONDS
    if slow:
        too_slow.setdefault(contender, {})[query] = round(elapsed, 1)
    return answer, slow


class AnswerError(RuntimeError):
    """A contender answered with an error: never timed, noted in `failed`."""


@cache
def statement(name: str) -> str:
    """Return a floor statement of bench/floor/."""
    return (CYPHER / f"{name}.cypher").read_text("utf-8")


class Http:
    """One client's keep-alive HTTP/1.1 connection, from the standard library.

    The instrument should cost little beside what it times: for our GraphQL lookup, httpx2 took 0.2-0.3
    ms a request more than this, which is 0.1 ms over a bare socket (bench/README.md, *The client*).
    """

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        self.conn = http.client.HTTPConnection(host, port, timeout=HTTP_TIMEOUT)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        """Send one request (again on a connection the server had closed); return its status and body."""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            self.conn.request(method, path, body=body, headers=headers)
            answer = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()  # reopened by the request below
            self.conn.request(method, path, body=body, headers=headers)
            answer = self.conn.getresponse()
        return answer.status, answer.read()

    def close(self) -> None:
        self.conn.close()


def post(client: Http, url: str, query: str, variables: dict[str, Any]) -> bytes:
    """POST a GraphQL request; return the raw answer (not decoded: decoding is the client's time)."""
    status, body = client.request("POST", url, json.dumps({"query": query, "variables": variables}).encode())
    if status != 200 or b'"errors"' in body[:20_000]:
        raise AnswerError(f"{url} {status}: {body[:500].decode(errors='replace')}")
    return body


def get(client: Http, path: str) -> bytes:
    """GET a REST route; return the raw answer."""
    status, body = client.request("GET", path)
    if status != 200:
        raise AnswerError(f"{path} {status}: {body[:300].decode(errors='replace')}")
    return body


def run_floor(session: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Run one floor statement in a session; return its records as dicts."""
    return [dict(record) for record in session.run(statement(name), params)]


@dataclass
class Contender:
    """One way to ask every query: how to make a connection and how to ask one sample on it."""

    name: str
    connect: Callable[[], Any]
    close: Callable[[Any], None]
    ask: Callable[[Query, Sample], Call | None]  # None: this contender cannot ask it


def graphql_contender(name: str, base: str, path: str, peer: bool) -> Contender:
    """Our GraphQL endpoint (`peer` False) or the peer's, over HTTP, with the same client code."""

    def ask(q: Query, s: Sample) -> Call | None:
        asked = q.family.peer(s) if peer else q.family.graphql(s)
        if asked is None:
            return None
        text, variables = asked
        return lambda http: post(http, path, text, variables)

    return Contender(name, lambda: Http(base), Http.close, ask)


def rest_contender(name: str, base: str) -> Contender:
    """Our REST routes over HTTP."""

    def ask(q: Query, s: Sample) -> Call | None:
        route = q.family.rest(s)
        return None if route is None else (lambda http: get(http, route))

    return Contender(name, lambda: Http(base), Http.close, ask)


def floor_contender(driver: Any) -> Contender:
    """The floor: one hand-written statement per query through the raw driver, a session per client."""

    def ask(q: Query, s: Sample) -> Call | None:
        asked = q.family.floor(s)
        if asked is None:
            return None
        name, params = asked
        return lambda session: run_floor(session, name, params)

    return Contender("floor", driver.session, lambda s: s.close(), ask)


def store_contender(name: str, store: GraphStore) -> Contender:
    """A store called in this process (the call the resolvers make)."""

    def ask(q: Query, s: Sample) -> Call:
        return q.family.store(s)

    return Contender(name, lambda: store, lambda _: None, ask)


def interleaved(contenders: list[Contender], query: Query) -> dict[str, dict[str, float]]:
    """Time each sample on every contender in turn, one client, after a warm-up pass of each.

    Interleaving sample by sample (the order rotating) keeps a machine whose load drifts from
    favouring whichever contender happened to run when it was quiet.
    """
    conns = [c.connect() for c in contenders]
    try:
        calls = {c.name: [c.ask(query, s) for s in query.samples] for c in contenders}
        able = [
            (c, conn)
            for c, conn in zip(contenders, conns, strict=True)
            if calls[c.name] and all(x is not None for x in calls[c.name]) and not _slow(c.name, query.name)
        ]
        for c, conn in able:
            for i, call in enumerate(calls[c.name]):
                assert call is not None
                if _timed_call(c.name, query.name, call, conn, judged=i > 0)[1]:
                    break
        able = [(c, conn) for c, conn in able if not _slow(c.name, query.name)]
        times: dict[str, list[float]] = {c.name: [] for c, _ in able}
        for i in range(len(query.samples) if able else 0):
            for c, conn in able[i % len(able) :] + able[: i % len(able)]:
                call = calls[c.name][i]
                assert call is not None
                if _slow(c.name, query.name):
                    continue
                started = time.perf_counter()
                if not _timed_call(c.name, query.name, call, conn, judged=False)[1]:  # not an error
                    times[c.name].append((time.perf_counter() - started) * 1000)
        return {
            name: percentiles(found)
            for name, found in times.items()
            if len(found) > 1 and query.name not in failed.get(name, {})
        }
    finally:
        for c, conn in zip(contenders, conns, strict=True):
            c.close(conn)


def concurrent(contender: Contender, query: Query, clients: int, rounds: int) -> dict[str, Any] | None:
    """Send every sample `rounds` times from `clients` threads at once; percentiles and throughput."""
    calls = [contender.ask(query, s) for s in query.samples] * rounds
    if not calls or any(c is None for c in calls) or _slow(contender.name, query.name):
        return None
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    cursor = iter(range(len(calls)))

    def client() -> None:
        conn = contender.connect()
        try:
            while True:
                with lock:
                    i = next(cursor, None)
                if i is None:
                    return
                call = calls[i]
                assert call is not None
                started = time.perf_counter()
                try:
                    call(conn)
                except Exception as exc:
                    errors.append(str(exc)[:300])
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    times.append(elapsed)
        finally:
            contender.close(conn)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    figures: dict[str, Any] = percentiles(times) if len(times) > 1 else {"n": len(times)}
    figures.update(clients=clients, per_second=round(len(times) / wall, 1), errors=len(errors))
    if errors:
        figures["first_error"] = errors[0]
    return figures


def content(contender: Contender, query: Query, kind: str) -> list[Any] | None:
    """Return the content keys of the first samples' answers (`kind`: ours, peer or floor).

    None when the contender cannot ask the query, or answered one of them too slowly (`too_slow`).
    """
    conn = contender.connect()
    keys: list[Any] = []
    try:
        for i, s in enumerate(query.samples[:CHECKED]):
            call = contender.ask(query, s)
            if call is None or _slow(contender.name, query.name):
                return None
            answer, slow = _timed_call(contender.name, query.name, call, conn, judged=i > 0)
            if slow:
                return None
            if kind == "floor":
                keys.append(query.family.key_floor(answer))  # type: ignore[arg-type]
            else:
                data = json.loads(answer)["data"]  # type: ignore[arg-type]
                keys.append(query.family.key_ours(data) if kind == "ours" else query.family.key_peer(data))
    finally:
        contender.close(conn)
    return keys


def agreement(query: Query, ours: list[Any], other: list[Any] | None) -> dict[str, Any] | None:
    """Compare content keys sample by sample; return how many agree and the first that does not."""
    if other is None:
        return None
    same = [query.family.same(a, b) for a, b in zip(ours, other, strict=True)]
    found: dict[str, Any] = {"checked": len(same), "same": sum(same)}
    for i, ok in enumerate(same):
        if not ok:
            found["first_difference"] = {
                "sample": query.samples[i].args,
                "as_of": query.samples[i].as_of,
                "ours": _short(ours[i]),
                "theirs": _short(other[i]),
            }
            break
    return found


def _short(key: Any) -> Any:
    if isinstance(key, set | frozenset):
        return sorted(map(str, key))[:30]
    return json.loads(json.dumps(key, default=str))
