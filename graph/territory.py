"""Territory: commune → department → region, from the department table shipped as data."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from graph.model import Edge, Node


@cache
def departments() -> dict[str, tuple[str, str]]:
    """Map department code → (name, region code or '' for overseas collectivities)."""
    text = resources.files("graph").joinpath("data/departments.csv").read_text("utf-8")
    return {
        row["code"]: (row["name"], row["region"]) for row in csv.DictReader(text.splitlines(), delimiter=";")
    }


@cache
def regions() -> dict[str, str]:
    """Map region code → name."""
    text = resources.files("graph").joinpath("data/regions.csv").read_text("utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines(), delimiter=";")}


def department_of_commune(cog: str) -> str | None:
    """Return the department code of a commune's official geographic code, if it names one."""
    code = cog[:3] if cog[:2] in ("97", "98") else cog[:2]
    return code if code in departments() else None


def territory_records(commune_codes: set[str]) -> list[Node | Edge]:
    """Build the Department and Region nodes and PART_OF edges above the given communes."""
    records: list[Node | Edge] = []
    deps: set[str] = set()
    for cog in sorted(commune_codes):
        dep = department_of_commune(cog)
        if dep is None:
            continue
        deps.add(dep)
        records.append(Edge("PART_OF", f"com:{cog}", f"dep:{dep}", {}))
    regs: set[str] = set()
    for dep in sorted(deps):
        name, region = departments()[dep]
        records.append(Node(f"dep:{dep}", "Department", {"code": dep, "name": name}))
        if region:
            regs.add(region)
            records.append(Edge("PART_OF", f"dep:{dep}", f"reg:{region}", {}))
    for reg in sorted(regs):
        records.append(Node(f"reg:{reg}", "Region", {"code": reg, "name": regions()[reg]}))
    return records
