"""GraphQL over HTTP at /graphql: strawberry's router, made to follow the GraphQL-over-HTTP specification.

Strawberry answers `application/json` only and keeps `data: null` on request errors. A client that
accepts `application/graphql-response+json` gets that media type, no `data` key and status 400 when
the request could not be executed (syntax, validation, limits), as the specification asks. An
unreachable store answers 503 whatever the media type, so that load balancers and clients retry; a
store query stopped by the query timeout answers 504. A query that would fetch more nodes than a request
may is refused whole, with one error and no partial data.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request, Response
from jinja2 import Environment
from starlette.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from api.deps import LabelsDep, StoreDep
from api.graphql.context import Context
from api.graphql.schema import create_schema
from api.http import STATUS, status_of
from graph.errors import AnswerTooLarge, FinessGraphError, QueryTimeout, StoreUnavailable

GRAPHQL_RESPONSE = "application/graphql-response+json"


def error_code(error: BaseException | None) -> str | None:
    """Return the code clients can rely on for one of our errors."""
    return next((code for kind, (_, code) in STATUS.items() if isinstance(error, kind)), None)


def request_error_response(request: Request, exc: FinessGraphError) -> Response:
    """Return one of our errors raised before execution (reading the code labels, say) as GraphQL errors."""
    status, code = status_of(exc)
    body = orjson.dumps({"errors": [{"message": str(exc), "extensions": {"code": code}}]})
    media = GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in request.headers.get("accept", "") else "application/json"
    headers = {"Retry-After": "5"} if status == 503 else None
    return Response(body, status_code=status, media_type=media, headers=headers)


async def get_context(store: StoreDep, labels: LabelsDep) -> Context:
    """Build a fresh context, with fresh dataloaders, for each request."""
    return Context(store, labels)


class GraphQLHTTPRouter(GraphQLRouter[Context, None]):
    """The strawberry router with GraphQL-over-HTTP media types and status codes, and a local GraphiQL."""

    def __init__(self, ide: Environment, ide_paths: dict[str, Any]) -> None:
        super().__init__(
            create_schema(),
            context_getter=get_context,
            graphql_ide="graphiql",
            allow_queries_via_get=True,
        )
        self.ide, self.ide_paths = ide, ide_paths

    def encode_json(self, data: object) -> bytes:
        """Encode answers with orjson: a large ecosystem's JSON took several times longer with json."""
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        """Decode requests with orjson, whose nesting limit refuses what would exhaust json's recursion."""
        return orjson.loads(data)  # orjson.JSONDecodeError is a json.JSONDecodeError: a 400

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """Return GraphiQL with its scripts served by this server, never by a CDN."""
        page = self.ide.get_template("graphiql.html").render(**self.ide_paths)
        return HTMLResponse(page)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Add error codes; drop `data` when the request never executed (a request error)."""
        answer: dict[str, Any] = dict(await super().process_result(request, result))
        errors = result.errors or []
        for error, shown in zip(errors, answer.get("errors", []), strict=False):
            code = error_code(error.original_error)
            if code:
                shown["extensions"] = {**(shown.get("extensions") or {}), "code": code}
            if isinstance(error.original_error, StoreUnavailable | QueryTimeout):
                status = max(getattr(request.state, "status", 0), status_of(error.original_error)[0])
                request.state.status = status
        too_large = [
            shown
            for error, shown in zip(errors, answer.get("errors", []), strict=False)
            if isinstance(error.original_error, AnswerTooLarge)
        ]
        if too_large:  # every field still pending failed alike: one error says it, no partial answer
            request.state.request_error = True
            return {"errors": too_large[:1]}
        if result.data is None and errors and all(not e.path for e in errors):
            request.state.request_error = True
            answer.pop("data", None)
        return answer  # type: ignore[return-value]

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Run strawberry's view, then set the media type and status the specification asks for."""
        response = await super().run(request, context, root_value)
        if not isinstance(response, Response) or response.media_type == "text/html":
            return response
        status = getattr(request.state, "status", 0)
        if status:  # the store is unreachable (503) or too slow (504)
            response.status_code = status
            if status == 503:
                response.headers["Retry-After"] = "5"
        accept = request.headers.get("accept", "")
        if GRAPHQL_RESPONSE in accept:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            if getattr(request.state, "request_error", False) and response.status_code == 200:
                response.status_code = 400
        return response
