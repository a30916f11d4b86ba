"""The Neo4j loader's two writing threads: nodes and relationships side by side, in a safe order."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from graph.neo4j_store import _Sender

WAIT = 5.0  # seconds: far beyond what any step here takes, so that only a wrong order times out


class _Server:
    """Stands in for the store: records what runs, and lets a test hold a statement until released."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.lock = threading.Lock()
        self.hold: dict[str, threading.Event] = {}
        self.started: dict[str, threading.Event] = {}
        self.fail: set[str] = set()

    def wait_started(self, tag: str) -> bool:
        """Return whether the statement tagged so started within WAIT seconds."""
        return self.started.setdefault(tag, threading.Event()).wait(WAIT)

    def _run(self, name: str, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        tag = params.get("tag", name)
        with self.lock:
            self.log.append(f"start {tag}")
        self.started.setdefault(tag, threading.Event()).set()
        if tag in self.hold:
            assert self.hold[tag].wait(WAIT), f"{tag} was never released"
        if tag in self.fail:
            raise RuntimeError(f"{tag} failed")
        with self.lock:
            self.log.append(f"end {tag}")
        return []


def _sender(server: _Server) -> _Sender:
    return _Sender(server)  # type: ignore[arg-type]


def test_relationships_wait_for_the_nodes_sent_before_them() -> None:
    server = _Server()
    server.hold["nodes 1"] = threading.Event()
    sender = _sender(server)
    sender.write("create_nodes", tag="nodes 1")
    sender.write("create_edges", tag="edges 1")
    assert server.wait_started("nodes 1")
    assert "start edges 1" not in server.log  # its ends are not written yet
    server.hold["nodes 1"].set()
    sender.wait()
    sender.stop()
    assert server.log.index("end nodes 1") < server.log.index("start edges 1")


def test_the_next_nodes_are_written_while_relationships_are() -> None:
    server = _Server()
    # The relationships of batch 1 are held until the nodes of batch 2 have started: with one writer
    # for both, this would never happen and the hold would time out.
    server.hold["edges 1"] = threading.Event()
    sender = _sender(server)
    sender.write("create_nodes", tag="nodes 1")
    sender.write("create_edges", tag="edges 1")
    sender.write("create_nodes", tag="nodes 2")
    assert server.wait_started("nodes 2")
    server.hold["edges 1"].set()
    sender.write("create_edges", tag="edges 2")
    sender.wait()
    sender.stop()
    log = server.log
    assert log.index("start nodes 2") < log.index("end edges 1")
    assert log.index("end nodes 2") < log.index("start edges 2")
    assert log.index("end edges 1") < log.index("start edges 2")  # each kind in the order sent


def test_a_read_waits_for_every_write_sent_before_it() -> None:
    server = _Server()
    sender = _sender(server)
    sender.write("create_nodes", tag="nodes 1")
    sender.write("create_edges", tag="edges 1")
    sender.read("read_edges", tag="read")
    sender.stop()
    assert server.log[-2:] == ["start read", "end read"]
    assert {"end nodes 1", "end edges 1"} <= set(server.log[:-2])


def test_a_failed_write_stops_the_others_and_is_raised() -> None:
    server = _Server()
    server.fail.add("nodes 1")
    sender = _sender(server)
    sender.write("create_nodes", tag="nodes 1")
    sender.write("create_edges", tag="edges 1")
    with pytest.raises(RuntimeError, match="nodes 1 failed"):
        sender.wait()
    sender.stop()
    assert "start edges 1" not in server.log  # the relationships of nodes not written never run
