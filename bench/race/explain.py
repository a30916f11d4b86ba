"""A sentence for every missed target, from the run's own figures (where the time goes), plus given notes.

The figures say where the time goes: the store call in process against the floor's statement (the
store's own work and round trips to Neo4j), HTTP and GraphQL on top of the store call, the size of
the answer. What would close the gap is added from `--notes` (profiling done by a person), keyed by
`target` or `target|query`.
"""

from __future__ import annotations

from typing import Any


def _get(raw: dict[str, Any], contender: str, query: str) -> float | None:
    found = raw.get("one_client", {}).get(contender, {}).get(query)
    return None if not found else found.get("p50")


def _sentence(raw: dict[str, Any], miss: dict[str, Any]) -> str:
    q = miss["query"]
    ours, store = _get(raw, "graphql_neo4j", q), _get(raw, "store_neo4j", q)
    floor, peer = _get(raw, "floor", q), _get(raw, "peer", q)
    trips = raw.get("round_trips", {}).get(q)
    target = miss["target"]
    if target.startswith("raw_cypher") or target == "neo4j_graphql":
        other, who = (
            (floor, "the floor's one statement") if target.startswith("raw") else (peer, "@neo4j/graphql")
        )
        via = "rest_neo4j" if "(rest)" in target else "graphql_neo4j"
        ours = _get(raw, via, q)
        if ours is None or store is None or other is None:
            return "figures missing"
        layer = ours - store
        api = "REST" if via.startswith("rest") else "GraphQL"
        start = (
            f"ours {ours:.2f} ms against {other:.2f} ms for {who}; our store call alone takes {store:.2f} ms"
            f" in process ({trips} statements per call), HTTP and {api} {layer:.2f} ms: "
        )
        if layer < 0:
            return start + "the store call timed slower alone than within the request (this machine's noise)."
        if store <= other:
            return start + f"the store call is faster than {who}'s whole answer, HTTP and {api} make the gap."
        return start + (
            f"of the {ours - other:.2f} ms gap, {store - other:.2f} ms are the store's reads beyond"
            f" {who}'s whole"
            f" answer and {layer:.2f} ms HTTP and {api}."
        )
    emb, neo = _get(raw, "store_embedded", q), store
    if emb is None or neo is None:
        return "figures missing"
    return f"embedded {emb:.2f} ms against Neo4j {neo:.2f} ms in process."


def explain(raw: dict[str, Any], notes: dict[str, str]) -> dict[str, Any]:
    """Return, per missed target and query, what the figures say; and the notes for each target.

    `notes` is keyed by `target|query` (a finding about one query) or by `target` (about all its
    misses); `raw_cypher (graphql)` and `raw_cypher (rest)` share the notes of `raw_cypher`.
    """
    misses: dict[str, str] = {}
    general: dict[str, str] = {}
    for miss in raw.get("missed", []):
        base = miss["target"].split(" (")[0]
        text = _sentence(raw, miss)
        note = notes.get(f"{miss['target']}|{miss['query']}") or notes.get(f"{base}|{miss['query']}")
        misses[f"{miss['target']}|{miss['query']}"] = f"{text} {note}" if note else text
        if base in notes:
            general[base] = notes[base]
    return {"misses": misses, "targets": general}
