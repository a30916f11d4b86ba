"""Build the bundled code → label tables from the official nomenclature files.

Usage: `python -m loaders.build_labels NOMENCLATURE_DIR OUTDIR` (OUTDIR: `graph/data/labels`).

Reads the newest `*cs1500106*` (categories with aggregates), `*cs1500107*` (legal statuses with
aggregates) and `Nomenclature-AMM-*.csv` (activity / modality / mention / practice / declaration),
plus `nomenclature_categorie_finess.csv` (the 2021 category list: kept only as `formerLabel` where
its label differs from the newer one). Writes one JSON file per table; tables it does not build
(the hand-written ones) are left untouched.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from loaders.nomenclature import LEVELS, Nomenclature, clean, parse

Table = dict[str, Any]
# AMM CSV columns: (code, label) pairs, in file order, with the table each pair fills.
AMM_COLUMNS = {
    "amm_activity": (0, 1),
    "amm_modality": (2, 3),
    "amm_mention": (4, 5),
    "amm_practice": (6, 7),
    "amm_declaration": (8, 9),
}


def _newest(directory: Path, pattern: str) -> Path | None:
    """Return the last file matching `pattern` by name (the names end with the extract date)."""
    found = sorted(directory.glob(pattern))
    return found[-1] if found else None


def coded_tables(nomenclature: Nomenclature) -> tuple[Table, Table]:
    """Return the code table and the aggregate table of a cs1500106 / cs1500107 nomenclature."""
    codes: Table = {}
    aggregates: Table = {}
    for fields in nomenclature.entries:
        code = clean(fields.get("code"))
        if code is None:
            continue
        entry: dict[str, Any] = {
            "label": clean(fields.get("libelle")),
            "short": clean(fields.get("libellecourt")),
            "domain": clean(fields.get("domaine")),
            "from": clean(fields.get("datedeb")),
            "to": clean(fields.get("datefin")),
        }
        chain = []
        for level in LEVELS:
            agg = clean(fields.get(f"codeagr{level}"))
            label = clean(fields.get(f"libelleagr{level}"))
            if agg is None or label is None:
                continue
            chain.append([agg, label])
            short = clean(fields.get(f"libellecourtagr{level}"))
            aggregates[agg] = {
                "label": label,
                "level": level,
                **({"short": short} if short else {}),
            }
        entry["aggregates"] = chain
        codes[code] = {key: value for key, value in entry.items() if value}
    return codes, aggregates


def former_labels(categories: Table, path: Path) -> int:
    """Add `formerLabel` to the categories whose 2021 label (the CSV's) differs; return how many."""
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    changed = 0
    for row in csv.DictReader(lines, delimiter=";"):
        code, label = clean(row.get("code")), clean(row.get("libelle"))
        entry = categories.get(code or "")
        if entry is not None and label and label != entry.get("label"):
            entry["formerLabel"] = label
            changed += 1
    return changed


def amm_tables(path: Path) -> dict[str, Table]:
    """Return the AMM tables; a code's entry lists the activities it is used with."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))[1:]
    seen: dict[str, dict[str, dict[str, str]]] = {table: {} for table in AMM_COLUMNS}
    for row in rows:
        activity = clean(row[0])
        for table, (code_at, label_at) in AMM_COLUMNS.items():
            code, label = clean(row[code_at]), clean(row[label_at])
            if code and label and activity:
                seen[table].setdefault(code, {})[activity] = label
    tables: dict[str, Table] = {"amm_activity": {c: by[c] for c, by in seen["amm_activity"].items()}}
    for table in list(AMM_COLUMNS)[1:]:
        out: Table = {}
        for code, by_activity in seen[table].items():
            labels = set(by_activity.values())
            # One code may name two things under two activities (MO026): then no plain label.
            entry: dict[str, Any] = {"activities": sorted(by_activity)}
            if len(labels) == 1:
                entry["label"] = labels.pop()
            else:
                entry["byActivity"] = dict(sorted(by_activity.items()))
            out[code] = entry
        tables[table] = out
    return tables


def build(source: Path) -> dict[str, Table]:
    """Return every table that the official files in `source` give."""
    tables: dict[str, Table] = {}
    for pattern, name in (("*cs1500106*.xml*", "category"), ("*cs1500107*.xml*", "legal_status")):
        path = _newest(source, pattern)
        if path is not None:
            tables[name], tables[f"{name}_aggregate"] = coded_tables(parse(path))
    legacy = source / "nomenclature_categorie_finess.csv"
    if "category" in tables and legacy.exists():
        former_labels(tables["category"], legacy)
    amm = _newest(source, "Nomenclature-AMM-*.csv")
    if amm is not None:
        tables.update(amm_tables(amm))
    return tables


def write(tables: dict[str, Table], target: Path) -> None:
    """Write each table as `<name>.json`, one code per line in code order: rebuilds diff cleanly."""
    target.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        lines = [
            f" {json.dumps(code)}: {json.dumps(table[code], ensure_ascii=False, sort_keys=True)}"
            for code in sorted(table)
        ]
        (target / f"{name}.json").write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """Build the tables from argv[0] into argv[1] and print one line per table."""
    if len(argv) != 2:
        print("usage: python -m loaders.build_labels NOMENCLATURE_DIR OUTDIR", file=sys.stderr)
        return 2
    tables = build(Path(argv[0]))
    if not tables:
        print(f"{argv[0]}: no nomenclature file found", file=sys.stderr)
        return 1
    write(tables, Path(argv[1]))
    for name, table in sorted(tables.items()):
        print(f"{name}: {len(table)} codes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
