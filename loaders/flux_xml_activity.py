"""Records of the flux standard's authorisations: care activities, heavy equipment, social places.

Each block is one authorisation given to a legal entity for one site, so it becomes the pair that
FINESS+ uses: an AuthorizedActivity held by the legal entity (HOLDS) and an OperatedActivity run by
the establishment (OPERATES) that IMPLEMENTS it. The flux has no `activiteAeId`, so the ids are
built from the flux's own keys behind an `x` (`aa:xamf:<noautor>`, `aa:xeml:<noautor>`,
`aa:xsoc:<nofinesset>:<de>:<ta>:<client>`): never equal to a FINESS+ id, which is all digits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph.model import Edge, Node, Record
from loaders.flux_xml_fields import (
    CARE_AUTHORISED,
    CARE_OPERATED,
    EQUIPMENT_AUTHORISED,
    EQUIPMENT_OPERATED,
    SOCIAL_AUTHORISED,
    SOCIAL_OPERATED,
    props,
)
from loaders.flux_xml_records import Context
from loaders.flux_xml_stream import Fields

_SITES = ("nofinessej", "nofinesset")


def _key(ctx: Context, kind: str, number: str | None, parts: tuple[str | None, ...]) -> str:
    """Return a key unique in this file: the authorisation number, else the block's coded fields."""
    base = number or ":".join(part or "-" for part in parts)
    key = f"{kind}:{base}"
    seen = ctx.seen.get(key, 0) + 1
    ctx.seen[key] = seen
    if seen > 1:
        # Repeated keys are real (cs1400105 lists one discipline/mode/clientele once per
        # capacity revision): each row stays its own activity, told apart by its rank.
        ctx.report.warn("repeated-key", f"activity {key} appears {seen} times; numbered #{seen}")
        key = f"{key}#{seen}"
    return key


def _pair(
    ctx: Context,
    key: str,
    authorised: dict[str, Any],
    operated: dict[str, Any],
    holder: str | None,
    site: str | None,
) -> Iterator[Record]:
    """Yield the authorised activity, its operated twin on `site`, and the edges between them."""
    aa, ae = f"aa:x{key}", f"ae:x{key}"
    yield Node(
        aa,
        "AuthorizedActivity",
        authorised,
        ctx.valid(authorised, "startOn"),
        ctx.valid(authorised, "endOn"),
    )
    if holder is not None:
        yield Edge("HOLDS", holder, aa, {})
    else:
        ctx.report.warn("unknown-holder", f"{aa}: no legal entity is given for its site {site}")
    if site is None:
        return
    yield Node(
        ae,
        "OperatedActivity",
        operated,
        ctx.valid(operated, "startOn"),
        ctx.valid(operated, "endOn"),
    )
    yield Edge("OPERATES", site, ae, {})
    yield Edge("IMPLEMENTS", ae, aa, {})


def _checked(block: str, fields: Fields, ctx: Context) -> str:
    """Check the block's FINESS numbers and return a name for it in warnings."""
    owner = fields.get("noautor") or fields.get("nofinesset") or "?"
    for leaf in _SITES:
        ctx.check(block, owner, leaf, fields)
    return owner


def care_activity(fields: Fields, ctx: Context) -> Iterator[Record]:
    """Yield a cs1400103 <activiteoffresoin> (activité de soins: activité/modalité/forme)."""
    owner = _checked("activiteoffresoin", fields, ctx)
    ctx.learn("activiteoffresoin", owner, fields, CARE_AUTHORISED, CARE_OPERATED, also=_SITES)
    number = fields.get("noautor")
    if number is None:
        ctx.report.warn("missing-authorisation-number", f"a care activity at {owner} has no <noautor>")
    parts = tuple(fields.get(leaf) for leaf in (*_SITES, "activite", "modalite", "forme"))
    key = _key(ctx, "amf", number, parts)
    authorised = {"nature": "AMF", **props(fields, CARE_AUTHORISED)}
    operated = {"nature": "AMF", **props(fields, CARE_OPERATED)}
    yield from _pair(ctx, key, authorised, operated, fields.get("nofinessej"), fields.get("nofinesset"))


def heavy_equipment(fields: Fields, ctx: Context) -> Iterator[Record]:
    """Yield a cs1400104 <equipmateriellourd> (équipement matériel lourd)."""
    owner = _checked("equipmateriellourd", fields, ctx)
    ctx.learn("equipmateriellourd", owner, fields, EQUIPMENT_AUTHORISED, EQUIPMENT_OPERATED, also=_SITES)
    number = fields.get("noautor")
    if number is None:
        ctx.report.warn("missing-authorisation-number", f"an equipment at {owner} has no <noautor>")
    parts = tuple(fields.get(leaf) for leaf in (*_SITES, "eml", "numserie"))
    key = _key(ctx, "eml", number, parts)
    authorised = {"nature": "EML", **props(fields, EQUIPMENT_AUTHORISED)}
    operated = {"nature": "EML", **props(fields, EQUIPMENT_OPERATED)}
    yield from _pair(ctx, key, authorised, operated, fields.get("nofinessej"), fields.get("nofinesset"))


def social_equipment(fields: Fields, ctx: Context) -> Iterator[Record]:
    """Yield a cs1400105 <equipementsocial> (équipement social ou médico-social) of one site."""
    site = fields.get("nofinesset")
    owner = _checked("equipementsocial", fields, ctx)
    ctx.learn("equipementsocial", owner, fields, SOCIAL_AUTHORISED, SOCIAL_OPERATED, also={"nofinesset"})
    parts = tuple(fields.get(leaf) for leaf in ("nofinesset", "de", "ta", "client"))
    key = _key(ctx, "soc", None, parts)
    # No nature: the flux does not tell a medico-social (ASMR) from a social (ASOCR) authorisation.
    authorised = props(fields, SOCIAL_AUTHORISED)
    operated = props(fields, SOCIAL_OPERATED)
    holder = ctx.holders.get(site) if site is not None else None
    yield from _pair(ctx, key, authorised, operated, holder, site)
