"""Jinja2 set-up: autoescaped templates shipped in the package, with the dashboard's filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from fundwatch import __version__
from fundwatch.web.config import WebConfig
from fundwatch.web.formatting import FILTERS
from fundwatch.web.security import Access, access_of, csrf_token, signed_in

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

NOTICES = {
    "retried": "Queued again: the relay delivers it on its next pass.",
    "signed-in": "Signed in.",
    "signed-out": "Signed out.",
}


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.autoescape = True  # every template, whatever its name: crawled text is data, not markup
    env.filters.update(FILTERS)
    env.globals["version"] = __version__
    env.trim_blocks = True
    env.lstrip_blocks = True
    return templates


def page(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    config: WebConfig = request.app.state.config
    access = access_of(config, request)
    notice = NOTICES.get(request.query_params.get("notice", ""))
    full = {
        "request": request,
        "access": access,
        "can_write": access is Access.WRITE,
        "writes_enabled": config.token is not None,
        "signed_in": signed_in(config, request),
        "csrf": csrf_token(config, request),
        "notice": notice,
        **context,
    }
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    response.headers["cache-control"] = "no-store"
    return response
