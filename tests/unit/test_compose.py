"""docker-compose.yml: Neo4j 5.26 healthy before the app, ports on loopback only, a password required."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    return compose["services"]  # type: ignore[no-any-return]


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):  # compose also accepts a list of NAME=value
        return dict(item.split("=", 1) for item in environment)
    return {name: str(value) for name, value in environment.items()}


def test_neo4j_is_the_526_community_image_checked_by_an_authenticated_query(
    services: dict[str, Any],
) -> None:
    neo4j = services["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    test = neo4j["healthcheck"]["test"]
    command = test if isinstance(test, str) else " ".join(test)
    assert "cypher-shell" in command
    assert "RETURN 1" in command
    # `$$` is compose's escape: the container's shell, not compose, reads the password from NEO4J_AUTH.
    assert "$${NEO4J_AUTH#neo4j/}" in command
    assert {volume.split(":")[1] for volume in neo4j["volumes"]} == {"/data", "/logs"}


def test_the_password_is_required(services: dict[str, Any]) -> None:
    auth = _environment(services["neo4j"])["NEO4J_AUTH"]
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}", auth), auth
    store = _environment(services["app"])["FINESS_GRAPH_STORE"]
    assert store == "bolt://neo4j:${NEO4J_PASSWORD}@neo4j:7687"


def test_every_port_is_published_on_loopback_only(services: dict[str, Any]) -> None:
    published = [(name, port) for name, service in services.items() for port in service.get("ports", [])]
    assert {name for name, _ in published} == {"neo4j", "app"}
    for name, port in published:
        host_ip = port.get("host_ip") if isinstance(port, dict) else str(port).split(":")[0]
        assert host_ip == "127.0.0.1", (name, port)


def test_the_app_waits_for_a_healthy_neo4j(services: dict[str, Any]) -> None:
    app = services["app"]
    assert app["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    assert app["build"] == "."
    assert app["command"][:3] == ["serve", "--host", "0.0.0.0"]
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    assert re.search(r'^ENTRYPOINT \["finess-graph"\]$', dockerfile, re.MULTILINE)


def test_every_setting_given_to_the_app_exists(services: dict[str, Any]) -> None:
    names = [name for name in _environment(services["app"]) if name.startswith("FINESS_GRAPH_")]
    assert names
    for name in names:
        assert name.removeprefix("FINESS_GRAPH_").lower() in Settings.model_fields, name
