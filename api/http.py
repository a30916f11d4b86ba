"""HTTP details shared by the REST routes: ETags, caching, JSON bodies and errors as one sentence."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.responses import JSONResponse

from graph.errors import FinessGraphError, InvalidRequest, NotFound, StoreUnavailable

# Answers change only when a load commits: clients may reuse one for a minute, then revalidate.
CACHE_CONTROL = "public, max-age=60"
STATUS: dict[type[FinessGraphError], tuple[int, str]] = {
    NotFound: (404, "NOT_FOUND"),
    InvalidRequest: (400, "BAD_REQUEST"),
    StoreUnavailable: (503, "STORE_UNAVAILABLE"),
}


def respond(request: Request, body: bytes, media_type: str, filename: str | None = None) -> Response:
    """Return a GET answer with its ETag, or 304 when the client already holds this very body."""
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def json_body(data: Any) -> bytes:
    """Encode an answer as JSON with sorted keys: the same bytes (and ETag) from either store."""
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SORT_KEYS)


def error_response(exc: FinessGraphError) -> JSONResponse:
    """Return one of our errors as its status and `{"error": {"code", "message"}}`."""
    status, code = next(
        (found for kind, found in STATUS.items() if isinstance(exc, kind)), (500, "INTERNAL_ERROR")
    )
    headers = {"Retry-After": "5"} if status == 503 else None
    return JSONResponse({"error": {"code": code, "message": str(exc)}}, status_code=status, headers=headers)
