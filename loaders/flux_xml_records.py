"""Records of the flux standard's structures: legal entities, establishments, their addresses."""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.finess_number import finess_problem
from graph.model import Edge, LoadReport, Node, Record
from loaders.flux_xml_fields import (
    ADDRESS,
    ESTABLISHMENT,
    LEGAL_ENTITY,
    PLACE,
    labels_of,
    props,
    unmapped,
)
from loaders.flux_xml_stream import Fields, iso_date
from loaders.legacy_geo import Reprojector, commune_code

ET_EXTRA = {"codesph", "nofinessej"}  # leaves of <structureet> read outside ESTABLISHMENT
Geolocation = tuple[str | None, str | None, str | None, str | None]  # x, y, source, date
GEOLOCATION_LEAVES = ("coordxet", "coordyet", "sourcecoordet", "datemaj")


@dataclass
class Context:
    """What one file's reading keeps between blocks: small indexes, never the blocks themselves."""

    report: LoadReport
    labels: dict[str, dict[str, str]]
    communes: set[str] = field(default_factory=set)
    holders: dict[str, str] = field(default_factory=dict)  # establishment → legal entity (cs1400105)
    seen: dict[str, int] = field(default_factory=dict)  # activity keys already given in this file
    geolocations: dict[str, Geolocation] = field(default_factory=dict)
    reprojector: Reprojector = field(default_factory=Reprojector)

    def check(self, block: str, owner: str, leaf: str, fields: Fields) -> None:
        """Warn (and count) when a FINESS number leaf of a block is present but invalid."""
        number = fields.get(leaf)
        problem = finess_problem(number) if number is not None else None
        if problem:
            self.report.count("invalid FINESS numbers")
            self.report.warn("invalid-finess", f"<{block}> {owner}: <{leaf}> {problem}")

    def learn(
        self,
        block: str,
        owner: str,
        fields: Fields,
        *maps: dict[str, str],
        also: Collection[str] = (),
    ) -> None:
        """Keep the code labels a block carries and warn about leaves that no mapping reads."""
        for table, code, label in labels_of(fields):
            self.labels.setdefault(table, {})[code] = label
        for leaf in unmapped(fields, *maps, also=also):
            self.report.warn("unread-field", f"<{block}> {owner}: <{leaf}> is not part of the known flux")

    def valid(self, props: dict[str, Any], name: str) -> str | None:
        """Return the property `name` as a valid-time bound when it is an ISO date."""
        value = props.get(name)
        if value is None:
            return None
        found = iso_date(value)
        if found is None:
            self.report.warn("bad-date", f"{name} {value!r} is not a date (YYYY-MM-DD)")
        return found

    def address(
        self, owner: str, fields: Fields, geo: Geolocation | None = None, slot: str = "0"
    ) -> Iterator[Record]:
        """Yield the legacy address of `owner` (`slot` 0, or `geo` for cs1400109), its commune and links."""
        addr = props(fields, ADDRESS)
        cog, problem = commune_code(
            fields.get("departement"), fields.get("commune"), fields.get("codepostal")
        )
        if problem:
            self.report.warn("bad-commune", f"{owner}: {problem}")
        if cog:
            addr["communeCode"] = cog
        if geo is not None:
            geo_props, problem = self.reprojector.address_props(geo)
            if problem:
                self.report.warn("bad-coordinates", f"{owner}: {problem}")
            addr.update(geo_props)
        if not addr:
            return
        addr_id = f"addr:{owner}:{slot}"
        usage = "legacy" if slot == "0" else "geolocation"
        yield Node(addr_id, "Address", addr)
        yield Edge("HAS_ADDRESS", owner, addr_id, {"usage": usage, "rank": 0})
        if cog is None:
            return
        if cog not in self.communes:
            self.communes.add(cog)
            name = fields.get("libcommune")
            yield Node(f"com:{cog}", "Commune", {"code": cog, "name": name} if name else {"code": cog})
        if slot == "0":
            yield Edge("LOCATED_IN", owner, f"com:{cog}", {})
        yield Edge("LOCATED_IN", addr_id, f"com:{cog}", {})


