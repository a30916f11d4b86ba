"""REST: a grouping's members (GHT, GCS…) with their role and dates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from api.arguments import absent, checked, day_text
from api.deps import LabelsDep, StoreDep
from api.formats import display_name, kind
from api.http import ERRORS, json_body, respond
from api.routes.structures import IDENTIFIER, AsOf

router = APIRouter(prefix="/api/v1", tags=["groupings"], responses=ERRORS)


@router.get("/groupings/{grouping}/members", summary="A grouping's members, the support first")
async def members(
    request: Request,
    store: StoreDep,
    labels: LabelsDep,
    grouping: Annotated[
        str,
        Path(
            description="GCC number or grouping id (gcc:…, gco:…)",
            max_length=64,
            json_schema_extra=IDENTIFIER,
            examples=["49824516535"],
        ),
    ],
    as_of: AsOf = None,
) -> Response:
    number, at = checked(grouping), day_text(as_of)
    found = await run_in_threadpool(store.members, number, at)
    if found is None:
        raise absent(number, at)
    body = [
        {
            "role": {"S": "SUPPORT", "M": "MEMBER"}.get(m.role or ""),
            "since": m.since,
            "until": m.until,
            "structure": {
                "id": m.node.id,
                "finess": m.node.props.get("finess"),
                "name": display_name(m.node, labels),
                "kind": kind(m.node.label),
            },
        }
        for m in found
    ]
    return respond(request, json_body(body), "application/json")
