"""The web application: the explorer's pages, GraphQL at /graphql, REST under /api/v1/, static files."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp

from api.deps import LabelCache
from api.graphql.router import GraphQLHTTPRouter, request_error_response
from api.http import error_response
from api.middleware import BodyLimit, SecurityHeaders
from api.pages import pages_router
from api.routes import groupings, search, structures
from graph.collector import long_lived
from graph.errors import BodyTooLarge, FinessGraphError, QueryTimeout, StoreUnavailable
from graph.open_store import open_store
from graph.queries import SearchQuery
from graph.settings import Settings
from graph.store import GraphStore

log = logging.getLogger("finess_graph.api")
WEB = Path(__file__).resolve().parents[1] / "web"
# Served under /static/vendor/<name>: only these folders of the npm packages, never node_modules whole.
VENDOR = {
    "d3": WEB / "node_modules" / "d3" / "dist",
    "graphiql": WEB / "node_modules" / "graphiql",
    "react": WEB / "node_modules" / "react" / "umd",
    "react-dom": WEB / "node_modules" / "react-dom" / "umd",
    "swagger-ui": WEB / "node_modules" / "swagger-ui-dist",
}


class App(FastAPI):
    """FastAPI whose every answer carries the security headers, its own 500s included."""

    def build_middleware_stack(self) -> ASGIApp:
        """Wrap the whole stack, outside even Starlette's server-error middleware."""
        return SecurityHeaders(super().build_middleware_stack())


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Return the application serving `store` (default: the one the settings name)."""
    settings = settings or Settings()
    store = store or open_store(settings.store, query_timeout=settings.query_timeout)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:  # read the store (and build its search index) now rather than in the first requests
            await run_in_threadpool(store.snapshots)
            await run_in_threadpool(store.search, SearchQuery(text="a", limit=1))
        except StoreUnavailable as exc:
            log.warning("the store cannot be read yet, requests get 503 until it can: %s", exc)
        except QueryTimeout as exc:  # a slow warm-up is no reason not to serve
            log.warning("warming the store up took longer than the query timeout: %s", exc)
        long_lived(collect=True)  # whatever the store: a large answer's young objects, walked again and again
        yield

    app = App(
        title="finess-graph",
        summary="FINESS+, the French register of health and social structures, as a time-aware graph.",
        version="1.0",
        lifespan=lifespan,
        # Served by pages_router from this server's own files: FastAPI's pages load theirs from a CDN
        # with an inline script, which the Content-Security-Policy refuses.
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.labels = LabelCache(store)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )

    app.add_middleware(BodyLimit)

    @app.exception_handler(FinessGraphError)
    async def ours(request: Request, exc: FinessGraphError) -> Response:
        # A GraphQL client reads `errors`, whatever the status; a body too large was never a GraphQL
        # request, and answers as BodyLimit does when its length is declared.
        if request.url.path.startswith("/graphql") and not isinstance(exc, BodyTooLarge):
            return request_error_response(request, exc)
        return error_response(exc)

    for router in (structures.router, groupings.router, search.router):
        app.include_router(router)
    pages = Environment(loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape())
    d3_ready = (VENDOR["d3"] / "d3.min.js").is_file()
    ide_paths = {
        "vendor": "/static/vendor",
        "static": "/static",
        "endpoint": "/graphql",
        "ready": all(VENDOR[name].is_dir() for name in ("graphiql", "react", "react-dom")),
    }
    app.include_router(GraphQLHTTPRouter(pages, ide_paths), prefix="/graphql", include_in_schema=False)
    page_paths = {
        "vendor": "/static/vendor",
        "static": "/static",
        "ready": d3_ready,
        "docs_ready": VENDOR["swagger-ui"].is_dir(),
        "openapi": app.openapi_url,
    }
    app.include_router(pages_router(pages, page_paths))
    for name, folder in VENDOR.items():
        if folder.is_dir():
            app.mount(f"/static/vendor/{name}", StaticFiles(directory=folder), name=f"vendor-{name}")
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    return app
