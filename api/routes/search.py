"""REST: search, the path between two structures, and the store's statistics."""

from __future__ import annotations

import enum
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.arguments import (
    CODES,
    MAX_TEXT,
    absent,
    checked,
    code_checked,
    day_text,
    relations_checked,
    text_checked,
)
from api.deps import LabelsDep, StoreDep
from api.formats import ExportMeta, display_name, kind, render
from api.http import ERRORS, json_body, respond
from api.routes.structures import EXPORTS, IDENTIFIER, AsOf, Format, Relations
from graph.queries import PATH_MAX_LENGTH, RELATION_TYPES, SearchQuery
from graph.store import STRUCTURE_LABELS

router = APIRouter(prefix="/api/v1", tags=["search"], responses=ERRORS)

Kind = enum.Enum("Kind", {label: label for label in STRUCTURE_LABELS})  # type: ignore[misc]


@router.get("/search", summary="Structures by words of their names or numbers, filtered; by name")
async def search(
    request: Request,
    store: StoreDep,
    labels: LabelsDep,
    q: Annotated[
        str | None,
        Query(
            description="Words: prefixes of names, FINESS, SIREN, SIRET",
            json_schema_extra={"maxLength": MAX_TEXT},
        ),
    ] = None,
    kind_: Annotated[list[Kind] | None, Query(alias="kind")] = None,
    department: Annotated[str | None, Query(json_schema_extra={"pattern": CODES["department"][0]})] = None,
    region: Annotated[str | None, Query(json_schema_extra={"pattern": CODES["region"][0]})] = None,
    commune: Annotated[str | None, Query(json_schema_extra={"pattern": CODES["commune"][0]})] = None,
    category: Annotated[str | None, Query(json_schema_extra={"pattern": CODES["category"][0]})] = None,
    as_of: AsOf = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=0, le=100)] = 20,
) -> Response:
    query = SearchQuery(
        text=text_checked(q),
        kinds=[k.value for k in kind_] if kind_ else None,
        department=code_checked("department", department),
        region=code_checked("region", region),
        commune=code_checked("commune", commune),
        category=code_checked("category", category),
        as_of=day_text(as_of),
        offset=offset,
        limit=limit,
    )
    page = await run_in_threadpool(store.search, query)
    body = {
        "total": page.total,
        "offset": offset,
        "items": [
            {
                "id": n.id,
                "finess": n.props.get("finess"),
                "name": display_name(n, labels),
                "kind": kind(n.label),
                "category": n.props.get("category"),
            }
            for n in page.items
        ],
    }
    return respond(request, json_body(body), "application/json")


@router.get(
    "/path", summary="The shortest paths between two structures, in any export format", responses=EXPORTS
)
async def path(
    request: Request,
    store: StoreDep,
    labels: LabelsDep,
    source: Annotated[
        str, Query(alias="from", max_length=64, json_schema_extra=IDENTIFIER, examples=["210780581"])
    ],
    target: Annotated[
        str, Query(alias="to", max_length=64, json_schema_extra=IDENTIFIER, examples=["210780631"])
    ],
    as_of: AsOf = None,
    max_length: Annotated[int, Query(ge=1, le=PATH_MAX_LENGTH)] = 6,
    relations: Relations = None,
    format: Format = Format["json"],
) -> Response:
    a, b, at = checked(source), checked(target), day_text(as_of)
    names = sorted(RELATION_TYPES) if relations is None else relations_checked(r.value for r in relations)
    sub = await run_in_threadpool(store.path, a, b, at, max_length, names)
    if sub is None:
        raise absent(f"{a} or {b}", at)
    meta = ExportMeta(root=next(iter(sub.nodes)), as_of=at, depth=max_length, relations=names, kind="path")
    out = render(format.value, sub, labels, meta)
    return respond(request, out.body, out.media_type, out.filename)


@router.get("/stats", summary="Nodes per label and relationships per type (valid at a date)")
async def stats(request: Request, store: StoreDep, as_of: AsOf = None) -> Response:
    found = await run_in_threadpool(store.stats, day_text(as_of))
    body = {k: found[k] for k in ("snapshot", "snapshots", "nodes", "relationships")}
    return respond(request, json_body(body), "application/json")
