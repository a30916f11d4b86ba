"""Loader of the historical XML "flux standard" cs1400101 to 105 and cs1400109, read as a stream.

What each flux carries (Description technique du flux standard FINESS, § 4.4, and the XSDs):

- cs1400101 `<structureej>`: legal entities → LegalEntity + Address + Commune;
- cs1400102 `<structureet>`: establishments → Establishment + ATTACHED_TO + Address + Commune;
- cs1400103 `<activiteoffresoin>`: care-activity authorisations (activité/modalité/forme) and
  cs1400104 `<equipmateriellourd>`: heavy-equipment authorisations → AuthorizedActivity held by
  the legal entity + OperatedActivity on the site (summary `<structureej>` blocks are only checked);
- cs1400105 `<equipementsocial>`: social and medico-social places per site, the legal entity
  coming from the summary `<structureet>` blocks → the same pair of activities;
- cs1400109 `<structureet>` + `<geolocalisation>`: a geolocated address per establishment, reprojected
  to WGS84 on their Address (a first pass indexes the coordinates, which follow all the sites).

Codes stay codes on the nodes; the labels the flux carries beside them (`libcategetab`…) fill
`Snapshot.labels` while the records are read.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from graph.errors import InvalidData
from graph.model import LoadReport, Node, Record, Snapshot
from loaders.flux_xml_activity import care_activity, heavy_equipment, social_equipment
from loaders.flux_xml_records import (
    Context,
    establishment,
    establishment_header,
    geolocated_address,
    keep_geolocation,
    legal_entity,
    legal_entity_header,
)
from loaders.flux_xml_stream import (
    HORODATAGE,
    ROOT,
    Fields,
    dated_by,
    head_blocks,
    iter_blocks,
    snapshot_date,
)

Handler = Callable[[Fields, Context], Iterator[Record]]

_BY_BLOCK = {
    "activiteoffresoin": "cs1400103",
    "equipmateriellourd": "cs1400104",
    "equipementsocial": "cs1400105",
    "geolocalisation": "cs1400109",
}
_HANDLERS: dict[str, dict[str, Handler]] = {
    "cs1400101": {"structureej": legal_entity},
    "cs1400102": {"structureet": establishment},
    "cs1400103": {"structureej": legal_entity_header, "activiteoffresoin": care_activity},
    "cs1400104": {"structureej": legal_entity_header, "equipmateriellourd": heavy_equipment},
    "cs1400105": {"structureet": establishment_header, "equipementsocial": social_equipment},
    "cs1400109": {"structureet": geolocated_address, "geolocalisation": lambda _f, _c: iter(())},
}  # cs1400109's <geolocalisation> blocks were indexed by a first pass: the second skips them
UNDECIDED, FOREIGN = "?", ""


def _classify(tag: str, leaves: Collection[str]) -> str:
    """Tell the flux a block belongs to: a code, UNDECIDED (summary block) or FOREIGN."""
    if tag in _BY_BLOCK:
        return _BY_BLOCK[tag]
    if tag == HORODATAGE:
        return UNDECIDED
    if tag == "structureej":
        return "cs1400101" if "commune" in leaves or "statutjuridique" in leaves else UNDECIDED
    if tag == "structureet":
        if "noconv" in leaves:  # cs1400107, establishments + conventions
            return FOREIGN
        if {"typeet", "siret", "rslongue"} & set(leaves):
            return "cs1400102"
        return "cs1400109" if "commune" in leaves else UNDECIDED
    return FOREIGN


def matches(head: bytes) -> bool:
    """Tell whether the first bytes are a `<fluxfiness>` document of one of the fluxes read here."""
    root, blocks = head_blocks(head)
    content = [(tag, leaves) for tag, leaves in blocks if tag != HORODATAGE]
    if root != ROOT or not content:
        return False
    if content[0][0] not in {"structureej", "structureet", *_BY_BLOCK}:
        return False
    # Heads of summary blocks only (cs1400105 and 106 start alike) pass; read() tells them apart.
    return all(_classify(tag, leaves) != FOREIGN for tag, leaves in content)


def _probe(path: Path) -> tuple[str, str | None]:
    """Read the file until a block tells its flux; return it with the horodatage date, if any."""
    stamp = None
    for tag, fields in iter_blocks(path):
        if tag == HORODATAGE:
            stamp = fields.get("datemaj")
            continue
        flux = _classify(tag, fields.keys())
        if flux == FOREIGN:
            raise InvalidData(str(path), f"<{tag}>", "is not a block of the fluxes cs1400101-105/109")
        if flux != UNDECIDED:
            return flux, stamp
    raise InvalidData(str(path), None, "holds no block that tells which flux standard file it is")


def read(path: Path) -> Snapshot:
    """Read a flux standard file as a snapshot whose records are produced while the file streams."""
    flux, stamp = _probe(path)
    date = snapshot_date(path, stamp)
    dataset = f"flux-{flux}"
    report = LoadReport(file=str(path), dataset=dataset, snapshot=date)
    labels: dict[str, dict[str, str]] = {}
    records = _records(path, flux, Context(report, labels))
    return Snapshot(dataset, date, str(path), records, report, labels, dated_by(stamp))


def _records(path: Path, flux: str, ctx: Context) -> Iterator[Record]:
    """Yield every record of the file, counting them by label and type in the report."""
    if flux == "cs1400109":
        for tag, fields in iter_blocks(path):
            if tag == "geolocalisation":
                keep_geolocation(fields, ctx)
    handlers = _HANDLERS[flux]
    for tag, fields in iter_blocks(path):
        if tag == HORODATAGE:
            continue
        handler = handlers.get(tag)
        if handler is None:
            ctx.report.warn("unknown-block", f"<{tag}> is not part of {flux}: skipped", skipped=True)
            continue
        for record in handler(fields, ctx):
            ctx.report.count(record.label if isinstance(record, Node) else record.type)
            yield record
    # Departments and regions above the communes are the store's to add (graph/territory.py).
    for finess in ctx.geolocations:
        ctx.report.warn("orphan-geolocation", f"{finess} has coordinates but no <structureet>")


if __name__ == "__main__":  # pragma: no cover - a manual check: python -m loaders.flux_xml FILE
    snapshot = read(Path(sys.argv[1]))
    total = sum(1 for _ in snapshot.records)
    print(snapshot.dataset, snapshot.date, total, snapshot.report.counts, snapshot.report.warnings)
