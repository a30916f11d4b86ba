"""The race's report builder (bench/race): ratios from raw figures, report.md, the growth curve, queries."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from graphql import parse
from graphql.language import OperationDefinitionNode, VariableNode, visit
from graphql.language.visitor import Visitor

from bench.race import cases, growth, measure, report
from bench.race.explain import explain

CYPHER = Path(__file__).resolve().parents[2] / "bench" / "floor"


def _figures(p50: float, p95: float) -> dict[str, float]:
    return {"n": 10, "p50": p50, "p95": p95, "p99": p95, "max": p95}


def _raw() -> dict[str, Any]:
    return {
        "scale": 0.1,
        "date": "2026-11-26 14:00",
        "samples": 10,
        "queries": {"lookup": {"peer_note": None}, "path": {"peer_note": "not expressible"}},
        "one_client": {
            "graphql_neo4j": {"lookup": _figures(4.0, 8.0), "path": _figures(10.0, 20.0)},
            "rest_neo4j": {"lookup": _figures(3.0, 6.0), "path": _figures(9.0, 18.0)},
            "peer": {"lookup": _figures(5.0, 4.0)},
            "floor": {"lookup": _figures(2.0, 3.0), "path": _figures(8.0, 9.0)},
            "store_neo4j": {"lookup": _figures(2.5, 4.0), "path": _figures(6.0, 8.0)},
            "store_embedded": {"lookup": _figures(0.01, 0.02), "path": _figures(12.0, 30.0)},
            "graphql_embedded": {"lookup": _figures(1.0, 2.0), "path": _figures(2.0, 3.0)},
        },
        "round_trips": {"lookup": 1.0, "path": 4.0},
        "loads": {"neo4j": {"first_load": {"seconds": 60.0}}, "embedded": {"first_load": {"seconds": 6.0}}},
        "bulk_import": {"seconds": 20.0},
    }


def _rendered(raw: dict[str, Any], notes: dict[str, str] | None = None) -> str:
    """Return report.md of raw figures, with their ratios, misses and explanations, as bench/run does."""
    raw["ratios"] = report.ratios(raw)
    raw["missed"] = report.missed(raw["ratios"])
    raw["why"] = explain(raw, notes or {})
    return report.render(raw)


def test_ratios_are_ours_over_theirs_per_query() -> None:
    r = report.ratios(_raw())
    assert r["neo4j_graphql"] == {"lookup": {"p50": 0.8, "p95": 2.0}}  # path: the peer cannot ask it
    assert r["raw_cypher"]["lookup"] == {"graphql": 2.0, "rest": 1.5}
    assert r["raw_cypher"]["path"] == {"graphql": 1.25, "rest": 1.12}
    assert r["embedded_vs_neo4j"]["path"] == {"store": 2.0, "graphql": 0.2}
    assert r["bulk_import"] == {"neo4j_first_load": 3.0, "embedded_first_load": 0.3}


def test_missed_lists_every_ratio_above_its_goal() -> None:
    misses = report.missed(report.ratios(_raw()))
    found = {(m["target"], m["query"]) for m in misses}
    assert found == {
        ("raw_cypher (graphql)", "lookup"),
        ("raw_cypher (rest)", "lookup"),
        ("embedded_vs_neo4j", "path"),
    }


def test_report_md_shows_ratios_misses_and_what_the_peer_cannot_ask() -> None:
    raw = _raw()
    text = _rendered(raw, {"embedded_vs_neo4j|path": "Close it by X.", "raw_cypher": "One statement."})
    assert "# Performance race, scale 0.1" in text
    assert "| lookup | 0.80 / 2.00 | 2.00 | 1.50 |" in text
    assert "| path | not expressible | 1.25 | 1.12 | 2.00 | 0.20 |" in text
    assert "### raw_cypher (goal ≤ 1.3): 2 missed" in text
    assert "| lookup | raw_cypher (graphql) | 2.00 | ours 4.00 ms against 2.00 ms" in text
    assert "the store call is faster than @neo4j/graphql" not in text
    assert "One statement." in text
    assert "Close it by X." in text
    assert "Neo4j store **3.00**" in text


def test_explain_tells_where_the_time_goes() -> None:
    raw = _raw()
    raw["missed"] = report.missed(report.ratios(raw))
    why = explain(raw, {"raw_cypher": "Closing it: one statement.", "raw_cypher|lookup": "This one."})
    assert why["misses"]["raw_cypher (graphql)|lookup"].startswith("ours 4.00 ms against 2.00 ms")
    assert "0.50 ms are the store's reads beyond" in why["misses"]["raw_cypher (graphql)|lookup"]
    assert "1.0 statements per call" in why["misses"]["raw_cypher (graphql)|lookup"]
    assert why["misses"]["raw_cypher (rest)|lookup"].endswith("This one.")
    assert why["targets"] == {"raw_cypher": "Closing it: one statement."}


def test_growth_flags_what_grows_faster_than_linearly() -> None:
    def at(scale: float, load: float, p95: float) -> dict[str, Any]:
        return {
            "scale": scale,
            "loads": {"neo4j": {"first_load": {"seconds": load}}},
            "one_client": {"graphql_neo4j": {"lookup": {"p95": p95}}},
        }

    found = growth.growth([at(1.0, 100.0, 2.0), at(0.1, 10.0, 2.0), at(0.3, 30.0, 2.0)])
    assert found["scales"] == [0.1, 0.3, 1.0]
    row = found["figures"]["Neo4j first load (s)"]
    assert row["exponents"] == [1.0, 1.0]
    assert not row["flag"]
    assert not found["figures"]["p95 lookup, graphql_neo4j (ms)"]["flag"]
    worse = growth.growth([at(0.1, 10.0, 2.0), at(1.0, 400.0, 20.0)])
    assert worse["figures"]["Neo4j first load (s)"]["flag"]
    assert worse["figures"]["p95 lookup, graphql_neo4j (ms)"]["flag"]
    assert "**faster than linear**" in growth.render(worse)


def _variables(text: str) -> tuple[set[str], set[str]]:
    document = parse(text)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    declared = {v.variable.name.value for v in operation.variable_definitions}
    used: set[str] = set()

    class Uses(Visitor):
        def enter_variable(self, node: VariableNode, *_: Any) -> None:
            used.add(node.name.value)

    visit(operation.selection_set, Uses())
    return declared, used


@pytest.mark.parametrize("as_of", [None, "2020-01-01"])
@pytest.mark.parametrize(
    ("family", "args"),
    [
        (cases.Lookup(), {"finess": "920003399"}),
        (cases.Search("words"), {"text": "resid auto", "department": "92"}),
        (cases.Search("prefix"), {"text": "92000"}),
        (cases.Ecosystem(3), {"finess": "920003399", "label": "Establishment"}),
        (cases.Ecosystem(2), {"finess": "920001898", "label": "LegalEntity"}),
        (cases.Organigram(), {"finess": "gcc:1"}),
    ],
)
def test_peer_queries_declare_exactly_the_variables_they_use(
    family: cases.Family, args: dict[str, Any], as_of: str | None
) -> None:
    asked = family.peer(cases.Sample(args, as_of))
    assert asked is not None
    text, values = asked
    declared, used = _variables(text)
    assert declared == used == {k for k, v in values.items() if v is not None or k in used}


def test_every_floor_statement_lists_the_parameters_it_uses() -> None:
    paths = sorted(CYPHER.glob("*.cypher"))
    assert len(paths) >= 12, CYPHER  # one per query of the race
    for path in paths:
        text = path.read_text()
        header = text.splitlines()[0]
        assert header.startswith("// params:"), path.name
        listed = set(re.findall(r"\$(\w+)", header))
        body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
        assert listed == set(re.findall(r"\$(\w+)", body)), path.name


def test_a_contender_too_slow_for_a_query_is_not_asked_it_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measure, "SLOW_SECONDS", 0.05)
    monkeypatch.setattr(measure, "too_slow", {})
    asked: dict[str, int] = {"quick": 0, "slow": 0}

    def contender(name: str, seconds: float) -> measure.Contender:
        def answer(conn: Any) -> object:
            asked[name] += 1
            time.sleep(seconds)
            return b"{}"

        return measure.Contender(name, lambda: None, lambda _: None, lambda q, s: answer)

    query = cases.Query("ecosystem depth 3 largest", cases.Ecosystem(3), [cases.Sample({})] * 4)
    quick, slow = contender("quick", 0.0), contender("slow", 0.1)
    figures = measure.interleaved([quick, slow], query)  # the slow one's first answer: a cold start
    assert set(figures) == {"quick"}
    assert figures["quick"]["n"] == 4
    assert asked == {"quick": 8, "slow": 2}  # warm-up and timed passes; the slow one twice, then dropped
    assert set(measure.too_slow["slow"]) == {query.name}
    assert measure.too_slow["slow"][query.name] >= 0.1
    assert measure.concurrent(slow, query, clients=2, rounds=1) is None
    assert measure.interleaved([slow], query) == {}  # nobody left to time
    assert asked["slow"] == 2


def test_a_contender_without_an_answer_in_time_is_too_slow_even_at_its_first_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On a slower machine the peer's first depth-3 answer ran past the client's timeout, and the
    # TimeoutError stopped the run in its checking phase.
    monkeypatch.setattr(measure, "too_slow", {})
    monkeypatch.setattr(measure, "HTTP_TIMEOUT", 0.2)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts, never answers
    base = f"http://127.0.0.1:{silent.getsockname()[1]}"
    asked = {"peer": 0}

    def ask(q: cases.Query, s: cases.Sample) -> measure.Call:
        def call(http: measure.Http) -> object:
            asked["peer"] += 1
            return measure.post(http, "/", "{ x }", {})

        return call

    peer = measure.Contender("peer", lambda: measure.Http(base), measure.Http.close, ask)
    query = cases.Query("ecosystem depth 3 largest", cases.Ecosystem(3), [cases.Sample({})] * 3)
    try:
        assert measure.content(peer, query, "peer") is None
        assert measure.interleaved([peer], query) == {}
    finally:
        silent.close()
    assert asked == {"peer": 1}
    assert measure.too_slow["peer"][query.name] >= 0.2


def test_report_md_says_which_answers_were_too_slow() -> None:
    raw = _raw()
    raw["too_slow"] = {"seconds": 10.0, "answers": {"peer": {"path": 42.5}}}
    text = _rendered(raw)
    assert "| path | peer too slow (one answer 42.5 s) |" in text
    assert "- peer, path: 42.5 s" in text


def test_a_contender_that_answers_an_error_is_not_asked_again_and_the_report_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # At scale 3.0 the peer's nested ecosystem ran out of Neo4j's transaction memory: a run of hours
    # must not end there.
    monkeypatch.setattr(measure, "failed", {})
    asked = {"fine": 0, "failing": 0}

    def fine(conn: Any) -> object:
        asked["fine"] += 1
        return b"{}"

    def failing(conn: Any) -> object:
        asked["failing"] += 1
        raise measure.AnswerError("/ 200: transaction memory limit reached")

    query = cases.Query("ecosystem depth 3 largest", cases.Ecosystem(3), [cases.Sample({})] * 4)
    contenders = [
        measure.Contender(name, lambda: None, lambda _: None, lambda q, s, f=f: f)
        for name, f in (("fine", fine), ("failing", failing))
    ]
    figures = measure.interleaved(contenders, query)
    assert set(figures) == {"fine"}
    assert asked == {"fine": 8, "failing": 1}
    assert measure.failed == {"failing": {query.name: "/ 200: transaction memory limit reached"}}
    assert measure.content(contenders[1], query, "peer") is None
    assert measure.concurrent(contenders[1], query, clients=2, rounds=1) is None
    assert asked["failing"] == 1
    raw = _raw()
    raw["one_client"].pop("peer")
    raw["failed"] = {"peer": {"lookup": "/ 200: transaction memory limit reached"}}
    text = _rendered(raw)
    assert "| lookup | peer answered an error (below) |" in text
    assert "- peer, lookup: / 200: transaction memory limit reached" in text
