"""Every Cypher statement of the Neo4j store, one per file, read with `statement(name)`."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

PARAMS_HEADER = re.compile(r"^// params:(.*)$")


@cache
def statement(name: str) -> str:
    """Return the text of `cypher/<name>.cypher`."""
    return resources.files("cypher").joinpath(f"{name}.cypher").read_text("utf-8")


def names() -> list[str]:
    """Return the names of every statement file, sorted."""
    files = resources.files("cypher").iterdir()
    return sorted(f.name.removesuffix(".cypher") for f in files if f.name.endswith(".cypher"))
