"""Reading the FINESS+ census (per-path counts, nulls, cardinalities, observed codes)."""

# The generator never reads the census: calibration.py turns it into figures.json once.

from __future__ import annotations

import ast
import csv
import gzip
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_ROW = re.compile(r"^(\S+)\s+(\d+)\s+(\d+) (.*)$")
_VALUES = re.compile(r"^(\S+) -> (60\+|\d+) valeurs : (\{.*\})$")
_PAIR = re.compile(r"(\d+): (\d+)")
_TYPES_WIDTH = 29  # fixed column widths of the census table (TYPES, then CARDINALITES)
_CARD_WIDTH = 23


@dataclass
class PathFigures:
    """What the census says about one JSON path."""

    present: int
    nulls: int
    cardinalities: dict[int, int] = field(default_factory=dict)
    values: dict[str, int] | None = None
    distinct: int = 0  # distinct values counted (60 stands for "60 or more": counts then sampled)
    complete: bool = False  # True when the census listed every distinct value


def read_paths(path: Path) -> dict[str, PathFigures]:
    """Parse one `*-paths-*.txt` census file into figures per JSON path."""
    figures: dict[str, PathFigures] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := _VALUES.match(line):
            # Lists of scalars (typeBudget[], espic[]) have value lines but no table row.
            fig = figures.setdefault(m.group(1), PathFigures(0, 0))
            fig.values = {str(k): int(v) for k, v in ast.literal_eval(m.group(3)).items()}
            fig.distinct = 60 if m.group(2) == "60+" else int(m.group(2))
            # The census prints at most 12 values: a list is complete only when all are shown.
            fig.complete = fig.distinct == len(fig.values)
        elif (m := _ROW.match(line)) and not line.startswith("CHEMIN"):
            present = int(m.group(2))
            card_text = m.group(4)[_TYPES_WIDTH : _TYPES_WIDTH + _CARD_WIDTH].rstrip()
            card = {int(k): int(v) for k, v in _PAIR.findall(card_text)}
            # The census cut each histogram's text at 20 characters: a last count not followed by
            # a comma may have lost digits, unless one more digit would exceed the path's total.
            if card:
                last = list(card)[-1]
                cut = card_text.endswith(f"{last}: {card[last]}")
                if cut and sum(card.values()) + 9 * card[last] <= present:
                    del card[last]
            figures[m.group(1)] = PathFigures(present, int(m.group(3)), card)
    return figures


def read_codes(path: Path) -> dict[str, dict[str, int]]:
    """Parse `codes-observed-*.csv` into {domain: {code: occurrences}} (every code observed)."""
    domains: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream, delimiter=";"):
            domains.setdefault(row["domaine"], {})[row["code"]] = int(row["occurrences"])
    return domains


def read_engagement_kinds(sample: Path) -> list[list[Any]]:
    """Count (typeEngagement, sousTypeEngagement) pairs on establishments in the real sample."""
    import orjson  # only needed when rebuilding figures

    with gzip.open(sample, "rb") as stream:
        doc = orjson.loads(stream.read())
    pairs: Counter[tuple[str | None, str | None]] = Counter()
    for pm in doc["pmej"]:
        for ege in pm["ege"]:
            for eng in ege["engagement"]:
                pairs[(eng["typeEngagement"], eng["sousTypeEngagement"])] += 1
    return [[t, s, n] for (t, s), n in pairs.most_common() if t and s]


def read_category_labels(path: Path) -> dict[str, str]:
    """Read the category nomenclature CSV (`code;label;status;closed`) into {code: label}."""
    labels: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            parts = line.split(";")
            if len(parts) >= 2 and parts[0].isdigit():
                labels[parts[0]] = parts[1]
    return labels


def split_domain(
    domain: dict[str, int],
    complete: dict[str, dict[str, int]],
    partial: dict[str, tuple[int, dict[str, int], bool]],
    factor: int = 2,
) -> dict[str, dict[str, int]]:
    """Share a code domain merged over several natures (codes-observed) between those natures."""
    # `complete` natures (census listed all their values) are subtracted first, then `partial`
    # ones (target total, census top values, whether those counts are exact): exact top values
    # are taken as they are; a code listed by sampled natures is split in proportion to their
    # sample counts; codes no census list names go, largest first, to the nature furthest below
    # its total. `factor` undoes the double count (authorised + operated activities).
    rest: dict[str, float] = {c: n / factor for c, n in domain.items()}
    out: dict[str, dict[str, float]] = {}
    for nature, values in complete.items():
        out[nature] = {c: float(n) for c, n in values.items()}
        for c, count in values.items():
            rest[c] = rest.get(c, 0) - count
    for nature, (_, top, exact) in partial.items():
        out[nature] = {c: float(n) for c, n in top.items()} if exact else {}
        for c, count in top.items() if exact else ():
            rest[c] = rest.get(c, 0) - count
    sampled = {nat: top for nat, (_, top, exact) in partial.items() if not exact}
    unknown = []
    for code, n in sorted(rest.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < 0.5:
            continue
        listed = {nat: top[code] for nat, top in sampled.items() if code in top}
        if not listed:
            unknown.append((code, n))
        for nat, w in listed.items():
            out[nat][code] = n * w / sum(listed.values())
    assigned = {nat: sum(out[nat].values()) for nat in partial}
    for code, n in unknown:
        nat = max(partial, key=lambda k: (partial[k][0] - assigned[k], k))
        out[nat][code] = out[nat].get(code, 0) + n
        assigned[nat] += n
    return {nat: {c: max(1, round(n)) for c, n in sorted(t.items())} for nat, t in out.items()}
