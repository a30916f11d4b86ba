"""The growth curve: load time, memory and p95 per scale; what grows faster than linearly.

Run: python -m bench.race.growth OUTDIR REPORT.json… (bench/run --scales does it by itself)
A figure grows faster than linearly between two scales when its ratio exceeds the ratio of the scales
by more than 15 % (the noise of this shared machine), i.e. a local exponent log(f2/f1)/log(s2/s1) above
about 1.1. Per-query latency should not grow with the graph at all: its exponent is shown too.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

LINEAR_EXPONENT = 1.1  # 1 is linear; the rest is this shared machine's noise
LATENCY_EXPONENT = 0.5


def _figures(report: dict[str, Any]) -> dict[str, float | None]:
    loads = report.get("loads", {})
    mem = report.get("memory", {})
    found: dict[str, float | None] = {
        "embedded first load (s)": loads.get("embedded", {}).get("first_load", {}).get("seconds"),
        "embedded next day (s)": loads.get("embedded", {}).get("next_day", {}).get("seconds"),
        "Neo4j first load (s)": loads.get("neo4j", {}).get("first_load", {}).get("seconds"),
        "Neo4j next day (s)": loads.get("neo4j", {}).get("next_day", {}).get("seconds"),
        "neo4j-admin import (s)": report.get("bulk_import", {}).get("seconds"),
        "embedded loader peak (MiB)": loads.get("embedded", {}).get("first_load", {}).get("loader_peak_mib"),
        "Neo4j loader peak (MiB)": loads.get("neo4j", {}).get("first_load", {}).get("loader_peak_mib"),
        "serve RSS, embedded (MiB)": mem.get("serve (embedded store)", {}).get("rss_mib"),
        "serve RSS, Neo4j (MiB)": mem.get("serve (Neo4j store)", {}).get("rss_mib"),
        "Neo4j JVM RSS (MiB)": mem.get("Neo4j JVM", {}).get("rss_mib"),
    }
    for contender in ("graphql_neo4j", "graphql_embedded"):
        for q, f in report.get("one_client", {}).get(contender, {}).items():
            found[f"p95 {q}, {contender} (ms)"] = f.get("p95")
    return found


def growth(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Return each figure per scale, its local exponents and whether it grew faster than linearly."""
    reports = sorted(reports, key=lambda r: r["scale"])
    scales = [r["scale"] for r in reports]
    table = [_figures(r) for r in reports]
    rows: dict[str, Any] = {}
    for name in table[0]:
        values = [t.get(name) for t in table]
        exponents: list[float | None] = []
        for i in range(1, len(scales)):
            (s1, v1), (s2, v2) = (scales[i - 1], values[i - 1]), (scales[i], values[i])
            if v1 and v2 and s2 > s1:
                exponents.append(round(math.log(v2 / v1) / math.log(s2 / s1), 2))
            else:
                exponents.append(None)
        latency = name.startswith("p95")
        limit = LATENCY_EXPONENT if latency else LINEAR_EXPONENT
        superlinear = any(e is not None and e > limit for e in exponents)
        rows[name] = {"values": values, "exponents": exponents, "flag": superlinear}
    return {"scales": scales, "figures": rows}


def render(found: dict[str, Any]) -> str:
    """Return growth.md."""
    scales = found["scales"]
    lines = [
        "# Growth curve",
        "",
        "Each figure per scale, then its local exponent between consecutive scales (1 = linear in the data;",
        "0 = flat). Flagged: a load or memory figure whose exponent exceeds 1.1 (faster than linearly), a",
        "per-query p95 whose exponent exceeds 0.5 (latency should depend on the answer, not the graph).",
        "",
        "| figure | " + " | ".join(str(s) for s in scales) + " | exponents | flag |",
        "|" + " --- |" * (len(scales) + 3),
    ]
    for name, row in found["figures"].items():
        values = " | ".join("–" if v is None else f"{v:,}" for v in row["values"])
        exps = ", ".join("–" if e is None else str(e) for e in row["exponents"])
        lines.append(f"| {name} | {values} | {exps} | {'**faster than linear**' if row['flag'] else ''} |")
    return "\n".join(lines) + "\n"


def write_growth(out: Path, paths: list[Path]) -> dict[str, Any]:
    """Merge reports into out/growth.json and out/growth.md."""
    found = growth([json.loads(p.read_text()) for p in paths])
    out.mkdir(parents=True, exist_ok=True)
    (out / "growth.json").write_text(json.dumps(found, indent=2) + "\n")
    (out / "growth.md").write_text(render(found))
    return found


if __name__ == "__main__":
    write_growth(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
