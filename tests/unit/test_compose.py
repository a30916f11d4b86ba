"""docker-compose.yml: Neo4j 5.26 healthy before the app, ports on loopback only, a password required;
no secret committed."""

from __future__ import annotations

import re
import subprocess
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
    # The pages' libraries: installed by npm from the lock file in the image, beside the package.
    assert re.search(r"^RUN npm ci\b", dockerfile, re.MULTILINE)
    assert "COPY --from=web /web/node_modules ./web/node_modules" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text("utf-8").split()
    assert {"var", ".venv", "**/node_modules"} <= set(ignored)


def test_every_setting_given_to_the_app_exists(services: dict[str, Any]) -> None:
    names = [name for name in _environment(services["app"]) if name.startswith("FINESS_GRAPH_")]
    assert names
    for name in names:
        assert name.removeprefix("FINESS_GRAPH_").lower() in Settings.model_fields, name


def test_authentication_stays_on_and_no_password_is_written_down(services: dict[str, Any]) -> None:
    environment = _environment(services["neo4j"])
    assert environment["NEO4J_AUTH"] != "none"
    assert not any(name.startswith("NEO4J_dbms_security_auth__enabled") for name in environment)
    text = (ROOT / "docker-compose.yml").read_text("utf-8")
    # Every credential comes from the environment: no literal after `neo4j/` or in a URI.
    assert re.findall(r"neo4j/(?!\$\{NEO4J_PASSWORD|\})", text) == []  # `#neo4j/}`: the healthcheck
    assert re.findall(r"://neo4j:(?!\$\{NEO4J_PASSWORD\})", text) == []


def test_the_neo4j_ports_are_never_published_beyond_loopback(services: dict[str, Any]) -> None:
    ports = services["neo4j"]["ports"]
    assert {str(p).rsplit(":", 1)[-1] for p in ports} == {"7474", "7687"}
    for port in ports:
        assert str(port).startswith("127.0.0.1:"), port  # never "7687:7687", which means every interface
    assert "network_mode" not in services["neo4j"]  # host networking would bypass the published ports


def test_no_secret_file_is_committed() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert tracked
    secret = re.compile(r"(^|/)(\.env(\..*)?|password|.*\.pem|.*\.key|id_rsa.*)$")
    assert [path for path in tracked if secret.search(path)] == []
    assert not any(path.startswith("var/") for path in tracked)  # the local server's password lives there
