"""Loader of the nomenclature files a user supplies: cs1500106 categories, cs1500107 legal statuses.

Both are flux-standard XML files (`<fluxfiness>` + `<horodatage>` + one block per code) listing each
code with its label, short label, validity dates and three levels of aggregates. Read as a snapshot
with no records and `labels` = {table: {code: label}}, so that a newer nomenclature overrides the
bundled label tables.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InvalidData
from graph.model import LoadReport, Snapshot
from loaders.flux_xml_stream import (
    HORODATAGE,
    ROOT,
    Fields,
    dated_by,
    head_blocks,
    iter_blocks,
    snapshot_date,
)

# block tag → (flux code, label table); the aggregates go to the table named `<table>_aggregate`.
KINDS = {
    "nomenclcategorieETavecagr": ("cs1500106", "category"),
    "nomenclstatutavecagr": ("cs1500107", "legal_status"),
}
LEVELS = (3, 2, 1)  # aggregate levels, from the finest to the coarsest


@dataclass
class Nomenclature:
    """The blocks of one nomenclature file, with what tells them apart."""

    flux: str
    table: str
    stamp: str | None
    entries: list[Fields]
    others: list[str]  # tags of blocks that do not belong to this nomenclature


def clean(text: str | None) -> str | None:
    """Return a label without the zero-width and no-break spaces the official files carry."""
    if text is None:
        return None
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\xa0", " ").strip()
    return text or None


def matches(head: bytes) -> bool:
    """Tell whether the first bytes are a cs1500106 or cs1500107 nomenclature file."""
    root, blocks = head_blocks(head)
    content = [tag for tag, _ in blocks if tag != HORODATAGE]
    return root == ROOT and bool(content) and content[0] in KINDS


def parse(path: Path) -> Nomenclature:
    """Read every block of a nomenclature file (a few hundred codes: small enough to hold)."""
    stamp: str | None = None
    kind: str | None = None
    entries: list[Fields] = []
    others: list[str] = []
    for tag, fields in iter_blocks(path):
        if tag == HORODATAGE:
            stamp = fields.get("datemaj")
        elif kind is None and tag in KINDS:
            kind = tag
            entries.append(fields)
        elif tag == kind:
            entries.append(fields)
        else:
            others.append(tag)
    if kind is None:
        raise InvalidData(str(path), None, "holds no cs1500106 or cs1500107 nomenclature block")
    flux, table = KINDS[kind]
    return Nomenclature(flux, table, stamp, entries, others)


def read(path: Path) -> Snapshot:
    """Read a nomenclature file as a snapshot that carries only label tables."""
    nomenclature = parse(path)
    date = snapshot_date(path, nomenclature.stamp)
    dataset = f"nomenclature-{nomenclature.flux}"
    report = LoadReport(file=str(path), dataset=dataset, snapshot=date)
    for tag in nomenclature.others:
        report.warn("unknown-block", f"<{tag}> is not part of {nomenclature.flux}: skipped", skipped=True)
    codes: dict[str, str] = {}
    aggregates: dict[str, str] = {}
    for fields in nomenclature.entries:
        code, label = (
            clean(fields.get("code")),
            clean(fields.get("libelle") or fields.get("libellecourt")),
        )
        if code is None or label is None:
            report.warn("incomplete-code", f"a code without its label ({code!r}): skipped", skipped=True)
            continue
        codes[code] = label
        report.count(nomenclature.table)
        for level in LEVELS:
            agg_code, agg_label = (
                clean(fields.get(f"codeagr{level}")),
                clean(fields.get(f"libelleagr{level}")),
            )
            if agg_code is not None and agg_label is not None:
                aggregates[agg_code] = agg_label
    report.count(f"{nomenclature.table}_aggregate", len(aggregates))
    labels = {nomenclature.table: codes, f"{nomenclature.table}_aggregate": aggregates}
    return Snapshot(dataset, date, str(path), iter(()), report, labels, dated_by(nomenclature.stamp))


if __name__ == "__main__":  # pragma: no cover - a manual check: python -m loaders.nomenclature FILE
    snapshot = read(Path(sys.argv[1]))
    print(snapshot.dataset, snapshot.date, snapshot.report.counts, snapshot.report.warnings)
