"""The web application: the explorer's pages, GraphQL at /graphql, REST under /api/v1/, static files."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from api.deps import LabelCache
from api.graphql.router import GraphQLHTTPRouter
from api.http import error_response
from api.pages import pages_router
from api.routes import groupings, search, structures
from graph.errors import FinessGraphError, StoreUnavailable
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
}


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Return the application serving `store` (default: the one the settings name)."""
    settings = settings or Settings()
    store = store or open_store(settings.store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:  # read the store (and build its search index) now rather than in the first requests
            await run_in_threadpool(store.snapshots)
            await run_in_threadpool(store.search, SearchQuery(text="a", limit=1))
        except StoreUnavailable as exc:
            log.warning("the store cannot be read yet, requests get 503 until it can: %s", exc)
        yield

    app = FastAPI(
        title="finess-graph",
        summary="FINESS+, the French register of health and social structures, as a time-aware graph.",
        version="1.0",
        lifespan=lifespan,
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

    @app.exception_handler(FinessGraphError)
    async def ours(request: Request, exc: FinessGraphError) -> JSONResponse:
        return error_response(exc)

    for router in (structures.router, groupings.router, search.router):
        app.include_router(router)
    pages = Environment(loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape())
    d3_ready = (VENDOR["d3"] / "d3.min.js").is_file()
    ide_paths = {
        "vendor": "/static/vendor",
        "static": "/static",
        "endpoint": "/graphql",
        "ready": all(path.is_dir() for path in VENDOR.values()),
    }
    app.include_router(GraphQLHTTPRouter(pages, ide_paths), prefix="/graphql", include_in_schema=False)
    page_paths = {"vendor": "/static/vendor", "static": "/static", "ready": d3_ready}
    app.include_router(pages_router(pages, page_paths))
    for name, folder in VENDOR.items():
        if folder.is_dir():
            app.mount(f"/static/vendor/{name}", StaticFiles(directory=folder), name=f"vendor-{name}")
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    return app
