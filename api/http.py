"""HTTP details shared by the REST routes: ETags, caching, JSON bodies and errors as one sentence."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from fastapi import Request, Response
from pydantic import BaseModel

from graph.errors import (
    BodyTooLarge,
    FinessGraphError,
    InvalidRequest,
    NotFound,
    QueryTimeout,
    StoreUnavailable,
)

# Answers change only when a load commits: clients may reuse one for a minute, then revalidate.
CACHE_CONTROL = "public, max-age=60"
STATUS: dict[type[FinessGraphError], tuple[int, str]] = {
    NotFound: (404, "NOT_FOUND"),
    InvalidRequest: (400, "BAD_REQUEST"),
    StoreUnavailable: (503, "STORE_UNAVAILABLE"),
    # The store answered, too slowly: the same question will be as slow, so no Retry-After.
    QueryTimeout: (504, "QUERY_TIMEOUT"),
    BodyTooLarge: (413, "PAYLOAD_TOO_LARGE"),
}


class ErrorDetail(BaseModel):
    """What went wrong, as a code clients rely on and one sentence."""

    code: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error of the REST API."""

    error: ErrorDetail


# The errors every REST route may answer, documented in its OpenAPI operation.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "An argument refused, in one sentence (BAD_REQUEST)"},
    404: {"model": ErrorBody, "description": "Not in the store at that date (NOT_FOUND)"},
    413: {"model": ErrorBody, "description": "A request body over 64 KiB (PAYLOAD_TOO_LARGE)"},
    503: {"model": ErrorBody, "description": "The store cannot be reached (STORE_UNAVAILABLE); Retry-After"},
    504: {"model": ErrorBody, "description": "A store query outlived the query timeout (QUERY_TIMEOUT)"},
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


def status_of(exc: BaseException | None) -> tuple[int, str]:
    """Return the HTTP status and error code of one of our errors (500 for anything else)."""
    return next((found for kind, found in STATUS.items() if isinstance(exc, kind)), (500, "INTERNAL_ERROR"))


def error_body(code: str, message: str) -> bytes:
    """Return the JSON body of an error: `{"error": {"code", "message"}}`."""
    return orjson.dumps({"error": {"code": code, "message": message}})


def error_response(exc: FinessGraphError) -> Response:
    """Return one of our errors as its status and `{"error": {"code", "message"}}`."""
    status, code = status_of(exc)
    headers = {"Retry-After": "5"} if status == 503 else None
    body = error_body(code, str(exc))
    return Response(body, status_code=status, media_type="application/json", headers=headers)
