"""Every Cypher file is used, declares exactly its parameters, and is accepted by the real server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cypher
from graph.neo4j_store import connect

ROOT = Path(__file__).resolve().parents[2]
# `$any(…)` and `$(…)` are Cypher's dynamic labels and types, not parameters.
PARAM = re.compile(r"\$(?!any\()([A-Za-z_][A-Za-z0-9_]*)")


def _declared(text: str) -> set[str]:
    header = text.splitlines()[0]
    match = cypher.PARAMS_HEADER.match(header)
    assert match, f"the first line must be '// params: …', not {header!r}"
    declared = match.group(1).strip()
    return set() if declared == "(none)" else {p.strip().lstrip("$") for p in declared.split(",")}


def _used(text: str) -> set[str]:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return set(PARAM.findall(body))


@pytest.mark.parametrize("name", cypher.names())
def test_header_lists_exactly_the_parameters(name: str) -> None:
    text = cypher.statement(name)
    assert _declared(text) == _used(text)


@pytest.mark.parametrize("name", cypher.names())
def test_every_file_is_used_by_the_store(name: str) -> None:
    code = (ROOT / "graph" / "neo4j_store.py").read_text("utf-8")
    assert f'"{name}"' in code


def test_no_cypher_outside_the_cypher_folder() -> None:
    for path in (ROOT / "graph").glob("*.py"):
        text = path.read_text("utf-8")
        assert not re.search(r"\b(MATCH|MERGE|UNWIND)\s*\(", text), path


@pytest.mark.parametrize("name", cypher.names())
def test_the_server_accepts_it(name: str, neo4j_uri: str) -> None:
    text = cypher.statement(name)
    body = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("//")]
    # Schema commands cannot be EXPLAINed: they are idempotent (IF NOT EXISTS, IF EXISTS), so they are run.
    schema = re.match(r"(CREATE|DROP) (CONSTRAINT|INDEX|FULLTEXT INDEX) ", body[0])
    query = text if schema else f"EXPLAIN {text}"
    driver = connect(neo4j_uri)
    try:
        with driver.session() as session:
            session.run(query, dict.fromkeys(_used(text))).consume()
    finally:
        driver.close()
