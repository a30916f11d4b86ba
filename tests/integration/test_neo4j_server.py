"""The local Neo4j server: provisioned once, on loopback only, with a private generated password."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError

from api.cli import run
from graph.errors import StoreUnavailable
from graph.neo4j_server import LocalNeo4j
from graph.neo4j_store import connect as driver_for
from graph.settings import Settings
from tests.integration.stores import LIB, free_port, own_server

# Every home shares the checkout's jars, so that the tests never download Neo4j a second time.


def _listening_addresses(pid: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Return the addresses that a process listens on (TCP), read from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    found = []
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                raw = bytes.fromhex(fields[1].split(":")[0])
                # /proc/net prints each 32-bit word of an address in the host's (little-endian) order.
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
                found.append(ipaddress.ip_address(words))
    return found


def _processes_of(home: Path) -> list[int]:
    """Return the pids of the live processes started with this home on their command line."""
    pids = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and f"--home-dir={home}".encode() in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
    return pids


def _is_loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    """A local server of its own (home, port, password), small enough to run beside the shared one."""
    yield from own_server(tmp_path_factory.mktemp("neo4j-home"), free_port(), "512m", "256m")


def _settings(server: LocalNeo4j) -> Settings:
    return Settings(neo4j_home=str(server.home), neo4j_port=server.port)


def test_start_gives_a_loopback_uri_whose_password_opens_the_database(server: LocalNeo4j) -> None:
    uri = server.start()
    match = re.fullmatch(r"bolt://neo4j:([0-9a-f]{48})@127\.0\.0\.1:(\d+)", uri)
    assert match, uri
    assert match[1] == server.password_file.read_text().strip()
    assert int(match[2]) == server.port
    with driver_for(uri) as driver:
        records, _, _ = driver.execute_query("RETURN 1 + 1 AS two")
    assert records[0]["two"] == 2


def test_a_wrong_password_is_refused(server: LocalNeo4j) -> None:
    url = f"bolt://127.0.0.1:{server.port}"
    wrong = ("neo4j", "not-" + server.password())
    with GraphDatabase.driver(url, auth=wrong) as driver, pytest.raises(AuthError):
        driver.verify_connectivity()


def test_the_password_file_is_private(server: LocalNeo4j) -> None:
    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600


def test_only_bolt_listens_and_only_on_loopback(server: LocalNeo4j) -> None:
    conf = dict(line.split("=", 1) for line in server.conf_file.read_text().splitlines() if "=" in line)
    assert conf["server.default_listen_address"] == "127.0.0.1"
    assert all(v.startswith("127.0.0.1:") for k, v in conf.items() if k.endswith(".listen_address"))
    assert conf["server.http.enabled"] == conf["server.https.enabled"] == "false"
    assert conf["dbms.security.auth_enabled"] == "true"
    pid = server.pid()
    assert pid is not None
    addresses = _listening_addresses(pid)
    assert addresses, "the server listens on nothing"
    assert all(_is_loopback(a) for a in addresses), addresses


def test_start_while_running_answers_at_once_and_the_cli_prints_the_uri_last(
    server: LocalNeo4j, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = server.pid()
    started = time.perf_counter()
    assert run(["neo4j", "start"], _settings(server)) == 0
    assert time.perf_counter() - started < 2
    assert capsys.readouterr().out.splitlines()[-1] == server.uri()
    assert server.pid() == pid
    assert run(["neo4j", "status"], _settings(server)) == 0
    assert f"running (pid {pid}) at {server.uri()}" in capsys.readouterr().out


def test_stop_leaves_no_process_and_a_second_start_reuses_the_jars(
    server: LocalNeo4j, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = server.pid()
    assert pid is not None
    assert server.stop() == pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert _processes_of(server.home) == []
    assert not server.pid_file.exists()
    assert run(["neo4j", "status"], _settings(server)) == 3
    assert "stopped" in capsys.readouterr().out
    assert server.stop() is None

    jars = {p.name: p.stat().st_mtime_ns for p in server.lib.iterdir()}
    assert server.provision() is False
    started = time.perf_counter()
    uri = server.start()
    assert time.perf_counter() - started < 60  # no download: just the JVM and the databases starting
    assert {p.name: p.stat().st_mtime_ns for p in server.lib.iterdir()} == jars
    with driver_for(uri) as driver:
        driver.verify_connectivity()


def test_a_stale_pid_file_is_forgotten(tmp_path: Path) -> None:
    server = LocalNeo4j(tmp_path, lib_dir=LIB)
    dead = subprocess.Popen(["true"])
    dead.wait()
    for pid in (dead.pid, os.getpid()):  # a process gone, and a live one that is not this server
        server.pid_file.parent.mkdir(exist_ok=True)
        server.pid_file.write_text(f"{pid}\n")
        assert server.pid() is None
        assert not server.pid_file.exists()
        assert server.status().startswith("stopped")
        assert server.stop() is None


def test_missing_java_and_failing_maven_are_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="no-such-java is not installed"):
        LocalNeo4j(tmp_path / "a", java="no-such-java", lib_dir=LIB).start()
    mvn = tmp_path / "mvn"
    lines = ["#!/bin/sh", "echo '[INFO] resolving'", "echo '[ERROR] Could not resolve org.neo4j:neo4j' >&2"]
    mvn.write_text("\n".join([*lines, "exit 1", ""]))
    mvn.chmod(0o755)
    failing = LocalNeo4j(tmp_path / "b", lib_dir=tmp_path / "lib", mvn=str(mvn))
    with pytest.raises(StoreUnavailable, match=r"exit status 1\):\n.*\n\[ERROR\] Could not resolve") as info:
        failing.provision()
    assert "provision Neo4j from Maven Central" in str(info.value)
    assert not failing.lib.exists()


def test_a_server_that_never_answers_is_stopped_and_its_log_quoted(tmp_path: Path) -> None:
    java = tmp_path / "java"  # prints, then hangs without ever opening Bolt
    java.write_text("#!/bin/sh\necho 'warming up forever'\nwhile :; do sleep 0.1; done\n")
    java.chmod(0o755)
    server = LocalNeo4j(tmp_path / "home", port=free_port(27687), lib_dir=LIB, java=str(java))
    (server.home / "data" / "databases" / "system").mkdir(parents=True)  # no initial password to set
    server.start_timeout = 1.5
    with pytest.raises(StoreUnavailable, match=r"within 2 s; the last lines of .*console\.log:\nwarming up"):
        server.start()
    assert server.pid() is None
    assert not server.pid_file.exists()
    assert _processes_of(server.home) == []


def test_the_driver_fixture_wipes_the_data_and_keeps_the_indexes(
    neo4j_uri: str, request: pytest.FixtureRequest
) -> None:
    with driver_for(neo4j_uri) as seeding:
        seeding.execute_query("CREATE INDEX wipe_probe IF NOT EXISTS FOR (n:WipeProbe) ON (n.key)")
        seeding.execute_query("UNWIND range(1, 50) AS i CREATE (:WipeProbe {key: i})-[:NEXT]->(:WipeProbe)")
    try:
        driver: Driver = request.getfixturevalue("neo4j_driver")
        records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS nodes")
        assert records[0]["nodes"] == 0
        records, _, _ = driver.execute_query("SHOW INDEXES YIELD name WHERE name = 'wipe_probe' RETURN name")
        assert [r["name"] for r in records] == ["wipe_probe"]
    finally:
        with driver_for(neo4j_uri) as cleaning:
            cleaning.execute_query("DROP INDEX wipe_probe IF EXISTS")
