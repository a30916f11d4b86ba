"""How the Neo4j store sends a statement: reads in one auto-commit round trip, retried managed on a blip."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable, TransientError

from graph.errors import StoreUnavailable
from graph.neo4j_store import OUTAGE_WINDOW, Neo4jStore


class FakeResult:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def keys(self) -> list[str]:
        return list(self.rows[0]) if self.rows else []

    def __iter__(self) -> Any:
        return iter([list(r.values()) for r in self.rows])


class FakeSession:
    def __init__(self, driver: FakeDriver) -> None:
        self.driver = driver

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def run(self, query: str, params: dict[str, Any]) -> FakeResult:
        self.driver.calls.append("auto-commit")
        if self.driver.failures:
            raise self.driver.failures.pop(0)
        return FakeResult([{"id": params.get("finess")}])

    def _managed(self, kind: str, work: Any) -> Any:
        self.driver.calls.append(kind)
        if self.driver.managed_failure is not None:
            raise self.driver.managed_failure

        class Tx:
            def run(self, query: str, params: dict[str, Any]) -> FakeResult:
                return FakeResult([{"id": params.get("finess")}])

        return work(Tx())

    def execute_read(self, work: Any) -> Any:
        return self._managed("managed read", work)

    def execute_write(self, work: Any) -> Any:
        return self._managed("managed write", work)


class FakeDriver:
    def __init__(self, failures: list[Exception], managed_failure: Exception | None = None) -> None:
        self.failures = failures
        self.managed_failure = managed_failure
        self.calls: list[str] = []

    def session(self, **_: object) -> FakeSession:  # default_access_mode=READ_ACCESS for reads
        return FakeSession(self)


def _store(driver: FakeDriver) -> Neo4jStore:
    store = Neo4jStore.__new__(Neo4jStore)  # no connection: the driver is the fake
    store.uri = "bolt://neo4j:x@127.0.0.1:7691"
    store.driver = driver  # type: ignore[assignment]
    store.query_timeout = 10.0
    store._local = threading.local()
    store._unusable_at = -OUTAGE_WINDOW
    return store


def test_a_read_is_one_auto_commit_statement() -> None:
    driver = FakeDriver([])
    assert _store(driver)._run("read_root", finess="010000016") == [{"id": "010000016"}]
    assert driver.calls == ["auto-commit"]


def test_a_write_stays_a_managed_transaction() -> None:
    driver = FakeDriver([])
    _store(driver)._run("commit_load", write=True, finess="x")
    assert driver.calls == ["managed write"]


@pytest.mark.parametrize("error", [TransientError("busy"), ServiceUnavailable("restarted")])
def test_a_read_that_fails_as_a_managed_one_would_retry_is_retried_managed(error: Exception) -> None:
    driver = FakeDriver([error])
    assert _store(driver)._run("read_root", finess="010000016") == [{"id": "010000016"}]
    assert driver.calls == ["auto-commit", "managed read"]


def test_a_server_still_away_after_the_retries_is_unavailable() -> None:
    driver = FakeDriver([ServiceUnavailable("down")], managed_failure=ServiceUnavailable("still down"))
    with pytest.raises(StoreUnavailable, match="cannot be used"):
        _store(driver)._run("read_root", finess="010000016")


def test_during_a_known_outage_a_read_is_tried_once_then_answers_as_soon_as_the_server_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    driver = FakeDriver([ServiceUnavailable("down")], managed_failure=ServiceUnavailable("still down"))
    store = _store(driver)
    with pytest.raises(StoreUnavailable):
        store._run("read_root", finess="010000016")
    assert driver.calls == ["auto-commit", "managed read"]  # the first failure is retried
    driver.calls.clear()
    driver.failures = [ServiceUnavailable("down")]
    with pytest.raises(StoreUnavailable):
        store._run("read_root", finess="010000016")
    assert driver.calls == ["auto-commit"]  # not retried for 5 s more: the 503 comes at once
    driver.calls.clear()
    assert store._run("read_root", finess="010000016") == [{"id": "010000016"}]  # the server is back
    assert driver.calls == ["auto-commit"]
    # Once the window has passed since the last failure, a failing read is retried again.
    monkeypatch.setattr(store, "_unusable_at", store._unusable_at - OUTAGE_WINDOW)
    driver.calls.clear()
    driver.failures = [ServiceUnavailable("a blip")]
    driver.managed_failure = None
    assert store._run("read_root", finess="010000016") == [{"id": "010000016"}]
    assert driver.calls == ["auto-commit", "managed read"]
