"""The web explorer's pages (jinja2 templates of web/templates): search, a structure and its views, a path;
and the OpenAPI documentation (Swagger UI) at /docs.

Every answer of the server carries a strict Content-Security-Policy (api/middleware.py): the pages run
only the server's own modules and styles, no inline script or style, nothing from another origin.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse

from api.deps import StoreDep
from graph.errors import StoreUnavailable

# The shell is the same for every structure; the data comes from the API, which has its own caching.
HEADERS = {"Cache-Control": "no-cache"}


def pages_router(env: Environment, paths: dict[str, object]) -> APIRouter:
    """Return the router of the explorer's pages, rendered from `env` with the static paths `paths`."""
    router = APIRouter(include_in_schema=False)

    def page(template: str, **values: object) -> HTMLResponse:
        html = env.get_template(template).render(**paths, **values)
        return HTMLResponse(html, headers=HEADERS)

    @router.get("/")
    async def search() -> HTMLResponse:
        return page("search.html", page_title="Recherche")

    @router.get("/structures/{finess}")
    async def structure(store: StoreDep, finess: Annotated[str, Path(max_length=64)]) -> HTMLResponse:
        # Whether the structure exists (at which date) is the API's answer, shown by the page itself.
        # The latest snapshot date is the page's default date; `stats` would count the whole store.
        try:
            dates = await run_in_threadpool(store.snapshots)
        except StoreUnavailable:
            dates = {}
        latest = max(dates.values(), default="")
        return page("structure.html", page_title=f"Structure {finess}", finess=finess, latest=latest)

    @router.get("/chemin")
    async def path() -> HTMLResponse:
        return page("path.html", page_title="Chemin entre deux structures")

    @router.get("/docs")
    async def docs() -> HTMLResponse:
        return page("docs.html")

    return router
