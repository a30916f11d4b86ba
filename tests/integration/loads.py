"""Two days of small synthetic files whose second day changes a lot, the real `finess-graph` command,
and the answers of a store to a fixed set of questions, as JSON: what the fault tests compare.

Day 2 drops a third of the legal entities (closing them with their establishments, addresses and
events), renames the establishments of 30 others and gives the largest one a new establishment: a load
of day 2 creates, updates and closes thousands of items, and the largest legal entity's establishments
(names and count) differ between the two days.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from api.report import structure_json
from graph.queries import SearchQuery
from graph.store import GraphStore
from loaders.synthetic import generate
from tests import factories

DAY1 = date(2026, 8, 13)
SCALE = 0.002  # 197 legal entities, 349 establishments: about 15,000 records a day
NEW_ESTABLISHMENT = "340099991"


@dataclasses.dataclass
class Days:
    """The files of each day and the structures worth asking about."""

    day1: list[Path]
    day2: list[Path]
    largest: str  # the legal entity with the most establishments: renamed, one added on day 2
    dropped: str  # a legal entity absent from day 2 (closed)
    renamed: str  # an establishment renamed on day 2
    department: str  # the department of the largest legal entity


def make_days(folder: Path) -> Days:
    """Generate day 1 and day 2 (seed 3) and rewrite day 2's structures with many changes."""
    files = generate(folder, scale=SCALE, days=2, seed=3, start=DAY1)
    files.sort(key=lambda p: (p.name[-16:], "activites" in p.name))
    structures2 = files[2]
    with gzip.open(structures2, "rt", encoding="utf-8") as handle:
        doc = json.load(handle)
    pmej = doc["pmej"]
    largest = max(pmej, key=lambda pm: len(pm.get("ege") or ()))
    kept = [pm for i, pm in enumerate(pmej) if i % 3 or pm is largest]
    dropped = next(pm for pm in pmej if pm not in kept)
    renamed = [largest, *[pm for pm in kept if pm.get("ege") and pm is not largest][:29]]
    for pm in renamed:
        for ege in pm["ege"]:
            ege["informationsGeneralesEGE"]["nomEgeCourt"] += " (NOUVEAU NOM)"
    extra = json.loads(json.dumps(largest["ege"][0]))
    extra["informationsGeneralesEGE"].update(numFinessEge=NEW_ESTABLISHMENT, egeId="999999")
    extra["informationsGeneralesEGE"]["nomEgeCourt"] = "ANTENNE OUVERTE LE 14 AOUT"
    for key in ("evenement", "engagement", "roleEge", "activitesExercees"):
        extra.pop(key, None)
    largest["ege"].append(extra)
    doc["pmej"] = kept
    factories.write(doc, structures2)
    ege = renamed[-1]["ege"][0]["informationsGeneralesEGE"]
    address = largest["adresse"][0] if largest.get("adresse") else largest["ege"][0]["adresse"][0]
    return Days(
        files[:2],
        files[2:],
        largest=largest["informationsGeneralesPMEJ"]["numFinessPm"],
        dropped=dropped["informationsGeneralesPMEJ"]["numFinessPm"],
        renamed=ege["numFinessEge"],
        department=str(address["cogCommune"])[: 3 if str(address["cogCommune"]).startswith("97") else 2],
    )


def command(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    """Start `finess-graph ARGS…` in a process of its own (the real command line)."""
    code = "from api.cli import main; main()"
    return subprocess.Popen([sys.executable, "-c", code, *args], **kwargs)


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run `finess-graph ARGS…` to its end, output captured."""
    proc = command(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def stats_json(location: str) -> str:
    """The output of `finess-graph stats --json --store LOCATION` (the next command after a fault)."""
    done = run("stats", "--json", "--store", location)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def _plain(value: Any) -> Any:
    """A dataclass answer as JSON-able data, its key order fixed."""
    return orjson.loads(orjson.dumps(dataclasses.asdict(value), option=orjson.OPT_SORT_KEYS))


def answers(store: GraphStore, days: Days) -> dict[str, Any]:
    """What a store answers to a fixed set of questions (show, search, ecosystem, timeline), as JSON."""
    labels = store.labels()
    found: dict[str, Any] = {"stats": store.stats(), "stats at day 1": store.stats(DAY1.isoformat())}
    for finess in (days.largest, days.dropped, days.renamed, NEW_ESTABLISHMENT):
        for as_of in (None, DAY1.isoformat()):
            view = store.structure(finess, as_of)
            found[f"show {finess} at {as_of}"] = None if view is None else structure_json(view, labels)
    for query in (
        SearchQuery(text="centre"),
        SearchQuery(text="nouveau nom", limit=50),
        SearchQuery(department=days.department, kinds=["Establishment"], limit=100),
        SearchQuery(department=days.department, as_of=DAY1.isoformat(), limit=100),
    ):
        found[f"search {query}"] = _plain(store.search(query))
    for finess in (days.largest, days.dropped):
        for as_of in (None, DAY1.isoformat()):
            graph = store.ecosystem(finess, depth=2, as_of=as_of)
            found[f"ecosystem {finess} at {as_of}"] = None if graph is None else _plain(graph)
    for finess in (days.largest, days.renamed, days.dropped):
        timeline = store.timeline(finess)
        found[f"timeline {finess}"] = None if timeline is None else [_plain(e) for e in timeline]
    return found
