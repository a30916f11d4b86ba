"""The structures (legal entities, establishments, groupings), their activities and memberships."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any

import strawberry

from api.graphql.types import (
    Address,
    AsOf,
    Authority,
    Code,
    Engagement,
    Event,
    Info,
    Item,
    MemberRole,
    Place,
    StructureKind,
    build,
    fill,
    membership,
)
from graph.errors import InvalidRequest
from graph.queries import sort_key
from graph.store import NodeView

MAX_PAGE = 100
First = Annotated[int, strawberry.argument(description=f"Page size, at most {MAX_PAGE}.")]
After = Annotated[str | None, strawberry.argument(description="The `endCursor` of the previous page.")]


def offset_after(after: str | None) -> int:
    """Return the offset a page starts at, after the item whose cursor is `after`."""
    if after is None:
        return 0
    try:
        kind, _, number = base64.b64decode(after, validate=True).decode().partition(":")
        if kind == "offset" and number.isdigit():
            return int(number) + 1
    except (ValueError, UnicodeDecodeError):
        pass
    raise InvalidRequest(f"after: {after!r} is not a cursor given by this API")


def cursor(offset: int) -> str:
    """Return the opaque cursor of the item at `offset`."""
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def page_size(first: int) -> int:
    """Refuse a page size out of bounds: a client asks for more pages instead."""
    if not 0 <= first <= MAX_PAGE:
        raise InvalidRequest(f"first: {first} is out of range; ask for 0 to {MAX_PAGE} items per page")
    return first


@strawberry.interface(description="A structure of the register: legal entity, establishment or grouping.")
class Structure(Item):
    finess: str | None = strawberry.field(description="Its FINESS number (numéro FINESS).")
    name: str | None = strawberry.field(description="Its short name (raison sociale courte).")
    long_name: str | None = strawberry.field(description="Its long name (raison sociale longue).")

    @strawberry.field(description="What kind of structure it is.")
    def kind(self) -> StructureKind:
        return StructureKind(self.node.label)

    @strawberry.field(description="Every address (adresses), by rank.")
    async def addresses(self, info: Info, as_of: AsOf = None) -> list[Address]:
        found = await self.pairs(info, ("HAS_ADDRESS",), as_of, "out")
        found = sorted(found, key=lambda p: (p[0].props.get("rank", 0), p[1].id))
        labels, at = info.context.labels, self.at(as_of)
        return [fill(Address, n, labels, at, rank=e.props.get("rank")) for e, n in found]

    @strawberry.field(description="The commune of its main address.")
    async def commune(self, info: Info, as_of: AsOf = None) -> Place | None:
        found = await self.pairs(info, ("LOCATED_IN",), as_of, "out")
        return next((build(n, info, self.at(as_of)) for _, n in found), None)

    @strawberry.field(description="The groupings it is a member of, with its role (GHT, GCS…).")
    async def groupings(self, info: Info, as_of: AsOf = None) -> list[Membership]:
        found = await self.pairs(info, ("MEMBER_OF",), as_of, "out")
        found = sorted(found, key=lambda p: (str(p[1].props.get("name") or ""), p[1].id))
        return [membership(pair, self.node, info, self.at(as_of)) for pair in found]

    @strawberry.field(description="The orders, agreements and labels that bind it (engagements).")
    async def engagements(self, info: Info, as_of: AsOf = None) -> list[Engagement]:
        found = await self.pairs(info, ("BOUND_BY",), as_of, "out")
        return [build(n, info, self.at(as_of)) for _, n in sorted(found, key=lambda p: p[1].id)]

    @strawberry.field(description="Its events (événements), oldest first.")
    async def events(self, info: Info, as_of: AsOf = None) -> list[Event]:
        found = await self.pairs(info, ("RECORDED",), as_of, "out")
        found = sorted(found, key=lambda p: (str(p[1].props.get("date") or ""), p[1].id))
        return [build(n, info, self.at(as_of)) for _, n in found]


@strawberry.type(description="A structure's membership of a grouping, with its role and dates.")
class Membership:
    role: MemberRole | None
    since: dt.date | None
    until: dt.date | None
    structure: Structure
    grouping: Grouping


@strawberry.type
class StructureEdge:
    cursor: str
    node: Structure


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="A page of structures (Relay connection).")
class StructureConnection:
    total_count: int
    edges: list[StructureEdge]
    page_info: PageInfo


def connection(items: Sequence[Any], total: int, start: int) -> StructureConnection:
    """Return a Relay page of already built structures starting at offset `start`."""
    edges = [StructureEdge(cursor=cursor(start + i), node=item) for i, item in enumerate(items)]
    return StructureConnection(
        total_count=total,
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + len(items) < total, end_cursor=edges[-1].cursor if edges else None
        ),
    )


@strawberry.interface(description="An activity: authorised (autorisée) or operated (exercée).")
class Activity(Item):
    activity_id: str | None
    nature: str | None = strawberry.field(description="AMM, AASA, ASR, EML, ASDR, ASOCR, AMSR, AER, AMF.")
    activity_type: str | None
    activity: Code | None
    mode: Code | None
    clientele: Code | None
    form: Code | None
    modality: Code | None
    mention: Code | None
    specific_practice: Code | None
    declaration: Code | None
    authorisation_number: str | None
    start_on: dt.date | None
    end_on: dt.date | None
    state: str | None
    authorised_capacity: int | None
    installed_capacity: int | None
    min_age_authorised: int | None
    max_age_authorised: int | None
    min_age_installed: int | None
    max_age_installed: int | None
    capacities: strawberry.scalars.JSON | None


@strawberry.type(description="An authorised activity (activité autorisée), held by a legal entity.")
class AuthorizedActivity(Activity):
    decision_number: str | None

    @strawberry.field(description="The legal entity that holds it.")
    async def holder(self, info: Info, as_of: AsOf = None) -> LegalEntity | None:
        found = await self.pairs(info, ("HOLDS",), as_of, "in")
        return next((build(n, info, self.at(as_of)) for _, n in found), None)


@strawberry.type(description="An operated activity (activité exercée) of an establishment.")
class OperatedActivity(Activity):
    effective_end_on: dt.date | None
    lapse_on: dt.date | None

    @strawberry.field(description="The establishment that operates it.")
    async def operator(self, info: Info, as_of: AsOf = None) -> Establishment | None:
        found = await self.pairs(info, ("OPERATES",), as_of, "in")
        return next((build(n, info, self.at(as_of)) for _, n in found), None)

    @strawberry.field(description="The authorised activity it implements.")
    async def authorisation(self, info: Info, as_of: AsOf = None) -> AuthorizedActivity | None:
        found = await self.pairs(info, ("IMPLEMENTS",), as_of, "out")
        return next((build(n, info, self.at(as_of)) for _, n in found), None)


async def _listed(self: Item, info: Info, kind: str, direction: str, as_of: dt.date | None) -> list[Any]:
    found = await self.pairs(info, (kind,), as_of, direction)
    nodes = sorted((n for _, n in found), key=lambda n: sort_key(n.props.get("name"), n.id))
    return [build(n, info, self.at(as_of)) for n in nodes]


@strawberry.type(description="A legal entity (entité juridique, EJ).")
class LegalEntity(Structure):
    siren: str | None
    legal_status: Code | None = strawberry.field(description="Statut juridique (r400).")
    ape_code: str | None
    person_type: str | None
    public_service: str | None
    opened_on: dt.date | None
    closed_on: dt.date | None
    state: str | None
    phone: str | None
    fax: str | None
    address_complement: str | None
    pm_smsse_id: str | None
    updated_at: str | None

    @strawberry.field(description="Its establishments (ET), by name, a page at a time.")
    async def establishments(
        self, info: Info, as_of: AsOf = None, first: First = 20, after: After = None
    ) -> StructureConnection:
        start, size = offset_after(after), page_size(first)
        found = await _listed(self, info, "ATTACHED_TO", "in", as_of)
        return connection(found[start : start + size], len(found), start)

    @strawberry.field(description="Its authorised activities (activités autorisées).")
    async def authorized_activities(self, info: Info, as_of: AsOf = None) -> list[AuthorizedActivity]:
        found = await self.pairs(info, ("HOLDS",), as_of, "out")
        return [build(n, info, self.at(as_of)) for _, n in sorted(found, key=lambda p: p[1].id)]


@strawberry.type(description="An establishment (entité géographique, EGE / ET).")
class Establishment(Structure):
    siret: str | None
    category: Code | None = strawberry.field(description="Catégorie d'établissement (r397).")
    name_complement: str | None
    tariff_mode: str | None
    budget_types: list[str] | None
    espic: list[str] | None
    opened_on: dt.date | None
    closed_on: dt.date | None
    first_authorised_on: dt.date | None
    national_education_number: str | None
    external_reference: str | None
    state: str | None
    ege_id: str | None
    phone: str | None
    fax: str | None
    email: str | None
    updated_at: str | None

    @strawberry.field(description="The legal entity it is attached to.")
    async def legal_entity(self, info: Info, as_of: AsOf = None) -> LegalEntity | None:
        found = await _listed(self, info, "ATTACHED_TO", "out", as_of)
        return found[0] if found else None

    @strawberry.field(description="Its operated activities (activités exercées).")
    async def operated_activities(self, info: Info, as_of: AsOf = None) -> list[OperatedActivity]:
        found = await self.pairs(info, ("OPERATES",), as_of, "out")
        return [build(n, info, self.at(as_of)) for _, n in sorted(found, key=lambda p: p[1].id)]

    @strawberry.field(description="Establishments it is related to (roleEge), either way.")
    async def related(self, info: Info, as_of: AsOf = None) -> list[Establishment]:
        return await _listed(self, info, "RELATED_TO", "both", as_of)


@strawberry.interface(description="A grouping: GCO (GCS, GCSMS…) or GCC (GHT…).")
class Grouping(Structure):
    grouping_type: str | None = strawberry.field(description="typeGco (r372) or typeGcc (r371) code.")

    @strawberry.field(description="Its members, the support first, then by name.")
    async def members(self, info: Info, as_of: AsOf = None) -> list[Membership]:
        found = await self.pairs(info, ("MEMBER_OF",), as_of, "in")
        items = [membership(pair, self.node, info, self.at(as_of)) for pair in found]
        items.sort(key=lambda m: (m.role is not MemberRole.SUPPORT, m.structure.name or "", m.structure.id))
        return items


@strawberry.type(description="A GCO (groupement de coopération organique: GCS, GCSMS…).")
class OrganicGrouping(Grouping):
    pm_smsse_id: str | None

    @strawberry.field(description="The legal entity a GCO is (its head), when the register holds it.")
    async def head(self, info: Info, as_of: AsOf = None) -> LegalEntity | None:
        found = await self.pairs(info, ("HEADED_BY",), as_of, "out")
        return next((build(n, info, self.at(as_of)) for _, n in found), None)


@strawberry.type(description="A GCC (groupement de coopération conventionnelle: GHT…).")
class ConventionalGrouping(Grouping):
    gcc_id: str | None
    state: str | None
    updated_at: str | None


OBJECT_TYPES: dict[str, Any] = {
    "LegalEntity": LegalEntity,
    "Establishment": Establishment,
    "OrganicGrouping": OrganicGrouping,
    "ConventionalGrouping": ConventionalGrouping,
    "AuthorizedActivity": AuthorizedActivity,
    "OperatedActivity": OperatedActivity,
    "Engagement": Engagement,
    "Authority": Authority,
    "Event": Event,
    "Address": Address,
    "Commune": Place,
    "Department": Place,
    "Region": Place,
}


def structure_object(node: NodeView | None, info: Info, as_of: str | None) -> Structure | None:
    """Return the GraphQL structure of a node, or None when it is absent or not a structure."""
    if node is None or node.label not in StructureKind._value2member_map_:
        return None
    result: Structure = build(node, info, as_of)
    return result
