"""The ASGI application of `fundwatch serve`."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from fundwatch import __version__
from fundwatch.web import api, pages
from fundwatch.web.config import WebConfig
from fundwatch.web.database import Databases, open_databases
from fundwatch.web.rendering import STATIC, make_templates
from fundwatch.web.security import SecurityMiddleware


def create_app(config: WebConfig, databases: Databases | None = None) -> FastAPI:
    """The dashboard, API and feeds over the database of `config.settings`."""
    dbs = databases or open_databases(config.settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        yield
        if databases is None:
            dbs.dispose()

    app = FastAPI(
        title="fundwatch",
        version=__version__,
        description=api.__doc__,
        docs_url=None,  # Swagger UI loads from a CDN; the schema itself is served below
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.databases = dbs
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(SecurityMiddleware, config=config)
    return app
