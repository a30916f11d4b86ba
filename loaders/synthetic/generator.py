"""Writing synthetic FINESS+ daily files (structures, activities) and their changes, day by day."""

from __future__ import annotations

import multiprocessing
import random
import traceback
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from loaders.synthetic.activities import ActivitiesWriter
from loaders.synthetic.build import build_world
from loaders.synthetic.common import seed_of
from loaders.synthetic.figures import Figures, load
from loaders.synthetic.geo import Geography
from loaders.synthetic.groupings import gcc_items, gco_items
from loaders.synthetic.history import advance, empty_changes
from loaders.synthetic.structures import StructuresWriter
from loaders.synthetic.world import World
from loaders.synthetic.writer import write_document

SCHEMA_VERSION = "v1.0.0"
STAMP = 10  # seed kind of a file's generatedAt


def structures_name(day: date) -> str:
    """Return the file name of the structures file of `day`."""
    return f"finess-structures-journalier-{day:%Y%m%d}.json.gz"


def activities_name(day: date) -> str:
    """Return the file name of the activities file of `day`."""
    return f"finess-activites-journalier-{day:%Y%m%d}.json.gz"


def changes_name(day: date) -> str:
    """Return the file name of the record of what changed on `day`."""
    return f"changes-{day:%Y%m%d}.json"


def generate(
    outdir: Path,
    scale: float = 1.0,
    days: int = 1,
    seed: int = 0,
    start: date = date(2026, 8, 13),
    parallel: bool = True,
) -> list[Path]:
    """Write `days` daily FINESS+ snapshots of a synthetic register; return the FINESS+ files written."""
    # Scale 1.0 is the national register (98,168 legal entities, 174,508 establishments…). Each
    # day after the first applies a few realistic changes, listed beside the files in
    # changes-AAAAMMJJ.json. The returned list holds, day by day, the structures then the
    # activities file (loadable as they are: the changes files are not in it). Same arguments,
    # same bytes; `parallel` writes a day's two files in two processes.
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale}")
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    outdir.mkdir(parents=True, exist_ok=True)
    figs = load()
    world = build_world(figs, scale, seed, start.toordinal())
    geo = Geography(seed)
    written: list[Path] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        ordinal = day.toordinal()
        changes = advance(world, figs, ordinal) if offset else empty_changes(ordinal, None)
        written += _write_day(outdir, day, figs, world, geo, parallel)
        record = orjson.dumps(changes, option=orjson.OPT_INDENT_2) + b"\n"
        (outdir / changes_name(day)).write_bytes(record)
    return written


def generated_at(seed: int, day: date, file_kind: int) -> str:
    """Return the night-time generation timestamp (nanoseconds, UTC) of one file of `day`."""
    rng = random.Random(seed_of(seed, STAMP, day.toordinal(), file_kind))
    minute = 5 + 10 * file_kind + rng.randrange(5)  # structures first, activities ten minutes on
    return f"{day:%Y-%m-%d}T02:{minute:02d}:{rng.randrange(60):02d}.{rng.randrange(10**9):09d}Z"


def _write_day(
    outdir: Path, day: date, figs: Figures, world: World, geo: Geography, parallel: bool
) -> list[Path]:
    structures, activities = outdir / structures_name(day), outdir / activities_name(day)
    context = _fork_context() if parallel else None
    if context is None:
        _write_structures(structures, day, figs, world, geo)
        _write_activities(activities, day, figs, world)
        return [structures, activities]
    # The activities file goes to a forked process: it inherits the world, nothing is pickled.
    child = context.Process(target=_child, args=(activities, day, figs, world), daemon=True)
    child.start()
    try:
        _write_structures(structures, day, figs, world, geo)
    finally:
        child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"writing {activities} failed (exit code {child.exitcode})")
    return [structures, activities]


def _write_structures(path: Path, day: date, figs: Figures, world: World, geo: Geography) -> None:
    writer = StructuresWriter(figs, world, geo)
    header = {"schemaVersion": SCHEMA_VERSION, "generatedAt": generated_at(world.seed, day, 0)}
    lists: list[tuple[str, Any]] = [
        ("gco", gco_items(world)),
        ("gcc", gcc_items(world, figs)),
        ("pmej", writer.pmej_items()),
    ]
    write_document(path, header, lists)


def _write_activities(path: Path, day: date, figs: Figures, world: World) -> None:
    writer = ActivitiesWriter(figs, world)
    header = {"schemaVersion": SCHEMA_VERSION, "generatedAt": generated_at(world.seed, day, 1)}
    write_document(path, header, [("pmej", writer.pmej_items())])


def _child(path: Path, day: date, figs: Figures, world: World) -> None:
    try:
        _write_activities(path, day, figs, world)
    except BaseException:
        traceback.print_exc()
        raise


def _fork_context() -> Any:
    """Return a fork-based multiprocessing context where the platform offers one, else None."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")
