"""REST: a structure, its ecosystem in every export format, its organigram and its timeline."""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool

from api.arguments import absent, checked, day_text
from api.deps import LabelsDep, StoreDep
from api.formats import FORMATS
from api.formats.export import export_ecosystem
from api.formats.names import NAMING_KEYS
from api.http import ERRORS, json_body, respond
from api.report import structure_json
from api.tree import tree_json
from graph.finess_number import IDENTIFIER_PATTERN
from graph.queries import ECOSYSTEM_LIMIT, MAX_DEPTH, RELATION_TYPES

router = APIRouter(prefix="/api/v1", tags=["structures"], responses=ERRORS)

Relation = enum.Enum("Relation", {name: name for name in sorted(RELATION_TYPES)})  # type: ignore[misc]
Format = enum.Enum("Format", {name: name for name in FORMATS})  # type: ignore[misc]
# The pattern is documented, not enforced by FastAPI: a malformed number gets our 400 and its sentence.
IDENTIFIER = {"pattern": IDENTIFIER_PATTERN}
Finess = Annotated[
    str,
    Path(
        description="FINESS number (EJ or ET), GCC number or grouping id",
        max_length=64,
        json_schema_extra=IDENTIFIER,
        examples=["210780581", "49824516535"],  # CHU Dijon Bourgogne, the GHT it supports
    ),
]
# What the ecosystem and path routes answer, one media type per export format.
EXPORTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The subgraph in the format asked for",
        "content": {media: {} for media in sorted({f.media_type for f in FORMATS.values()})},
    }
}


def _iso_date(value: Any) -> Any:
    """Refuse a date that is not written YYYY-MM-DD: pydantic would read a number as a Unix time."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


AsOf = Annotated[
    dt.date | None, BeforeValidator(_iso_date), Query(description="As of this date (YYYY-MM-DD)")
]
Depth = Annotated[int, Query(ge=0, le=MAX_DEPTH, description="Hops from the structure")]
Relations = Annotated[
    list[Relation] | None,
    Query(alias="relation", description="Relationship types to follow (repeat); default organisational"),
]


@router.get("/structures/{finess}", summary="A structure and its direct relationships")
async def structure(
    request: Request, store: StoreDep, labels: LabelsDep, finess: Finess, as_of: AsOf = None
) -> Response:
    number, at = checked(finess), day_text(as_of)
    view = await run_in_threadpool(store.structure, number, at)
    if view is None:
        raise absent(number, at)
    return respond(request, json_body(structure_json(view, labels)), "application/json")


@router.get(
    "/structures/{finess}/ecosystem",
    summary="What surrounds a structure: node-link JSON, GraphML, GEXF, CSV or a FHIR R4 Bundle",
    responses=EXPORTS,
)
async def ecosystem(
    request: Request,
    store: StoreDep,
    labels: LabelsDep,
    finess: Finess,
    as_of: AsOf = None,
    depth: Depth = 2,
    relations: Relations = None,
    limit: Annotated[int, Query(ge=1, le=2000, description="Node cap")] = ECOSYSTEM_LIMIT,
    format: Annotated[Format, Query(description="Export format")] = Format["json"],
) -> Response:
    names = None if relations is None else [r.value for r in relations]
    args = (store, finess, format.value, depth, day_text(as_of), names, limit, labels)
    out = await run_in_threadpool(export_ecosystem, *args)  # what `finess-graph export` writes
    return respond(request, out.body, out.media_type, out.filename)


@router.get("/structures/{finess}/organigram", summary="The tree under a structure, as nested JSON")
async def organigram(
    request: Request,
    store: StoreDep,
    labels: LabelsDep,
    finess: Finess,
    as_of: AsOf = None,
    depth: Annotated[int, Query(ge=0, le=MAX_DEPTH)] = 3,
) -> Response:
    number, at = checked(finess), day_text(as_of)
    tree = await run_in_threadpool(store.organigram, number, at, depth, keys=NAMING_KEYS)
    if tree is None:
        raise absent(number, at)
    return respond(request, json_body(tree_json(tree, labels)), "application/json")


@router.get("/structures/{finess}/timeline", summary="A structure's dated facts, oldest first")
async def timeline(request: Request, store: StoreDep, finess: Finess) -> Response:
    number = checked(finess)
    entries = await run_in_threadpool(store.timeline, number)
    if entries is None:
        raise absent(number, None)
    return respond(request, json_body(entries), "application/json")
