"""Measure the explorer in headless Chromium on national data: first render and date change.

Run: .venv/bin/python bench/web_bench.py --store bench/out/store-1.0.pickle [--url URL] [--finess 030025357]
    [--earlier 2025-01-01] [--runs 3] [--out bench/results/web-1.0.json]
It starts `finess-graph serve` on the store (read-only), then for the organigram of `--finess` (the
largest: 1,062 establishments) and its ecosystem capped at 1,000 nodes (depth 2): opens the page
`--runs` times after one warm-up and reads the performance marks the page sets when a view is drawn
(web/static/js/perf.js): `rendu:<view>` since navigation start (first render), the measure of the
same name (from the view's request to its drawing); then sets the date to `--earlier` and back and
reads the measure from the date's change to the drawing. The same GraphQL query is also timed from
Python, to tell the server's share from the browser's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")  # Debian's Chromium, never a download
from playwright.sync_api import Page, sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
QUERIES = {
    "organigramme": "query($f: String!, $d: Date) { organigram(finess: $f, asOf: $d, depth: 3) { tree } }",
    "ecosysteme": "query($f: String!, $d: Date) { ecosystem(finess: $f, asOf: $d, depth: 2, limit: 1000) "
    "{ graph } }",
}
PARAMS = {"organigramme": "vue=organigramme", "ecosysteme": "vue=ecosysteme&profondeur=2&limite=1000"}


def wait_render(page: Page, view: str, after: int) -> int:
    page.wait_for_function(
        "([v, n]) => { const d = document.getElementById('dessin'); return d && d.dataset.vue === v"
        " && Number(d.dataset.rendu) > n && d.getAttribute('aria-busy') !== 'true'"
        " || !document.getElementById('erreur').hidden; }",
        arg=[view, after],
        timeout=120_000,
    )
    if page.locator("#erreur").is_visible():
        raise SystemExit(f"the page shows an error: {page.locator('#erreur').text_content()}")
    return int(page.locator("#dessin").get_attribute("data-rendu") or 0)


def last_measure(page: Page, view: str) -> float:
    value = page.evaluate(f"() => performance.getEntriesByName('rendu:{view}', 'measure').at(-1).duration")
    return round(float(value), 1)


def browser_share(page: Page, view: str) -> float:
    """Return the time from the view's data arriving to its drawing (the page's own work), in ms."""
    value = page.evaluate(
        f"() => performance.getEntriesByName('rendu:{view}', 'mark').at(-1).startTime"
        f" - performance.getEntriesByName('donnees:{view}', 'mark').at(-1).startTime"
    )
    return round(float(value), 1)


def measure(page: Page, url: str, view: str, latest: str, earlier: str) -> dict[str, Any]:
    page.goto(url)
    n = wait_render(page, view, 0)
    first = page.evaluate(f"() => performance.getEntriesByName('rendu:{view}', 'mark')[0].startTime")
    own = last_measure(page, view)
    drawn = page.locator("#dessin").get_attribute("data-noeuds")
    changes = []
    for day in (earlier, latest):
        # A person changes the date once the page has loaded: no request of the page still running.
        page.wait_for_function("() => !document.body.classList.contains('busy')", timeout=120_000)
        page.fill("#au", day)
        n = wait_render(page, view, n)
        changes.append(
            {
                "to": day,
                "ms": last_measure(page, view),
                "drawing_after_data_ms": browser_share(page, view),
                "drawn": page.locator("#dessin").get_attribute("data-noeuds"),
            }
        )
    stable = None
    if view == "ecosysteme":
        page.wait_for_function(
            "() => performance.getEntriesByName('rendu:ecosysteme:stable').length > 0", timeout=60_000
        )
        stable = page.evaluate(
            "() => performance.getEntriesByName('rendu:ecosysteme:stable').at(-1).startTime"
        )
    return {
        "first_render_since_navigation_ms": round(first, 1),
        "view_request_to_drawn_ms": own,
        "drawn": drawn,
        "date_changes": changes,
        "layout_settled_since_navigation_ms": stable,
    }


def api_time(client: httpx2.Client, view: str, finess: str, day: str) -> float:
    start = time.perf_counter()
    answer = client.post("/graphql", json={"query": QUERIES[view], "variables": {"f": finess, "d": day}})
    answer.raise_for_status()
    return round((time.perf_counter() - start) * 1000, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="the store `serve` opens (or --url of a server already running)")
    parser.add_argument("--url", help="a server already serving that store (its address)")
    parser.add_argument("--finess", default="030025357")
    parser.add_argument("--earlier", default="2025-01-01")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench/results/web-1.0.json"))
    args = parser.parse_args()

    started = time.perf_counter()
    server = None
    if args.url:
        url = args.url.rstrip("/") + "/"
    else:
        cmd = [sys.executable, "-m", "api.cli", "serve", "--store", args.store, "--port", "0"]
        server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        assert server.stdout is not None
        url = server.stdout.readline().strip()
    try:
        client = httpx2.Client(base_url=url, timeout=300)
        latest = client.post("/graphql", json={"query": "{ stats { snapshot } }"}).json()["data"]["stats"][
            "snapshot"
        ]
        print(
            f"serving {url} after {time.perf_counter() - started:.1f} s; latest snapshot {latest}",
            file=sys.stderr,
        )
        results: dict[str, Any] = {}
        with sync_playwright() as playwright:
            executable = shutil.which("chromium")
            browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
            for view in ("organigramme", "ecosysteme"):
                page_url = f"{url}structures/{args.finess}?{PARAMS[view]}&au={latest}"
                runs = []
                for i in range(args.runs + 1):  # the first is a warm-up (server caches, browser code cache)
                    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
                    run = measure(context.new_page(), page_url, view, latest, args.earlier)
                    context.close()
                    print(view, "warm-up" if i == 0 else f"run {i}", json.dumps(run), file=sys.stderr)
                    if i:
                        runs.append(run)
                api = {
                    day: [api_time(client, view, args.finess, day) for _ in range(3)]
                    for day in (latest, args.earlier)
                }
                changes = [c["ms"] for r in runs for c in r["date_changes"]]
                drawing = [c["drawing_after_data_ms"] for r in runs for c in r["date_changes"]]
                firsts = [r["first_render_since_navigation_ms"] for r in runs]
                results[view] = {
                    "url": page_url.replace(url, "/"),
                    "first_render_since_navigation_ms": {
                        "median": statistics.median(firsts),
                        "max": max(firsts),
                    },
                    "date_change_ms": {"median": statistics.median(changes), "max": max(changes)},
                    "date_change_drawing_after_data_ms": {
                        "median": statistics.median(drawing),
                        "max": max(drawing),
                    },
                    "graphql_query_alone_ms": api,
                    "runs": runs,
                }
            version = browser.version
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
    report = {
        "store": args.store,
        "finess": args.finess,
        "dates": [latest, args.earlier],
        "chromium": version,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
        },
        "targets_ms": {"first_render": 1500, "date_change": 500},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(
        json.dumps(
            {
                v: {k: r[k] for k in ("first_render_since_navigation_ms", "date_change_ms")}
                for v, r in results.items()
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
