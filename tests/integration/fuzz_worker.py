"""Run `finess-graph load` on each file of a fuzz corpus, each in a process of its own, and report.

`python -m tests.integration.fuzz_worker CASES RESULTS`: CASES is a JSON list of {name, path, store,
base_store}; for each, the base store is copied to `store`, then a child forked from this small
process runs the command line's own entry point (`api.cli.main`, which ends the process with the
command's exit status) with its output in files; its exit status, peak resident memory (os.wait4)
and time are written to RESULTS as JSON, with the store's statistics after the command.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from api.cli import main
from graph.embedded_store import EmbeddedStore

TIMEOUT = 180  # seconds a case may run before it is killed (and reported as such)


def _run(argv: list[str], out: Path, err: Path, env: dict[str, str]) -> tuple[int, int | None, int, float]:
    """Run `main(argv)` in a forked child; return (exit status, signal, peak RSS in KiB, seconds)."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: the command line, its output in files
        try:
            os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
            os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
            os.environ.update(env)  # settings of this case (FINESS_GRAPH_…)
            signal.alarm(TIMEOUT)
            main(argv)  # ends the process with the command's exit status
        except BaseException:
            # What the interpreter does with an exception that main() let through.
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        finally:
            os._exit(1)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    return (code, None, usage.ru_maxrss, seconds) if code >= 0 else (code, -code, usage.ru_maxrss, seconds)


def run_cases(cases: list[dict[str, Any]]) -> list[dict[str, object]]:
    results = []
    for case in cases:
        store, base = Path(case["store"]), Path(case["base_store"])
        shutil.copyfile(base, store)
        out, err = store.with_suffix(".out"), store.with_suffix(".err")
        argv = ["load", str(case["path"]), "--store", str(store)]
        code, sig, rss, seconds = _run(argv, out, err, dict(case.get("env") or {}))
        try:
            stats: object = EmbeddedStore(store).stats()
        except Exception as exc:  # reported: the test fails on it
            stats = f"unreadable: {exc!r}"
        results.append(
            {
                **case,
                "status": code,
                "signal": sig,
                "rss_kib": rss,
                "seconds": round(seconds, 3),
                "stdout": out.read_text("utf-8", errors="replace")[-4000:],
                "stderr": err.read_text("utf-8", errors="replace")[-4000:],
                "unchanged": store.read_bytes() == base.read_bytes(),
                "stats": stats,
            }
        )
    return results


if __name__ == "__main__":
    cases = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    Path(sys.argv[2]).write_text(json.dumps(run_cases(cases), indent=1), "utf-8")