def _owner(block: str, leaf: str, fields: Fields, ctx: Context) -> str | None:
    """Return the block's own FINESS number, or warn and skip a block that has none."""
    number = fields.get(leaf)
    if number is None:
        ctx.report.warn("missing-finess", f"a <{block}> has no <{leaf}>: skipped", skipped=True)
        return None
    ctx.check(block, number, leaf, fields)
    return number


def legal_entity(fields: Fields, ctx: Context) -> Iterator[Record]:
    """Yield a cs1400101 <structureej> as a LegalEntity with its address."""
    finess = _owner("structureej", "nofiness", fields, ctx)
    if finess is None:
        return
    ctx.learn("structureej", finess, fields, LEGAL_ENTITY, ADDRESS, also=PLACE)
    entity = props(fields, LEGAL_ENTITY)
    yield Node(finess, "LegalEntity", entity, ctx.valid(entity, "openedOn"), ctx.valid(entity, "closedOn"))
    yield from ctx.address(finess, fields)


def establishment(fields: Fields, ctx: Context) -> Iterator[Record]:
    """Yield a cs1400102 or cs1400109 <structureet> as an Establishment with its address."""
    finess = _owner("structureet", "nofinesset", fields, ctx)
    if finess is None:
        return
    for leaf in ("nofinessej", "nofinessppal"):
        ctx.check("structureet", finess, leaf, fields)
    ctx.learn("structureet", finess, fields, ESTABLISHMENT, ADDRESS, also=PLACE | ET_EXTRA)
    place = props(fields, ESTABLISHMENT)
    sph = fields.get("codesph")
    if sph is not None:  # the SPH code is FINESS+'s `espic`, a list there
        place["espic"] = [sph]
    yield Node(finess, "Establishment", place, ctx.valid(place, "openedOn"), ctx.valid(place, "closedOn"))
    legal = fields.get("nofinessej")
    if legal is not None:
        yield Edge("ATTACHED_TO", finess, legal, {})
    yield from ctx.address(finess, fields, ctx.geolocations.pop(finess, None))


def geolocated_address(fields: Fields, ctx: Context) -> Iterator[Record]:
    """Yield a cs1400109 <structureet> as a geolocated Address of its establishment, nothing more.

    cs1400109 repeats only part of an establishment's fields: as its own node it would overwrite
    the full cs1400102 record (the last loaded dataset wins), so it adds a separate address.
    """
    finess = _owner("structureet", "nofinesset", fields, ctx)
    if finess is None:
        return
    ctx.learn("structureet", finess, fields, ESTABLISHMENT, ADDRESS, also=PLACE | ET_EXTRA)
    yield from ctx.address(finess, fields, ctx.geolocations.pop(finess, None), slot="geo")


def legal_entity_header(fields: Fields, ctx: Context) -> Iterator[Record]:
    """Check the summary <structureej> of an activity flux: it repeats cs1400101, so no record."""
    finess = _owner("structureej", "nofiness", fields, ctx)
    if finess is not None:
        ctx.learn("structureej", finess, fields, also={"nofiness", "rs"})
        ctx.report.count("summary-structures")
    yield from ()


def establishment_header(fields: Fields, ctx: Context) -> Iterator[Record]:
    """Note the legal entity of a cs1400105 summary <structureet>: it holds the site's places."""
    finess = _owner("structureet", "nofinesset", fields, ctx)
    if finess is not None:
        ctx.check("structureet", finess, "nofinessej", fields)
        ctx.learn("structureet", finess, fields, also={"nofinesset", "nofinessej", "rs"})
        legal = fields.get("nofinessej")
        if legal is not None:
            ctx.holders[finess] = legal
        ctx.report.count("summary-structures")
    yield from ()


def keep_geolocation(fields: Fields, ctx: Context) -> None:
    """Index a cs1400109 <geolocalisation> block by establishment, for its address."""
    finess = _owner("geolocalisation", "nofinesset", fields, ctx)
    if finess is None:
        return
    ctx.learn("geolocalisation", finess, fields, also={"nofinesset", *GEOLOCATION_LEAVES})
    x, y, source, updated = (fields.get(leaf) for leaf in GEOLOCATION_LEAVES)
    # A national file has one source string per row but few distinct ones: share them.
    ctx.geolocations[finess] = (x, y, sys.intern(source) if source else None, updated)
